package dev.hayate.benchmarks.rig;

import java.time.Duration;

/**
 * An implementation that is a whole program measuring its own round trips (the C baseline), run as is.
 */
public interface ExternalImpl extends Impl {
    /**
     * Runs the program's ping-pong and returns its figures. Must return or throw within {@code timeout}, killing
     * every process it started.
     *
     * @param plan    message size, counts (a rate is never passed when {@link #supportsRate()} is false)
     * @param timeout the most it may take
     * @return the program's percentiles
     * @throws Exception when the program fails or times out
     */
    PingPongResult pingPong(PingPongPlan plan, Duration timeout) throws Exception;
}
