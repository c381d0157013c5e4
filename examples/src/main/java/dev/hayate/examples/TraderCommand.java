package dev.hayate.examples;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import dev.hayate.codec.orderentry.sbe.ExecutionReportDecoder;
import dev.hayate.core.transport.tls.TlsConfig;
import dev.hayate.core.transport.tls.TlsTransportProvider;
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
    footer = {"", "Examples:", "  ./hayate trader --connect 127.0.0.1:7011 --user alice --password secret --orders 20000",
        "  ./hayate trader --connect gw.example:7011 --tls-trust ca.pem --user alice --password secret"})
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

    @Option(names = "--tls", description = "Speak TLS 1.3, trusting the JDK's default CAs (implied by the other --tls options).")
    private boolean tlsOn;

    @Option(names = "--tls-trust", paramLabel = "FILE",
        description = "Speak TLS 1.3 and trust the gateway's certificate only if it chains to these PEM CAs.")
    private java.nio.file.Path tlsTrust;

    @Option(names = "--tls-pin", paramLabel = "SHA256",
        description = "Also require the gateway's key to be this one: base64 SHA-256 of its SubjectPublicKeyInfo; repeatable.")
    private java.util.List<String> tlsPins;

    @Option(names = "--tls-server-name", paramLabel = "NAME",
        description = "The name the gateway's certificate must carry (default: the host of --connect).")
    private String tlsServerName;

    @Option(names = "--tls-cert", paramLabel = "FILE", description = "Client certificate chain (PEM) for mutual TLS; needs --tls-key.")
    private java.nio.file.Path tlsCert;

    @Option(names = "--tls-key", paramLabel = "FILE", description = "The client certificate's unencrypted PKCS#8 PEM key.")
    private java.nio.file.Path tlsKey;

    @Option(names = "--tls-engine", paramLabel = "ENGINE",
        description = "TLS implementation: JDK (default) or OPENSSL (BoringSSL; nothing allocated per record "
            + "instead of ~3 KB).")
    private TlsConfig.Engine tlsEngine;

    private boolean tlsUsed;

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
        configureTls(config);
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
        out.printf("  session   %d over %s, heartbeat %d ms, SBE order entry in SOFH frames%s%n", session.sessionId(),
            session.describeConnection(), session.gatewayHeartbeatMs(), tlsUsed ? " over TLS 1.3" : "");
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

    private void configureTls(final TraderSession.Config config)
    {
        if (!tlsOn && tlsTrust == null && tlsPins == null && tlsServerName == null && tlsCert == null && tlsKey == null &&
            tlsEngine == null)
        {
            return;
        }
        tlsUsed = true;
        if ((tlsCert == null) != (tlsKey == null))
        {
            throw new CommandLine.ParameterException(spec.commandLine(), "--tls-cert and --tls-key go together");
        }
        // The gateway reads every connection at once, so the handshake is finished (or refused, with the reason)
        // before the login starts.
        final TlsConfig tls = new TlsConfig().handshakeOnConnect(true)
            .engine(tlsEngine == null ? TlsConfig.Engine.JDK : tlsEngine);
        if (tlsTrust != null)
        {
            tls.trustCertificates(tlsTrust);
        }
        if (tlsServerName != null)
        {
            tls.serverName(tlsServerName);
        }
        if (tlsCert != null)
        {
            tls.certificateChain(tlsCert).privateKey(tlsKey);
        }
        try
        {
            for (final String pin : tlsPins == null ? java.util.List.<String>of() : tlsPins)
            {
                tls.pinSha256(pin);
            }
            config.transportProvider(new TlsTransportProvider(tls));
        }
        catch (final java.io.UncheckedIOException | IllegalStateException | IllegalArgumentException ex)
        {
            throw new CommandLine.ParameterException(spec.commandLine(), "TLS: " + ex.getMessage());
        }
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
