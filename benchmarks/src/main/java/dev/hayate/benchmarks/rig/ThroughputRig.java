package dev.hayate.benchmarks.rig;

/**
 * The receiving loop of the throughput test, run on one thread of the parent JVM.
 *
 * <pre>
 *  first bytes arrive            warm-up ends                                    source closes (-1)
 *  |---- warm-up (not counted) ---|---------------- measured window -------------|
 *  t_first                        t_warm = first receive at or after                t_last = time of the last
 *                                 t_first + warmupNanos                             receive that returned bytes
 *  rate = (bytes received after t_warm) / (t_last - t_warm)
 * </pre>
 * The source sends for warm-up plus the measured seconds, so the window lasts about the measured seconds.
 */
public final class ThroughputRig {
    private ThroughputRig() {
    }

    /**
     * Receives until the source closes.
     *
     * @param impl        implementation name
     * @param size        bytes per message
     * @param sink        a connected sink, confined to this thread
     * @param warmupNanos how long after the first bytes counting starts
     * @param clock       the time source
     * @return bytes and duration of the measured window
     * @throws Exception from the sink, when the thread is interrupted, or when the source stopped before the
     *                   warm-up ended
     */
    public static ThroughputResult run(String impl, int size, Sink sink, long warmupNanos, NanoClock clock)
            throws Exception {
        long total = 0;
        long first = 0;
        boolean started = false;
        boolean warm = false;
        long warmAt = 0;
        long bytesAtWarm = 0;
        long last = 0;
        long n;
        Thread self = Thread.currentThread();
        while ((n = sink.receive()) >= 0) {
            if (self.isInterrupted()) {
                throw new InterruptedException("interrupted while receiving");
            }
            if (n == 0) {
                continue;
            }
            long now = clock.nanoTime();
            if (!started) {
                started = true;
                first = now;
            }
            total += n;
            last = now;
            if (!warm && now - first >= warmupNanos) {
                warm = true;
                warmAt = now;
                bytesAtWarm = total;
            }
        }
        if (!warm || last == warmAt) {
            throw new IllegalStateException("the source stopped before the warm-up ended (" + total + " bytes)");
        }
        return new ThroughputResult(impl, size, total - bytesAtWarm, last - warmAt);
    }
}
