package dev.hayate.benchmarks;

import dev.hayate.benchmarks.rig.Json;
import dev.hayate.benchmarks.transfer.Row;
import dev.hayate.benchmarks.transfer.ScpRig;
import dev.hayate.benchmarks.transfer.TransferRig;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bench transfer}: file-transfer throughput of the hayate engine against a raw TCP copy and {@code scp}, in
 * one run, each row with its receiver and its sender in two child JVMs (scp: its own processes).
 *
 * <p>Not thread-safe: a picocli command, run once.
 */
@Command(name = "transfer", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "File-transfer throughput on 127.0.0.1: one random file (made once, reused by every row) moved by "
                    + "hayate (AES-256-GCM, XXH64, LZ4 tried), hayate-nocompress, raw-tcp (FileChannel.transferTo "
                    + "-> socket -> 4 MiB reads -> FileChannel.write: the ceiling) and scp -c aes128-gcm@openssh.com "
                    + "to an sshd this command starts on a free port (skipped when OpenSSH is not installed). With "
                    + "--transport quic the hayate rows run over QUIC and raw-quic is added. Each row's receiver and "
                    + "sender run in two child JVMs; MB/s is 10^6 bytes of content per second from the first byte to the "
                    + "verified end (JVM start-up and pairing excluded). Every received file is compared with the "
                    + "source byte for byte. Nothing is dropped from the page cache: every row reads the source "
                    + "from it. Not part of 'bench all' (it takes minutes).",
            ""
        })
final class TransferCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--size-mib", defaultValue = "1024", paramLabel = "MIB",
            description = "File size in MiB (default: ${DEFAULT-VALUE}).")
    long sizeMib;

    @Option(names = "--transport", defaultValue = "tcp", paramLabel = "tcp|quic",
            description = "Transport of the hayate rows (default: ${DEFAULT-VALUE}).")
    String transport;

    @Option(names = "--runs", defaultValue = "1", paramLabel = "N",
            description = "Runs of every row, interleaved; each row reports its fastest run (default: "
                    + "${DEFAULT-VALUE}).")
    int runs;

    @Option(names = "--rows", split = ",", paramLabel = "ROW[,ROW...]",
            description = "Only these rows (hayate, hayate-warm, hayate-nocompress, raw-tcp, scp, raw-quic).")
    List<String> only;

    @Option(names = "--warm", description = "Add hayate-warm: the same two JVMs move the file twice and only the "
            + "second transfer is reported, to separate the engine's steady state from JIT warm-up.")
    boolean warm;

    @Option(names = "--receive-dir", paramLabel = "DIR",
            description = "Every row writes what it receives under a new folder in DIR (default: beside the source, "
                    + "in the temporary folder). A tmpfs such as /dev/shm takes the disk out of the measurement: "
                    + "fsync there costs nothing, so the rows compare the engines alone.")
    Path receiveDir;

    @Option(names = "--keep-file", description = "Keep the random source file (its path is printed).")
    boolean keepFile;

    @Option(names = "--jfr", paramLabel = "DIR",
            description = "Record a JFR profile (settings=profile) of every child JVM into DIR.")
    Path jfr;

    @Option(names = "--child-java-opts", paramLabel = "\"OPT ...\"",
            description = "Extra JVM options for every child JVM, space-separated (diagnosis: "
                    + "-XX:CompileThresholdScaling=0.05, GC flags ...).")
    String childJavaOpts;

    @Option(names = "--json", description = "One JSON object per row instead of a table.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        if (sizeMib < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--size-mib must be at least 1: " + sizeMib);
        }
        if (runs < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--runs must be at least 1: " + runs);
        }
        if (!transport.equals("tcp") && !transport.equals("quic")) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--transport must be tcp or quic");
        }
        List<String> rows = new ArrayList<>(List.of("hayate", "hayate-nocompress", "raw-tcp", ScpRig.IMPL));
        if (warm || (only != null && only.contains("hayate-warm"))) {
            rows.add(1, "hayate-warm");
        }
        if (transport.equals("quic")) {
            rows.add("raw-quic");
        }
        if (only != null) {
            for (String r : only) {
                if (!rows.contains(r)) {
                    throw new CommandLine.ParameterException(spec.commandLine(), "unknown row '" + r + "'; known "
                            + "with --transport " + transport + ": " + String.join(", ", rows));
                }
            }
            rows.retainAll(only);
        }
        if (jfr != null) {
            Files.createDirectories(jfr);
        }
        PrintWriter err = spec.commandLine().getErr();
        Path work = Files.createTempDirectory("hayate-bench-transfer-");
        Path source = work.resolve("random-" + sizeMib + "MiB.bin");
        Map<String, Row> best = new LinkedHashMap<>();
        Path received = receiveDir == null ? Files.createDirectory(work.resolve("received"))
                : Files.createTempDirectory(Files.createDirectories(receiveDir), "hayate-bench-received-");
        try (ScpRig scp = new ScpRig(Files.createDirectory(work.resolve("scp")),
                Files.createDirectory(received.resolve("scp")))) {
            err.printf("bench transfer: writing %d MiB of random bytes to %s%n", sizeMib, source);
            TransferRig.writeRandomFile(source, sizeMib << 20);
            TransferRig rig = new TransferRig(received, source, transport, jfr == null ? null : jfr.toAbsolutePath(),
                    childJavaOpts == null || childJavaOpts.isBlank() ? List.of()
                            : List.of(childJavaOpts.trim().split("\\s+")));
            if (rows.contains(ScpRig.IMPL)) {
                String why = scp.start();
                if (why != null) {
                    err.println("bench transfer: scp " + why);
                }
            }
            for (int run = 1; run <= runs; run++) {
                for (String name : rows) {
                    err.printf("bench transfer: run %d/%d %s ...%n", run, runs, name);
                    err.flush();
                    Row r = switch (name) {
                        case "hayate" -> rig.hayate(name, true);
                        case "hayate-warm" -> rig.hayate(name, true, 2);
                        case "hayate-nocompress" -> rig.hayate(name, false);
                        case "raw-tcp", "raw-quic" -> rig.raw(name);
                        default -> scp.copy(source);
                    };
                    err.printf("bench transfer:   %s%n", r.ran() ? String.format(Locale.ROOT, "%.1f MB/s",
                            r.mbPerS()) : r.note());
                    best.merge(name, r, TransferCommand::better);
                }
            }
        } finally {
            if (keepFile && Files.exists(source)) {
                Path kept = Files.createTempFile("hayate-bench-transfer-", ".bin");
                Files.move(source, kept, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                err.println("bench transfer: kept the source file: " + kept);
            }
            deleteTree(work);
            if (receiveDir != null) {
                deleteTree(received);
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            for (Row r : best.values()) {
                out.println(Json.write(r.toMap(sizeMib, transport)));
            }
        } else {
            out.print(table(new ArrayList<>(best.values())));
        }
        out.flush();
        boolean failed = best.values().stream().anyMatch(r -> r.note() != null && r.note().startsWith("failed"));
        return failed ? BenchMain.UNAVAILABLE : 0;
    }

    private static Row better(final Row a, final Row b) {
        if (!a.ran()) {
            return b;
        }
        if (!b.ran()) {
            return a;
        }
        return b.mbPerS() > a.mbPerS() ? b : a;
    }

    private String table(final List<Row> rows) {
        double scp = rows.stream().filter(r -> r.impl().equals(ScpRig.IMPL) && r.ran()).mapToDouble(Row::mbPerS)
                .findFirst().orElse(Double.NaN);
        double raw = rows.stream().filter(r -> r.impl().equals("raw-tcp") && r.ran()).mapToDouble(Row::mbPerS)
                .findFirst().orElse(Double.NaN);
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "bench transfer: %d MiB of random bytes over 127.0.0.1, hayate rows on "
                + "%s, fastest of %d run(s); every row reads the source from the page cache (nothing dropped)%s%n",
                sizeMib, transport, runs, receiveDir == null ? "" : "; received into " + receiveDir));
        String fmt = "%-18s %9s %7s %9s %10s %10s %11s %11s %14s%n";
        sb.append(String.format(Locale.ROOT, fmt, "row", "MB/s", "x scp", "x raw-tcp", "CPU s snd", "CPU s rcv",
                "RSS MiB snd", "RSS MiB rcv", "wire bytes"));
        List<String> notes = new ArrayList<>();
        for (Row r : rows) {
            if (!r.ran()) {
                sb.append(String.format(Locale.ROOT, "%-18s %s%n", r.impl(), r.note()));
                continue;
            }
            sb.append(String.format(Locale.ROOT, fmt, r.impl(), f1(r.mbPerS()), ratio(r.mbPerS(), scp),
                    ratio(r.mbPerS(), raw), f2(r.cpuSender()), f2(r.cpuReceiver()), f1(r.rssSender()),
                    f1(r.rssReceiver()), r.wireBytes() < 0 ? "-" : Long.toString(r.wireBytes())));
            if (!Double.isNaN(r.finishSeconds())) {
                notes.add(String.format(Locale.ROOT, "  %s: %.3f s measured, of which %.3f s after the last byte "
                                + "(fsync, checksum, rename); CPU s during the transfer: sender %s, receiver %s",
                        r.impl(), r.seconds(), r.finishSeconds(), f2(r.cpuSenderXfer()), f2(r.cpuReceiverXfer())));
            }
        }
        sb.append("CPU s: user + system of the whole process (JVM start-up included; scp: scp + ssh, and sshd's "
                + "per-connection processes). RSS: peak (VmHWM).\n");
        sb.append("scp: wall time minus an empty-file scp just before (connection set-up); it does not fsync, "
                + "hayate and raw-* do.\n");
        notes.forEach(n -> sb.append(n).append('\n'));
        return sb.toString();
    }

    private static String f1(final double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.1f", v);
    }

    private static String f2(final double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.2f", v);
    }

    private static String ratio(final double v, final double base) {
        return Double.isNaN(v) || Double.isNaN(base) || base <= 0 ? "-" : String.format(Locale.ROOT, "%.2f", v / base);
    }

    private static void deleteTree(final Path dir) throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
