package dev.hayate.core;

import java.util.Objects;

import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.NanoClock;

/**
 * The user's own policy: any agrona {@link IdleStrategy} ({@code SleepingMillisIdleStrategy},
 * {@code ControllableIdleStrategy}, one of your own), called with {@code idle()} between attempts and
 * {@code reset()} at the start of each wait. The deadline is checked here, before each idle step.
 *
 * <p>Thread-safety: as the wrapped strategy; agrona's stateful strategies serve one thread.
 */
public final class IdleStrategyWait implements WaitStrategy
{
    private final IdleStrategy idle;

    /**
     * @param idle called between attempts.
     */
    public IdleStrategyWait(final IdleStrategy idle)
    {
        this.idle = Objects.requireNonNull(idle, "idle");
    }

    @Override
    public boolean await(final Readiness readiness, final boolean forWrite, final NanoClock clock,
        final long deadlineNanos, final long maxWaitNanos)
    {
        if (WaitStrategy.hasPassed(clock, deadlineNanos))
        {
            return false;
        }
        idle.idle();
        return !Thread.currentThread().isInterrupted();
    }

    @Override
    public void reset()
    {
        idle.reset();
    }

    @Override
    public String toString()
    {
        return "idle(" + idle.alias() + ")";
    }
}
