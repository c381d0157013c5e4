package dev.hayate.core.internal;

import java.util.concurrent.TimeUnit;

import dev.hayate.core.CloseReason;
import dev.hayate.core.ConId;
import dev.hayate.core.Connection;
import dev.hayate.core.Context;
import dev.hayate.core.Deadline;
import dev.hayate.core.MessageHandler;
import dev.hayate.core.MessageReceiver;
import dev.hayate.core.WaitStrategy;

/**
 * The one implementation of the receiving half of a split client connection, for the faces that wait on the
 * caller's thread; the faces add their untimed {@code recv()}. As one of two halves it never touches the
 * send side.
 *
 * <p>Thread-safety: one receiving thread, beside one thread using the matching {@link WaitingSender}.
 * {@link #close()} closes the whole connection at once (it cannot write the sender's pending bytes); a
 * thread waiting in a receive returns {@code null}.
 *
 * @param <T> the message type.
 */
public abstract class WaitingRecver<T> implements MessageReceiver<T>, AutoCloseable
{
    /** The engine. */
    protected final Connection<T> connection;
    /** Its receive side, waiting with the face's strategy. */
    protected final RecvHalf<T> half;

    /**
     * @param connection the engine.
     * @param context    concluded configuration.
     * @param wait       how to wait; a stateful policy serves this half only.
     */
    protected WaitingRecver(final Connection<T> connection, final Context context, final WaitStrategy wait)
    {
        this.connection = connection;
        this.half = new RecvHalf<>(connection, context, wait, false);
    }

    @Override
    public final T recv(final long timeout, final TimeUnit unit)
    {
        return half.recvUntil(half.deadlineAfter(timeout, unit));
    }

    @Override
    public final T recv(final Deadline deadline)
    {
        return half.recvUntil(deadline.deadlineNanos());
    }

    @Override
    public final int poll(final MessageHandler<? super T> handler, final int limit)
    {
        return half.poll(handler, limit);
    }

    @Override
    public final boolean isClosed()
    {
        return connection.isClosed();
    }

    @Override
    public final CloseReason closeReason()
    {
        return connection.closeReason();
    }

    @Override
    public final String closeDetail()
    {
        return connection.closeDetail();
    }

    @Override
    public final ConId id()
    {
        return connection.id();
    }

    /**
     * Closes the connection at once.
     */
    @Override
    public final void close()
    {
        connection.close();
    }
}
