package dev.hayate.examples;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import dev.hayate.codec.orderentry.sbe.ExecutionReportDecoder;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code hayate trader}: logs in to a gateway, sends N orders, waits for every execution report, prints a summary
 * and the round-trip percentiles. Exits 0 only if every order got exactly one FILL; 1 if not; 2 if it could not
 * log in.
 *
 * <p>Thread-safety: a command, run once.
 */
@Command(name = "trader", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Log in to an order-entry gateway, send N limit orders (pipelined), wait for every execution "
        + "report, and print a summary with round-trip percentiles.",
        "Reconnects and recovers (replay and resend) if the connection is lost. Exit code 0 only if every order "
            + "was answered exactly once; 1 otherwise; 2 if the login failed."},
    footer = {"", "Example:", "  ./hayate trader --connect 127.0.0.1:7011 --user alice --password secret --orders 20000"})
final class TraderCommand implements Callable<Integer>
{
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");

    @Spec
    private CommandLine.Model.CommandSpec spec;

    @Option(names = "--connect", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:7011",
        description = "The gateway (default ${DEFAULT-VALUE}).")
    private InetSocketAddress gateway;

    @Option(names = "--user", defaultValue = "alice", description = "User name (default ${DEFAULT-VALUE}).")
    private String user;

    @Option(names = "--password", defaultValue = "secret", description = "Password (default ${DEFAULT-VALUE}).")
    private String password;

    @Option(names = "--orders", defaultValue = "10000", description = "Orders to send (default ${DEFAULT-VALUE}).")
    private int orders;

    @Option(names = "--window", defaultValue = "16",
        description = "Most orders in flight without their final report (default ${DEFAULT-VALUE}).")
    private int window;

    @Option(names = "--timeout-s", defaultValue = "60",
        description = "Give up waiting for reports after this long (default ${DEFAULT-VALUE}).")
    private long timeoutSeconds;

    @Option(names = "--heartbeat-ms", defaultValue = "1000", description = "Heartbeat interval (default ${DEFAULT-VALUE}).")
    private long heartbeatMs;

    @Option(names = "--spin", description = "Busy-spin while waiting (lowest latency, burns a core); default: back off.")
    private boolean spin;

    @Option(names = "--drop-every", defaultValue = "0", paramLabel = "N",
        description = "Simulate a network failure every N execution reports, to watch recovery (default: never).")
    private int dropEvery;

    @Override
    public Integer call()
    {
        final PrintWriter out = spec.commandLine().getOut();
        final PrintWriter err = spec.commandLine().getErr();
        if (orders < 1 || orders > 10_000_000 || window < 1)
        {
            throw new CommandLine.ParameterException(spec.commandLine(), "--orders must be 1..10000000, --window >= 1");
        }
        final TraderSession.Config config = new TraderSession.Config()
            .gateway(gateway)
            .username(user)
            .password(password)
            .heartbeatIntervalMs(heartbeatMs)
            .journalMessages(Math.max(1024, 4 * window))
            .events(line -> print(out, line));
        final TraderSession session;
        try
        {
            session = TraderSession.connect(config);
        }
        catch (final IOException ex)
        {
            err.println("trader: " + ex.getMessage());
            err.flush();
            return 2;
        }
        out.printf("Hayate trader: %s -> %s, %d LIMIT DAY orders on HAYATE, window %d%n", user, gateway, orders, window);
        out.printf("  session   %d over %s, heartbeat %d ms, SBE order entry in SOFH frames%n", session.sessionId(),
            session.describeConnection(), session.gatewayHeartbeatMs());
        out.flush();
        final int[] reports = new int[1];
        final Trader.Observer dropper = dropEvery <= 0 ? null : message ->
        {
            if (message.templateId() == ExecutionReportDecoder.TEMPLATE_ID && ++reports[0] % dropEvery == 0)
            {
                session.dropConnection();
            }
        };
        final Trader.Result result = new Trader(session, orders, window, TimeUnit.SECONDS.toMillis(timeoutSeconds), spin,
            dropper).run();
        result.print(out);
        return result.allAnswered() ? 0 : 1;
    }

    private static void print(final PrintWriter out, final String line)
    {
        synchronized (out)
        {
            out.println("  " + LocalTime.now().format(TIME) + " " + line);
            out.flush();
        }
    }
}
