package dev.hayate.benchmarks.rig;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A child process that reports an address on stdout ({@code port <address>}), and that is always killed.
 *
 * <p>Its stdout is drained by a daemon thread (so it never blocks on a full pipe); its stderr goes to a
 * temporary file whose tail is shown when something fails. Its stdin stays open: a child started by
 * {@code bench serve} exits when it reads end-of-file, so it dies with the parent even if the parent is killed
 * without running its shutdown hook. Every live child is also killed from a shutdown hook.
 *
 * <p>Not thread-safe: owned by the thread that started it.
 */
public final class ChildProcess implements AutoCloseable {
    /** The prefix of the line that carries the address. */
    public static final String PORT_PREFIX = "port ";

    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(ChildProcess::kill), "bench-child-reaper"));
    }

    private final Process process;
    private final Path stderr;
    private final LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final String address;

    private ChildProcess(List<String> command, Duration readyTimeout) throws IOException, BenchException {
        stderr = Files.createTempFile("hayate-bench-child-", ".err");
        ProcessBuilder pb = new ProcessBuilder(command)
                .redirectError(ProcessBuilder.Redirect.to(stderr.toFile()))
                .redirectOutput(ProcessBuilder.Redirect.PIPE)
                .redirectInput(ProcessBuilder.Redirect.PIPE);
        process = pb.start();
        LIVE.add(process);
        Thread drain = new Thread(this::drain, "bench-child-stdout-" + process.pid());
        drain.setDaemon(true);
        drain.start();
        try {
            address = awaitAddress(readyTimeout);
        } catch (BenchException | RuntimeException e) {
            close();
            throw e;
        }
    }

    /**
     * Starts a child and waits for its address.
     *
     * @param command      the full command line
     * @param readyTimeout how long the child may take to print {@code port <address>}
     * @return the running child
     * @throws IOException    when it cannot be started
     * @throws BenchException when it exits or stays silent past the timeout (it is then killed)
     */
    public static ChildProcess start(List<String> command, Duration readyTimeout) throws IOException, BenchException {
        return new ChildProcess(command, readyTimeout);
    }

    private void drain() {
        try (BufferedReader r = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                lines.add(line);
            }
        } catch (IOException ignored) {
            // the process is gone
        }
    }

    private String awaitAddress(Duration timeout) throws BenchException {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (true) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new BenchException("the child reported no port within " + timeout.toSeconds() + " s"
                            + stderrTail());
                }
                String line = lines.poll(Math.min(left, TimeUnit.MILLISECONDS.toNanos(50)), TimeUnit.NANOSECONDS);
                if (line != null && line.startsWith(PORT_PREFIX)) {
                    return line.substring(PORT_PREFIX.length()).trim();
                }
                if (line == null && !process.isAlive() && lines.isEmpty()) {
                    throw new BenchException("the child exited with status " + process.exitValue()
                            + " before reporting a port" + stderrTail());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchException("interrupted while waiting for the child");
        }
    }

    /**
     * @return what the child printed after {@code port }
     */
    public String address() {
        return address;
    }

    /**
     * @return the child's pid
     */
    public long pid() {
        return process.pid();
    }

    /**
     * Waits for the child to exit by itself.
     *
     * @param timeout how long to wait
     * @return its exit status, or -1 when it is still running
     * @throws InterruptedException when interrupted
     */
    public int awaitExit(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue() : -1;
    }

    /**
     * @return the last lines the child wrote to stderr, prefixed by a newline, or an empty string
     */
    public String stderrTail() {
        try {
            List<String> all = Files.readAllLines(stderr, StandardCharsets.UTF_8);
            List<String> tail = all.subList(Math.max(0, all.size() - 15), all.size());
            return tail.isEmpty() ? "" : "\n  child stderr: " + String.join("\n  ", tail);
        } catch (IOException e) {
            return "";
        }
    }

    /**
     * Closes the child's stdin (a {@code bench serve} child then exits), waits up to 3 s, then kills it and its
     * descendants.
     */
    @Override
    public void close() {
        try {
            process.getOutputStream().close();
        } catch (IOException ignored) {
            // already gone
        }
        try {
            if (!process.waitFor(3, TimeUnit.SECONDS)) {
                kill(process);
            }
        } catch (InterruptedException e) {
            kill(process);
            Thread.currentThread().interrupt();
        }
        LIVE.remove(process);
        try {
            Files.deleteIfExists(stderr);
        } catch (IOException ignored) {
            // a temporary file
        }
    }

    /**
     * Kills a process and its descendants: politely (SIGTERM, so shutdown hooks clean up), then after a second
     * forcibly.
     *
     * @param p the process
     */
    public static void kill(Process p) {
        List<ProcessHandle> tree = p.descendants().toList();
        tree.forEach(ProcessHandle::destroy);
        p.destroy();
        try {
            if (!p.waitFor(1, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                p.waitFor(2, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        tree.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }
}
