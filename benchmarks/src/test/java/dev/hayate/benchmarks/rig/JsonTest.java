package dev.hayate.benchmarks.rig;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The one-line JSON outputs: keys, order, types; read back by the tiny parser and by a regex. */
class JsonTest {
    private static final String NUM = "-?\\d+(\\.\\d+)?";
    private static final Pattern PINGPONG = Pattern.compile("\\{\"impl\":\"[a-z0-9-]+\",\"size\":\\d+,\"count\":\\d+,"
            + "\"p50_us\":" + NUM + ",\"p90_us\":" + NUM + ",\"p99_us\":" + NUM + ",\"p999_us\":" + NUM
            + ",\"max_us\":" + NUM + ",\"alloc_bytes_per_msg\":(null|" + NUM + ")}");
    private static final Pattern THROUGHPUT = Pattern.compile(
            "\\{\"impl\":\"[a-z0-9-]+\",\"size\":\\d+,\"msgs_per_s\":\\d+,\"mb_per_s\":" + NUM + "}");

    private static PingPongResult pingPong(Double alloc) {
        return new PingPongResult("nio-busy", 64, 200_000, 0, new Percentiles(6.527, 7.1, 12.0, 20.095, 150.3),
                null, alloc);
    }

    @Test
    void shouldWritePingPongKeysInOrderWithTypes() {
        String json = pingPong(null).toJson();
        assertTrue(PINGPONG.matcher(json).matches(), json);
        assertEquals("{\"impl\":\"nio-busy\",\"size\":64,\"count\":200000,\"p50_us\":6.527,\"p90_us\":7.1,"
                + "\"p99_us\":12,\"p999_us\":20.095,\"max_us\":150.3,\"alloc_bytes_per_msg\":null}", json);
        Map<String, Object> m = Json.parseFlat(json);
        assertEquals(List.of("impl", "size", "count", "p50_us", "p90_us", "p99_us", "p999_us", "max_us",
                "alloc_bytes_per_msg"), List.copyOf(m.keySet()));
        assertEquals("nio-busy", m.get("impl"));
        assertEquals(64L, m.get("size"));
        assertEquals(200_000L, m.get("count"));
        assertEquals(6.527, ((Number) m.get("p50_us")).doubleValue());
        assertNull(m.get("alloc_bytes_per_msg"));
    }

    @Test
    void shouldWriteAllocationAsANumberForHayate() {
        String json = pingPong(0.0).toJson();
        assertTrue(PINGPONG.matcher(json).matches(), json);
        assertEquals(0L, Json.parseFlat(json).get("alloc_bytes_per_msg"));
        assertEquals(12.5, ((Number) Json.parseFlat(pingPong(12.5).toJson()).get("alloc_bytes_per_msg"))
                .doubleValue());
    }

    @Test
    void shouldWriteThroughputKeysInOrderWithTypes() {
        ThroughputResult r = new ThroughputResult("netty", 65_536, 5_000L * 65_536, 2_000_000_000L);
        String json = r.toJson();
        assertTrue(THROUGHPUT.matcher(json).matches(), json);
        Map<String, Object> m = Json.parseFlat(json);
        assertEquals(List.of("impl", "size", "msgs_per_s", "mb_per_s"), List.copyOf(m.keySet()));
        assertEquals(2_500L, m.get("msgs_per_s"));
        assertEquals(163.8, ((Number) m.get("mb_per_s")).doubleValue(), 1e-9);
    }

    @Test
    void shouldCountOnlyWholeMessagesPerSecond() {
        ThroughputResult r = new ThroughputResult("nio-busy", 64, 64 * 1000 + 10, 1_000_000_000L);
        assertEquals(1000.0, r.msgsPerSecond());
        assertEquals(0.06401, r.mbPerSecond(), 1e-9);
    }

    @Test
    void shouldEscapeAndReadBackStrings() {
        Map<String, Object> in = new LinkedHashMap<>();
        in.put("impl", "a \"quoted\"\\name\nwith\ttabs");
        in.put("nan", Double.NaN);
        in.put("flag", true);
        in.put("neg", -3);
        String json = Json.write(in);
        Map<String, Object> out = Json.parseFlat(json);
        assertEquals(in.get("impl"), out.get("impl"));
        assertNull(out.get("nan"));
        assertEquals(Boolean.TRUE, out.get("flag"));
        assertEquals(-3L, out.get("neg"));
    }

    @Test
    void shouldReadTheCBaselinesLine() {
        Map<String, Object> m = Json.parseFlat("{\"impl\":\"c-busy\",\"size\":64,\"count\":200000,\"min_us\":5.10,"
                + "\"p50_us\":6.53,\"p90_us\":7.02,\"p99_us\":12.80,\"p999_us\":20.11,\"max_us\":150.33,"
                + "\"mean_us\":6.90}\n");
        assertEquals(6.53, m.get("p50_us"));
        assertEquals(200_000L, m.get("count"));
    }

    @Test
    void shouldRejectWhatIsNotAFlatObject() {
        assertThrows(IllegalArgumentException.class, () -> Json.parseFlat("[1,2]"));
        assertThrows(IllegalArgumentException.class, () -> Json.parseFlat("{\"a\":1"));
        assertThrows(IllegalArgumentException.class, () -> Json.parseFlat("{\"a\":{\"b\":1}}"));
        assertThrows(IllegalArgumentException.class, () -> Json.parseFlat("{\"a\":1} trailing"));
        assertThrows(IllegalArgumentException.class, () -> Json.parseFlat("{\"a\":1,\"a\":2}"));
    }
}
