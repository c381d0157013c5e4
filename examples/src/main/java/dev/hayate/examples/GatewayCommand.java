package dev.hayate.examples;

import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.hayate.core.transport.tls.TlsConfig;
import dev.hayate.core.transport.tls.TlsTransportProvider;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code hayate gateway}: runs a {@link Gateway} on the calling thread until the process is stopped (Ctrl-C,
 * SIGTERM) or the thread is interrupted, printing one line per session event. Exit code 0 when stopped, 2 if it
 * cannot listen.
 *
 * <p>Thread-safety: a command, run once.
 */
@Command(name = "gateway", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Run the order-entry gateway: one thread serves every trader (login, heartbeats, sequence numbers, "
        + "replay on reconnect, a tiny matching engine).",
        "Prints one line per session event; stop it with Ctrl-C."},
    footer = {"", "Examples:", "  ./hayate gateway --listen 127.0.0.1:7011 --user alice:secret --user bob:hunter2",
        "  ./hayate gateway --listen 0.0.0.0:7011 --tls-cert cert.pem --tls-key key.pem"})
final class GatewayCommand implements Callable<Integer>
{
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");

    @Spec
    private CommandLine.Model.CommandSpec spec;

    @Option(names = "--listen", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:7011",
        description = "Address to listen on; port 0 picks a free one (default ${DEFAULT-VALUE}).")
    private InetSocketAddress listen;

    @Option(names = "--user", paramLabel = "NAME:PASSWORD",
        description = "A user allowed to log in; repeat for more (default alice:secret).")
    private List<String> users;

    @Option(names = "--symbols", split = ",", paramLabel = "SYMBOL",
        description = "Tradable symbols, comma separated (default HAYATE,ACME,GLOBEX,INITECH).")
    private List<String> symbols;

    @Option(names = "--heartbeat-ms", defaultValue = "1000",
        description = "Heartbeat interval; a trader silent for 3 intervals is disconnected (default ${DEFAULT-VALUE}).")
    private long heartbeatMs;

    @Option(names = "--login-timeout-ms", defaultValue = "5000",
        description = "Time a new connection has to log in (default ${DEFAULT-VALUE}).")
    private long loginTimeoutMs;

    @Option(names = "--max-connections", defaultValue = "64",
        description = "Connection gate: connections beyond it are closed at once (default ${DEFAULT-VALUE}).")
    private int maxConnections;

    @Option(names = "--max-per-address", defaultValue = "32",
        description = "Live connections allowed from one IP address (default ${DEFAULT-VALUE}).")
    private int maxPerAddress;

    @Option(names = "--max-logins-per-address", defaultValue = "8",
        description = "Connections from one IP address that may be logging in at once (default ${DEFAULT-VALUE}).")
    private int maxLoginsPerAddress;

    @Option(names = "--connections-per-second", defaultValue = "0",
        description = "New connections per second allowed from one IP address; 0 for no limit (default ${DEFAULT-VALUE}).")
    private int connectionsPerSecond;

    @Option(names = "--journal-messages", defaultValue = "65536",
        description = "Messages kept per session for replay (default ${DEFAULT-VALUE}).")
    private int journalMessages;

    @Option(names = "--journal-bytes", defaultValue = "8388608",
        description = "Bytes kept per session for replay (default ${DEFAULT-VALUE}).")
    private int journalBytes;

    @Option(names = "--session-expiry-ms", defaultValue = "60000",
        description = "How long an open session waits for its trader to reconnect (default ${DEFAULT-VALUE}).")
    private long sessionExpiryMs;

    @Option(names = "--tls-cert", paramLabel = "FILE",
        description = "Serve TLS 1.3 with this PEM certificate chain (leaf first); needs --tls-key.")
    private java.nio.file.Path tlsCert;

    @Option(names = "--tls-key", paramLabel = "FILE",
        description = "The certificate's private key: unencrypted PKCS#8 PEM (BEGIN PRIVATE KEY).")
    private java.nio.file.Path tlsKey;

    @Option(names = "--tls-client-ca", paramLabel = "FILE",
        description = "Require client certificates issued by these PEM CAs (mutual TLS).")
    private java.nio.file.Path tlsClientCa;

    @Option(names = "--tls-engine", paramLabel = "ENGINE", defaultValue = "JDK",
        description = "TLS implementation: JDK (default) or OPENSSL (BoringSSL; nothing allocated per record "
            + "instead of ~3 KB).")
    private TlsConfig.Engine tlsEngine;

    @Override
    public Integer call() throws Exception
    {
        final PrintWriter out = spec.commandLine().getOut();
        final Gateway.Config config = new Gateway.Config()
            .listen(listen)
            .heartbeatIntervalMs(heartbeatMs)
            .loginTimeoutMs(loginTimeoutMs)
            .maxConnections(maxConnections)
            .maxConnectionsPerAddress(maxPerAddress)
            .maxLoginsPerAddress(maxLoginsPerAddress)
            .connectionsPerSecondPerAddress(connectionsPerSecond)
            .journalMessages(journalMessages)
            .journalBytes(journalBytes)
            .sessionExpiryMs(sessionExpiryMs)
            .events(line -> print(out, line));
        for (final String user : users == null ? List.of("alice:secret") : users)
        {
            final int colon = user.indexOf(':');
            if (colon <= 0)
            {
                throw new CommandLine.ParameterException(spec.commandLine(), "--user wants NAME:PASSWORD, got '" + user + "'");
            }
            config.user(user.substring(0, colon), user.substring(colon + 1));
        }
        if (symbols != null)
        {
            config.symbols(symbols);
        }
        final String tls = configureTls(config);
        final CountDownLatch done = new CountDownLatch(1);
        final Gateway gateway;
        try
        {
            gateway = new Gateway(config);
        }
        catch (final java.io.IOException ex)
        {
            spec.commandLine().getErr().println("gateway: cannot listen on " + listen + ": " + ex.getMessage());
            spec.commandLine().getErr().flush();
            return 2;
        }
        try
        {
            final Thread hook = new Thread(() ->
            {
                gateway.close();
                try
                {
                    done.await(5, TimeUnit.SECONDS);
                }
                catch (final InterruptedException ignore)
                {
                    Thread.currentThread().interrupt();
                }
            }, "gateway-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            print(out, "listening on " + gateway.localAddress() + " (users: " + String.join(", ",
                users == null ? List.of("alice") : users.stream().map(u -> u.substring(0, u.indexOf(':'))).toList()) +
                "; heartbeat " + heartbeatMs + " ms, login timeout " + loginTimeoutMs + " ms, gate " + maxConnections +
                ", journal " + journalMessages + " messages / " + journalBytes + " bytes per session); " + tls +
                "; one thread serves every session; Ctrl-C stops");
            try
            {
                gateway.run();
            }
            finally
            {
                print(out, "stopped: " + gateway.failedLogins() + " failed login(s), " + gateway.refusedConnections() +
                    " connection(s) refused by the gate");
                try
                {
                    Runtime.getRuntime().removeShutdownHook(hook);
                }
                catch (final IllegalStateException shuttingDown)
                {
                    // The hook is what is stopping us.
                }
                done.countDown();
            }
        }
        finally
        {
            gateway.close();
        }
        return 0;
    }

    /**
     * @return how the gateway speaks, for its first line.
     */
    private String configureTls(final Gateway.Config config)
    {
        if (tlsCert == null && tlsKey == null)
        {
            if (tlsClientCa != null)
            {
                throw new CommandLine.ParameterException(spec.commandLine(), "--tls-client-ca needs --tls-cert and --tls-key");
            }
            return "plaintext TCP";
        }
        if (tlsCert == null || tlsKey == null)
        {
            throw new CommandLine.ParameterException(spec.commandLine(), "--tls-cert and --tls-key go together");
        }
        final TlsConfig tls = new TlsConfig().engine(tlsEngine).certificateChain(tlsCert).privateKey(tlsKey);
        if (tlsClientCa != null)
        {
            tls.trustCertificates(tlsClientCa).clientAuth(TlsConfig.ClientAuth.REQUIRED);
        }
        try
        {
            config.transportProvider(new TlsTransportProvider(tls));
        }
        catch (final java.io.UncheckedIOException | IllegalStateException ex)
        {
            throw new CommandLine.ParameterException(spec.commandLine(), "TLS: " + ex.getMessage());
        }
        return "TLS 1.3 with " + tlsCert.getFileName() + (tlsClientCa != null ? ", client certificates required" : "") +
            (tlsEngine == TlsConfig.Engine.OPENSSL ? ", BoringSSL engine" : "");
    }

    private static void print(final PrintWriter out, final String line)
    {
        synchronized (out)
        {
            out.println(LocalTime.now().format(TIME) + " gateway: " + line);
            out.flush();
        }
    }
}
