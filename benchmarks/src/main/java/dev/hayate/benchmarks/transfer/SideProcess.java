package dev.hayate.benchmarks.transfer;

import dev.hayate.benchmarks.rig.BenchException;
import dev.hayate.benchmarks.rig.ChildProcess;
import dev.hayate.benchmarks.rig.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One side of a row in a child process ({@link TransferChild}): its stdout lines are queued by a daemon thread,
 * its stderr goes to a temporary file shown when it fails, and it is always killed (with its descendants) when
 * closed before it has exited. Unlike {@link ChildProcess} it keeps every line, because the result comes last.
 *
 * <p>Not thread-safe: owned by the thread that started it.
 */
final class SideProcess implements AutoCloseable {
    private final String name;
    private final Process process;
    private final Path stderr;
    private final LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();

    SideProcess(final String name, final List<String> command) throws IOException {
        this.name = name;
        stderr = Files.createTempFile("hayate-bench-transfer-", ".err");
        process = new ProcessBuilder(command)
                .redirectError(ProcessBuilder.Redirect.to(stderr.toFile()))
                .redirectOutput(ProcessBuilder.Redirect.PIPE)
                .redirectInput(ProcessBuilder.Redirect.PIPE)
                .start();
        Thread drain = new Thread(this::drain, "bench-transfer-stdout-" + process.pid());
        drain.setDaemon(true);
        drain.start();
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

    /**
     * Writes one line to the side's stdin.
     *
     * @param line the line, without a newline
     * @throws IOException when the side has gone
     */
    void tell(final String line) throws IOException {
        process.getOutputStream().write((line + "\n").getBytes(StandardCharsets.UTF_8));
        process.getOutputStream().flush();
    }

    long pid() {
        return process.pid();
    }

    /**
     * @param timeout how long the side may take to listen
     * @return what it printed after {@code port }
     * @throws BenchException when it exits or stays silent past the timeout
     * @throws InterruptedException when interrupted
     */
    String awaitPort(final Duration timeout) throws BenchException, InterruptedException {
        String line = awaitLine(timeout, "port ");
        return line.substring("port ".length()).trim();
    }

    /**
     * Waits for the side's JSON result line and for the process to exit.
     *
     * @param timeout how long the side may take
     * @return the parsed result
     * @throws BenchException when it fails, exits without a result, or runs past the timeout (it is then killed)
     * @throws InterruptedException when interrupted
     */
    Map<String, Object> awaitResult(final Duration timeout) throws BenchException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String line = awaitLine(timeout, "{");
        long left = Math.max(1, deadline - System.nanoTime());
        if (!process.waitFor(Math.max(left, TimeUnit.SECONDS.toNanos(5)), TimeUnit.NANOSECONDS)) {
            throw new BenchException(name + " printed its result but did not exit" + stderrTail());
        }
        try {
            return Json.parseFlat(line);
        } catch (IllegalArgumentException e) {
            throw new BenchException(name + " printed a bad result: " + e.getMessage());
        }
    }

    private String awaitLine(final Duration timeout, final String prefix) throws BenchException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new BenchException(name + " gave no '" + prefix + "' line within " + timeout.toSeconds()
                        + " s" + stderrTail());
            }
            String line = lines.poll(Math.min(left, TimeUnit.MILLISECONDS.toNanos(50)), TimeUnit.NANOSECONDS);
            if (line != null && line.startsWith(prefix)) {
                return line;
            }
            if (line == null && !process.isAlive()) {
                // the drain thread may still be handing over the last lines
                String last = lines.poll(200, TimeUnit.MILLISECONDS);
                if (last != null) {
                    if (last.startsWith(prefix)) {
                        return last;
                    }
                    continue;
                }
                throw new BenchException(name + " exited with status " + process.exitValue() + stderrTail());
            }
        }
    }

    String stderrTail() {
        try {
            List<String> all = Files.readAllLines(stderr, StandardCharsets.UTF_8);
            List<String> tail = all.subList(Math.max(0, all.size() - 15), all.size());
            return tail.isEmpty() ? "" : "\n  " + name + " stderr: " + String.join("\n  ", tail);
        } catch (IOException e) {
            return "";
        }
    }

    /** Kills the side (and what it started) unless it has exited, and removes its stderr file. */
    @Override
    public void close() {
        if (process.isAlive()) {
            ChildProcess.kill(process);
        }
        try {
            Files.deleteIfExists(stderr);
        } catch (IOException ignored) {
            // a temporary file
        }
    }
}
