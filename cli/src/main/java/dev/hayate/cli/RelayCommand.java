package dev.hayate.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.hayate.core.Context;
import dev.hayate.relay.RelayContext;
import dev.hayate.relay.RelayServer;
import dev.hayate.relay.RelayStats;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code hayate relay}: runs a blind fan-out relay ({@link RelayServer}) until interrupted and prints its counters
 * every interval, as text or NDJSON (one object a line), every {@link RelayStats.Counter} by its lower-case name.
 * If the relay's thread dies, it prints the counters once more and the cause on stderr, and exits with status 1.
 *
 * <p>Thread-safety: a command, run once.
 */
@Command(name = "relay", mixinStandardHelpOptions = true,
    description = "Run an end-to-end encrypted fan-out relay: it forwards frames it cannot read.")
final class RelayCommand implements Callable<Integer>
{
    private static final long DEATH_CHECK_MILLIS = 500;

    @Spec
    private picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--listen", required = true, description = "HOST:PORT to listen on (port 0 picks one).")
    private String listen;

    @Option(names = "--max-sessions", description = "Most sessions open at once (default ${DEFAULT-VALUE}).")
    private int maxSessions = 1024;

    @Option(names = "--max-consumers", description = "Most consumers a session (default ${DEFAULT-VALUE}).")
    private int maxConsumers = 1024;

    @Option(names = "--max-queue", description = "Most bytes queued per consumer (default ${DEFAULT-VALUE}).")
    private long maxQueue = 8L << 20;

    @Option(names = "--stall-timeout",
        description = "Seconds a consumer may block a BACK_PRESSURE session before it is cut (default ${DEFAULT-VALUE}).")
    private long stallTimeout = 30;

    @Option(names = "--idle-timeout",
        description = "Seconds a session may have no producer (or no paired pipe) before it is closed " +
            "(default ${DEFAULT-VALUE}).")
    private long idleTimeout = 600;

    @Option(names = "--max-per-address",
        description = "Most connections from one IP address (default ${DEFAULT-VALUE}), so one host cannot take every " +
            "session.")
    private int maxPerAddress = 64;

    @Option(names = "--interval", description = "Seconds between counter lines (default ${DEFAULT-VALUE}).")
    private int interval = 5;

    @Option(names = "--json", description = "Print the counters as NDJSON.")
    private boolean json;

    @Override
    public Integer call() throws Exception
    {
        final PrintWriter out = spec.commandLine().getOut();
        final RelayContext context = new RelayContext().listen(Addresses.parse(listen, "0.0.0.0"))
            .maxSessions(maxSessions).maxConsumersPerSession(maxConsumers).maxQueueBytes(maxQueue)
            .stallTimeout(stallTimeout, TimeUnit.SECONDS).idleSessionTimeout(idleTimeout, TimeUnit.SECONDS)
            .context(new Context().name("relay").maxConnectionsPerAddress(maxPerAddress));
        final CountDownLatch stopped = new CountDownLatch(1);
        try (RelayServer relay = RelayServer.bind(context).start())
        {
            final Thread hook = new Thread(stopped::countDown, "hayate-relay-stop");
            Runtime.getRuntime().addShutdownHook(hook);
            final StringBuilder key = new StringBuilder();
            for (final byte b : relay.identityKey())
            {
                key.append(String.format("%02x", b));
            }
            if (json)
            {
                out.printf("{\"listening\":\"%s\",\"identityKey\":\"%s\"}%n", relay.localAddress(), key);
            }
            else
            {
                out.printf("relay listening on %s, identity key %s%n", relay.localAddress(), key);
            }
            out.flush();
            // Checked in short slices so a relay thread that died ends the command soon, not at the next line.
            final long intervalNanos = TimeUnit.SECONDS.toNanos(interval);
            long nextLine = System.nanoTime() + intervalNanos;
            while (!stopped.await(Math.min(interval * 1000L, DEATH_CHECK_MILLIS), TimeUnit.MILLISECONDS))
            {
                if (!relay.isRunning())
                {
                    print(out, relay.stats());
                    final Throwable why = relay.failure();
                    spec.commandLine().getErr().println("relay thread died: " + why);
                    spec.commandLine().getErr().flush();
                    return 1;
                }
                if (System.nanoTime() - nextLine >= 0)
                {
                    nextLine += intervalNanos;
                    print(out, relay.stats());
                }
            }
        }
        return 0;
    }

    private void print(final PrintWriter out, final RelayStats stats)
    {
        final StringBuilder line = new StringBuilder(json ? "{" : "");
        for (final RelayStats.Counter counter : RelayStats.Counter.values())
        {
            final String name = counter.name().toLowerCase(java.util.Locale.ROOT);
            if (json)
            {
                line.append(line.length() > 1 ? "," : "").append('"').append(name).append("\":").append(stats.get(counter));
            }
            else
            {
                line.append(line.length() > 0 ? "  " : "").append(name).append('=').append(stats.get(counter));
            }
        }
        out.println(json ? line.append('}') : line);
        out.flush();
    }
}
