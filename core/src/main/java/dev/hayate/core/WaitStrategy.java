package dev.hayate.core;

import org.agrona.concurrent.NanoClock;

/**
 * How a thread waits between two attempts of an operation that could not progress (nothing to receive, no room
 * to send): the one difference between the waiting faces. A role in the spirit of agrona's
 * {@code IdleStrategy}, with final policies:
 *
 * <ul>
 *     <li>{@link BusySpinWait}: never parks ({@code Thread.onSpinWait}); the nonblocking face.</li>
 *     <li>{@link YieldWait}: {@code Thread.yield()} between attempts.</li>
 *     <li>{@link BackoffWait}: spins, then yields, then parks for growing periods.</li>
 *     <li>{@link KernelWait}: waits in the kernel on the thing's {@link Readiness} ({@code epoll_wait} for
 *     TCP); the blocking face.</li>
 *     <li>{@link IdleStrategyWait}: any agrona {@code IdleStrategy} of the user's.</li>
 * </ul>
 *
 * <p>An operation calls {@link #reset()} once before its first wait, then {@link #await} after every attempt
 * that did no work, until it succeeds or {@code await} answers false.
 *
 * <p>Thread-safety: a stateless policy ({@link BusySpinWait#INSTANCE}, {@link YieldWait#INSTANCE},
 * {@link KernelWait#INSTANCE}) may be shared by any threads; a stateful one ({@link BackoffWait}, most
 * {@link IdleStrategyWait}s) serves one thread, and {@link #copy()} makes one for another thread.
 */
public interface WaitStrategy
{
    /** Deadline value meaning "no deadline". */
    long FOREVER = Long.MAX_VALUE;

    /**
     * Waits a little: until {@code readiness} may have changed, the deadline, or this policy's step is done.
     *
     * @param readiness     what the caller waits for; a kernel-waiting policy blocks on it, others ignore it.
     * @param forWrite      true when waiting for room to write, false for something to read.
     * @param clock         the endpoint's clock.
     * @param deadlineNanos on {@code clock}, or {@link #FOREVER}.
     * @param maxWaitNanos  cap on this one wait, so the caller can interleave other work (heartbeats).
     * @return false if the deadline has passed or the thread was interrupted (its interrupt status kept):
     * stop trying; true to try again.
     */
    boolean await(Readiness readiness, boolean forWrite, NanoClock clock, long deadlineNanos, long maxWaitNanos);

    /**
     * Starts a new sequence of waits (a back-off starts again from spinning). Free for stateless policies.
     */
    default void reset()
    {
    }

    /**
     * @return a policy with the same settings for another thread (the halves of a split connection): this
     * one if it is stateless, else a fresh instance.
     */
    default WaitStrategy copy()
    {
        return this;
    }

    /**
     * @param clock         the endpoint's clock.
     * @param deadlineNanos on {@code clock}, or {@link #FOREVER}.
     * @return true if the deadline has passed; deadlines compare as {@code deadline - now <= 0}.
     */
    static boolean hasPassed(final NanoClock clock, final long deadlineNanos)
    {
        return deadlineNanos != FOREVER && deadlineNanos - clock.nanoTime() <= 0;
    }
}
