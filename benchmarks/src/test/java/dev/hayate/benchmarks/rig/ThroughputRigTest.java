package dev.hayate.benchmarks.rig;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The receiver's window, with virtual time. */
class ThroughputRigTest {
    private static final long MS = 1_000_000;

    /** Every receive takes 1 ms of virtual time and brings 6,400 bytes (100 messages of 64 bytes). */
    private static final class SteadySink implements Sink {
        private final VirtualClock clock;
        private final long stopAfterCalls;
        long calls;

        SteadySink(VirtualClock clock, long stopAfterCalls) {
            this.clock = clock;
            this.stopAfterCalls = stopAfterCalls;
        }

        @Override
        public long receive() {
            if (++calls > stopAfterCalls) {
                return -1;
            }
            clock.advance(MS);
            return calls % 2 == 0 ? 0 : 12_800;
        }

        @Override
        public void close() {
        }
    }

    @Test
    void shouldCountOnlyTheWindowAfterWarmUp() throws Exception {
        VirtualClock clock = new VirtualClock();
        SteadySink sink = new SteadySink(clock, Long.MAX_VALUE);
        ThroughputResult r = ThroughputRig.run("x", 64, sink, 100 * MS, 1000 * MS, clock);
        // 12,800 bytes every 2 ms = 6.4 MB/s = 100,000 messages/s.
        assertEquals(1000 * MS, r.nanos(), 2 * MS);
        assertEquals(100_000.0, r.msgsPerSecond(), 100.0);
        assertEquals(6.4, r.mbPerSecond(), 0.01);
        assertEquals(1100 * MS, sink.calls * MS, 4 * MS);
    }

    @Test
    void shouldFailWhenTheSourceStopsEarly() {
        VirtualClock clock = new VirtualClock();
        assertThrows(IllegalStateException.class,
                () -> ThroughputRig.run("x", 64, new SteadySink(clock, 50), 100 * MS, 1000 * MS, clock));
    }
}
