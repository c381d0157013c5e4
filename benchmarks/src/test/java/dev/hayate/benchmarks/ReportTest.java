package dev.hayate.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hayate.benchmarks.impl.Impls;
import dev.hayate.benchmarks.rig.Percentiles;
import dev.hayate.benchmarks.rig.PingPongResult;
import dev.hayate.benchmarks.rig.ThroughputResult;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReportTest {
    private static Outcome<PingPongResult> pp(String impl, double p50, double p99) {
        return Outcome.ok(impl, new PingPongResult(impl, 64, 1000, 0, new Percentiles(p50, p50, p99, p99, p99),
                null, null));
    }

    @Test
    void shouldTabulateRatiosAndListUnavailableImplsWithTheirReason() {
        String md = Report.markdown(new Report.AllRun("java -jar benchmarks.jar all --quick", 64, 1000, 10, 2, 1,
                Impls.all(null),
                List.of(pp("c-busy", 6.5, 13.0), pp("nio-busy", 7.0, 26.0),
                        Outcome.failed("netty-epoll", "native epoll transport did not load: nope")),
                List.of(Outcome.ok("nio-busy", new ThroughputResult("nio-busy", 64, 64_000_000, 1_000_000_000L)),
                        Outcome.ok("nio-busy-1m", new ThroughputResult("nio-busy-1m", 64, 128_000_000, 1_000_000_000L)),
                        Outcome.ok("netty", new ThroughputResult("netty", 64, 16_000_000, 1_000_000_000L))),
                3, "1.00 0.50 0.20", "1.10 0.60 0.20"));
        assertTrue(md.contains("`java -jar benchmarks.jar all --quick`"), md);
        assertTrue(md.contains("| nio-busy | 1,000 | 7.00 | 7.00 | 26.00 | 26.00 | 26.00 | 1.08× | 2.00× | 1.00× "
                + "| 1.00× | — |"), md);
        assertTrue(md.contains("| netty-epoll | — |"), md);
        assertTrue(md.contains("`netty-epoll` unavailable: native epoll transport did not load: nope"), md);
        assertTrue(md.contains("| netty | 64 B | 250,000 | 16 | 0.25× | 0.13× |"), md);
        assertTrue(md.contains("2 cores") || md.contains(" cores,"), md);
        assertTrue(md.contains("JDK: " + System.getProperty("java.runtime.version")), md);
    }

    @Test
    void shouldWriteOneJsonLinePerRowBesideTheReport() {
        assertEquals(java.nio.file.Path.of("out", "all.jsonl"),
                AllCommand.rawResults(java.nio.file.Path.of("out", "all.md")));
        String lines = AllCommand.jsonLines(
                List.of(pp("c-busy", 6.5, 13.0), Outcome.failed("netty-epoll", "did not load")),
                List.of(Outcome.ok("nio-busy", new ThroughputResult("nio-busy", 64, 64_000_000, 1_000_000_000L))));
        String[] rows = lines.split("\n");
        assertEquals(3, rows.length, lines);
        assertEquals("c-busy", dev.hayate.benchmarks.rig.Json.parseFlat(rows[0]).get("impl"));
        assertEquals("did not load", dev.hayate.benchmarks.rig.Json.parseFlat(rows[1]).get("unavailable"));
        assertEquals(64L, dev.hayate.benchmarks.rig.Json.parseFlat(rows[2]).get("size"));
    }

    @Test
    void shouldKeepSmallRatiosReadable() {
        assertEquals("0.0023×", Report.ratio(0.023, 10));
        assertEquals("0.50×", Report.ratio(5, 10));
        assertEquals("—", Report.ratio(5, 0));
    }
}
