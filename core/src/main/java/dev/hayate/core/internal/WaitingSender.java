package dev.hayate.core.internal;

import java.util.concurrent.TimeUnit;

import dev.hayate.core.ConId;
import dev.hayate.core.Connection;
import dev.hayate.core.Context;
import dev.hayate.core.Deadline;
import dev.hayate.core.MessageSender;
import dev.hayate.core.Status;
import dev.hayate.core.WaitStrategy;

/**
 * The one implementation of the sending half of a split client connection, for the faces that wait on the
 * caller's thread; the faces add their untimed {@code send(msg)}.
 *
 * <p>Thread-safety: one sending thread, beside one thread using the matching {@link WaitingRecver}.
 * {@link #close()} closes the whole connection.
 *
 * @param <T> the message type.
 */
public abstract class WaitingSender<T> implements MessageSender<T>, AutoCloseable
{
    /** The engine. */
    protected final Connection<T> connection;
    /** Its send side, waiting with the face's strategy. */
    protected final SendHalf<T> half;

    /**
     * @param connection the engine.
     * @param context    concluded configuration.
     * @param wait       how to wait; a stateful policy serves this half only.
     */
    protected WaitingSender(final Connection<T> connection, final Context context, final WaitStrategy wait)
    {
        this.connection = connection;
        this.half = new SendHalf<>(connection, context, wait);
    }

    @Override
    public final Status send(final T message, final long timeout, final TimeUnit unit)
    {
        return half.sendUntil(message, half.deadlineAfter(timeout, unit));
    }

    @Override
    public final Status send(final T message, final Deadline deadline)
    {
        return half.sendUntil(message, deadline.deadlineNanos());
    }

    @Override
    public final Status flush(final long timeout, final TimeUnit unit)
    {
        return half.flushUntil(half.deadlineAfter(timeout, unit));
    }

    @Override
    public final boolean hasPendingSend()
    {
        return half.hasPendingSend();
    }

    @Override
    public final boolean isClosed()
    {
        return connection.isClosed();
    }

    /**
     * @return the connection's identity.
     */
    public final ConId id()
    {
        return connection.id();
    }

    /**
     * Closes the connection gracefully: frames already taken are written first, up to the linger timeout.
     */
    @Override
    public final void close()
    {
        half.closeGracefully();
    }
}
