package dev.hayate.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hayate.benchmarks.rig.Json;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

/**
 * End to end across two JVMs: the child is started with this JVM's class path. Checks shapes only, never times.
 */
class SmokeTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cl = BenchMain.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    private Map<String, Object> jsonLine() {
        List<String> lines = out.toString().lines().filter(l -> l.startsWith("{")).toList();
        assertEquals(1, lines.size(), out::toString);
        return Json.parseFlat(lines.get(0));
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"nio-busy", "netty-threaded"})
    @Timeout(value = 150, unit = TimeUnit.SECONDS)
    void shouldRunAJavaPeerPingPongAcrossTwoProcesses(String impl) {
        assertEquals(0, run("pingpong", "--impl", impl, "--count", "2000", "--warmup", "500", "--json"),
                err::toString);
        Map<String, Object> m = jsonLine();
        assertEquals(List.of("impl", "size", "count", "p50_us", "p90_us", "p99_us", "p999_us", "max_us",
                "alloc_bytes_per_msg"), List.copyOf(m.keySet()));
        assertEquals(impl, m.get("impl"));
        assertEquals(64L, m.get("size"));
        assertEquals(2000L, m.get("count"));
        double previous = 0;
        for (String k : List.of("p50_us", "p90_us", "p99_us", "p999_us", "max_us")) {
            double v = ((Number) m.get(k)).doubleValue();
            assertTrue(v > 0 && v >= previous, () -> k + " out of order in " + m);
            previous = v;
        }
        assertTrue(m.get("alloc_bytes_per_msg") instanceof Number, () -> "Java peers are measured too, as a control: " + m);
    }

    @Test
    @Timeout(value = 150, unit = TimeUnit.SECONDS)
    void shouldRunNioBusyThroughputAcrossTwoProcesses() {
        assertEquals(0, run("throughput", "--impl", "nio-busy", "--size", "64", "--seconds", "1",
                "--warmup-seconds", "0", "--json"), err::toString);
        Map<String, Object> m = jsonLine();
        assertEquals(List.of("impl", "size", "msgs_per_s", "mb_per_s"), List.copyOf(m.keySet()));
        assertEquals("nio-busy", m.get("impl"));
        assertEquals(64L, m.get("size"));
        assertTrue(m.get("msgs_per_s") instanceof Long l && l > 0, m::toString);
        assertTrue(m.get("mb_per_s") instanceof Number n && n.doubleValue() > 0, m::toString);
    }

    @Test
    @Timeout(value = 150, unit = TimeUnit.SECONDS)
    void shouldPrintAHumanTableWithoutJson() {
        assertEquals(0, run("pingpong", "--impl", "nio-busy", "--count", "500", "--warmup", "100", "--rate",
                "2000"), err::toString);
        String text = out.toString();
        assertTrue(text.contains("p99.9 us") && text.contains("(service)") && text.contains("intended send time"),
                text);
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"hayate-nonblocking", "hayate-blocking", "hayate-async", "hayate-async-busy"})
    @Timeout(value = 150, unit = TimeUnit.SECONDS)
    void shouldRunEveryHayateFaceAcrossTwoProcessesAndMeasureItsAllocation(String impl) {
        assertEquals(0, run("pingpong", "--impl", impl, "--count", "2000", "--warmup", "2000", "--json"), err::toString);
        Map<String, Object> m = jsonLine();
        assertEquals(impl, m.get("impl"));
        assertEquals(2000L, m.get("count"));
        assertTrue(m.get("alloc_bytes_per_msg") instanceof Number, () -> "Hayate reports its allocation: " + m);
    }

    @Test
    @Timeout(value = 150, unit = TimeUnit.SECONDS)
    void shouldRunHayateThroughputOfLargeFramesAcrossTwoProcesses() {
        assertEquals(0, run("throughput", "--impl", "hayate-nonblocking", "--size", "65536", "--seconds", "1",
                "--warmup-seconds", "0", "--json"), err::toString);
        Map<String, Object> m = jsonLine();
        assertEquals(65536L, m.get("size"));
        assertTrue(m.get("msgs_per_s") instanceof Long l && l > 0, m::toString);
    }
}
