package dev.hayate.benchmarks.transfer;

import dev.hayate.benchmarks.rig.BenchException;
import dev.hayate.benchmarks.rig.JvmFlags;
import dev.hayate.transfer.crypto.CodePhrase;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * Runs the JVM rows of {@code bench transfer}: for each, a receiver JVM and a sender JVM ({@link TransferChild})
 * on 127.0.0.1, then checks that the received file equals the source byte for byte and deletes it.
 *
 * <pre>
 *   parent                                   receiver JVM                       sender JVM
 *   start receiver ────────────────────────▶ listen on 127.0.0.1:0
 *                  ◀── "port 127.0.0.1:P" ── (stdout)
 *   start sender (to 127.0.0.1:P) ─────────────────────────────────────────────▶ connect, send the file
 *                                            clock: first byte .. verified end
 *                  ◀── JSON result ───────── exits        ◀── JSON result ────── exits
 *   compare the received file with the source; delete it
 * </pre>
 *
 * <p>Not thread-safe: one row at a time.
 */
public final class TransferRig {
    private static final Duration READY = Duration.ofSeconds(60);

    private final Path receiveRoot;
    private final Path source;
    private final String transport;
    private final Path jfrDir;
    private final List<String> childJavaOpts;
    private final Duration rowTimeout;
    private int rowCount;

    /**
     * @param receiveRoot a private folder the received files go under
     * @param source    the file to move
     * @param transport {@code tcp} or {@code quic}
     * @param jfrDir    when not null, each child JVM records a JFR profile there
     * @param childJavaOpts extra JVM options for every child (diagnosis: JIT thresholds, GC)
     * @throws IOException when the source cannot be read
     */
    public TransferRig(final Path receiveRoot, final Path source, final String transport, final Path jfrDir,
                       final List<String> childJavaOpts) throws IOException {
        this.receiveRoot = receiveRoot;
        this.source = source;
        this.transport = transport;
        this.jfrDir = jfrDir;
        this.childJavaOpts = List.copyOf(childJavaOpts);
        // generous: 1 MB/s would be a broken run, not a slow one (a warm row moves the file twice)
        this.rowTimeout = Duration.ofSeconds(60 + Files.size(source) / 1_000_000);
    }

    /**
     * Writes {@code bytes} random bytes (incompressible, so LZ4 must give up on every chunk).
     *
     * @param file  where
     * @param bytes how many
     * @throws IOException when it cannot be written
     */
    public static void writeRandomFile(final Path file, final long bytes) throws IOException {
        SplittableRandom random = new SplittableRandom(new SecureRandom().nextLong());
        ByteBuffer buf = ByteBuffer.allocateDirect(4 << 20);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            long left = bytes;
            while (left > 0) {
                buf.clear();
                while (buf.remaining() >= Long.BYTES) {
                    buf.putLong(random.nextLong());
                }
                buf.flip();
                buf.limit((int) Math.min(buf.limit(), left));
                left -= buf.remaining();
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
            }
        }
    }

    /**
     * @param impl     row name
     * @param compress LZ4 where it pays
     * @return the measured row, or a failed row with the reason
     * @throws InterruptedException when interrupted
     */
    public Row hayate(final String impl, final boolean compress) throws InterruptedException {
        return hayate(impl, compress, 1);
    }

    /**
     * @param impl     row name
     * @param compress LZ4 where it pays
     * @param rounds   transfers of the file in the same two JVMs; only the last is reported (2: a warm JIT)
     * @return the measured row, or a failed row with the reason
     * @throws InterruptedException when interrupted
     */
    public Row hayate(final String impl, final boolean compress, final int rounds) throws InterruptedException {
        String code = CodePhrase.generate(new SecureRandom()).toString();
        String r = Integer.toString(rounds);
        return jvmRow(impl, out -> List.of("hayate-receive", "--transport", transport, "--code", code,
                        "--out", out.toString(), "--rounds", r),
                to -> List.of("hayate-send", "--transport", transport, "--code", code, "--to", to,
                        "--file", source.toString(), "--compress", Boolean.toString(compress), "--rounds", r),
                rounds);
    }

    /**
     * @param impl row name ({@code raw-tcp} or {@code raw-quic})
     * @return the measured row, or a failed row with the reason
     * @throws InterruptedException when interrupted
     */
    public Row raw(final String impl) throws InterruptedException {
        String size;
        try {
            size = Long.toString(Files.size(source));
        } catch (IOException e) {
            return Row.skipped(impl, "failed: " + e.getMessage());
        }
        String t = impl.equals("raw-quic") ? "quic" : "tcp";
        return jvmRow(impl, out -> List.of("raw-receive", "--transport", t, "--out", out.toString(),
                        "--name", source.getFileName().toString(), "--size", size),
                to -> List.of("raw-send", "--transport", t, "--to", to, "--file", source.toString()), 1);
    }

    private interface Args<T> {
        List<String> of(T t);
    }

    private Row jvmRow(final String impl, final Args<Path> receiverArgs, final Args<String> senderArgs,
                       final int rounds) throws InterruptedException {
        Path out = receiveRoot.resolve("out-" + (++rowCount) + "-" + impl);
        try {
            Files.createDirectory(out);
            Map<String, Object> received;
            Map<String, Object> sent;
            try (SideProcess receiver = new SideProcess(impl + " receiver",
                    command(impl + "-receiver", receiverArgs.of(out)))) {
                String address = receiver.awaitPort(READY);
                try (SideProcess sender = new SideProcess(impl + " sender",
                        command(impl + "-sender", senderArgs.of(address)))) {
                    for (int round = 2; round <= rounds; round++) {
                        sender.tell(receiver.awaitPort(rowTimeout));
                    }
                    sent = sender.awaitResult(rowTimeout);
                    received = receiver.awaitResult(rowTimeout);
                }
            }
            String bad = compare(source, out.resolve(source.getFileName()));
            if (bad != null) {
                return Row.skipped(impl, "failed: " + bad);
            }
            return new Row(impl, num(received, "seconds"), ((Number) received.get("bytes")).longValue(),
                    impl.startsWith("hayate") ? ((Number) sent.get("wire_bytes")).longValue() : -1,
                    num(sent, "cpu_s"), num(received, "cpu_s"), num(sent, "cpu_s_xfer"),
                    num(received, "cpu_s_xfer"), num(sent, "rss_mib"), num(received, "rss_mib"),
                    num(received, "finish_s"), null);
        } catch (BenchException | IOException e) {
            return Row.skipped(impl, "failed: " + e.getMessage());
        } finally {
            deleteTree(out);
        }
    }

    private static double num(final Map<String, Object> m, final String key) {
        Object v = m.get(key);
        return v instanceof Number n ? n.doubleValue() : Double.NaN;
    }

    private List<String> command(final String side, final List<String> args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(JvmFlags.javaBinary());
        cmd.addAll(JvmFlags.required());
        if (jfrDir != null) {
            cmd.add("-XX:StartFlightRecording=settings=profile,filename="
                    + jfrDir.resolve(side + "-" + (rowCount) + ".jfr"));
        }
        cmd.addAll(childJavaOpts);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(TransferChild.class.getName());
        cmd.addAll(args);
        cmd.add("--deadline-s");
        cmd.add(Long.toString(rowTimeout.toSeconds() + 30));
        return cmd;
    }

    /**
     * @param expected the source
     * @param actual   what arrived
     * @return null when they are equal byte for byte, else what differs
     * @throws IOException when either cannot be read
     */
    static String compare(final Path expected, final Path actual) throws IOException {
        if (!Files.isRegularFile(actual)) {
            return "nothing arrived at " + actual.getFileName();
        }
        long at = Files.mismatch(expected, actual);
        return at < 0 ? null : "the received file differs from the source at byte " + at;
    }

    /**
     * Deletes a folder and what it holds; best effort (a temporary folder).
     *
     * @param dir the folder
     */
    static void deleteTree(final Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException ignored) {
            // best effort: the caller's temporary folder is removed at the end as well
        }
    }
}
