package dev.hayate.core.internal;

import java.util.concurrent.TimeUnit;

import dev.hayate.core.Connection;
import dev.hayate.core.Context;
import dev.hayate.core.Readiness;
import dev.hayate.core.Status;
import dev.hayate.core.WaitStrategy;
import org.agrona.concurrent.NanoClock;

/**
 * The sending side of a connection for faces that wait on the caller's thread (nonblocking, blocking):
 * one-attempt sends, sends bounded by a deadline, flushing, and a graceful close. How it waits is the
 * face's {@link WaitStrategy}.
 *
 * <p>Thread-safety: one sending thread; may run beside one thread using the matching {@link RecvHalf}.
 *
 * @param <T> the message type.
 */
public final class SendHalf<T>
{
    private static final long MAX_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final Connection<T> connection;
    private final NanoClock clock;
    private final WaitStrategy wait;
    private final Readiness writable;
    private final long lingerNanos;

    /**
     * @param connection the engine.
     * @param context    concluded configuration: clock and linger timeout.
     * @param wait       how to wait; a stateful policy serves this half only.
     */
    public SendHalf(final Connection<T> connection, final Context context, final WaitStrategy wait)
    {
        this.connection = connection;
        this.clock = context.nanoClock();
        this.wait = wait;
        this.writable = Readiness.of(connection.transport());
        this.lingerNanos = context.lingerTimeoutNanos();
    }

    /**
     * One attempt; see {@link Connection#trySend}.
     *
     * @param message to send.
     * @return {@link Status#OK}, {@link Status#BACK_PRESSURED} (nothing taken) or {@link Status#CLOSED}.
     */
    public Status trySend(final T message)
    {
        return connection.trySend(message);
    }

    /**
     * One attempt to take a message without writing it; see {@link Connection#offer}.
     *
     * @param message to send.
     * @return {@link Status#OK}, {@link Status#BACK_PRESSURED} (nothing taken) or {@link Status#CLOSED}.
     */
    public Status offer(final T message)
    {
        return connection.offer(message);
    }

    /**
     * One attempt to take a batch without writing it; see {@link Connection#offer(java.util.function.Supplier, int)}.
     *
     * @param source next message, or {@code null} to end the batch.
     * @param limit  most messages taken.
     * @return messages taken.
     */
    public int offer(final java.util.function.Supplier<? extends T> source, final int limit)
    {
        return connection.offer(source, limit);
    }

    /**
     * Sends, waiting until the frame is taken and written, or the deadline.
     *
     * @param message       to send.
     * @param deadlineNanos on the context's clock, or {@link WaitStrategy#FOREVER}.
     * @return {@link Status#OK} once the frame is taken — written, or partly unwritten at the deadline (the
     * rest goes out with later calls), or lost with a connection that died while writing it (the next call
     * says {@link Status#CLOSED}): never send it again after OK; {@link Status#TIMED_OUT} if it could not be
     * taken in time (nothing sent, safe to retry); {@link Status#CLOSED} (nothing taken).
     */
    public Status sendUntil(final T message, final long deadlineNanos)
    {
        Status status = connection.trySend(message);
        if (status == Status.BACK_PRESSURED)
        {
            wait.reset();
            do
            {
                if (!wait.await(writable, true, clock, deadlineNanos, MAX_WAIT_NANOS))
                {
                    return Status.TIMED_OUT;
                }
            }
            while ((status = connection.trySend(message)) == Status.BACK_PRESSURED);
        }
        if (status == Status.OK)
        {
            // Taken is taken: even if the connection dies while writing it, OK tells the caller not to send it
            // again (a session protocol has numbered it); the next call reports the close.
            flushUntil(deadlineNanos);
        }
        return status;
    }

    /**
     * One attempt to write bytes of taken frames.
     *
     * @return {@link Status#OK} when none are left, {@link Status#BACK_PRESSURED}, {@link Status#CLOSED}.
     */
    public Status flush()
    {
        return connection.flush();
    }

    /**
     * Writes bytes of taken frames until none are left or the deadline.
     *
     * @param deadlineNanos on the context's clock, or {@link WaitStrategy#FOREVER}.
     * @return {@link Status#OK}, {@link Status#TIMED_OUT} or {@link Status#CLOSED}.
     */
    public Status flushUntil(final long deadlineNanos)
    {
        Status status = connection.flush();
        if (status == Status.BACK_PRESSURED)
        {
            wait.reset();
            do
            {
                if (!wait.await(writable, true, clock, deadlineNanos, MAX_WAIT_NANOS))
                {
                    return Status.TIMED_OUT;
                }
            }
            while ((status = connection.flush()) == Status.BACK_PRESSURED);
        }
        return status;
    }

    /**
     * @return true while bytes of taken frames wait to be written.
     */
    public boolean hasPendingSend()
    {
        return connection.hasPendingSend();
    }

    /**
     * Closes gracefully: sends the protocol's last message ({@link Protocol#onDisconnect()}) and writes
     * frames already taken, for up to the linger timeout, then closes.
     */
    public void closeGracefully()
    {
        if (!connection.isClosed())
        {
            connection.markClosing();
            final long deadline = clock.nanoTime() + lingerNanos;
            try
            {
                final T last = connection.takeLastMessage();
                if (last != null)
                {
                    sendUntil(last, deadline);
                }
                if (connection.hasPendingSend())
                {
                    flushUntil(deadline);
                }
            }
            catch (final IllegalStateException sendHalfBusy)
            {
                // Another thread is inside a send on this half (a close from a second thread, to cancel it): it
                // owns the send buffer, so there is nothing to linger for here. Close now; that thread's next
                // step answers CLOSED.
            }
        }
        connection.close();
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
