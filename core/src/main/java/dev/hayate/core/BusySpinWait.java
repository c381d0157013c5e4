package dev.hayate.core;

import org.agrona.concurrent.NanoClock;

/**
 * Busy-spins: checks the deadline and returns at once with a spin-wait hint. The thread is never parked, so
 * the next attempt comes within nanoseconds of the data; it costs a whole core while waiting.
 *
 * <p>Thread-safety: stateless; {@link #INSTANCE} may be shared.
 */
public final class BusySpinWait implements WaitStrategy
{
    /** The one instance. */
    public static final BusySpinWait INSTANCE = new BusySpinWait();

    private BusySpinWait()
    {
    }

    @Override
    public boolean await(final Readiness readiness, final boolean forWrite, final NanoClock clock,
        final long deadlineNanos, final long maxWaitNanos)
    {
        if (WaitStrategy.hasPassed(clock, deadlineNanos))
        {
            return false;
        }
        Thread.onSpinWait();
        return true;
    }

    @Override
    public String toString()
    {
        return "spin";
    }
}
