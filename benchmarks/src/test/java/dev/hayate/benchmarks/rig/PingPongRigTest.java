package dev.hayate.benchmarks.rig;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

/** The measuring loop with virtual time: warm-up, recording, and coordinated-omission correction. */
class PingPongRigTest {
    private static final long US = 1_000;
    private static final long MS = 1_000_000;

    /** Each round trip takes 10 µs of virtual time, except round trip number {@code stallAt}, which takes 50 ms. */
    private static final class StallingClient implements PingClient {
        private final VirtualClock clock;
        private final long stallAt;
        long calls;

        StallingClient(VirtualClock clock, long stallAt) {
            this.clock = clock;
            this.stallAt = stallAt;
        }

        @Override
        public void roundTrip() {
            clock.advance(calls++ == stallAt ? 50 * MS : 10 * US);
        }

        @Override
        public void close() {
        }
    }

    private static long countAtOrAbove(Histogram h, long nanos) {
        return h.getTotalCount() - h.getCountBetweenValues(0, nanos - 1);
    }

    @Test
    void shouldNotRecordWarmUp() throws Exception {
        VirtualClock clock = new VirtualClock();
        StallingClient client = new StallingClient(clock, 3);
        PingPongRig.Measurement m = PingPongRig.run(client, new PingPongPlan(64, 1000, 100, 0), clock, false);
        assertEquals(1100, client.calls);
        assertEquals(1000, m.latency().getTotalCount());
        assertEquals(0, countAtOrAbove(m.latency(), MS), "the stall fell in the warm-up");
        assertSame(m.latency(), m.serviceTime(), "unpaced: one histogram");
        assertEquals(-1, m.allocatedBytes());
    }

    @Test
    void shouldRecordAStallOnceWhenUnpaced() throws Exception {
        VirtualClock clock = new VirtualClock();
        PingPongRig.Measurement m = PingPongRig.run(new StallingClient(clock, 500), new PingPongPlan(64, 1000, 0, 0),
                clock, false);
        assertEquals(1, countAtOrAbove(m.latency(), MS));
        Percentiles p = Percentiles.ofNanos(m.latency());
        assertEquals(10.0, p.p99Us(), 0.01);
        assertEquals(50_000.0, p.maxUs(), 50.0);
    }

    @Test
    void shouldChargeAStallToEveryMessageDueDuringItWhenPaced() throws Exception {
        // 1000 round trips/s: one every 1 ms. A 50 ms stall delays the ~50 messages that were due meanwhile.
        VirtualClock clock = new VirtualClock();
        PingPongPlan plan = new PingPongPlan(64, 1000, 0, 1000);
        PingPongRig.Measurement m = PingPongRig.run(new StallingClient(clock, 500), plan, clock, false);

        assertEquals(1000, m.latency().getTotalCount());
        assertEquals(1000, m.serviceTime().getTotalCount());
        long delayed = countAtOrAbove(m.latency(), MS);
        assertTrue(delayed >= 49 && delayed <= 51, "messages charged with the stall: " + delayed);
        assertEquals(1, countAtOrAbove(m.serviceTime(), MS), "service time hides the queueing");

        // The messages after the stall saw 50 ms, 49 ms, 48 ms ... of delay: a straight line down.
        Percentiles corrected = Percentiles.ofNanos(m.latency());
        assertEquals(50_000.0, corrected.maxUs(), 50.0);
        assertTrue(corrected.p99Us() > 40_000.0, "p99 " + corrected.p99Us());
        assertEquals(10.0, Percentiles.ofNanos(m.serviceTime()).p99Us(), 0.01);

        PingPongResult r = PingPongRig.result("x", plan, m);
        assertEquals(1000, r.rate());
        assertNotNull(r.serviceTime());
        assertEquals(corrected, r.latency());
    }

    @Test
    void shouldSendOnScheduleWhenKeepingUp() throws Exception {
        VirtualClock clock = new VirtualClock();
        long start = clock.nanoTime();
        PingPongRig.Measurement m = PingPongRig.run(new StallingClient(clock, -1), new PingPongPlan(64, 100, 0, 10_000),
                clock, false);
        // 100 messages at 10,000/s: the last leaves at 99 x 100 µs and takes 10 µs.
        assertEquals(start + 99 * 100 * US + 10 * US, clock.nanoTime());
        assertEquals(10.0, Percentiles.ofNanos(m.latency()).maxUs(), 0.01);
    }

    @Test
    void shouldClampRoundTripsLongerThanTheHistogramRange() throws Exception {
        VirtualClock clock = new VirtualClock();
        PingClient glacial = new PingClient() {
            @Override
            public void roundTrip() {
                clock.advance(TimeUnit.MINUTES.toNanos(5));
            }

            @Override
            public void close() {
            }
        };
        PingPongRig.Measurement m = PingPongRig.run(glacial, new PingPongPlan(64, 3, 0, 0), clock, false);
        assertEquals(3, m.latency().getTotalCount());
        assertTrue(m.latency().getMaxValue() >= PingPongRig.HIGHEST_NANOS);
    }

    @Test
    void shouldReportAllocationOnlyWhenAsked() throws Exception {
        VirtualClock clock = new VirtualClock();
        PingPongPlan plan = new PingPongPlan(64, 100, 10, 0);
        PingPongRig.Measurement measured = PingPongRig.run(new StallingClient(clock, -1), plan, clock, true);
        assertTrue(measured.allocatedBytes() >= 0);
        assertNotNull(PingPongRig.result("hayate-x", plan, measured).allocBytesPerMsg());
        PingPongRig.Measurement not = PingPongRig.run(new StallingClient(clock, -1), plan, clock, false);
        assertNull(PingPongRig.result("peer", plan, not).allocBytesPerMsg());
    }

    @Test
    void shouldStopWhenInterrupted() {
        VirtualClock clock = new VirtualClock();
        Thread.currentThread().interrupt();
        try {
            PingPongRig.run(new StallingClient(clock, -1), new PingPongPlan(64, 10, 0, 0), clock, false);
        } catch (InterruptedException expected) {
            return;
        } catch (Exception e) {
            throw new AssertionError(e);
        } finally {
            Thread.interrupted();
        }
        throw new AssertionError("not interrupted");
    }
}
