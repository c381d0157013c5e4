package dev.hayate.core;

import java.util.Objects;
import java.util.function.Supplier;

import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.NanoClock;

/**
 * The user's own policy: any agrona {@link IdleStrategy} ({@code SleepingMillisIdleStrategy},
 * {@code ControllableIdleStrategy}, one of your own), called with {@code idle()} between attempts and
 * {@code reset()} at the start of each wait. The deadline is checked here, before each idle step.
 *
 * <p>Thread-safety: as the wrapped strategy; agrona's stateful strategies serve one thread, so give this
 * policy a factory when the halves of a split connection use it.
 */
public final class IdleStrategyWait implements WaitStrategy
{
    private final IdleStrategy idle;
    private final Supplier<? extends IdleStrategy> factory;

    /**
     * One strategy for every thread that uses this policy ({@link #copy()} returns this): for a stateless
     * or thread-safe {@link IdleStrategy}.
     *
     * @param idle called between attempts.
     */
    public IdleStrategyWait(final IdleStrategy idle)
    {
        this.idle = Objects.requireNonNull(idle, "idle");
        this.factory = null;
    }

    /**
     * A strategy of its own for each thread: this policy uses one from {@code factory}, and each
     * {@link #copy()} another.
     *
     * @param factory makes the idle strategy of one thread.
     */
    public IdleStrategyWait(final Supplier<? extends IdleStrategy> factory)
    {
        this.idle = Objects.requireNonNull(factory.get(), "idle");
        this.factory = factory;
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
    public WaitStrategy copy()
    {
        return factory == null ? this : new IdleStrategyWait(factory);
    }

    @Override
    public String toString()
    {
        return "idle(" + idle.alias() + ")";
    }
}
