package dev.hayate.core.internal;

import java.util.concurrent.TimeUnit;

import dev.hayate.core.Connection;
import dev.hayate.core.Context;
import dev.hayate.core.MessageHandler;
import dev.hayate.core.Readiness;
import dev.hayate.core.WaitStrategy;
import org.agrona.concurrent.NanoClock;

/**
 * The receiving side of a connection for faces that wait on the caller's thread (nonblocking, blocking).
 * A receive returns a message, or {@code null} with {@link Connection#isClosed()} telling a timeout from a
 * close.
 *
 * <p>When this half serves a whole, single-threaded connection it also pushes out send bytes still
 * pending (a request the socket took only in part must leave before its reply can come); as one of two
 * split halves it never touches the send side.
 *
 * <p>Thread-safety: one receiving thread; may run beside one thread using the matching {@link SendHalf}
 * when constructed with {@code flushPendingSends = false}.
 *
 * @param <T> the message type.
 */
public final class RecvHalf<T>
{
    // While bytes of a sent frame wait, a waiting receive wakes this often to push them out.
    private static final long PENDING_SEND_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final long MAX_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final Connection<T> connection;
    private final NanoClock clock;
    private final WaitStrategy wait;
    private final Readiness readable;
    private final boolean flushPendingSends;

    /**
     * @param connection        the engine.
     * @param context           concluded configuration: the clock.
     * @param wait              how to wait; a stateful policy serves this half only.
     * @param flushPendingSends true when the same thread owns the send side too.
     */
    public RecvHalf(final Connection<T> connection, final Context context, final WaitStrategy wait,
        final boolean flushPendingSends)
    {
        this.connection = connection;
        this.clock = context.nanoClock();
        this.wait = wait;
        this.readable = Readiness.of(connection.transport());
        this.flushPendingSends = flushPendingSends;
    }

    /**
     * One attempt to receive.
     *
     * @return the message, or {@code null}: nothing yet, or closed.
     */
    public T tryRecv()
    {
        if (flushPendingSends && connection.hasPendingSend())
        {
            connection.flush();
        }
        return connection.tryRecv();
    }

    /**
     * One attempt to receive a batch: the messages already received and those of at most one read.
     *
     * @param handler called once per message on this thread.
     * @param limit   most messages delivered.
     * @return messages delivered; 0 for none yet, or closed.
     */
    public int poll(final MessageHandler<? super T> handler, final int limit)
    {
        if (flushPendingSends && connection.hasPendingSend())
        {
            connection.flush();
        }
        return connection.poll(handler, limit);
    }

    /**
     * Receives, waiting until a message, the deadline, or close.
     *
     * @param deadlineNanos on the context's clock, or {@link WaitStrategy#FOREVER}.
     * @return the message, or {@code null} on expiry or close.
     */
    public T recvUntil(final long deadlineNanos)
    {
        boolean waited = false;
        while (true)
        {
            final T message = tryRecv();
            if (message != null || connection.isClosed())
            {
                return message;
            }
            if (!waited)
            {
                wait.reset();
                waited = true;
            }
            long maxWait = flushPendingSends && connection.hasPendingSend() ? PENDING_SEND_POLL_NANOS : MAX_WAIT_NANOS;
            if (connection.isTimed())
            {
                // Wake in time to send the next heartbeat or apply the liveness rule.
                maxWait = Math.max(1, Math.min(maxWait, connection.doWork(clock.nanoTime())));
            }
            if (!wait.await(readable, false, clock, deadlineNanos, maxWait))
            {
                return null;
            }
        }
    }

    /**
     * @param timeout from now.
     * @param unit    of the timeout.
     * @return the deadline on this half's clock.
     */
    public long deadlineAfter(final long timeout, final TimeUnit unit)
    {
        return clock.nanoTime() + unit.toNanos(timeout);
    }
}
