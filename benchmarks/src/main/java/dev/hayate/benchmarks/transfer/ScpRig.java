package dev.hayate.benchmarks.transfer;

import dev.hayate.benchmarks.rig.ChildProcess;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code scp} row: OpenSSH's {@code scp -c aes128-gcm@openssh.com} over loopback to an {@code sshd} this rig
 * starts on a free port with a throwaway host key and a throwaway authorized key, all in a temporary folder.
 * Nothing is installed and no system configuration is read or changed (the one exception: sshd refuses to start
 * without its privilege-separation folder, {@code /run/sshd}; when it is missing and we run as root it is
 * created, empty).
 *
 * <p>Measured: the wall time of one {@code scp} minus the wall time of an {@code scp} of an empty file just before
 * (ssh's connection set-up and authentication, which the hayate rows exclude too), so the rate is of content only.
 * Sender CPU: {@code scp} and the {@code ssh} it runs (bash's {@code times} for reaped children). Receiver CPU:
 * what sshd's per-connection processes used (the listener's reaped-children time, before and after). Peak RSS: the
 * largest {@code VmHWM} among each side's processes, sampled every 20 ms.
 *
 * <p>Not thread-safe: one row at a time.
 */
public final class ScpRig implements AutoCloseable {
    /** The row's name. */
    public static final String IMPL = "scp";
    private static final List<String> SSHD_PLACES = List.of("/usr/sbin/sshd", "/usr/bin/sshd", "/sbin/sshd",
            "/usr/local/sbin/sshd");
    private static final Pattern TIMES = Pattern.compile("(\\d+)m([\\d.]+)s\\s+(\\d+)m([\\d.]+)s");

    private final Path dir;
    private final Path in;
    private final long ticks;
    private Process sshd;
    private int port;
    private String unavailable;

    /**
     * @param dir an empty private temporary folder for keys and configuration
     * @param in  an empty private folder the copied file goes to
     */
    public ScpRig(final Path dir, final Path in) {
        this.dir = dir;
        this.in = in;
        this.ticks = clockTicks();
    }

    /**
     * Starts sshd, or notes why the row cannot run.
     *
     * @return null when ready, else the reason the row is skipped
     * @throws InterruptedException when interrupted
     */
    public String start() throws InterruptedException {
        String sshdPath = SSHD_PLACES.stream().filter(p -> Files.isExecutable(Path.of(p))).findFirst().orElse(null);
        if (sshdPath == null) {
            return unavailable = "skipped: openssh-server not installed";
        }
        if (onPath("scp") == null || onPath("ssh-keygen") == null) {
            return unavailable = "skipped: openssh-client not installed";
        }
        try {
            Path privsep = Path.of("/run/sshd");
            if (!Files.isDirectory(privsep)) {
                try {
                    Files.createDirectories(privsep);
                } catch (IOException e) {
                    return unavailable = "skipped: sshd needs /run/sshd, which is missing and cannot be created";
                }
            }
            run(List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", dir.resolve("host_key").toString()));
            run(List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", dir.resolve("user_key").toString()));
            Files.copy(dir.resolve("user_key.pub"), dir.resolve("authorized_keys"));
            Files.writeString(dir.resolve("sshd_config"), String.join("\n",
                    "ListenAddress 127.0.0.1",
                    "HostKey " + dir.resolve("host_key"),
                    "AuthorizedKeysFile " + dir.resolve("authorized_keys"),
                    "StrictModes no",
                    "UsePAM no",
                    "PermitRootLogin yes",
                    "PasswordAuthentication no",
                    "KbdInteractiveAuthentication no",
                    "PidFile none",
                    "UseDNS no",
                    "PrintMotd no",
                    "Subsystem sftp internal-sftp",
                    ""), StandardCharsets.US_ASCII);
            port = freePort();
            sshd = new ProcessBuilder(sshdPath, "-D", "-e", "-f", dir.resolve("sshd_config").toString(),
                    "-p", Integer.toString(port))
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("sshd.log").toFile())
                    .start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            while (!listening(port)) {
                if (!sshd.isAlive() || System.nanoTime() > deadline) {
                    return unavailable = "skipped: sshd did not start: " + tail(dir.resolve("sshd.log"));
                }
                Thread.sleep(50);
            }
            return null;
        } catch (IOException e) {
            return unavailable = "skipped: cannot set up sshd: " + e.getMessage();
        }
    }

    /**
     * Copies the file once (after an empty-file copy that measures set-up), checks it arrived intact, deletes it.
     *
     * @param source the file
     * @return the row
     * @throws InterruptedException when interrupted
     */
    public Row copy(final Path source) throws InterruptedException {
        if (unavailable != null) {
            return Row.skipped(IMPL, unavailable);
        }
        Path target = in.resolve(source.getFileName());
        try {
            Path empty = dir.resolve("empty");
            Files.deleteIfExists(empty);
            Files.createFile(empty);
            Run setup = scp(empty, in.resolve("empty"), Files.size(source));
            Run r = scp(source, target, Files.size(source));
            String bad = TransferRig.compare(source, target);
            if (bad != null) {
                return Row.skipped(IMPL, "failed: " + bad);
            }
            double seconds = Math.max(1e-9, r.wall - setup.wall);
            return new Row(IMPL, seconds, Files.size(source), -1, r.cpuSender, r.cpuReceiver, Double.NaN, Double.NaN,
                    r.rssSender, r.rssReceiver, Double.NaN, null);
        } catch (IOException e) {
            return Row.skipped(IMPL, "failed: " + e.getMessage());
        } finally {
            try {
                Files.deleteIfExists(target);
                Files.deleteIfExists(in.resolve("empty"));
            } catch (IOException ignored) {
                // inside our temporary folder, removed at the end
            }
        }
    }

    private record Run(double wall, double cpuSender, double cpuReceiver, double rssSender, double rssReceiver) {
    }

    private Run scp(final Path from, final Path to, final long size) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("bash", "-c", "scp \"$@\"; rc=$?; times; exit $rc", "scp"));
        cmd.addAll(List.of("-q", "-B", "-c", "aes128-gcm@openssh.com",
                "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR",
                "-i", dir.resolve("user_key").toString(), "-P", Integer.toString(port),
                from.toString(), System.getProperty("user.name") + "@127.0.0.1:" + to));
        awaitNoSessions();
        double sshdCpu0 = ProcStats.reapedChildrenCpuSeconds(sshd.pid(), ticks);
        Path stdout = dir.resolve("scp.out");
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(stdout.toFile()).start();
        PeakSampler senderPeak = new PeakSampler(p.toHandle());
        PeakSampler receiverPeak = new PeakSampler(sshd.toHandle());
        senderPeak.start();
        receiverPeak.start();
        try {
            // generous: 2 MB/s would be a broken run, not a slow one
            if (!p.waitFor(60 + size / 2_000_000, TimeUnit.SECONDS)) {
                ChildProcess.kill(p);
                throw new IOException("scp did not finish in time");
            }
            long t1 = System.nanoTime();
            awaitNoSessions();
            double sshdCpu = ProcStats.reapedChildrenCpuSeconds(sshd.pid(), ticks) - sshdCpu0;
            String text = Files.readString(stdout, StandardCharsets.UTF_8);
            if (p.exitValue() != 0) {
                throw new IOException("scp exited with status " + p.exitValue() + ": " + text.strip());
            }
            Matcher m = TIMES.matcher(text);
            double cpu = Double.NaN;
            while (m.find()) {
                // bash prints the shell's own times first, then its children's: keep the last pair
                cpu = Integer.parseInt(m.group(1)) * 60 + Double.parseDouble(m.group(2))
                        + Integer.parseInt(m.group(3)) * 60 + Double.parseDouble(m.group(4));
            }
            return new Run((t1 - t0) / 1e9, cpu, sshdCpu, senderPeak.finish(), receiverPeak.finish());
        } finally {
            senderPeak.finish();
            receiverPeak.finish();
        }
    }

    /** Waits (up to 5 s) until sshd has reaped the previous connection's processes, so their CPU is counted. */
    private void awaitNoSessions() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (sshd.descendants().findAny().isPresent() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
    }

    /** Samples the largest VmHWM among a process's descendants (and itself when not sshd's listener). */
    private static final class PeakSampler extends Thread {
        private final ProcessHandle root;
        private final Map<Long, Double> peaks = new ConcurrentHashMap<>();
        private volatile boolean running = true;

        PeakSampler(final ProcessHandle root) {
            super("bench-transfer-rss-" + root.pid());
            setDaemon(true);
            this.root = root;
        }

        @Override
        public void run() {
            while (running) {
                root.descendants().forEach(h -> {
                    double v = ProcStats.peakRssMib(h.pid());
                    if (!Double.isNaN(v)) {
                        peaks.merge(h.pid(), v, Math::max);
                    }
                });
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        double finish() throws InterruptedException {
            running = false;
            join(1000);
            return peaks.values().stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
        }
    }

    private static void run(final List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] out;
        try (InputStream in = p.getInputStream()) {
            out = in.readAllBytes();
        }
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            ChildProcess.kill(p);
            throw new IOException(cmd.get(0) + " did not finish");
        }
        if (p.exitValue() != 0) {
            throw new IOException(cmd.get(0) + " failed: " + new String(out, StandardCharsets.UTF_8).strip());
        }
    }

    private static String onPath(final String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String d : path.split(":")) {
            Path p = Path.of(d.isEmpty() ? "." : d, name);
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        return null;
    }

    private static long clockTicks() {
        try {
            Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
            String s;
            try (InputStream in = p.getInputStream()) {
                s = new String(in.readAllBytes(), StandardCharsets.US_ASCII).strip();
            }
            p.waitFor(5, TimeUnit.SECONDS);
            return Long.parseLong(s);
        } catch (IOException | RuntimeException e) {
            return 100;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 100;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress("127.0.0.1", 0));
            return s.getLocalPort();
        }
    }

    private static boolean listening(final int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static String tail(final Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join(" / ", lines.subList(Math.max(0, lines.size() - 3), lines.size()));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    /** Stops sshd (and any session it still has). */
    @Override
    public void close() {
        if (sshd != null && sshd.isAlive()) {
            ChildProcess.kill(sshd);
        }
    }
}
