package dev.hayate.nonblocking;

import dev.hayate.core.Connection;
import dev.hayate.core.Context;
import dev.hayate.core.Status;
import dev.hayate.core.WaitStrategy;
import dev.hayate.core.internal.WaitingSender;

/**
 * The sending half of a nonblocking {@link Clt}, after {@link Clt#split()}: busy-spins, never parks. One
 * attempt with {@link #send(Object)}, {@link #offer(Object)} and {@link #flush()}; the timed sends
 * ({@link WaitingSender}) spin.
 *
 * <p>Thread-safety: one sending thread, beside one thread using the matching {@link CltRecver}.
 * {@link #close()} closes the whole connection.
 *
 * @param <T> the message type.
 */
public final class CltSender<T> extends WaitingSender<T>
{
    CltSender(final Connection<T> connection, final Context context, final WaitStrategy wait)
    {
        super(connection, context, wait);
    }

    /**
     * One attempt to send; see {@link Clt#send(Object)}.
     *
     * @param message to send; encoded during the call.
     * @return {@link Status#OK}, {@link Status#BACK_PRESSURED} (nothing taken) or {@link Status#CLOSED}.
     */
    public Status send(final T message)
    {
        return half.trySend(message);
    }

    /**
     * One attempt to take a message without writing it; see {@link Clt#offer(Object)}.
     *
     * @param message to send; encoded during the call.
     * @return {@link Status#OK}, {@link Status#BACK_PRESSURED} (nothing taken) or {@link Status#CLOSED}.
     */
    public Status offer(final T message)
    {
        return half.offer(message);
    }

    /**
     * One attempt to take a batch of messages without writing them (unless the buffer fills): the source is
     * asked for each next message only when there is room, and the send half is entered once for the batch.
     * Follow with {@link #flush()}. For streaming many small messages; see {@code CltRecver.poll} on the receiving side.
     *
     * <pre>{@code
     * int taken = clt.offer(() -> quotes.hasNext() ? quotes.encodeNext(flyweight) : null, 256);
     * clt.flush();
     * }</pre>
     *
     * @param source the next message (encoded before the next is asked for, so a flyweight may be reused), or
     *               {@code null} to end the batch.
     * @param limit  most messages taken by this call.
     * @return messages taken: fewer than {@code limit} when the source ended, under back pressure (flush, then
     * offer again), while reconnecting, or once closed ({@link #isClosed()}).
     */
    public int offer(final java.util.function.Supplier<? extends T> source, final int limit)
    {
        return half.offer(source, limit);
    }

    /**
     * One attempt to write bytes of frames already taken.
     *
     * @return {@link Status#OK} when nothing is pending, {@link Status#BACK_PRESSURED}, {@link Status#CLOSED}.
     */
    public Status flush()
    {
        return half.flush();
    }
}
