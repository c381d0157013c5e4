package dev.hayate.benchmarks.rig;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The outcome of one ping-pong run.
 *
 * @param impl              implementation name
 * @param size              bytes per message
 * @param count             round trips measured (fewer than asked only when a time limit cut the run short)
 * @param rate              intended round trips per second, 0 when not paced
 * @param latency           round-trip percentiles; when paced, measured from each message's intended send time
 *                          (corrected for coordinated omission)
 * @param serviceTime       when paced: the same measured from the actual send time (what an uncorrected rig
 *                          would report); otherwise {@code null}
 * @param allocBytesPerMsg  bytes allocated by the measuring thread per measured round trip, or {@code null} when
 *                          not measured (peers)
 */
public record PingPongResult(String impl, int size, long count, long rate, Percentiles latency,
                             Percentiles serviceTime, Double allocBytesPerMsg) {
    /**
     * @return the fields of the {@code --json} line, in order: impl, size, count, p50_us, p90_us, p99_us, p999_us,
     *         max_us, alloc_bytes_per_msg
     */
    public Map<String, Object> toJsonFields() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("impl", impl);
        m.put("size", size);
        m.put("count", count);
        m.put("p50_us", latency.p50Us());
        m.put("p90_us", latency.p90Us());
        m.put("p99_us", latency.p99Us());
        m.put("p999_us", latency.p999Us());
        m.put("max_us", latency.maxUs());
        m.put("alloc_bytes_per_msg", allocBytesPerMsg);
        return m;
    }

    /**
     * @return the {@code --json} line
     */
    public String toJson() {
        return Json.write(toJsonFields());
    }
}
