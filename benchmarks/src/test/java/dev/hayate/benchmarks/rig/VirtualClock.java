package dev.hayate.benchmarks.rig;

/** Time that moves only when told to: waits jump straight to their deadline. */
final class VirtualClock implements NanoClock {
    private long now = 1_000_000_000L;

    @Override
    public long nanoTime() {
        return now;
    }

    @Override
    public void awaitUntil(long deadline) {
        if (deadline - now > 0) {
            now = deadline;
        }
    }

    void advance(long nanos) {
        now += nanos;
    }
}
