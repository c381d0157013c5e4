package dev.hayate.core;

import java.util.concurrent.TimeUnit;

import org.agrona.concurrent.NanoClock;

/**
 * A point in time that bounds a sequence of operations, as opposed to a per-operation timeout. Pass one
 * deadline to several receives and they share the time left.
 *
 * <pre>{@code
 * Deadline deadline = Deadline.after(2, TimeUnit.SECONDS, clock);
 * Reply a = clt.recv(deadline);   // each waits at most what is left
 * Reply b = clt.recv(deadline);
 * }</pre>
 *
 * <p>Comparisons use {@code deadline - now}, so they survive {@code nanoTime} wrap-around.
 *
 * <p>Thread-safety: immutable.
 */
public final class Deadline
{
    private final NanoClock clock;
    private final long deadlineNanos;

    private Deadline(final NanoClock clock, final long deadlineNanos)
    {
        this.clock = clock;
        this.deadlineNanos = deadlineNanos;
    }

    /**
     * @param timeout from now.
     * @param unit    of the timeout.
     * @param clock   time source, the endpoint's clock.
     * @return the deadline.
     */
    public static Deadline after(final long timeout, final TimeUnit unit, final NanoClock clock)
    {
        return new Deadline(clock, clock.nanoTime() + unit.toNanos(timeout));
    }

    /**
     * @return nanoseconds left, 0 once expired.
     */
    public long remainingNanos()
    {
        return Math.max(0, deadlineNanos - clock.nanoTime());
    }

    /**
     * @return true once the deadline has passed.
     */
    public boolean hasExpired()
    {
        return deadlineNanos - clock.nanoTime() <= 0;
    }

    /**
     * @return the deadline as a value of the clock.
     */
    public long deadlineNanos()
    {
        return deadlineNanos;
    }

    @Override
    public String toString()
    {
        return "Deadline(" + TimeUnit.NANOSECONDS.toMillis(remainingNanos()) + " ms left)";
    }
}
