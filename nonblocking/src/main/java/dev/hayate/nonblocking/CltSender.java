package dev.hayate.nonblocking;

import java.util.concurrent.TimeUnit;

import dev.hayate.core.ConId;
import dev.hayate.core.Connection;
import dev.hayate.core.Context;
import dev.hayate.core.Deadline;
import dev.hayate.core.SendHalf;
import dev.hayate.core.Status;
import dev.hayate.core.WaitStrategy;

/**
 * The sending half of a nonblocking {@link Clt}, after {@link Clt#split()}: busy-spins, never parks.
 *
 * <p>Thread-safety: one sending thread, beside one thread using the matching {@link CltRecver}.
 * {@link #close()} closes the whole connection.
 *
 * @param <T> the message type.
 */
public final class CltSender<T> implements AutoCloseable
{
    private final Connection<T> connection;
    private final SendHalf<T> half;

    CltSender(final Connection<T> connection, final Context context)
    {
        this.connection = connection;
        this.half = new SendHalf<>(connection, context, WaitStrategy.SPIN);
    }

    /**
     * One attempt to send.
     *
     * @param message to send; encoded during the call.
     * @return {@link Status#OK} when the frame was taken (bytes the socket did not take now go out on the
     * next call), {@link Status#BACK_PRESSURED} when earlier bytes still fill the send buffer (nothing
     * taken: retry), {@link Status#CLOSED}.
     */
    public Status send(final T message)
    {
        return half.trySend(message);
    }

    /**
     * One attempt to take a message into the send buffer without writing it (unless the buffer is full):
     * offer a batch, then {@link #flush()} once, and many frames leave in one system call. For throughput;
     * {@link #send(Object)} is for latency.
     *
     * @param message to send; encoded during the call.
     * @return {@link Status#OK} when taken, {@link Status#BACK_PRESSURED} (nothing taken: flush and retry),
     * {@link Status#CLOSED}.
     */
    public Status offer(final T message)
    {
        return half.offer(message);
    }

    /**
     * Sends, spinning until the frame is taken and written, or the timeout.
     *
     * @param message to send.
     * @param timeout longest spin.
     * @param unit    of the timeout.
     * @return {@link Status#OK} once taken (never retry after OK; if bytes remain unwritten at the deadline
     * {@link #hasPendingSend()} is true and they go out on later calls), {@link Status#TIMED_OUT} if it
     * could not be taken in time (nothing sent: safe to retry), {@link Status#CLOSED}.
     */
    public Status send(final T message, final long timeout, final TimeUnit unit)
    {
        return half.sendUntil(message, half.deadlineAfter(timeout, unit));
    }

    /**
     * Sends, spinning until taken and written, or the deadline.
     *
     * @param message  to send.
     * @param deadline shared with other operations.
     * @return as {@link #send(Object, long, TimeUnit)}.
     */
    public Status send(final T message, final Deadline deadline)
    {
        return half.sendUntil(message, deadline.deadlineNanos());
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

    /**
     * Writes pending bytes, spinning until none are left or the timeout.
     *
     * @param timeout longest spin.
     * @param unit    of the timeout.
     * @return {@link Status#OK}, {@link Status#TIMED_OUT} or {@link Status#CLOSED}.
     */
    public Status flush(final long timeout, final TimeUnit unit)
    {
        return half.flushUntil(half.deadlineAfter(timeout, unit));
    }

    /**
     * @return true while bytes of taken frames wait to be written.
     */
    public boolean hasPendingSend()
    {
        return half.hasPendingSend();
    }

    /**
     * @return true once the connection is closed.
     */
    public boolean isClosed()
    {
        return connection.isClosed();
    }

    /**
     * @return the connection's identity.
     */
    public ConId id()
    {
        return connection.id();
    }

    /**
     * Closes the connection gracefully: frames already taken are written first, up to the linger timeout.
     */
    @Override
    public void close()
    {
        half.closeGracefully();
    }
}
