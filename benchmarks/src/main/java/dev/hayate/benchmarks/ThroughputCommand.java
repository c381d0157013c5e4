package dev.hayate.benchmarks;

import dev.hayate.benchmarks.impl.Impls;
import dev.hayate.benchmarks.rig.BenchException;
import dev.hayate.benchmarks.rig.Impl;
import dev.hayate.benchmarks.rig.Runner;
import dev.hayate.benchmarks.rig.ThroughputResult;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code bench throughput}. */
@Command(name = "throughput", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "One-way throughput over one connection: the server (a child JVM) sends messages as fast as it can; "
                    + "the receiver (this JVM) counts bytes after a warm-up and reports messages/s and MB/s "
                    + "(10^6 bytes). Implementations with a throughput side: hayate-nonblocking, hayate-quic, nio-busy, "
                    + "netty.",
            ""
        })
final class ThroughputCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--impl", required = true, paramLabel = "NAME", completionCandidates = BenchMain.ImplNames.class,
            description = "Implementation: ${COMPLETION-CANDIDATES}.")
    String impl;

    @Option(names = "--size", defaultValue = "64", paramLabel = "BYTES",
            description = "Bytes per message (default: ${DEFAULT-VALUE}).")
    int size;

    @Option(names = "--seconds", defaultValue = "5", paramLabel = "S",
            description = "Measured seconds (default: ${DEFAULT-VALUE}).")
    long seconds;

    @Option(names = "--warmup-seconds", defaultValue = "1", paramLabel = "S",
            description = "Seconds of sending before counting starts (default: ${DEFAULT-VALUE}).")
    long warmupSeconds;

    @Option(names = "--json", description = "Print one JSON line instead of a table.")
    boolean json;

    Impl impl() {
        return Impls.byName(impl, null).orElseThrow(() -> new CommandLine.ParameterException(
                spec.commandLine(), "unknown impl '" + impl + "'; known: " + Impls.names()));
    }

    void validate() {
        if (size < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--size must be at least 1: " + size);
        }
        if (seconds < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--seconds must be at least 1: " + seconds);
        }
        if (warmupSeconds < 0) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--warmup-seconds must not be negative: " + warmupSeconds);
        }
    }

    @Override
    public Integer call() {
        Impl i = impl();
        validate();
        try {
            ThroughputResult r = new Runner(BenchMain.class).throughput(i, size, seconds, warmupSeconds);
            spec.commandLine().getOut().println(json ? r.toJson() : Report.throughputText(r, i.description()));
            spec.commandLine().getOut().flush();
            return 0;
        } catch (BenchException e) {
            return PingPongCommand.unavailable(spec, i.name(), size, json, e.getMessage());
        }
    }
}
