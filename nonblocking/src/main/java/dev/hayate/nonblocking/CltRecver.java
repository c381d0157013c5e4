package dev.hayate.nonblocking;

import java.util.concurrent.TimeUnit;

import dev.hayate.core.CloseReason;
import dev.hayate.core.ConId;
import dev.hayate.core.Connection;
import dev.hayate.core.Context;
import dev.hayate.core.Deadline;
import dev.hayate.core.RecvHalf;
import dev.hayate.core.WaitStrategy;

/**
 * The receiving half of a nonblocking {@link Clt}, after {@link Clt#split()}: busy-spins, never parks.
 * A {@code null} receive means "nothing yet" while {@link #isClosed()} is false and "closed" once true.
 *
 * <p>Thread-safety: one receiving thread, beside one thread using the matching {@link CltSender}.
 * {@link #close()} closes the whole connection at once (it cannot write the sender's pending bytes).
 *
 * @param <T> the message type.
 */
public final class CltRecver<T> implements AutoCloseable
{
    private final Connection<T> connection;
    private final RecvHalf<T> half;

    CltRecver(final Connection<T> connection, final Context context, final boolean ownsSendSide)
    {
        this.connection = connection;
        this.half = new RecvHalf<>(connection, context, WaitStrategy.SPIN, ownsSendSide);
    }

    /**
     * One attempt to receive.
     *
     * @return the message, or {@code null}: nothing yet, or closed if {@link #isClosed()}. For a flyweight
     * codec the message is valid until the next receive.
     */
    public T recv()
    {
        return half.tryRecv();
    }

    /**
     * Receives, spinning until a message, the timeout, or close.
     *
     * @param timeout longest spin.
     * @param unit    of the timeout.
     * @return the message, or {@code null} on timeout or close ({@link #isClosed()} tells which).
     */
    public T recv(final long timeout, final TimeUnit unit)
    {
        return half.recvUntil(half.deadlineAfter(timeout, unit));
    }

    /**
     * Receives, spinning until a message, the deadline, or close.
     *
     * @param deadline shared with other operations.
     * @return the message, or {@code null} on expiry or close.
     */
    public T recv(final Deadline deadline)
    {
        return half.recvUntil(deadline.deadlineNanos());
    }

    /**
     * @return true once closed, for any reason.
     */
    public boolean isClosed()
    {
        return connection.isClosed();
    }

    /**
     * @return why the connection closed, {@link CloseReason#NONE} while open.
     */
    public CloseReason closeReason()
    {
        return connection.closeReason();
    }

    /**
     * @return a readable explanation of the close, or {@code null} while open.
     */
    public String closeDetail()
    {
        return connection.closeDetail();
    }

    /**
     * @return the connection's identity.
     */
    public ConId id()
    {
        return connection.id();
    }

    /**
     * Closes the connection at once.
     */
    @Override
    public void close()
    {
        connection.close();
    }
}
