package dev.hayate.core;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * When to try again after a client connection is lost: exponential back-off from an initial delay,
 * doubling up to a cap, with up to 20% random jitter so a fleet of clients does not reconnect in lockstep.
 *
 * <pre>{@code
 * ReconnectPolicy.backoff(50, 5_000, TimeUnit.MILLISECONDS)       // 50, 100, 200, ... 5000, 5000, ...
 *                .maxAttempts(100);                               // then give up (0: never)
 * }</pre>
 *
 * <p>Thread-safety: immutable.
 */
public final class ReconnectPolicy
{
    private final long initialDelayNanos;
    private final long maxDelayNanos;
    private final int maxAttempts;

    private ReconnectPolicy(final long initialDelayNanos, final long maxDelayNanos, final int maxAttempts)
    {
        if (initialDelayNanos < 0 || maxDelayNanos < initialDelayNanos)
        {
            throw new IllegalArgumentException("need 0 <= initial delay <= max delay: " + initialDelayNanos + ", " +
                maxDelayNanos);
        }
        if (maxAttempts < 0)
        {
            throw new IllegalArgumentException("maxAttempts must be >= 0 (0: never give up): " + maxAttempts);
        }
        this.initialDelayNanos = initialDelayNanos;
        this.maxDelayNanos = maxDelayNanos;
        this.maxAttempts = maxAttempts;
    }

    /**
     * @param initialDelay before the first attempt.
     * @param maxDelay     cap on the delay between attempts.
     * @param unit         of both.
     * @return a policy that never gives up.
     */
    public static ReconnectPolicy backoff(final long initialDelay, final long maxDelay, final TimeUnit unit)
    {
        return new ReconnectPolicy(unit.toNanos(initialDelay), unit.toNanos(maxDelay), 0);
    }

    /**
     * @param attempts consecutive failed attempts before giving up; 0 for never.
     * @return a policy like this one with the limit.
     */
    public ReconnectPolicy maxAttempts(final int attempts)
    {
        return new ReconnectPolicy(initialDelayNanos, maxDelayNanos, attempts);
    }

    /**
     * @param attempt how many attempts failed so far (0 before the first).
     * @return the pause before the next attempt, in nanoseconds.
     */
    public long delayNanos(final int attempt)
    {
        long capped = initialDelayNanos;
        for (int i = 0; i < attempt && capped < maxDelayNanos; i++)
        {
            capped = Math.min(maxDelayNanos, Math.max(1, capped * 2));
        }
        final long jitter = capped / 5 == 0 ? 0 : ThreadLocalRandom.current().nextLong(capped / 5 + 1);
        return Math.min(maxDelayNanos, capped - capped / 10 + jitter);
    }

    /**
     * @param failedAttempts consecutive failures.
     * @return true to stop trying.
     */
    public boolean givesUpAfter(final int failedAttempts)
    {
        return maxAttempts > 0 && failedAttempts >= maxAttempts;
    }

    @Override
    public String toString()
    {
        return "ReconnectPolicy(" + TimeUnit.NANOSECONDS.toMillis(initialDelayNanos) + ".." +
            TimeUnit.NANOSECONDS.toMillis(maxDelayNanos) + " ms" + (maxAttempts > 0 ? ", " + maxAttempts + " attempts" : "") + ')';
    }
}
