package dev.hayate.core;

import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A service of a face that waits on the caller's thread, with its accepted connections in a round-robin
 * {@link ConnectionPool}: {@link #send} goes to the next connection in turn, {@link #recv} comes from
 * whichever has a message.
 *
 * <p>Thread-safety: pooled sends and receives from one thread (the pool's owner); the accessors from any.
 *
 * @param <T> the message type.
 */
public abstract class PooledService<T> extends ServiceEndpoint<T>
{
    /** Accepted connections that take part in pooled sends and receives. */
    protected final ConnectionPool<T> pool = new ConnectionPool<>(this::memberLeft);
    private final WaitStrategy wait;
    private volatile Consumer<ConId> onDisconnected = id -> { };

    /**
     * @param acceptor bound.
     * @param context  concluded configuration.
     * @param wait     how pooled calls wait.
     */
    protected PooledService(final Acceptor<T> acceptor, final Context context, final WaitStrategy wait)
    {
        super(acceptor, context);
        this.wait = wait;
    }

    /**
     * Sends to the next pooled connection in turn that has room, waiting up to the timeout.
     *
     * @param message to send.
     * @param timeout longest wait for room.
     * @param unit    of the timeout.
     * @return {@link Status#OK}, {@link Status#TIMED_OUT} or {@link Status#NOT_CONNECTED} (none live).
     */
    public Status send(final T message, final long timeout, final TimeUnit unit)
    {
        return pool.sendUntil(message, context.nanoClock().nanoTime() + unit.toNanos(timeout), wait, context.nanoClock());
    }

    /**
     * Receives from whichever pooled connection has a message, waiting up to the timeout.
     *
     * @param timeout longest wait.
     * @param unit    of the timeout.
     * @return the message ({@link #lastRecvFrom()} says from whom), or {@code null} on timeout or when no
     * connection is live.
     */
    public T recv(final long timeout, final TimeUnit unit)
    {
        return pool.recvUntil(context.nanoClock().nanoTime() + unit.toNanos(timeout), wait, context.nanoClock());
    }

    /**
     * @return the connection that delivered the last pooled receive, or {@code null}.
     */
    public ConId lastRecvFrom()
    {
        final Connection<T> from = pool.lastReceivedFrom();
        return from == null ? null : from.id();
    }

    /**
     * @param listener told once about each pooled connection that closed and left the pool, on the thread
     *                 that noticed (the one sending or receiving through the pool).
     */
    public void onDisconnected(final Consumer<ConId> listener)
    {
        onDisconnected = listener;
    }

    private void memberLeft(final Connection<T> member)
    {
        onDisconnected.accept(member.id());
    }
}
