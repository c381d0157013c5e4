package dev.hayate.benchmarks.rig;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The rig's time source, injected so that pacing and coordinated-omission correction are testable with virtual
 * time.
 */
public interface NanoClock {
    /**
     * @return the current time in nanoseconds (an arbitrary origin, like {@link System#nanoTime()})
     */
    long nanoTime();

    /**
     * Returns once {@link #nanoTime()} has reached {@code deadline} (at once if it already has).
     *
     * @param deadline a time from {@link #nanoTime()}
     * @throws InterruptedException when interrupted while waiting
     */
    void awaitUntil(long deadline) throws InterruptedException;

    /**
     * {@link System#nanoTime()}; waits by parking while the deadline is more than 1 ms away, then spins. A late
     * wake-up would be charged to the next round trip (it is measured from its intended time), and a park
     * overshoots by 50 µs or more, so at rates of 1,000/s and above the pacing thread spins between sends.
     */
    NanoClock SYSTEM = new NanoClock() {
        private final long spinThreshold = TimeUnit.MILLISECONDS.toNanos(1);

        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public void awaitUntil(long deadline) throws InterruptedException {
            long remaining;
            while ((remaining = deadline - System.nanoTime()) > 0) {
                if (Thread.interrupted()) {
                    throw new InterruptedException();
                }
                if (remaining > spinThreshold) {
                    LockSupport.parkNanos(remaining - spinThreshold);
                } else {
                    Thread.onSpinWait();
                }
            }
        }
    };
}
