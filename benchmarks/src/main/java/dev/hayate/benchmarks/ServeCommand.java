package dev.hayate.benchmarks;

import dev.hayate.benchmarks.impl.Impls;
import dev.hayate.benchmarks.rig.ChildProcess;
import dev.hayate.benchmarks.rig.Impl;
import dev.hayate.benchmarks.rig.JvmImpl;
import dev.hayate.benchmarks.rig.Server;
import dev.hayate.benchmarks.rig.Spec;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bench serve}: the child JVM's side, started by {@code pingpong}, {@code throughput} and {@code all}.
 *
 * <p>Creates the server side, binds it, prints {@code port <address>} on stdout, serves one client, and exits.
 * It also exits when its stdin reaches end-of-file (the parent closed it or died) and, whatever happens, after
 * {@code --max-seconds}. Its server is closed on every exit path (a shutdown hook covers SIGTERM).
 */
@Command(name = "serve", hidden = true, description = "The child side (started by the other commands).")
final class ServeCommand implements Callable<Integer> {
    enum Mode { PINGPONG, THROUGHPUT }

    @Option(names = "--impl", required = true)
    String impl;

    @Option(names = "--mode", required = true)
    Mode mode;

    @Option(names = "--size", required = true)
    int size;

    @Option(names = "--send-millis", defaultValue = "0")
    long sendMillis;

    @Option(names = "--max-seconds", defaultValue = "600")
    long maxSeconds;

    @Override
    public Integer call() throws Exception {
        Impl found = Impls.byName(impl, null).orElseThrow(() -> new IllegalArgumentException("unknown impl " + impl));
        if (!(found instanceof JvmImpl jvm)) {
            throw new IllegalArgumentException(impl + " has no Java server side");
        }
        watchdogs();
        Spec spec = new Spec(size, TimeUnit.MILLISECONDS.toNanos(sendMillis));
        Server server = mode == Mode.PINGPONG ? jvm.pongServer(spec) : jvm.throughputSource(spec);
        AtomicBoolean closed = new AtomicBoolean();
        Runnable closeOnce = () -> {
            if (closed.compareAndSet(false, true)) {
                try {
                    server.close();
                } catch (Exception e) {
                    System.err.println("close failed: " + e);
                }
            }
        };
        Runtime.getRuntime().addShutdownHook(new Thread(closeOnce, "bench-serve-close"));
        try {
            String address = server.bind();
            System.out.println(ChildProcess.PORT_PREFIX + address);
            System.out.flush();
            server.serve();
        } finally {
            closeOnce.run();
        }
        return 0;
    }

    private void watchdogs() {
        Thread stdin = new Thread(() -> {
            try {
                InputStream in = System.in;
                while (in.read() >= 0) {
                    // the parent writes nothing; end-of-file means it is done or gone
                }
            } catch (IOException ignored) {
                // treat as end-of-file
            }
            System.exit(0);
        }, "bench-serve-stdin");
        stdin.setDaemon(true);
        stdin.start();
        Thread timer = new Thread(() -> {
            try {
                Thread.sleep(TimeUnit.SECONDS.toMillis(maxSeconds));
                System.err.println("bench serve: --max-seconds " + maxSeconds + " reached, exiting");
                System.exit(4);
            } catch (InterruptedException ignored) {
                // exiting anyway
            }
        }, "bench-serve-timer");
        timer.setDaemon(true);
        timer.start();
    }
}
