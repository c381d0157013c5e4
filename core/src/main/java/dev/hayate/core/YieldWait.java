package dev.hayate.core;

import org.agrona.concurrent.NanoClock;

/**
 * Yields the processor between attempts: near spin latency when the machine is idle, and room for other
 * threads when it is not.
 *
 * <p>Thread-safety: stateless; {@link #INSTANCE} may be shared.
 */
public final class YieldWait implements WaitStrategy
{
    /** The one instance. */
    public static final YieldWait INSTANCE = new YieldWait();

    private YieldWait()
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
        Thread.yield();
        return !Thread.currentThread().isInterrupted();
    }

    @Override
    public String toString()
    {
        return "yield";
    }
}
