package dev.hayate.benchmarks;

import dev.hayate.benchmarks.impl.Impls;
import dev.hayate.benchmarks.rig.BenchException;
import dev.hayate.benchmarks.rig.Impl;
import dev.hayate.benchmarks.rig.Percentiles;
import dev.hayate.benchmarks.rig.PingPongPlan;
import dev.hayate.benchmarks.rig.PingPongResult;
import dev.hayate.benchmarks.rig.Runner;
import dev.hayate.benchmarks.rig.ThroughputResult;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code bench all}. */
@Command(name = "all", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "The whole comparison in one run: ping-pong of 64-byte messages for every implementation, then "
                    + "throughput of 64-byte and 64 KiB messages for those with a throughput side. Writes a "
                    + "Markdown report (ratios to c-busy and nio-busy, JDK, cores, date, the command) to stdout "
                    + "and to --out. Progress goes to stderr. An implementation that cannot run is listed with "
                    + "the reason. Stays under 10 minutes: runs still waiting when 9.5 minutes have passed are "
                    + "reported as not run.",
            ""
        })
final class AllCommand implements Callable<Integer> {
    /** The whole run must end within 10 minutes; leave room for the report and the last child. */
    static final Duration BUDGET = Duration.ofSeconds(570);
    static final int PING_SIZE = 64;
    static final int[] THROUGHPUT_SIZES = {64, 64 * 1024};

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--out", paramLabel = "FILE.md", description = "Also write the report to this file.")
    Path out;

    @Option(names = "--quick", description = "Short runs (20,000 round trips after 10,000 warm-up; throughput "
            + "2 s after 1 s) instead of 200,000 after 50,000 and 5 s after 1 s.")
    boolean quick;

    @Option(names = "--impls", split = ",", paramLabel = "NAME[,NAME...]",
            description = "Only these implementations (default: all).")
    List<String> only;

    @Option(names = "--count", paramLabel = "N", description = "Override measured round trips per implementation.")
    Long count;

    @Option(names = "--warmup", paramLabel = "N", description = "Override warm-up round trips.")
    Long warmup;

    @Option(names = "--seconds", paramLabel = "S", description = "Override measured seconds per throughput run.")
    Long seconds;

    @Option(names = "--c-pingpong", paramLabel = "PATH", description = "The C baseline script (or its folder).")
    Path cPingPong;

    long count() {
        return count != null ? count : quick ? 20_000 : 200_000;
    }

    long warmup() {
        return warmup != null ? warmup : quick ? 10_000 : 50_000;
    }

    long seconds() {
        return seconds != null ? seconds : quick ? 2 : 5;
    }

    static long warmupSeconds() {
        return 1;
    }

    List<Impl> impls() {
        List<Impl> all = Impls.all(cPingPong);
        if (only == null || only.isEmpty()) {
            return all;
        }
        List<Impl> chosen = new ArrayList<>();
        for (String name : only) {
            chosen.add(all.stream().filter(i -> i.name().equals(name)).findFirst()
                    .orElseThrow(() -> new CommandLine.ParameterException(spec.commandLine(),
                            "unknown impl '" + name + "'; known: " + Impls.names())));
        }
        return chosen;
    }

    @Override
    public Integer call() throws IOException {
        List<Impl> impls = impls();
        if (count() < 1 || warmup() < 0 || seconds() < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--count and --seconds must be at least 1, --warmup at least 0");
        }
        PrintWriter err = spec.commandLine().getErr();
        long start = System.nanoTime();
        long deadline = start + BUDGET.toNanos();
        Runner runner = new Runner(BenchMain.class);
        List<Impl> tput = impls.stream().filter(Impl::supportsThroughput).toList();
        int steps = impls.size() + tput.size() * THROUGHPUT_SIZES.length;
        int step = 0;
        String loadBefore = SystemInfo.loadAverage();
        err.printf("bench all: %d runs; load average %s; busy-spin implementations use both cores (client and "
                + "server each spin on one)%n", steps, loadBefore);
        err.flush();

        // Throughput runs are time-boxed already; reserve their time, and split the rest of the budget evenly
        // between the ping-pong runs still to come, so a loaded machine shortens runs instead of skipping them.
        long reserve = TimeUnit.SECONDS.toNanos(tput.size() * THROUGHPUT_SIZES.length
                * (seconds() + warmupSeconds() + 10));
        long firstCap = 0;
        List<Outcome<PingPongResult>> pingPong = new ArrayList<>();
        for (int k = 0; k < impls.size(); k++) {
            Impl impl = impls.get(k);
            step++;
            progress(err, step, steps, "pingpong " + impl.name(), start);
            long share = (deadline - System.nanoTime() - reserve) / (impls.size() - k);
            long cap = Math.max(share - TimeUnit.SECONDS.toNanos(5), TimeUnit.SECONDS.toNanos(15));
            firstCap = firstCap == 0 ? cap : firstCap;
            PingPongPlan plan = new PingPongPlan(PING_SIZE, count(), warmup(), 0, cap);
            Outcome<PingPongResult> o;
            long left = deadline - System.nanoTime();
            if (left < TimeUnit.SECONDS.toNanos(15)) {
                o = Outcome.failed(impl.name(), "not run: the 10-minute budget of bench all was used up");
            } else {
                try {
                    Duration timeout = Duration.ofNanos(Math.min(cap + TimeUnit.SECONDS.toNanos(30), left));
                    o = Outcome.ok(impl.name(), runner.pingPong(impl, plan, timeout));
                } catch (BenchException e) {
                    o = Outcome.failed(impl.name(), e.getMessage());
                }
            }
            pingPong.add(o);
            done(err, o.result() == null ? "unavailable: " + o.reason() : latency(o.result().latency()));
        }

        List<Outcome<ThroughputResult>> throughput = new ArrayList<>();
        for (int size : THROUGHPUT_SIZES) {
            for (Impl impl : tput) {
                step++;
                progress(err, step, steps, "throughput " + impl.name() + " " + size + " B", start);
                Outcome<ThroughputResult> o;
                long need = TimeUnit.SECONDS.toNanos(seconds() + warmupSeconds() + 15);
                if (deadline - System.nanoTime() < need) {
                    o = Outcome.failed(impl.name(), "not run: the 10-minute budget of bench all was used up");
                } else {
                    try {
                        o = Outcome.ok(impl.name(), runner.throughput(impl, size, seconds(), warmupSeconds()));
                    } catch (BenchException e) {
                        o = Outcome.failed(impl.name(), e.getMessage());
                    }
                }
                throughput.add(o);
                done(err, o.result() == null ? "unavailable: " + o.reason()
                        : String.format(Locale.ROOT, "%,.0f msgs/s, %,.0f MB/s", o.result().msgsPerSecond(),
                                o.result().mbPerSecond()));
            }
        }

        long elapsed = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
        String md = Report.markdown(new Report.AllRun(SystemInfo.command(), PING_SIZE, count(), warmup(),
                seconds(), warmupSeconds(), impls, pingPong, throughput, elapsed,
                TimeUnit.NANOSECONDS.toSeconds(firstCap), loadBefore, SystemInfo.loadAverage()));
        if (out != null) {
            Path parent = out.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.writeString(out, md, StandardCharsets.UTF_8);
            err.printf("bench all: report written to %s (%d s)%n", out, elapsed);
        }
        spec.commandLine().getOut().print(md);
        spec.commandLine().getOut().flush();
        err.flush();
        return 0;
    }

    private static String latency(Percentiles p) {
        return String.format(Locale.ROOT, "p50 %s us, p99 %s us", Report.us(p.p50Us()), Report.us(p.p99Us()));
    }

    private static void progress(PrintWriter err, int step, int steps, String what, long start) {
        err.printf("[%2d/%d +%3ds] %-28s ", step, steps,
                TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start), what);
        err.flush();
    }

    private static void done(PrintWriter err, String what) {
        err.println(what.replace('\n', ' '));
        err.flush();
    }
}
