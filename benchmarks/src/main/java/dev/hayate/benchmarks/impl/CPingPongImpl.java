package dev.hayate.benchmarks.impl;

import dev.hayate.benchmarks.rig.BenchException;
import dev.hayate.benchmarks.rig.ChildProcess;
import dev.hayate.benchmarks.rig.ExternalImpl;
import dev.hayate.benchmarks.rig.Json;
import dev.hayate.benchmarks.rig.Percentiles;
import dev.hayate.benchmarks.rig.PingPongPlan;
import dev.hayate.benchmarks.rig.PingPongResult;
import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code c-busy} and {@code c-block}: the C loopback baseline, {@code shared/bench/c-pingpong SIZE busy|block ITERS
 * WARMUP} (it compiles {@code pingpong.c} with {@code gcc -O2} on first use, runs a server and a client process
 * with {@code TCP_NODELAY}, and prints one JSON line of exact percentiles from sorted samples).
 *
 * <p>The script is looked for, in order: {@code --c-pingpong PATH} (the script or its folder), the folder in the
 * environment variable {@code HAYATE_SHARED_BENCH}, {@code <repo>/../shared/bench} (the repository found above this
 * jar or the working directory).
 */
public final class CPingPongImpl implements ExternalImpl {
    /** The script's file name. */
    public static final String SCRIPT = "c-pingpong";
    /** The environment variable naming the folder that holds the script. */
    public static final String ENV = "HAYATE_SHARED_BENCH";

    private final boolean busy;
    private final Path override;

    /**
     * @param busy     non-blocking sockets that spin; otherwise blocking send/recv
     * @param override {@code --c-pingpong} (the script or its folder), or null
     */
    public CPingPongImpl(boolean busy, Path override) {
        this.busy = busy;
        this.override = override;
    }

    @Override
    public String name() {
        return busy ? "c-busy" : "c-block";
    }

    @Override
    public String description() {
        return busy
                ? "C baseline (shared/bench/pingpong.c, gcc -O2): non-blocking sockets, both sides spin"
                : "C baseline (shared/bench/pingpong.c, gcc -O2): blocking send/recv";
    }

    @Override
    public boolean supportsRate() {
        return false;
    }

    @Override
    public String unavailableReason() {
        if (locate() == null) {
            return SCRIPT + " not found; looked in " + candidates();
        }
        if (!onPath("gcc") || !onPath("bash")) {
            return "needs gcc and bash on PATH";
        }
        return null;
    }

    /**
     * @return the places looked at, in order
     */
    public List<Path> candidates() {
        List<Path> c = new ArrayList<>();
        if (override != null) {
            c.add(Files.isDirectory(override) ? override.resolve(SCRIPT) : override);
            return c;
        }
        String env = System.getenv(ENV);
        if (env != null && !env.isBlank()) {
            c.add(Path.of(env).resolve(SCRIPT));
        }
        for (Path start : starts()) {
            Path repo = repoRoot(start);
            if (repo != null && repo.getParent() != null) {
                Path p = repo.getParent().resolve("shared").resolve("bench").resolve(SCRIPT);
                if (!c.contains(p)) {
                    c.add(p);
                }
            }
        }
        return c;
    }

    /**
     * @return the first candidate that exists, or null
     */
    public Path locate() {
        return candidates().stream().filter(Files::isRegularFile).findFirst().orElse(null);
    }

    private static List<Path> starts() {
        List<Path> s = new ArrayList<>();
        try {
            s.add(Path.of(CPingPongImpl.class.getProtectionDomain().getCodeSource().getLocation().toURI()));
        } catch (URISyntaxException | RuntimeException ignored) {
            // no code source: rely on the working directory
        }
        s.add(Path.of(System.getProperty("user.dir")));
        return s;
    }

    private static Path repoRoot(Path from) {
        for (Path p = from.toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.exists(p.resolve(".git"))) {
                return p;
            }
        }
        return null;
    }

    private static boolean onPath(String tool) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }

    @Override
    public PingPongResult pingPong(PingPongPlan plan, Duration timeout) throws BenchException, IOException,
            InterruptedException {
        Path script = locate();
        if (script == null) {
            throw new BenchException(SCRIPT + " not found; looked in " + candidates());
        }
        Path out = Files.createTempFile("hayate-c-pingpong-", ".out");
        Path err = Files.createTempFile("hayate-c-pingpong-", ".err");
        try {
            Process p = new ProcessBuilder("bash", script.toString(), Integer.toString(plan.size()),
                    busy ? "busy" : "block", Long.toString(plan.count()), Long.toString(plan.warmup()))
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .start();
            boolean done;
            try {
                done = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } finally {
                if (p.isAlive()) {
                    ChildProcess.kill(p);
                }
            }
            String stderr = Files.readString(err, StandardCharsets.UTF_8).strip();
            if (!done) {
                throw new BenchException(SCRIPT + " timed out after " + timeout.toSeconds() + " s");
            }
            if (p.exitValue() != 0) {
                throw new BenchException(SCRIPT + " exited with status " + p.exitValue() + ": " + stderr);
            }
            String json = Files.readAllLines(out, StandardCharsets.UTF_8).stream()
                    .map(String::strip).filter(l -> l.startsWith("{")).reduce((a, b) -> b)
                    .orElseThrow(() -> new BenchException(SCRIPT + " printed no JSON line: " + stderr));
            return parse(name(), plan, json);
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /**
     * Reads the script's JSON line.
     *
     * @param name the reported name
     * @param plan the run
     * @param json one line such as {@code {"impl":"c-busy","size":64,...,"p50_us":6.53,...}}
     * @return the result (no allocation figure)
     * @throws BenchException when a field is missing
     */
    public static PingPongResult parse(String name, PingPongPlan plan, String json) throws BenchException {
        try {
            Map<String, Object> m = Json.parseFlat(json);
            Percentiles p = new Percentiles(num(m, "p50_us"), num(m, "p90_us"), num(m, "p99_us"), num(m, "p999_us"),
                    num(m, "max_us"));
            return new PingPongResult(name, plan.size(), plan.count(), 0, p, null, null);
        } catch (IllegalArgumentException e) {
            throw new BenchException("unexpected " + SCRIPT + " output: " + json, e);
        }
    }

    private static double num(Map<String, Object> m, String key) {
        if (!(m.get(key) instanceof Number n)) {
            throw new IllegalArgumentException("no number " + key);
        }
        return n.doubleValue();
    }
}
