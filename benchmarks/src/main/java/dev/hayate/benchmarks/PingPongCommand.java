package dev.hayate.benchmarks;

import dev.hayate.benchmarks.impl.Impls;
import dev.hayate.benchmarks.rig.BenchException;
import dev.hayate.benchmarks.rig.Impl;
import dev.hayate.benchmarks.rig.Json;
import dev.hayate.benchmarks.rig.PingPongPlan;
import dev.hayate.benchmarks.rig.PingPongResult;
import dev.hayate.benchmarks.rig.Runner;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code bench pingpong}. */
@Command(name = "pingpong", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Round-trip latency: the client (this JVM) sends one message, waits for its echo from the server (a "
                    + "child JVM), and records the time in an HdrHistogram; one message in flight. Prints "
                    + "p50/p90/p99/p99.9/max in microseconds.",
            ""
        })
final class PingPongCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--impl", required = true, paramLabel = "NAME", completionCandidates = BenchMain.ImplNames.class,
            description = "Implementation: ${COMPLETION-CANDIDATES}.")
    String impl;

    @Option(names = "--size", defaultValue = "64", paramLabel = "BYTES",
            description = "Bytes per message (default: ${DEFAULT-VALUE}).")
    int size;

    @Option(names = "--count", defaultValue = "200000", paramLabel = "N",
            description = "Measured round trips (default: ${DEFAULT-VALUE}).")
    long count;

    @Option(names = "--warmup", defaultValue = "50000", paramLabel = "N",
            description = "Round trips before measuring, not recorded (default: ${DEFAULT-VALUE}).")
    long warmup;

    @Option(names = "--rate", defaultValue = "0", paramLabel = "N",
            description = "Send at a fixed N round trips/s during the measured part and measure each round trip "
                    + "from its intended send time, so stalls are not hidden (coordinated omission). "
                    + "0 = as fast as possible (default).")
    long rate;

    @Option(names = "--json", description = "Print one JSON line instead of a table.")
    boolean json;

    @Option(names = "--c-pingpong", paramLabel = "PATH",
            description = "The C baseline script (or its folder); default: $HAYATE_SHARED_BENCH, "
                    + "<repo>/../shared/bench.")
    Path cPingPong;

    /**
     * @return the implementation named by {@code --impl}
     */
    Impl impl() {
        return Impls.byName(impl, cPingPong).orElseThrow(() -> new CommandLine.ParameterException(
                spec.commandLine(), "unknown impl '" + impl + "'; known: " + Impls.names()));
    }

    /**
     * @return the validated plan
     */
    PingPongPlan plan() {
        if (size < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--size must be at least 1: " + size);
        }
        if (count < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--count must be at least 1: " + count);
        }
        if (warmup < 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--warmup must not be negative: " + warmup);
        }
        if (rate < 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--rate must not be negative: " + rate);
        }
        return new PingPongPlan(size, count, warmup, rate);
    }

    @Override
    public Integer call() {
        Impl i = impl();
        if (!i.supportsPingPong()) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    i.name() + " has no ping-pong of its own (it is a throughput variant): " + i.description());
        }
        PingPongPlan plan = plan();
        try {
            PingPongResult r = new Runner(BenchMain.class).pingPong(i, plan, Runner.pingPongTimeout(plan));
            spec.commandLine().getOut().println(json ? r.toJson() : Report.pingPongText(r, i.description()));
            spec.commandLine().getOut().flush();
            return 0;
        } catch (BenchException e) {
            return unavailable(spec, i.name(), size, json, e.getMessage());
        }
    }

    static int unavailable(CommandLine.Model.CommandSpec spec, String impl, int size, boolean json, String reason) {
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("impl", impl);
            m.put("size", size);
            m.put("unavailable", reason);
            spec.commandLine().getOut().println(Json.write(m));
            spec.commandLine().getOut().flush();
        }
        spec.commandLine().getErr().println(impl + " unavailable: " + reason);
        spec.commandLine().getErr().flush();
        return BenchMain.UNAVAILABLE;
    }
}
