package dev.hayate.benchmarks;

import dev.hayate.benchmarks.impl.Impls;
import dev.hayate.benchmarks.rig.Impl;
import java.util.Arrays;
import java.util.Iterator;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code bench}: Hayate's benchmark launcher. Subcommands {@code pingpong}, {@code throughput}, {@code soak}, {@code all},
 * {@code list}, {@code jmh}; {@code serve} is the child side and is started by the others.
 *
 * <p>Run from the shaded jar:
 * <pre>
 * java --add-exports java.base/jdk.internal.misc=ALL-UNNAMED -jar benchmarks/target/hayate-benchmarks.jar all --quick
 * </pre>
 */
@Command(name = "bench", mixinStandardHelpOptions = true, version = "hayate-benchmarks 0.1.0-SNAPSHOT",
        description = {
            "Round-trip latency and one-way throughput of Hayate and the peers a user would pick instead, in one "
                    + "run. The server side runs in a child JVM, the measuring client in this one, on 127.0.0.1.",
            ""
        },
        subcommands = {PingPongCommand.class, ThroughputCommand.class, TransferCommand.class, RelayBenchCommand.class,
            SoakCommand.class, AllCommand.class,
            ListCommand.class, JmhCommand.class, ServeCommand.class, CommandLine.HelpCommand.class},
        footer = {
            "",
            "Implementations (details and whether each can run here: bench list):",
            "  ${bench.impls}",
            "",
            "Launch (every JVM of the rig needs the agrona export; child JVMs get it automatically):",
            "  java --add-exports java.base/jdk.internal.misc=ALL-UNNAMED -jar benchmarks/target/hayate-benchmarks.jar CMD",
            "Examples (bench = the line above):",
            "  bench all --quick --out results.md",
            "  bench pingpong --impl nio-busy --size 64 --count 200000 --warmup 50000 --json",
            "  bench pingpong --impl netty --rate 20000",
            "  bench throughput --impl netty --size 65536 --seconds 5",
            "  bench soak --connections 1000 --seconds 60 --attackers 8",
            "  bench jmh -l",
            "Exit status: 0 done, 2 bad arguments, 3 the implementation is unavailable or failed."
        })
public final class BenchMain implements Runnable {
    /** Exit status when the implementation is unavailable or fails. */
    public static final int UNAVAILABLE = 3;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    /**
     * @param args command line
     * @throws Exception from JMH
     */
    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("jmh")) {
            org.openjdk.jmh.Main.main(Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        System.exit(commandLine().execute(args));
    }

    /**
     * @return the command line with all subcommands
     */
    public static CommandLine commandLine() {
        System.setProperty("bench.impls", Impls.names());
        return new CommandLine(new BenchMain()).setCaseInsensitiveEnumValuesAllowed(true).setUsageHelpWidth(110);
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Completion candidates and help text for {@code --impl}. */
    static final class ImplNames implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return Impls.all(null).stream().map(Impl::name).iterator();
        }
    }
}
