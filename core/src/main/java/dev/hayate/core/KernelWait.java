package dev.hayate.core;

import java.io.IOException;

import org.agrona.concurrent.NanoClock;

/**
 * Waits in the kernel ({@code epoll_wait} for TCP) on the caller's {@link Readiness} until it may be ready,
 * the deadline, or an interrupt, which ends the wait as a timeout with the thread's interrupt status kept.
 * An idle connection costs no CPU; a wake-up costs a system call and a scheduler hop.
 *
 * <p>Thread-safety: stateless; {@link #INSTANCE} may be shared.
 */
public final class KernelWait implements WaitStrategy
{
    /** The one instance. */
    public static final KernelWait INSTANCE = new KernelWait();

    private KernelWait()
    {
    }

    @Override
    public boolean await(final Readiness readiness, final boolean forWrite, final NanoClock clock,
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
            readiness.awaitReady(forWrite, Math.max(1, wait));
        }
        catch (final IOException closed)
        {
            // The caller's next attempt sees the close and reports it as a status.
        }
        return !Thread.currentThread().isInterrupted();
    }

    @Override
    public String toString()
    {
        return "kernel";
    }
}
