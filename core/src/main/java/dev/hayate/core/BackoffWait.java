package dev.hayate.core;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.agrona.concurrent.NanoClock;

/**
 * Spins, then yields, then parks for periods that double from a minimum to a maximum: fast answers to a
 * busy peer, little CPU for a quiet one. The same phases as agrona's {@code BackoffIdleStrategy}; a park
 * is never longer than the caller's cap or the time left to its deadline.
 *
 * <p>Thread-safety: holds the phase of the current wait: one thread per instance.
 */
public final class BackoffWait implements WaitStrategy
{
    /** Default spins before yielding. */
    public static final int DEFAULT_MAX_SPINS = 100;
    /** Default yields before parking. */
    public static final int DEFAULT_MAX_YIELDS = 10;
    /** Default first park. */
    public static final long DEFAULT_MIN_PARK_NANOS = TimeUnit.MICROSECONDS.toNanos(1);
    /** Default longest park. */
    public static final long DEFAULT_MAX_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private final int maxSpins;
    private final int maxYields;
    private final long minParkNanos;
    private final long maxParkNanos;
    private int spins;
    private int yields;
    private long parkNanos;

    /**
     * With the defaults: 100 spins, 10 yields, parks from 1 µs to 1 ms.
     */
    public BackoffWait()
    {
        this(DEFAULT_MAX_SPINS, DEFAULT_MAX_YIELDS, DEFAULT_MIN_PARK_NANOS, DEFAULT_MAX_PARK_NANOS);
    }

    /**
     * @param maxSpins     spins before yielding, at least 0.
     * @param maxYields    yields before parking, at least 0.
     * @param minParkNanos first park, at least 1.
     * @param maxParkNanos longest park, at least {@code minParkNanos}.
     * @throws IllegalArgumentException if a value is out of range.
     */
    public BackoffWait(final int maxSpins, final int maxYields, final long minParkNanos, final long maxParkNanos)
    {
        if (maxSpins < 0 || maxYields < 0 || minParkNanos < 1 || maxParkNanos < minParkNanos)
        {
            throw new IllegalArgumentException("backoff: spins " + maxSpins + ", yields " + maxYields +
                ", park " + minParkNanos + ".." + maxParkNanos + " ns");
        }
        this.maxSpins = maxSpins;
        this.maxYields = maxYields;
        this.minParkNanos = minParkNanos;
        this.maxParkNanos = maxParkNanos;
        reset();
    }

    @Override
    public boolean await(final Readiness readiness, final boolean forWrite, final NanoClock clock,
        final long deadlineNanos, final long maxWaitNanos)
    {
        if (WaitStrategy.hasPassed(clock, deadlineNanos))
        {
            return false;
        }
        if (spins < maxSpins)
        {
            spins++;
            Thread.onSpinWait();
        }
        else if (yields < maxYields)
        {
            yields++;
            Thread.yield();
        }
        else
        {
            long park = Math.min(parkNanos, maxWaitNanos);
            if (deadlineNanos != FOREVER)
            {
                park = Math.min(park, deadlineNanos - clock.nanoTime());
            }
            LockSupport.parkNanos(Math.max(1, park));
            parkNanos = Math.min(parkNanos << 1, maxParkNanos);
        }
        return !Thread.currentThread().isInterrupted();
    }

    @Override
    public void reset()
    {
        spins = 0;
        yields = 0;
        parkNanos = minParkNanos;
    }

    @Override
    public WaitStrategy copy()
    {
        return new BackoffWait(maxSpins, maxYields, minParkNanos, maxParkNanos);
    }

    @Override
    public String toString()
    {
        return "backoff(" + maxSpins + " spins, " + maxYields + " yields, park " + minParkNanos + ".." +
            maxParkNanos + " ns)";
    }
}
