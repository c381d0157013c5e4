package dev.hayate.core.internal;

import java.util.concurrent.TimeUnit;

import dev.hayate.core.CloseReason;
import dev.hayate.core.ConId;
import dev.hayate.core.Connection;
import dev.hayate.core.Context;
import dev.hayate.core.Deadline;
import dev.hayate.core.MessageHandler;
import dev.hayate.core.MessageReceiver;
import dev.hayate.core.MessageSender;
import dev.hayate.core.Status;
import dev.hayate.core.WaitStrategy;

/**
 * The one implementation of a client connection for the faces that wait on the caller's thread: everything
 * but how a face waits ({@link WaitStrategy}) and what its untimed {@code send(msg)} / {@code recv()} mean
 * (one attempt for the nonblocking face, "until done" for the blocking one), which the faces add.
 *
 * <p>Receives also push out send bytes still pending, so a request whose frame the socket took only in part
 * is completed while the caller waits for the reply.
 *
 * <p>Thread-safety: one thread at a time; {@code split()} the connection to send from one thread and receive
 * on another.
 *
 * @param <T> the message type.
 */
public abstract class WaitingClt<T> implements MessageSender<T>, MessageReceiver<T>, AutoCloseable
{
    /** The connection, fixed or kept alive by a reconnector. */
    protected final ClientLink<T> link;
    /** The client's configuration. */
    protected final Context context;

    /**
     * @param link the connection and how to wait on it.
     */
    protected WaitingClt(final ClientLink<T> link)
    {
        this.link = link;
        this.context = link.context();
    }

    @Override
    public final Status send(final T message, final long timeout, final TimeUnit unit)
    {
        return link.sendUntil(message, link.deadlineAfter(timeout, unit));
    }

    @Override
    public final Status send(final T message, final Deadline deadline)
    {
        return link.sendUntil(message, deadline.deadlineNanos());
    }

    @Override
    public final Status flush(final long timeout, final TimeUnit unit)
    {
        return link.flushUntil(link.deadlineAfter(timeout, unit));
    }

    @Override
    public final T recv(final long timeout, final TimeUnit unit)
    {
        return link.recvUntil(link.deadlineAfter(timeout, unit));
    }

    @Override
    public final T recv(final Deadline deadline)
    {
        return link.recvUntil(deadline.deadlineNanos());
    }

    @Override
    public final int poll(final MessageHandler<? super T> handler, final int limit)
    {
        return link.poll(handler, limit);
    }

    @Override
    public final boolean hasPendingSend()
    {
        return link.hasPendingSend();
    }

    /**
     * @return true once finally closed: closed locally, or lost with no reconnect to follow.
     */
    @Override
    public final boolean isClosed()
    {
        return link.isClosed();
    }

    /**
     * @return true while a live connection is in place (false while reconnecting).
     */
    public final boolean isConnected()
    {
        return link.isConnected();
    }

    @Override
    public final CloseReason closeReason()
    {
        return link.connection().closeReason();
    }

    @Override
    public final String closeDetail()
    {
        return link.connection().closeDetail();
    }

    @Override
    public final ConId id()
    {
        return link.connection().id();
    }

    /**
     * @return the engine underneath, for pools and poll handlers.
     */
    public final Connection<T> connection()
    {
        return link.connection();
    }

    /**
     * @return how this client waits.
     */
    public final WaitStrategy waitStrategy()
    {
        return link.waitStrategy();
    }

    /**
     * Closes gracefully: sends the protocol's last message and frames already taken, within the context's
     * linger timeout, then closes and stops reconnecting.
     */
    @Override
    public final void close()
    {
        link.close();
    }

    @Override
    public String toString()
    {
        return link.connection().toString();
    }
}
