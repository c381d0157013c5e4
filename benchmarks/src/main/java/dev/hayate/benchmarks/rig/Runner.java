package dev.hayate.benchmarks.rig;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs one implementation in the parent JVM: starts its child ({@code bench serve ...}), runs the client side on a
 * fresh measuring thread under a timeout, and always kills the child. Every failure becomes a
 * {@link BenchException} whose message is the reason to report.
 *
 * <p>Not thread-safe; one run at a time.
 */
public final class Runner {
    /** How long a child may take to print its address. */
    public static final Duration READY_TIMEOUT = Duration.ofSeconds(30);

    private final Class<?> childMain;

    /**
     * @param childMain the class whose {@code main} understands {@code serve} (BenchMain)
     */
    public Runner(Class<?> childMain) {
        this.childMain = childMain;
    }

    /**
     * A generous bound on one ping-pong run: 60 s, plus 1 ms per round trip, plus the paced duration twice.
     *
     * @param plan the run
     * @return the timeout
     */
    public static Duration pingPongTimeout(PingPongPlan plan) {
        long millis = 60_000 + plan.count() + plan.warmup();
        if (plan.paced()) {
            millis += 2_000 * plan.count() / plan.rate();
        }
        return Duration.ofMillis(millis);
    }

    /**
     * Runs a ping-pong.
     *
     * @param impl    the implementation
     * @param plan    counts, size, rate
     * @param timeout the most the whole run may take
     * @return the result
     * @throws BenchException when the implementation is unavailable, fails or times out
     */
    public PingPongResult pingPong(Impl impl, PingPongPlan plan, Duration timeout) throws BenchException {
        checkAvailable(impl);
        if (plan.paced() && !impl.supportsRate()) {
            throw new BenchException(impl.name() + " has no fixed-rate mode");
        }
        if (impl instanceof ExternalImpl external) {
            try {
                return external.pingPong(plan, timeout);
            } catch (BenchException e) {
                throw e;
            } catch (Exception e) {
                throw new BenchException(describe(e), e);
            }
        }
        JvmImpl jvm = (JvmImpl) impl;
        Spec spec = new Spec(plan.size(), 0);
        try (ChildProcess child = startChild(jvm, "pingpong", spec, timeout)) {
            PingPongResult result = onMeasuringThread(() -> {
                PingPongRig.Measurement m;
                try (PingClient client = jvm.pingClient(spec, child.address())) {
                    m = PingPongRig.run(client, plan, NanoClock.SYSTEM, jvm.measuresAllocation());
                }
                return PingPongRig.result(jvm.name(), plan, m);
            }, timeout, child);
            child.awaitExit(Duration.ofSeconds(5));
            return result;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchException("interrupted");
        }
    }

    /**
     * Runs a throughput test.
     *
     * @param impl          the implementation
     * @param size          bytes per message
     * @param seconds       length of the measured window
     * @param warmupSeconds sending before the window starts
     * @return the result
     * @throws BenchException when the implementation is unavailable, fails or times out
     */
    public ThroughputResult throughput(Impl impl, int size, long seconds, long warmupSeconds) throws BenchException {
        checkAvailable(impl);
        if (!(impl instanceof JvmImpl jvm) || !impl.supportsThroughput()) {
            throw new BenchException(impl.name() + " has no throughput test");
        }
        Duration timeout = Duration.ofSeconds(60 + 2 * (seconds + warmupSeconds));
        Spec spec = new Spec(size, timeout.toNanos());
        try (ChildProcess child = startChild(jvm, "throughput", spec, timeout)) {
            ThroughputResult result = onMeasuringThread(() -> {
                try (Sink sink = jvm.throughputSink(spec, child.address())) {
                    return ThroughputRig.run(jvm.name(), size, sink, TimeUnit.SECONDS.toNanos(warmupSeconds),
                            TimeUnit.SECONDS.toNanos(seconds), NanoClock.SYSTEM);
                }
            }, timeout, child);
            child.awaitExit(Duration.ofSeconds(5));
            return result;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchException("interrupted");
        }
    }

    private static void checkAvailable(Impl impl) throws BenchException {
        String reason = impl.unavailableReason();
        if (reason != null) {
            throw new BenchException(reason);
        }
    }

    private ChildProcess startChild(JvmImpl impl, String mode, Spec spec, Duration timeout) throws BenchException {
        List<String> args = List.of("serve", "--impl", impl.name(), "--mode", mode,
                "--size", Integer.toString(spec.size()),
                "--send-millis", Long.toString(TimeUnit.NANOSECONDS.toMillis(spec.sendNanos())),
                "--max-seconds", Long.toString(timeout.toSeconds() + 30));
        try {
            return ChildProcess.start(JvmFlags.childCommand(childMain, args), READY_TIMEOUT);
        } catch (BenchException e) {
            throw e;
        } catch (Exception e) {
            throw new BenchException("cannot start the child JVM: " + describe(e), e);
        }
    }

    private static <T> T onMeasuringThread(Callable<T> task, Duration timeout, ChildProcess child)
            throws BenchException, InterruptedException {
        FutureTask<T> future = new FutureTask<>(task);
        Thread t = new Thread(future, "bench-client");
        t.setDaemon(true);
        t.start();
        try {
            return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            String tail = child.stderrTail();
            child.close();
            t.interrupt();
            t.join(5_000);
            throw new BenchException("timed out after " + timeout.toSeconds() + " s" + tail);
        } catch (ExecutionException e) {
            String tail = child.stderrTail();
            throw new BenchException(describe(e.getCause()) + tail, e.getCause());
        } catch (InterruptedException e) {
            child.close();
            t.interrupt();
            throw e;
        }
    }

    /**
     * @param e a failure
     * @return its class and message, and its root cause's when different
     */
    public static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String s = e.getClass().getSimpleName() + ": " + e.getMessage();
        return root == e ? s : s + " (cause: " + root.getClass().getSimpleName() + ": " + root.getMessage() + ")";
    }
}
