package dev.hayate.benchmarks.rig;

import org.HdrHistogram.Histogram;

/**
 * Latency percentiles in microseconds.
 *
 * <p>From a histogram of nanoseconds: each figure is HdrHistogram's value at that percentile (the highest value
 * equivalent to the recorded ones within the histogram's precision, {@link PingPongRig#SIGNIFICANT_DIGITS} digits,
 * i.e. within 0.1%) divided by 1000.
 *
 * @param p50Us  median
 * @param p90Us  90th percentile
 * @param p99Us  99th percentile
 * @param p999Us 99.9th percentile
 * @param maxUs  the largest value recorded
 */
public record Percentiles(double p50Us, double p90Us, double p99Us, double p999Us, double maxUs) {
    /**
     * Reads the percentiles of a histogram of nanoseconds.
     *
     * @param nanos a histogram of durations in nanoseconds, not empty
     * @return its percentiles in microseconds
     */
    public static Percentiles ofNanos(Histogram nanos) {
        if (nanos.getTotalCount() == 0) {
            throw new IllegalArgumentException("empty histogram");
        }
        return new Percentiles(
                micros(nanos.getValueAtPercentile(50.0)),
                micros(nanos.getValueAtPercentile(90.0)),
                micros(nanos.getValueAtPercentile(99.0)),
                micros(nanos.getValueAtPercentile(99.9)),
                micros(nanos.getMaxValue()));
    }

    /**
     * @param nanos a duration in nanoseconds
     * @return the same in microseconds
     */
    public static double micros(long nanos) {
        return nanos / 1000.0;
    }
}
