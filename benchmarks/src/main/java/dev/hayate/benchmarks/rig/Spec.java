package dev.hayate.benchmarks.rig;

/**
 * What both sides of a run agree on; passed to the child on its command line.
 *
 * @param size      bytes per message, header included (every message of a run has this size)
 * @param sendNanos throughput only: the longest the source may send (a safety limit: normally it sends until the
 *                  receiver closes the connection); 0 for ping-pong
 */
public record Spec(int size, long sendNanos) {
    /**
     * Validates.
     *
     * @param size      bytes per message, at least 1
     * @param sendNanos at least 0
     */
    public Spec {
        if (size < 1) {
            throw new IllegalArgumentException("size must be at least 1 byte: " + size);
        }
        if (sendNanos < 0) {
            throw new IllegalArgumentException("sendNanos must not be negative: " + sendNanos);
        }
    }
}
