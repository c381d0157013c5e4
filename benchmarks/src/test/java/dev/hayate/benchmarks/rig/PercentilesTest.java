package dev.hayate.benchmarks.rig;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

/** HdrHistogram of nanoseconds to percentiles in microseconds. */
class PercentilesTest {
    @Test
    void shouldConvertNanosToMicros() {
        assertEquals(1.5, Percentiles.micros(1_500));
        assertEquals(0.001, Percentiles.micros(1));
        assertEquals(60_000_000.0, Percentiles.micros(PingPongRig.HIGHEST_NANOS));
    }

    @Test
    void shouldReadPercentilesOfAUniformSpreadWithinThePrecision() {
        Histogram h = PingPongRig.newHistogram();
        for (long us = 1; us <= 10_000; us++) {
            h.recordValue(us * 1_000);
        }
        Percentiles p = Percentiles.ofNanos(h);
        // 3 significant digits: each value is exact to within 0.1%.
        assertEquals(5_000.0, p.p50Us(), 5.0);
        assertEquals(9_000.0, p.p90Us(), 9.0);
        assertEquals(9_900.0, p.p99Us(), 9.9);
        assertEquals(9_990.0, p.p999Us(), 10.0);
        assertEquals(10_000.0, p.maxUs(), 10.0);
    }

    @Test
    void shouldSeeOneOutlierOnlyInTheTail() {
        Histogram h = PingPongRig.newHistogram();
        for (int i = 0; i < 999; i++) {
            h.recordValue(6_500);
        }
        h.recordValue(2_000_000);
        Percentiles p = Percentiles.ofNanos(h);
        assertEquals(6.5, p.p50Us(), 0.01);
        assertEquals(6.5, p.p99Us(), 0.01);
        assertEquals(6.5, p.p999Us(), 0.01);
        assertEquals(2_000.0, p.maxUs(), 2.0);
    }

    @Test
    void shouldKeepSubMicrosecondResolution() {
        Histogram h = PingPongRig.newHistogram();
        h.recordValue(390);
        assertEquals(0.39, Percentiles.ofNanos(h).p50Us(), 0.001);
    }

    @Test
    void shouldRefuseAnEmptyHistogram() {
        assertThrows(IllegalArgumentException.class, () -> Percentiles.ofNanos(PingPongRig.newHistogram()));
    }
}
