package dev.hayate.benchmarks;

import dev.hayate.benchmarks.rig.Impl;
import dev.hayate.benchmarks.rig.Percentiles;
import dev.hayate.benchmarks.rig.PingPongResult;
import dev.hayate.benchmarks.rig.ThroughputResult;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Text output: the human tables of single runs and the Markdown report of {@code bench all}.
 */
final class Report {
    private Report() {
    }

    static String us(double v) {
        return String.format(Locale.ROOT, v >= 1000 ? "%.0f" : v >= 100 ? "%.1f" : "%.2f", v);
    }

    static String ratio(double value, double base) {
        if (!(base > 0)) {
            return "—";
        }
        double r = value / base;
        return String.format(Locale.ROOT, r >= 0.1 ? "%.2f×" : "%.2g×", r);
    }

    static String count(double v) {
        return String.format(Locale.ROOT, "%,.0f", v);
    }

    /** The human table of {@code bench pingpong}. */
    static String pingPongText(PingPongResult r, String description) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%-12s %6s %9s %9s %9s %9s %9s %9s %12s%n",
                "impl", "size", "count", "p50 us", "p90 us", "p99 us", "p99.9 us", "max us", "alloc B/msg"));
        row(sb, r.impl(), r, r.latency());
        if (r.serviceTime() != null) {
            row(sb, "  (service)", r, r.serviceTime());
            sb.append(String.format(Locale.ROOT, "paced at %,d round trips/s: latency measured from each message's "
                    + "intended send time (coordinated omission corrected);%n(service) is measured from the actual "
                    + "send and hides queueing behind stalls.%n", r.rate()));
        }
        sb.append(r.impl()).append(": ").append(description).append(System.lineSeparator());
        return sb.toString();
    }

    private static void row(StringBuilder sb, String name, PingPongResult r, Percentiles p) {
        sb.append(String.format(Locale.ROOT, "%-12s %6d %9d %9s %9s %9s %9s %9s %12s%n", name, r.size(), r.count(),
                us(p.p50Us()), us(p.p90Us()), us(p.p99Us()), us(p.p999Us()), us(p.maxUs()),
                r.allocBytesPerMsg() == null ? "-" : String.format(Locale.ROOT, "%.1f", r.allocBytesPerMsg())));
    }

    /** The human table of {@code bench throughput}. */
    static String throughputText(ThroughputResult r, String description) {
        return String.format(Locale.ROOT, "%-12s %8s %14s %10s%n%-12s %8d %14s %10.1f%n%s: %s%n",
                "impl", "size", "msgs/s", "MB/s", r.impl(), r.size(), count(r.msgsPerSecond()), r.mbPerSecond(),
                r.impl(), description);
    }

    /** Everything {@code bench all} ran. */
    record AllRun(String command, int size, long count, long warmup, long seconds, long warmupSeconds,
                  List<Impl> impls, List<Outcome<PingPongResult>> pingPong,
                  List<Outcome<ThroughputResult>> throughput, long elapsedSeconds, String loadBefore, String loadAfter) {
    }

    static String markdown(AllRun run) {
        StringBuilder sb = new StringBuilder();
        sb.append("# Hayate benchmarks: latency and throughput against peers, one run\n\n");
        sb.append("- date: ").append(SystemInfo.date()).append(" (took ").append(run.elapsedSeconds()).append(" s)\n");
        sb.append("- command: `").append(run.command()).append("`\n");
        sb.append("- JDK: ").append(SystemInfo.jdk()).append('\n');
        sb.append("- machine: ").append(SystemInfo.cores()).append(" cores, ").append(SystemInfo.cpu()).append(", ")
                .append(SystemInfo.os()).append("; load average (1/5/15 min) ").append(run.loadBefore())
                .append(" before, ").append(run.loadAfter()).append(" after\n");
        sb.append("- rig: client (parent JVM, measures) and server (child JVM) are two processes on 127.0.0.1; one "
                + "message in flight; Java percentiles from HdrHistogram (3 significant digits), C from exact "
                + "sorted samples\n");
        sb.append("- busy-spin implementations (c-busy, nio-busy, netty-epoll, aeron-ipc): client and server each "
                + "spin on one core, so on 2 cores they occupy the whole machine\n");
        sb.append("- every ping-pong row measures the same number of round trips (column n), so the percentiles "
                + "compare like for like; no run is cut short\n\n");

        sb.append(String.format(Locale.ROOT, "## Round-trip latency, %d-byte messages (µs; %,d measured after %,d "
                + "warm-up, unpaced)%n%n", run.size(), run.count(), run.warmup()));
        PingPongResult cBusy = find(run.pingPong(), "c-busy");
        PingPongResult nio = find(run.pingPong(), "nio-busy");
        sb.append("| impl | n | p50 | p90 | p99 | p99.9 | max | p50 / c-busy | p99 / c-busy | p50 / nio-busy "
                + "| p99 / nio-busy | alloc B/msg |\n");
        sb.append("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n");
        for (Outcome<PingPongResult> o : run.pingPong()) {
            PingPongResult r = o.result();
            if (r == null) {
                sb.append("| ").append(o.impl()).append(" | — | — | — | — | — | — | — | — | — | — | — |\n");
                continue;
            }
            Percentiles p = r.latency();
            sb.append("| ").append(r.impl()).append(" | ").append(count(r.count()))
                    .append(" | ").append(us(p.p50Us())).append(" | ").append(us(p.p90Us()))
                    .append(" | ").append(us(p.p99Us())).append(" | ").append(us(p.p999Us()))
                    .append(" | ").append(us(p.maxUs()))
                    .append(" | ").append(cBusy == null ? "—" : ratio(p.p50Us(), cBusy.latency().p50Us()))
                    .append(" | ").append(cBusy == null ? "—" : ratio(p.p99Us(), cBusy.latency().p99Us()))
                    .append(" | ").append(nio == null ? "—" : ratio(p.p50Us(), nio.latency().p50Us()))
                    .append(" | ").append(nio == null ? "—" : ratio(p.p99Us(), nio.latency().p99Us()))
                    .append(" | ").append(r.allocBytesPerMsg() == null ? "—"
                            : String.format(Locale.ROOT, "%.1f", r.allocBytesPerMsg()))
                    .append(" |\n");
        }
        reasons(sb, run.pingPong());

        sb.append(String.format(Locale.ROOT, "%n## Throughput, one connection, one way (%d s measured after %d s "
                + "warm-up; MB = 10^6 bytes)%n%n", run.seconds(), run.warmupSeconds()));
        sb.append("| impl | message size | msgs/s | MB/s | msgs/s / nio-busy | msgs/s / nio-busy-1m |\n"
                + "|---|--:|--:|--:|--:|--:|\n");
        for (Outcome<ThroughputResult> o : run.throughput()) {
            ThroughputResult r = o.result();
            if (r == null) {
                sb.append("| ").append(o.impl()).append(" | — | — | — | — | — |\n");
                continue;
            }
            sb.append("| ").append(r.impl()).append(" | ").append(size(r.size()))
                    .append(" | ").append(count(r.msgsPerSecond()))
                    .append(" | ").append(String.format(Locale.ROOT, "%,.0f", r.mbPerSecond()))
                    .append(" | ").append(throughputRatio(run, r, "nio-busy"))
                    .append(" | ").append(throughputRatio(run, r, "nio-busy-1m"))
                    .append(" |\n");
        }
        reasons(sb, run.throughput());

        sb.append("\n## Implementations\n\n");
        for (Impl i : run.impls()) {
            sb.append("- `").append(i.name()).append("`: ").append(i.description()).append('\n');
        }
        sb.append("\nAeron: one embedded media driver in the pong JVM shared by both processes, ThreadingMode.SHARED, "
                + "64 KiB term buffers; aeron-ipc: driver BackoffIdleStrategy (off the data path), ping/pong "
                + "busy-spin; aeron-udp: driver and ping/pong YieldingIdleStrategy (three threads on two cores; parking or "
                + "spinning was far worse here). Netty: FixedLengthFrameDecoder + handler, "
                + "TCP_NODELAY, default allocator; the client side is a ManualIoEventLoop driven by the measuring "
                + "thread (netty: run(timeout), blocking in select; netty-epoll: runNow(), busy-poll; its server "
                + "uses SelectStrategy.BUSY_WAIT). Throughput: nio-busy writes 64 KiB batches of whole messages "
                + "(raw byte moving), nio-busy-1m 1 MiB ones (the size of Hayate's writes); netty writes one buffer per message and flushes when the channel turns "
                + "unwritable.\n");
        return sb.toString();
    }

    /**
     * @return {@code r}'s messages per second over those of {@code peer} at the same size in this run, or a dash
     */
    private static String throughputRatio(AllRun run, ThroughputResult r, String peer) {
        ThroughputResult base = run.throughput().stream().map(Outcome::result).filter(Objects::nonNull)
                .filter(t -> t.impl().equals(peer) && t.size() == r.size()).findFirst().orElse(null);
        return base == null ? "—" : ratio(r.msgsPerSecond(), base.msgsPerSecond());
    }

    private static String size(int bytes) {
        return bytes % 1024 == 0 ? bytes / 1024 + " KiB" : bytes + " B";
    }

    private static <T> void reasons(StringBuilder sb, List<Outcome<T>> outcomes) {
        boolean first = true;
        for (Outcome<T> o : outcomes) {
            if (o.result() == null) {
                if (first) {
                    sb.append('\n');
                    first = false;
                }
                sb.append("- `").append(o.impl()).append("` unavailable: ")
                        .append(o.reason().replace('\n', ' ').replace('|', '/')).append('\n');
            }
        }
    }

    private static PingPongResult find(List<Outcome<PingPongResult>> outcomes, String name) {
        return outcomes.stream().map(Outcome::result).filter(Objects::nonNull).filter(r -> r.impl().equals(name))
                .findFirst().orElse(null);
    }
}
