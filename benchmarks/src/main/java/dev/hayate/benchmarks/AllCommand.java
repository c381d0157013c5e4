package dev.hayate.benchmarks;

import dev.hayate.benchmarks.impl.Impls;
import dev.hayate.benchmarks.rig.BenchException;
import dev.hayate.benchmarks.rig.Impl;
import dev.hayate.benchmarks.rig.Json;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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
                    + "the reason. Every ping-pong row measures the same number of round trips, so percentiles "
                    + "compare like for like; a run is never cut short: one that cannot finish inside the "
                    + "15-minute budget is reported as not run. With --out, the raw results also go to a JSON "
                    + "Lines file beside the report (FILE.jsonl).",
            ""
        })
final class AllCommand implements Callable<Integer> {
    /** The whole run ends within 15 minutes; a run that would pass it is stopped and reported as not run. */
    static final Duration BUDGET = Duration.ofSeconds(900);
    static final int PING_SIZE = 64;
    static final int[] THROUGHPUT_SIZES = {64, 64 * 1024};

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--out", paramLabel = "FILE.md", description = "Also write the report to this file.")
    Path out;

    @Option(names = "--quick", description = "Short runs (20,000 round trips after 10,000 warm-up; throughput "
            + "2 s after 1 s) instead of 100,000 after 20,000 and 5 s after 1 s.")
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
        return count != null ? count : quick ? 20_000 : 100_000;
    }

    long warmup() {
        return warmup != null ? warmup : quick ? 10_000 : 20_000;
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
        List<Impl> pinging = impls.stream().filter(Impl::supportsPingPong).toList();
        int steps = pinging.size() + tput.size() * THROUGHPUT_SIZES.length;
        int step = 0;
        String loadBefore = SystemInfo.loadAverage();
        err.printf("bench all: %d runs; load average %s; busy-spin implementations use both cores (client and "
                + "server each spin on one)%n", steps, loadBefore);
        err.flush();

        // Throughput runs are time-boxed already: reserve their time. Ping-pong runs are never cut short (a
        // time cap would leave rows with fewer samples, and p99.9 over unequal samples does not compare); a run
        // that cannot finish in what is left of the budget is stopped and reported as not run.
        long reserve = TimeUnit.SECONDS.toNanos(tput.size() * THROUGHPUT_SIZES.length
                * (seconds() + warmupSeconds() + 10));
        PingPongPlan plan = new PingPongPlan(PING_SIZE, count(), warmup(), 0);
        List<Outcome<PingPongResult>> pingPong = new ArrayList<>();
        for (Impl impl : pinging) {
            step++;
            progress(err, step, steps, "pingpong " + impl.name(), start);
            Outcome<PingPongResult> o;
            long left = deadline - System.nanoTime() - reserve;
            if (left < TimeUnit.SECONDS.toNanos(15)) {
                o = Outcome.failed(impl.name(), "not run: the 15-minute budget of bench all was used up");
            } else {
                try {
                    o = Outcome.ok(impl.name(), runner.pingPong(impl, plan, Duration.ofNanos(left)));
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
                    o = Outcome.failed(impl.name(), "not run: the 15-minute budget of bench all was used up");
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
                seconds(), warmupSeconds(), impls, pingPong, throughput, elapsed, loadBefore,
                SystemInfo.loadAverage()));
        if (out != null) {
            Path parent = out.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.writeString(out, md, StandardCharsets.UTF_8);
            Path raw = rawResults(out);
            Files.writeString(raw, jsonLines(pingPong, throughput), StandardCharsets.UTF_8);
            err.printf("bench all: report written to %s, raw results to %s (%d s)%n", out, raw, elapsed);
        }
        spec.commandLine().getOut().print(md);
        spec.commandLine().getOut().flush();
        err.flush();
        return 0;
    }

    /** @return {@code X.jsonl} beside {@code X.md} (or beside any other name). */
    static Path rawResults(Path report) {
        String name = report.getFileName().toString();
        String stem = name.endsWith(".md") ? name.substring(0, name.length() - 3) : name;
        return report.resolveSibling(stem + ".jsonl");
    }

    /** One JSON object per row, as {@code bench pingpong --json} and {@code bench throughput --json} print them. */
    static String jsonLines(List<Outcome<PingPongResult>> pingPong, List<Outcome<ThroughputResult>> throughput) {
        StringBuilder sb = new StringBuilder();
        for (Outcome<PingPongResult> o : pingPong) {
            sb.append(o.result() != null ? o.result().toJson() : notRun("pingpong", o)).append('\n');
        }
        for (Outcome<ThroughputResult> o : throughput) {
            sb.append(o.result() != null ? o.result().toJson() : notRun("throughput", o)).append('\n');
        }
        return sb.toString();
    }

    private static String notRun(String kind, Outcome<?> o) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("kind", kind);
        fields.put("impl", o.impl());
        fields.put("unavailable", o.reason());
        return Json.write(fields);
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
