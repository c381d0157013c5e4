package dev.hayate.benchmarks.rig;

import java.lang.management.ManagementFactory;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * The measuring loop of the ping-pong, run on one thread of the parent JVM.
 *
 * <pre>
 *  warm-up (not recorded)      measured (recorded)
 *  |-- roundTrip() x warmup --|-- i = 0 .. count-1 -----------------------------------------------|
 *   as fast as possible        start = now()                       (allocation counter read here)
 *                              unpaced:  t0 = now(); roundTrip(); record(now() - t0)
 *                              paced:    intended = start + i * 1s/rate
 *                                        wait until intended (no wait if already late)
 *                                        sent = now(); roundTrip(); end = now()
 *                                        record(end - intended)        -&gt; latency
 *                                        recordService(end - sent)     -&gt; service time
 *                             (counter read again at the midpoint) ...
 *                                                                      (allocation counter read again)
 * </pre>
 *
 * <p><b>Allocation.</b> The figure reported per message is the steady state: bytes allocated by the measuring
 * thread during the second half of the measured round trips, divided by their number. One-off costs that land
 * early in the measured part (a deoptimisation that materialises scalar-replaced objects the first time a rare
 * branch is taken, a class initialised late) would otherwise show as a small per-message figure that shrinks as
 * the count grows; the whole-run total is kept beside it.
 *
 * <p><b>Coordinated omission.</b> Unpaced, the next message leaves when the previous echo arrives, so a stall
 * delays the messages that would have been sent during it and the histogram records the stall once. With a fixed
 * rate each message has an intended send time on a schedule fixed in advance; the latency is measured from that
 * time, so a stall of length S also shows in the roughly {@code S * rate} messages that were due during it — what
 * a client sending at that rate would have seen (Gil Tene, "How NOT to measure latency"). The service time
 * (from the actual send) is kept beside it to show the difference.
 *
 * <p>Recording allocates nothing (the histograms cover 1 ns to 60 s at 3 significant digits; longer values are
 * clamped to 60 s), so the allocation figure is the client's own.
 */
public final class PingPongRig {
    /** Precision of the histograms: 3 significant digits, i.e. values are exact to within 0.1%. */
    public static final int SIGNIFICANT_DIGITS = 3;
    /** Largest value the histograms hold; longer round trips are recorded as this. */
    public static final long HIGHEST_NANOS = TimeUnit.SECONDS.toNanos(60);

    private PingPongRig() {
    }

    /**
     * What one run measured.
     *
     * @param latency        round trips in nanoseconds (from the intended send time when paced)
     * @param serviceTime    when paced, round trips from the actual send time; otherwise the same as latency
     * @param allocatedBytes      bytes allocated by the measuring thread during the measured part, or -1 when not
     *                            asked
     * @param steadyBytes         bytes allocated during the second half of the measured round trips, or -1
     * @param steadyRoundTrips    round trips in that second half
     */
    public record Measurement(Histogram latency, Histogram serviceTime, long allocatedBytes, long steadyBytes,
            long steadyRoundTrips) {
    }

    /**
     * @return an empty histogram of nanoseconds with the rig's range and precision
     */
    public static Histogram newHistogram() {
        return new Histogram(1, HIGHEST_NANOS, SIGNIFICANT_DIGITS);
    }

    /**
     * Runs warm-up and measurement on the calling thread.
     *
     * @param client            a connected client, confined to this thread
     * @param plan              counts and rate
     * @param clock             the time source
     * @param measureAllocation whether to read this thread's allocation counter around the measured part
     * @return the histograms and the allocation
     * @throws Exception from the client, or {@link InterruptedException} when the thread is interrupted
     */
    public static Measurement run(PingClient client, PingPongPlan plan, NanoClock clock, boolean measureAllocation)
            throws Exception {
        Histogram latency = newHistogram();
        Histogram service = plan.paced() ? newHistogram() : latency;
        Thread self = Thread.currentThread();

        for (long i = 0; i < plan.warmup(); i++) {
            client.roundTrip();
            if (self.isInterrupted()) {
                throw new InterruptedException("interrupted during warm-up");
            }
        }

        com.sun.management.ThreadMXBean threads = measureAllocation ? allocationCounter() : null;
        long threadId = self.getId();
        long allocBefore = threads == null ? 0 : threads.getThreadAllocatedBytes(threadId);
        long midpoint = plan.count() / 2;
        long allocMid = -1;
        long midCount = 0;

        if (plan.paced()) {
            double interval = 1e9 / plan.rate();
            long start = clock.nanoTime();
            for (long i = 0; i < plan.count(); i++) {
                if (i == midpoint && threads != null) {
                    allocMid = threads.getThreadAllocatedBytes(threadId);
                    midCount = i;
                }
                long intended = start + (long) (i * interval);
                clock.awaitUntil(intended);
                long sent = clock.nanoTime();
                client.roundTrip();
                long end = clock.nanoTime();
                record(latency, end - intended);
                record(service, end - sent);
                if (self.isInterrupted()) {
                    throw new InterruptedException("interrupted while measuring");
                }
            }
        } else {
            for (long i = 0; i < plan.count(); i++) {
                if (i == midpoint && threads != null) {
                    allocMid = threads.getThreadAllocatedBytes(threadId);
                    midCount = i;
                }
                long t0 = clock.nanoTime();
                client.roundTrip();
                long end = clock.nanoTime();
                record(latency, end - t0);
                if (self.isInterrupted()) {
                    throw new InterruptedException("interrupted while measuring");
                }
            }
        }

        long allocEnd = threads == null ? -1 : threads.getThreadAllocatedBytes(threadId);
        long allocated = threads == null ? -1 : allocEnd - allocBefore;
        long measured = latency.getTotalCount();
        // A run of one round trip has no second half: fall back to the whole run.
        boolean halves = allocMid >= 0 && measured > midCount;
        long steady = threads == null ? -1 : halves ? allocEnd - allocMid : allocated;
        long steadyTrips = halves ? measured - midCount : measured;
        return new Measurement(latency, service, allocated, steady, steadyTrips);
    }

    private static void record(Histogram h, long nanos) {
        h.recordValue(Math.max(1, Math.min(nanos, HIGHEST_NANOS)));
    }

    private static com.sun.management.ThreadMXBean allocationCounter() {
        if (ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean t
                && t.isThreadAllocatedMemorySupported()) {
            t.setThreadAllocatedMemoryEnabled(true);
            return t;
        }
        throw new IllegalStateException("this JVM cannot count allocated bytes per thread");
    }

    /**
     * Turns a measurement into a result.
     *
     * @param impl implementation name
     * @param plan the plan it ran
     * @param m    what it measured
     * @return the result, with the number of round trips actually measured; allocation per message is the
     *         steady state (second half of the measured run), {@code null} when it was not measured
     */
    public static PingPongResult result(String impl, PingPongPlan plan, Measurement m) {
        long measured = m.latency().getTotalCount();
        return new PingPongResult(impl, plan.size(), measured, plan.rate(),
                Percentiles.ofNanos(m.latency()),
                plan.paced() ? Percentiles.ofNanos(m.serviceTime()) : null,
                m.steadyBytes() < 0 || m.steadyRoundTrips() == 0 ? null : (double) m.steadyBytes() / m.steadyRoundTrips());
    }
}
