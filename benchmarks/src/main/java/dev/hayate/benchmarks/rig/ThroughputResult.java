package dev.hayate.benchmarks.rig;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The outcome of one throughput run, as counted by the receiver over the measured window.
 *
 * @param impl     implementation name
 * @param size     bytes per message
 * @param bytes    bytes received in the measured window
 * @param nanos    length of the measured window
 */
public record ThroughputResult(String impl, int size, long bytes, long nanos) {
    /**
     * @return whole messages per second ({@code bytes / size / seconds})
     */
    public double msgsPerSecond() {
        return (double) (bytes / size) * 1e9 / nanos;
    }

    /**
     * @return megabytes (10^6 bytes) per second
     */
    public double mbPerSecond() {
        return bytes / 1e6 * 1e9 / nanos;
    }

    /**
     * @return the fields of the {@code --json} line: impl, size, msgs_per_s, mb_per_s
     */
    public Map<String, Object> toJsonFields() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("impl", impl);
        m.put("size", size);
        m.put("msgs_per_s", Math.round(msgsPerSecond()));
        m.put("mb_per_s", Math.round(mbPerSecond() * 10) / 10.0);
        return m;
    }

    /**
     * @return the {@code --json} line
     */
    public String toJson() {
        return Json.write(toJsonFields());
    }
}
