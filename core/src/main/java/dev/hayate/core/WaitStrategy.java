package dev.hayate.core;

import java.io.IOException;

import dev.hayate.core.transport.Transport;
import org.agrona.concurrent.NanoClock;

/**
 * How a thread waits for a connection to become readable or writable: the one difference between the
 * nonblocking face (spin: never parked) and the blocking face (wait in the kernel).
 *
 * <p>Thread-safety: implementations are stateless.
 */
public interface WaitStrategy
{
    /** Deadline value meaning "no deadline". */
    long FOREVER = Long.MAX_VALUE;

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
    boolean await(Transport transport, boolean forWrite, NanoClock clock, long deadlineNanos, long maxWaitNanos);

    /**
     * Busy-spins: checks the deadline and returns at once, with a spin-wait hint. The thread is never parked.
     */
    WaitStrategy SPIN = (transport, forWrite, clock, deadlineNanos, maxWaitNanos) ->
    {
        if (deadlineNanos != FOREVER && deadlineNanos - clock.nanoTime() <= 0)
        {
            return false;
        }
        Thread.onSpinWait();
        return true;
    };

    /**
     * Waits in the kernel ({@code epoll_wait} for TCP) until the transport is ready, the deadline, or an
     * interrupt, which ends the wait as a timeout with the thread's interrupt status kept.
     */
    WaitStrategy KERNEL = (transport, forWrite, clock, deadlineNanos, maxWaitNanos) ->
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
    };
}
