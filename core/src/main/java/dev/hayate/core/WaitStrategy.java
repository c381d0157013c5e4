package dev.hayate.core;

import java.io.IOException;

import dev.hayate.core.transport.Transport;
import org.agrona.concurrent.NanoClock;

/**
 * How a thread waits for a connection to become readable or writable: the one difference between the
 * nonblocking face (spin: never parked) and the blocking face (wait in the kernel).
 *
 * <p>Thread-safety: stateless.
 */
public enum WaitStrategy
{
    /**
     * Busy-spins: checks the deadline and returns at once, with a spin-wait hint. The thread is never parked.
     */
    SPIN
    {
        @Override
        public boolean await(final Transport transport, final boolean forWrite, final NanoClock clock,
            final long deadlineNanos, final long maxWaitNanos)
        {
            if (hasPassed(clock, deadlineNanos))
            {
                return false;
            }
            Thread.onSpinWait();
            return true;
        }

        @Override
        public <T> Connection<T> awaitConnected(final Reconnector<T> reconnector, final NanoClock clock,
            final long deadlineNanos)
        {
            Connection<T> connection;
            while ((connection = reconnector.current()) == null && !reconnector.isFinished() &&
                !hasPassed(clock, deadlineNanos))
            {
                Thread.onSpinWait();
            }
            return connection;
        }
    },

    /**
     * Waits in the kernel ({@code epoll_wait} for TCP) until the transport is ready, the deadline, or an
     * interrupt, which ends the wait as a timeout with the thread's interrupt status kept.
     */
    KERNEL
    {
        @Override
        public boolean await(final Transport transport, final boolean forWrite, final NanoClock clock,
            final long deadlineNanos, final long maxWaitNanos)
        {
            long wait = maxWaitNanos;
            if (deadlineNanos != FOREVER)
            {
                final long left = deadlineNanos - clock.nanoTime();
                if (left <= 0)
                {
                    return false;
                }
                wait = Math.min(wait, left);
            }
            try
            {
                if (forWrite)
                {
                    transport.awaitWritable(wait);
                }
                else
                {
                    transport.awaitReadable(wait);
                }
            }
            catch (final IOException closed)
            {
                // The caller's next attempt sees the close and reports it as a status.
            }
            return !Thread.currentThread().isInterrupted();
        }

        @Override
        public <T> Connection<T> awaitConnected(final Reconnector<T> reconnector, final NanoClock clock,
            final long deadlineNanos)
        {
            final long wait = deadlineNanos == FOREVER ? Long.MAX_VALUE : deadlineNanos - clock.nanoTime();
            return wait <= 0 ? reconnector.current() : reconnector.awaitConnected(wait);
        }
    };

    /** Deadline value meaning "no deadline". */
    public static final long FOREVER = Long.MAX_VALUE;

    /**
     * Waits until the transport may have become ready or the deadline passes.
     *
     * @param transport     to wait on.
     * @param forWrite      true to wait for writability, false for readability.
     * @param clock         the endpoint's clock.
     * @param deadlineNanos on {@code clock}, or {@link #FOREVER}.
     * @param maxWaitNanos  cap on this one wait, so a caller can interleave other work.
     * @return false if the deadline has passed (or the thread was interrupted): stop trying.
     */
    public abstract boolean await(Transport transport, boolean forWrite, NanoClock clock, long deadlineNanos,
        long maxWaitNanos);

    /**
     * Waits for a reconnecting client to have a live connection.
     *
     * @param reconnector   of the client.
     * @param clock         the endpoint's clock.
     * @param deadlineNanos on {@code clock}, or {@link #FOREVER}.
     * @param <T>           the message type.
     * @return the live connection, or {@code null} at the deadline or once the reconnector gave up.
     */
    public abstract <T> Connection<T> awaitConnected(Reconnector<T> reconnector, NanoClock clock, long deadlineNanos);

    static boolean hasPassed(final NanoClock clock, final long deadlineNanos)
    {
        return deadlineNanos != FOREVER && deadlineNanos - clock.nanoTime() <= 0;
    }
}
