package dev.hayate.benchmarks.transfer;

import dev.hayate.benchmarks.rig.Json;
import dev.hayate.core.transport.Transport;
import dev.hayate.core.transport.TransportServer;
import dev.hayate.quic.QuicConfig;
import dev.hayate.quic.QuicTransportProvider;
import dev.hayate.transfer.ConsentCallback;
import dev.hayate.transfer.Stage;
import dev.hayate.transfer.TransferListener;
import dev.hayate.transfer.TransferReceiver;
import dev.hayate.transfer.TransferResult;
import dev.hayate.transfer.TransferSender;
import dev.hayate.transfer.crypto.CodePhrase;
import dev.hayate.transfer.files.OverwritePolicy;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One side of one {@code bench transfer} row, in its own JVM. Started by {@link TransferRig}; not a user command.
 *
 * <pre>
 *   java ... TransferChild ROLE --key value ...
 *   roles: hayate-receive, hayate-send, raw-receive, raw-send
 *   hayate roles take --rounds R: R transfers in the same JVM, the last one reported (a warm JIT); the receiver
 *   prints a port line per round and the sender reads the address of rounds 2..R from stdin
 *   stdout: "port 127.0.0.1:PORT" (receivers, once listening), then one JSON line as the very last thing:
 *           {"role", "bytes", "seconds" (receivers: first byte to verified end), "finish_s", "wire_bytes",
 *            "cpu_s" (whole process), "cpu_s_xfer" (during the transfer), "rss_mib" (VmHWM)}
 * </pre>
 * A watchdog ends the JVM with status 4 after {@code --deadline-s} seconds, so a child never outlives a stuck run
 * even if its parent is killed without cleaning up.
 *
 * <p>Not thread-safe: a {@code main}.
 */
public final class TransferChild {
    /** Exit status when the watchdog fires. */
    static final int TIMED_OUT = 4;
    private static final int RAW_BUFFER = 4 << 20;

    private final Map<String, String> opts;
    private final PrintStream out;

    private TransferChild(final Map<String, String> opts, final PrintStream out) {
        this.opts = opts;
        this.out = out;
    }

    /**
     * @param args role, then {@code --key value} pairs
     * @throws Exception when the side fails (the JVM exits non-zero and the parent shows stderr)
     */
    public static void main(final String[] args) throws Exception {
        if (args.length < 1 || (args.length - 1) % 2 != 0) {
            throw new IllegalArgumentException("usage: ROLE --key value ...");
        }
        Map<String, String> opts = new HashMap<>();
        for (int i = 1; i < args.length; i += 2) {
            opts.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        long deadline = Long.parseLong(opts.getOrDefault("deadline-s", "600"));
        Thread watchdog = new Thread(() -> {
            try {
                Thread.sleep(TimeUnit.SECONDS.toMillis(deadline));
                System.err.println("bench transfer child: no result within " + deadline + " s, exiting");
                Runtime.getRuntime().halt(TIMED_OUT);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "transfer-child-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
        TransferChild child = new TransferChild(opts, System.out);
        Map<String, Object> result = switch (args[0]) {
            case "hayate-receive" -> child.hayateReceive();
            case "hayate-send" -> child.hayateSend();
            case "raw-receive" -> child.rawReceive();
            case "raw-send" -> child.rawSend();
            default -> throw new IllegalArgumentException("unknown role " + args[0]);
        };
        result.put("cpu_s", ProcStats.selfCpuSeconds());
        result.put("rss_mib", ProcStats.selfPeakRssMib());
        child.out.println(Json.write(result));
        child.out.flush();
        // Netty's QUIC event loops are not daemons: do not wait for them
        System.exit(0);
    }

    private String opt(final String key) {
        String v = opts.get(key);
        if (v == null) {
            throw new IllegalArgumentException("missing --" + key);
        }
        return v;
    }

    private boolean quic() {
        return opt("transport").equals("quic");
    }

    private Duration deadline() {
        return Duration.ofSeconds(Long.parseLong(opts.getOrDefault("deadline-s", "600")));
    }

    private void printPort(final SocketAddress bound) {
        InetSocketAddress a = (InetSocketAddress) bound;
        out.println("port " + a.getAddress().getHostAddress() + ":" + a.getPort());
        out.flush();
    }

    private static InetSocketAddress address(final String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        return new InetSocketAddress(hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)));
    }

    private Map<String, Object> result(final String role, final long bytes, final double seconds,
                                       final double finishSeconds, final long wireBytes, final double cpuXfer) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("role", role);
        m.put("bytes", bytes);
        m.put("seconds", seconds);
        m.put("finish_s", finishSeconds);
        m.put("wire_bytes", wireBytes);
        m.put("cpu_s_xfer", cpuXfer);
        return m;
    }

    private int rounds() {
        return Integer.parseInt(opts.getOrDefault("rounds", "1"));
    }

    /** With {@code --rounds R}, receives R times (a new port each time); the last round is the one reported. */
    private Map<String, Object> hayateReceive() throws Exception {
        QuicTransportProvider quic = quic() ? QuicTransportProvider.server(new QuicConfig()) : null;
        try {
            Map<String, Object> last = null;
            for (int round = 1; round <= rounds(); round++) {
                last = hayateReceiveOnce(quic);
            }
            return last;
        } finally {
            if (quic != null) {
                quic.close();
            }
        }
    }

    private Map<String, Object> hayateReceiveOnce(final QuicTransportProvider quic) throws Exception {
        StageClock clock = new StageClock();
        TransferReceiver.Builder b = TransferReceiver.builder()
                .listen(new InetSocketAddress("127.0.0.1", 0))
                .code(CodePhrase.parse(opt("code")))
                .outputDir(Path.of(opt("out")))
                .overwrite(OverwritePolicy.OVERWRITE)
                .resume(false)
                .acceptTimeout(deadline())
                .listener(clock);
        if (quic != null) {
            b.transport(quic);
        }
        TransferReceiver receiver = b.build();
        CompletableFuture<TransferResult> receiving = receiver.receiveAsync(ConsentCallback.ACCEPT_ALL);
        SocketAddress bound = receiver.awaitBound(Duration.ofSeconds(30));
        if (bound == null) {
            receiving.get(30, TimeUnit.SECONDS);
            throw new IllegalStateException("the receiver never bound");
        }
        printPort(bound);
        TransferResult r = receiving.get(deadline().toSeconds(), TimeUnit.SECONDS);
        long end = System.nanoTime();
        double cpuEnd = ProcStats.selfCpuSeconds();
        return result("hayate-receive", r.bytes(), (end - clock.transferring) / 1e9,
                (end - clock.verifying) / 1e9, r.bytesOnWire(), cpuEnd - clock.cpuAtTransferring);
    }

    /**
     * With {@code --rounds R}, sends R times: to {@code --to} first, then to each address the parent writes on
     * stdin (one line per round, as the receiver reports a new port); the last round is the one reported.
     */
    private Map<String, Object> hayateSend() throws Exception {
        QuicTransportProvider quic = quic()
                ? QuicTransportProvider.client(new QuicConfig().insecureTrustAnyCertificateForDevelopment()) : null;
        BufferedReader stdin = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        try {
            String to = opt("to");
            Map<String, Object> last = null;
            for (int round = 1; round <= rounds(); round++) {
                if (round > 1) {
                    to = stdin.readLine();
                    if (to == null) {
                        throw new IOException("the parent gave no address for round " + round);
                    }
                }
                last = hayateSendOnce(quic, to.trim());
            }
            return last;
        } finally {
            if (quic != null) {
                quic.close();
            }
        }
    }

    private Map<String, Object> hayateSendOnce(final QuicTransportProvider quic, final String to) throws Exception {
        TransferSender.Builder b = TransferSender.builder()
                .to(address(to))
                .code(CodePhrase.parse(opt("code")))
                .compress(Boolean.parseBoolean(opt("compress")))
                .connectTimeout(Duration.ofSeconds(30));
        if (quic != null) {
            b.transport(quic);
        }
        double cpu0 = ProcStats.selfCpuSeconds();
        long t0 = System.nanoTime();
        TransferResult r = b.build().send(List.of(Path.of(opt("file"))));
        long end = System.nanoTime();
        return result("hayate-send", r.bytes(), (end - t0) / 1e9, Double.NaN, r.bytesOnWire(),
                ProcStats.selfCpuSeconds() - cpu0);
    }

    private Map<String, Object> rawReceive() throws Exception {
        long size = Long.parseLong(opt("size"));
        Path target = Path.of(opt("out"), opt("name"));
        if (quic()) {
            try (QuicTransportProvider quic = QuicTransportProvider.server(new QuicConfig());
                 TransportServer server = quic.bind(new InetSocketAddress("127.0.0.1", 0))) {
                printPort(server.localAddress());
                if (!server.awaitAcceptable(deadline().toNanos())) {
                    throw new IOException("no sender connected");
                }
                try (Transport t = server.accept()) {
                    return receiveOverTransport(t, size, target);
                }
            }
        }
        try (ServerSocketChannel server = ServerSocketChannel.open()) {
            server.bind(new InetSocketAddress("127.0.0.1", 0));
            printPort(server.getLocalAddress());
            try (SocketChannel s = server.accept();
                 FileChannel file = FileChannel.open(target, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                         StandardOpenOption.TRUNCATE_EXISTING)) {
                // one large buffer, not transferFrom's 8 KiB bounce buffer: on a loaded machine every blocking read
                // is a wake-up that waits for a core, so fewer, larger reads are what makes this the ceiling
                ByteBuffer buf = ByteBuffer.allocateDirect(RAW_BUFFER);
                long pos = 0;
                long t0 = 0;
                double cpu0 = 0;
                while (pos < size) {
                    buf.clear();
                    int n = s.read(buf);
                    if (n < 0) {
                        throw new IOException("the sender closed after " + pos + " of " + size + " bytes");
                    }
                    if (pos == 0) {
                        // the clock starts at the first byte, as the hayate receiver's starts when content may flow
                        t0 = System.nanoTime();
                        cpu0 = ProcStats.selfCpuSeconds();
                    }
                    buf.flip();
                    while (buf.hasRemaining()) {
                        pos += file.write(buf, pos);
                    }
                }
                long written = System.nanoTime();
                // the same durability as hayate's receiver, which forces its part file before moving it in place
                file.force(true);
                long end = System.nanoTime();
                s.write(ByteBuffer.wrap(new byte[] {1}));
                return result("raw-receive", pos, (end - t0) / 1e9, (end - written) / 1e9, pos,
                        ProcStats.selfCpuSeconds() - cpu0);
            }
        }
    }

    private Map<String, Object> receiveOverTransport(final Transport t, final long size, final Path target)
            throws IOException {
        try (FileChannel file = FileChannel.open(target, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buf = ByteBuffer.allocateDirect(RAW_BUFFER);
            long pos = 0;
            long t0 = 0;
            double cpu0 = 0;
            long waitNanos = deadline().toNanos();
            while (pos < size) {
                buf.clear();
                int n = t.read(buf);
                if (n < 0) {
                    throw new IOException("the sender closed after " + pos + " of " + size + " bytes");
                }
                if (n == 0) {
                    if (!t.awaitReadable(waitNanos)) {
                        throw new IOException("nothing to read for " + deadline().toSeconds() + " s");
                    }
                    continue;
                }
                if (pos == 0) {
                    t0 = System.nanoTime();
                    cpu0 = ProcStats.selfCpuSeconds();
                }
                buf.flip();
                while (buf.hasRemaining()) {
                    pos += file.write(buf, pos);
                }
            }
            long written = System.nanoTime();
            file.force(true);
            long end = System.nanoTime();
            ByteBuffer ack = ByteBuffer.wrap(new byte[] {1});
            while (ack.hasRemaining()) {
                if (t.write(ack) == 0 && !t.awaitWritable(waitNanos)) {
                    throw new IOException("cannot send the acknowledgement");
                }
            }
            return result("raw-receive", pos, (end - t0) / 1e9, (end - written) / 1e9, pos,
                    ProcStats.selfCpuSeconds() - cpu0);
        }
    }

    private Map<String, Object> rawSend() throws Exception {
        Path source = Path.of(opt("file"));
        if (quic()) {
            try (QuicTransportProvider quic = QuicTransportProvider.client(
                    new QuicConfig().insecureTrustAnyCertificateForDevelopment());
                 Transport t = quic.connect(address(opt("to")), TimeUnit.SECONDS.toNanos(30));
                 FileChannel file = FileChannel.open(source, StandardOpenOption.READ)) {
                return sendOverTransport(t, file);
            }
        }
        try (SocketChannel s = SocketChannel.open(address(opt("to")));
             FileChannel file = FileChannel.open(source, StandardOpenOption.READ)) {
            double cpu0 = ProcStats.selfCpuSeconds();
            long t0 = System.nanoTime();
            long size = file.size();
            long pos = 0;
            while (pos < size) {
                pos += file.transferTo(pos, size - pos, s);
            }
            awaitAck(s);
            long end = System.nanoTime();
            return result("raw-send", pos, (end - t0) / 1e9, Double.NaN, pos, ProcStats.selfCpuSeconds() - cpu0);
        }
    }

    private static void awaitAck(final SocketChannel s) throws IOException {
        ByteBuffer ack = ByteBuffer.allocate(1);
        if (s.read(ack) != 1) {
            throw new IOException("the receiver closed without acknowledging");
        }
    }

    private Map<String, Object> sendOverTransport(final Transport t, final FileChannel file) throws IOException {
        double cpu0 = ProcStats.selfCpuSeconds();
        long t0 = System.nanoTime();
        long waitNanos = deadline().toNanos();
        ByteBuffer buf = ByteBuffer.allocateDirect(1 << 20);
        long size = file.size();
        long pos = 0;
        while (pos < size) {
            buf.clear();
            int n = file.read(buf, pos);
            if (n < 0) {
                throw new IOException("the file shrank at " + pos);
            }
            buf.flip();
            while (buf.hasRemaining()) {
                if (t.write(buf) == 0 && !t.awaitWritable(waitNanos)) {
                    throw new IOException("the receiver took nothing for " + deadline().toSeconds() + " s");
                }
            }
            pos += n;
        }
        ByteBuffer ack = ByteBuffer.allocate(1);
        while (ack.hasRemaining()) {
            int n = t.read(ack);
            if (n < 0) {
                throw new IOException("the receiver closed without acknowledging");
            }
            if (n == 0 && !t.awaitReadable(waitNanos)) {
                throw new IOException("no acknowledgement within " + deadline().toSeconds() + " s");
            }
        }
        long end = System.nanoTime();
        return result("raw-send", pos, (end - t0) / 1e9, Double.NaN, pos, ProcStats.selfCpuSeconds() - cpu0);
    }

    /** Notes when the receiver enters the stages that bound the measured window. Called from transfer threads. */
    private static final class StageClock implements TransferListener {
        volatile long transferring;
        volatile double cpuAtTransferring;
        volatile long verifying;

        @Override
        public void onStage(final Stage stage, final String detail) {
            if (stage == Stage.TRANSFERRING) {
                transferring = System.nanoTime();
                cpuAtTransferring = ProcStats.selfCpuSeconds();
            } else if (stage == Stage.VERIFYING) {
                verifying = System.nanoTime();
            }
        }
    }
}
