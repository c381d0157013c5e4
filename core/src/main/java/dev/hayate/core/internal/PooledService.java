package dev.hayate.core.internal;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import dev.hayate.core.Acceptor;
import dev.hayate.core.ConId;
import dev.hayate.core.Connection;
import dev.hayate.core.ConnectionPool;
import dev.hayate.core.Context;
import dev.hayate.core.Readiness;
import dev.hayate.core.Status;
import dev.hayate.core.WaitStrategy;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.SystemNanoClock;

/**
 * The one implementation of a service for the faces that wait on the caller's thread: accepting (one attempt,
 * or waiting with the face's {@link WaitStrategy}), and its accepted connections in a round-robin
 * {@link ConnectionPool}: {@link #send} goes to the next connection in turn, {@link #recv} comes from
 * whichever has a message. The faces add what their {@code accept} returns.
 *
 * <p>Thread-safety: accepting from one thread at a time; pooled sends and receives from one thread (the
 * pool's owner); the accessors and {@link #close()} from any.
 *
 * @param <T> the message type.
 */
public abstract class PooledService<T> extends ServiceEndpoint<T>
{
    private static final long ACCEPT_WAKE_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final long HANDSHAKE_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(2);
    // Accept timeouts run on the wall clock, as they always have: virtual time in tests moves only when the
    // test moves it, and a test waiting for a connection must still time out.
    private static final NanoClock ACCEPT_CLOCK = SystemNanoClock.INSTANCE;

    /** Accepted connections that take part in pooled sends and receives. */
    protected final ConnectionPool<T> pool;
    private final WaitStrategy wait;
    private final Readiness acceptable;
    private volatile Consumer<ConId> onDisconnected = id -> { };
    private volatile boolean closed;

    /**
     * @param acceptor bound.
     * @param context  concluded configuration.
     * @param wait     how accepts and pooled calls wait; a stateful policy serves this service only.
     */
    protected PooledService(final Acceptor<T> acceptor, final Context context, final WaitStrategy wait)
    {
        super(acceptor, context);
        this.wait = wait;
        this.pool = new ConnectionPool<>(this::memberLeft, context, wait);
        this.acceptable = (forWrite, timeoutNanos) ->
            // While handshakes run on their threads, look for their results often.
            acceptor.awaitAcceptable(acceptor.hasAdmissionsInProgress() ?
                Math.min(timeoutNanos, HANDSHAKE_POLL_NANOS) : timeoutNanos);
    }

    /**
     * One attempt to accept; an admitted connection joins the pool.
     *
     * @return the connection, or {@code null} if none was pending, it was refused, or the service is closed.
     * @throws IOException if the listener failed.
     */
    protected final Connection<T> tryAcceptConnection() throws IOException
    {
        return tryAcceptConnection(true);
    }

    private Connection<T> tryAcceptConnection(final boolean pooled) throws IOException
    {
        final Connection<T> connection;
        try
        {
            connection = acceptor.tryAccept();
        }
        catch (final IOException ex)
        {
            if (closed)
            {
                return null;
            }
            throw ex;
        }
        if (connection != null && pooled)
        {
            pool.add(connection);
        }
        return connection;
    }

    /**
     * Accepts, waiting with the service's strategy until a connection is admitted through the gate (refused
     * ones are counted and skipped), the deadline, close, or an interrupt.
     *
     * @param deadlineNanos on the wall clock ({@code System.nanoTime}), or {@link WaitStrategy#FOREVER}.
     * @param pooled        true to have the connection join the pool; false when a thread of its own
     *                      serves it.
     * @return the connection, or {@code null} on expiry, close or interrupt.
     * @throws IOException if the listener failed.
     */
    protected final Connection<T> acceptUntil(final long deadlineNanos, final boolean pooled) throws IOException
    {
        wait.reset();
        while (!closed && !Thread.currentThread().isInterrupted())
        {
            final Connection<T> connection = tryAcceptConnection(pooled);
            if (connection != null)
            {
                return connection;
            }
            if (!wait.await(acceptable, false, ACCEPT_CLOCK, deadlineNanos, ACCEPT_WAKE_NANOS))
            {
                return null;
            }
        }
        return null;
    }

    /**
     * @param timeout from now.
     * @param unit    of the timeout.
     * @return the accept deadline, on the wall clock.
     */
    protected static long acceptDeadlineAfter(final long timeout, final TimeUnit unit)
    {
        return ACCEPT_CLOCK.nanoTime() + unit.toNanos(timeout);
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
        return pool.sendUntil(message, pool.deadlineAfter(timeout, unit));
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
        return pool.recvUntil(pool.deadlineAfter(timeout, unit));
    }

    /**
     * @return the connection that delivered the last pooled receive, or {@code null}.
     */
    public ConId lastRecvFrom()
    {
        return pool.lastReceivedFromId();
    }

    /**
     * @param listener told once about each pooled connection that closed and left the pool, on the thread
     *                 that noticed (the one sending or receiving through the pool).
     */
    public void onDisconnected(final Consumer<ConId> listener)
    {
        onDisconnected = listener;
    }

    /**
     * Stops listening, closes every connection, and ends waiting accepts with {@code null}.
     */
    @Override
    public void close()
    {
        closed = true;
        super.close();
        pool.wakeup();
    }

    private void memberLeft(final Connection<T> member)
    {
        onDisconnected.accept(member.id());
    }
}
