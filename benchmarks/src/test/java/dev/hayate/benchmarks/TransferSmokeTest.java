package dev.hayate.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hayate.benchmarks.rig.Json;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

/**
 * {@code bench transfer} end to end with a small file: every row's two sides in child JVMs (or scp's processes).
 * Checks shapes and that every file arrived intact (the command compares each received file with the source and
 * marks the row failed otherwise), never times.
 */
class TransferSmokeTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(final String... args) {
        CommandLine cl = BenchMain.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    private Map<String, Map<String, Object>> rows() {
        return out.toString().lines().filter(l -> l.startsWith("{")).map(Json::parseFlat)
                .collect(Collectors.toMap(m -> (String) m.get("impl"), m -> m));
    }

    @Test
    @Timeout(value = 240, unit = TimeUnit.SECONDS)
    void shouldMoveTheFileIntactWithHayateAndRawTcpAndReportPositiveNumbers() {
        assertEquals(0, run("transfer", "--size-mib", "8", "--rows", "hayate,hayate-warm,raw-tcp,scp", "--json"),
                () -> out + "\n" + err);
        Map<String, Map<String, Object>> rows = rows();
        assertEquals(4, rows.size(), out::toString);
        for (String impl : List.of("hayate", "hayate-warm", "raw-tcp")) {
            Map<String, Object> m = rows.get(impl);
            assertEquals(List.of("impl", "mb_per_s", "cpu_s_sender", "cpu_s_receiver", "rss_mib_sender",
                    "rss_mib_receiver", "size_mib", "transport"), List.copyOf(m.keySet()).subList(0, 8), m::toString);
            assertNull(m.get("note"), () -> "a received file that differs from the source fails its row: " + m);
            assertEquals(8L, m.get("size_mib"));
            assertEquals("tcp", m.get("transport"));
            for (String k : List.of("mb_per_s", "cpu_s_sender", "cpu_s_receiver", "rss_mib_sender",
                    "rss_mib_receiver")) {
                assertTrue(m.get(k) instanceof Number n && n.doubleValue() > 0, () -> k + " in " + m);
            }
        }
        assertTrue(((Number) rows.get("hayate").get("wire_bytes")).longValue() > 8L << 20,
                () -> "random bytes do not compress; sealing adds a tag per chunk: " + rows.get("hayate"));
        Map<String, Object> scp = rows.get("scp");
        assertTrue(scp.get("note") == null ? ((Number) scp.get("mb_per_s")).doubleValue() > 0
                : scp.get("note").toString().startsWith("skipped: "), scp::toString);
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void shouldRejectAnUnknownRow() {
        assertEquals(2, run("transfer", "--size-mib", "1", "--rows", "rsync"));
        assertTrue(err.toString().contains("unknown row 'rsync'"), err::toString);
    }
}
