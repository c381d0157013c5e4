package dev.hayate.benchmarks.rig;

/**
 * How one ping-pong run is driven.
 *
 * @param size   bytes per message
 * @param count  measured round trips (recorded in the histogram)
 * @param warmup round trips before measuring (not recorded)
 * @param rate   intended round trips per second for the measured part, or 0 to send the next message as soon as
 *               the previous echo arrives
 */
public record PingPongPlan(int size, long count, long warmup, long rate) {

    /**
     * Validates.
     *
     * @param size   at least 1
     * @param count  at least 1
     * @param warmup at least 0
     * @param rate   at least 0
     */
    public PingPongPlan {
        if (size < 1) {
            throw new IllegalArgumentException("size must be at least 1 byte: " + size);
        }
        if (count < 1) {
            throw new IllegalArgumentException("count must be at least 1: " + count);
        }
        if (warmup < 0) {
            throw new IllegalArgumentException("warmup must not be negative: " + warmup);
        }
        if (rate < 0) {
            throw new IllegalArgumentException("rate must not be negative: " + rate);
        }
    }

    /**
     * @return whether a fixed send rate applies
     */
    public boolean paced() {
        return rate > 0;
    }
}
