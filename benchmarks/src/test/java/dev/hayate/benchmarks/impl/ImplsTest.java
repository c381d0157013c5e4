package dev.hayate.benchmarks.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hayate.benchmarks.rig.BenchException;
import dev.hayate.benchmarks.rig.ExternalImpl;
import dev.hayate.benchmarks.rig.Impl;
import dev.hayate.benchmarks.rig.JvmImpl;
import dev.hayate.benchmarks.rig.PingPongPlan;
import dev.hayate.benchmarks.rig.PingPongResult;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImplsTest {
    @Test
    void shouldRegisterEveryPeerOnceByName() {
        List<String> names = Impls.all(null).stream().map(Impl::name).toList();
        assertEquals(List.of("hayate-nonblocking", "hayate-blocking", "hayate-async", "hayate-async-direct",
                "hayate-async-pool", "hayate-async-spin", "hayate-async-invoker", "hayate-async-busy", "hayate-quic", "hayate-tls",
                "hayate-tls-openssl", "c-busy", "c-block", "nio-busy", "nio-busy-1m", "socket", "netty", "netty-threaded", "netty-epoll", "netty-tls", "aeron-udp", "aeron-ipc"), names);
        assertEquals(names.size(), new HashSet<>(names).size());
        for (Impl i : Impls.all(null)) {
            assertTrue(i instanceof JvmImpl || i instanceof ExternalImpl, i.name());
            assertFalse(i.description().isBlank());
        }
        Set<String> throughput = new HashSet<>();
        Impls.all(null).stream().filter(Impl::supportsThroughput).forEach(i -> throughput.add(i.name()));
        assertEquals(Set.of("hayate-nonblocking", "hayate-quic", "hayate-tls", "hayate-tls-openssl", "nio-busy", "nio-busy-1m",
                "netty", "netty-tls"), throughput);
        assertEquals(List.of("nio-busy-1m"), Impls.all(null).stream().filter(i -> !i.supportsPingPong())
                .map(Impl::name).toList());
    }

    @Test
    void shouldSayWhyTheCBaselineIsMissingWhenPointedAtNothing(@TempDir Path dir) {
        CPingPongImpl c = new CPingPongImpl(true, dir.resolve("nowhere"));
        assertEquals(List.of(dir.resolve("nowhere")), c.candidates());
        String reason = c.unavailableReason();
        assertNotNull(reason);
        assertTrue(reason.contains("nowhere"), reason);
        assertFalse(c.supportsRate());
    }

    @Test
    void shouldAcceptTheFolderOfTheScript(@TempDir Path dir) {
        assertEquals(List.of(dir.resolve(CPingPongImpl.SCRIPT)), new CPingPongImpl(false, dir).candidates());
    }

    @Test
    void shouldReadTheScriptsOutput() throws BenchException {
        PingPongResult r = CPingPongImpl.parse("c-busy", new PingPongPlan(64, 1000, 10, 0),
                "{\"impl\":\"c-busy\",\"size\":64,\"count\":1000,\"min_us\":5.1,\"p50_us\":6.53,\"p90_us\":7.02,"
                        + "\"p99_us\":12.8,\"p999_us\":20.11,\"max_us\":150.33,\"mean_us\":6.9}");
        assertEquals(6.53, r.latency().p50Us());
        assertEquals(150.33, r.latency().maxUs());
        assertEquals(null, r.allocBytesPerMsg());
    }

    @Test
    void shouldSizeAeronTermsForTheMessage() {
        assertEquals(64 * 1024, AeronImpl.termLength(64));
        assertEquals(64 * 1024, AeronImpl.termLength(8 * 1024));
        assertEquals(128 * 1024, AeronImpl.termLength(8 * 1024 + 1));
        assertEquals(512 * 1024, AeronImpl.termLength(64 * 1024));
    }
}
