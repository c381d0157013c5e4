package dev.hayate.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hayate.benchmarks.rig.PingPongPlan;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class BenchMainArgsTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cl = BenchMain.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    private static <T> T parse(Class<T> type, String... args) {
        CommandLine cl = BenchMain.commandLine();
        CommandLine.ParseResult pr = cl.parseArgs(args);
        return type.cast(pr.subcommand().commandSpec().userObject());
    }

    @Test
    void shouldDefaultPingPongTo64BytesAnd200kAfter50kUnpaced() {
        PingPongCommand c = parse(PingPongCommand.class, "pingpong", "--impl", "nio-busy");
        assertEquals(new PingPongPlan(64, 200_000, 50_000, 0), c.plan());
        assertEquals("nio-busy", c.impl().name());
        assertFalse(c.json);
        assertNull(c.cPingPong);
    }

    @Test
    void shouldReadEveryPingPongOption() {
        PingPongCommand c = parse(PingPongCommand.class, "pingpong", "--impl", "socket", "--size", "128",
                "--count", "1000", "--warmup", "10", "--rate", "5000", "--json");
        assertEquals(new PingPongPlan(128, 1000, 10, 5000), c.plan());
        assertTrue(c.plan().paced());
        assertTrue(c.json);
    }

    @Test
    void shouldDefaultThroughputTo64BytesFor5SecondsAfter1() {
        ThroughputCommand c = parse(ThroughputCommand.class, "throughput", "--impl", "netty");
        assertEquals(64, c.size);
        assertEquals(5, c.seconds);
        assertEquals(1, c.warmupSeconds);
        c.validate();
    }

    @Test
    void shouldScaleAllDownWithQuick() {
        AllCommand full = parse(AllCommand.class, "all");
        assertEquals(100_000, full.count());
        assertEquals(20_000, full.warmup());
        assertEquals(5, full.seconds());
        AllCommand quick = parse(AllCommand.class, "all", "--quick", "--out", "r.md");
        assertEquals(20_000, quick.count());
        assertEquals(10_000, quick.warmup());
        assertEquals(2, quick.seconds());
        AllCommand some = parse(AllCommand.class, "all", "--impls", "nio-busy,netty", "--count", "7");
        assertEquals(2, some.impls().size());
        assertEquals(7, some.count());
    }

    @Test
    void shouldRejectUnknownImplListingTheKnownOnes() {
        assertEquals(2, run("pingpong", "--impl", "nope"));
        assertTrue(err.toString().contains("unknown impl 'nope'"), err::toString);
        assertTrue(err.toString().contains("nio-busy"), err::toString);
        assertEquals(2, run("throughput", "--impl", "nope"));
        assertEquals(2, run("all", "--impls", "nio-busy,nope"));
    }

    @Test
    void shouldRejectNegativeOrZeroSizesAndCounts() {
        assertEquals(2, run("pingpong", "--impl", "nio-busy", "--size", "-1"));
        assertTrue(err.toString().contains("--size must be at least 1"), err::toString);
        assertEquals(2, run("pingpong", "--impl", "nio-busy", "--size", "0"));
        assertEquals(2, run("pingpong", "--impl", "nio-busy", "--count", "0"));
        assertEquals(2, run("pingpong", "--impl", "nio-busy", "--warmup", "-5"));
        assertEquals(2, run("pingpong", "--impl", "nio-busy", "--rate", "-1"));
        assertEquals(2, run("throughput", "--impl", "nio-busy", "--size", "-64"));
        assertEquals(2, run("throughput", "--impl", "nio-busy", "--seconds", "0"));
        assertEquals(2, run("all", "--count", "-1"));
    }

    @Test
    void shouldRejectMissingImplAndNonNumbers() {
        assertEquals(2, run("pingpong"));
        assertEquals(2, run("pingpong", "--impl", "nio-busy", "--size", "big"));
        assertEquals(2, run("bogus"));
    }

    @Test
    void shouldExplainEverythingInHelp() {
        assertEquals(0, run("--help"));
        String help = out.toString();
        for (String s : new String[] {"pingpong", "throughput", "all", "list", "jmh", "nio-busy", "netty-epoll",
                "aeron-ipc", "c-busy", "--add-exports java.base/jdk.internal.misc=ALL-UNNAMED", "hayate-benchmarks.jar"}) {
            assertTrue(help.contains(s), () -> "help lacks " + s + ":\n" + help);
        }
        assertFalse(help.matches("(?s).*\\n\\s+serve\\s.*"), "the child command stays hidden");
        out.getBuffer().setLength(0);
        assertEquals(0, run("pingpong", "--help"));
        assertTrue(out.toString().contains("intended send time"), out::toString);
        assertTrue(out.toString().contains("(default: 200000)"), out::toString);
    }

    @Test
    void shouldReportAnImplWithoutRateSupportAsUnavailableNotCrash() {
        assertEquals(BenchMain.UNAVAILABLE, run("pingpong", "--impl", "c-busy", "--rate", "1000", "--json"));
        assertTrue(out.toString().contains("\"unavailable\":"), out::toString);
        assertEquals(BenchMain.UNAVAILABLE, run("throughput", "--impl", "socket"));
        assertTrue(err.toString().contains("socket unavailable"), err::toString);
    }
}
