package dev.hayate.nonblocking;

import dev.hayate.core.Connection;
import dev.hayate.core.Context;
import dev.hayate.core.Status;
import dev.hayate.core.WaitStrategy;
import dev.hayate.core.WaitingSender;

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
     * One attempt to write bytes of frames already taken.
     *
     * @return {@link Status#OK} when nothing is pending, {@link Status#BACK_PRESSURED}, {@link Status#CLOSED}.
     */
    public Status flush()
    {
        return half.flush();
    }
}
