package dev.hayate.benchmarks.rig;

/**
 * The receiving loop of the throughput test, run on one thread of the parent JVM. The receiver, not the sender,
 * times the run, so a slow start of either JVM shortens nothing.
 *
 * <pre>
 *  first bytes arrive            warm-up ends                                 window ends: the rig stops
 *  |---- warm-up (not counted) ---|---------------- measured window ----------|  receiving and closes the sink;
 *  t_first                        t_warm = first receive at or after             the source sees the connection
 *                                 t_first + warmupNanos                          close and stops
 *  t_last = the first receive at or after t_warm + measureNanos
 *  rate = (bytes received after t_warm, up to and including t_last) / (t_last - t_warm)
 * </pre>
 */
public final class ThroughputRig {
    private ThroughputRig() {
    }

    /**
     * Receives for warm-up plus the measured window. The caller closes the sink afterwards.
     *
     * @param impl         implementation name
     * @param size         bytes per message
     * @param sink         a connected sink, confined to this thread
     * @param warmupNanos  how long after the first bytes counting starts
     * @param measureNanos how long counting lasts
     * @param clock        the time source
     * @return bytes and duration of the measured window
     * @throws Exception from the sink, when the thread is interrupted, or when the source stopped before the window
     *                   ended
     */
    public static ThroughputResult run(String impl, int size, Sink sink, long warmupNanos, long measureNanos,
                                       NanoClock clock) throws Exception {
        long total = 0;
        long first = 0;
        boolean started = false;
        boolean warm = false;
        long warmAt = 0;
        long bytesAtWarm = 0;
        Thread self = Thread.currentThread();
        while (true) {
            long n = sink.receive();
            if (self.isInterrupted()) {
                throw new InterruptedException("interrupted while receiving");
            }
            if (n < 0) {
                throw new IllegalStateException("the source closed before the measured window ended ("
                        + total + " bytes received)");
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
            if (!warm) {
                if (now - first >= warmupNanos) {
                    warm = true;
                    warmAt = now;
                    bytesAtWarm = total;
                }
            } else if (now - warmAt >= measureNanos) {
                return new ThroughputResult(impl, size, total - bytesAtWarm, now - warmAt);
            }
        }
    }
}
