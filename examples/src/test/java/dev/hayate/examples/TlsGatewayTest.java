package dev.hayate.examples;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.hayate.core.test.TestCertificates;
import dev.hayate.core.transport.tls.TlsConfig;
import dev.hayate.core.transport.tls.TlsTransportProvider;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The order-entry gateway and trader over TLS 1.3: the command-line flags, a refused certificate, a plaintext
 * trader at a TLS gateway, and {@code openssl s_client} as an independent peer.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TlsGatewayTest
{
    private static final Pattern LISTENING = Pattern.compile("listening on /127\\.0\\.0\\.1:(\\d+) ");

    @TempDir
    static Path directory;
    private static TestCertificates pki;
    private static TestCertificates stranger;
    private static TestCertificates.Leaf gatewayLeaf;

    @BeforeAll
    static void certificates() throws IOException
    {
        pki = TestCertificates.ca(directory, "exchange");
        stranger = TestCertificates.ca(directory, "stranger");
        gatewayLeaf = pki.issue("gateway", "localhost", "127.0.0.1");
    }

    /**
     * Runs {@code gateway} with TLS on a thread, hands its address to {@code body}, then stops it.
     */
    private static void withTlsGatewayCommand(final GatewayBody body) throws Exception
    {
        withTlsGatewayCommand(TlsConfig.Engine.JDK, body);
    }

    private static void withTlsGatewayCommand(final TlsConfig.Engine engine, final GatewayBody body) throws Exception
    {
        final ExamplesMainTest.Lines gatewayOut = new ExamplesMainTest.Lines();
        final StringWriter gatewayErr = new StringWriter();
        final AtomicInteger gatewayExit = new AtomicInteger(-1);
        final Thread gateway = new Thread(() -> gatewayExit.set(ExamplesMain.run(new String[] {"gateway", "--listen",
            "127.0.0.1:0", "--user", "alice:secret", "--heartbeat-ms", "500", "--tls-cert",
            gatewayLeaf.certificate().toString(), "--tls-key", gatewayLeaf.key().toString(), "--tls-engine",
            engine.name()},
            new PrintWriter(gatewayOut, true), new PrintWriter(gatewayErr, true))), "cli-tls-gateway");
        gateway.setDaemon(true);
        gateway.start();
        try
        {
            final String listening = gatewayOut.await(LISTENING);
            assertNotNull(listening, () -> "the gateway never said where it listens: " + gatewayErr);
            assertTrue(listening.contains("TLS 1.3 with "), listening);
            assertEquals(engine == TlsConfig.Engine.OPENSSL, listening.contains("BoringSSL engine"), listening);
            final Matcher port = LISTENING.matcher(listening);
            assertTrue(port.find());
            body.run("127.0.0.1:" + port.group(1));
        }
        finally
        {
            gateway.interrupt();
            gateway.join(10_000);
        }
        assertFalse(gateway.isAlive(), "the gateway command stops when its thread is interrupted");
        assertEquals(0, gatewayExit.get(), gatewayErr::toString);
    }

    @FunctionalInterface
    private interface GatewayBody
    {
        void run(String address) throws Exception;
    }

    private static int trader(final StringWriter out, final StringWriter err, final String... arguments)
    {
        final String[] command = new String[arguments.length + 1];
        command[0] = "trader";
        System.arraycopy(arguments, 0, command, 1, arguments.length);
        return ExamplesMain.run(command, new PrintWriter(out, true), new PrintWriter(err, true));
    }

    @Test
    void shouldTradeOverTlsWithTheCommandLineFlags() throws Exception
    {
        withTlsGatewayCommand(address ->
        {
            final StringWriter out = new StringWriter();
            final StringWriter err = new StringWriter();
            final int exit = trader(out, err, "--connect", address, "--user", "alice", "--password", "secret",
                "--orders", "500", "--tls-trust", pki.caFile().toString());
            assertEquals(0, exit, () -> out + "\n" + err);
            assertTrue(out.toString().contains("over TLS 1.3"), out::toString);
            assertTrue(out.toString().contains("  result    OK: every order answered exactly once"), out::toString);
        });
    }

    @Test
    void shouldTradeOverTlsWithTheOpenSslEngineOnBothSidesAndAcrossEngines() throws Exception
    {
        // The build ships BoringSSL for linux-x86_64 only (the platforms CI runs on): there it must load.
        final String arch = System.getProperty("os.arch");
        Assumptions.assumeTrue(System.getProperty("os.name").startsWith("Linux") &&
            ("amd64".equals(arch) || "x86_64".equals(arch)), "BoringSSL is shipped for linux-x86_64 only");
        withTlsGatewayCommand(TlsConfig.Engine.OPENSSL, address ->
        {
            for (final String traderEngine : new String[] {"OPENSSL", "JDK"})
            {
                final StringWriter out = new StringWriter();
                final StringWriter err = new StringWriter();
                final int exit = trader(out, err, "--connect", address, "--user", "alice", "--password", "secret",
                    "--orders", "500", "--tls-trust", pki.caFile().toString(), "--tls-engine", traderEngine);
                assertEquals(0, exit, () -> traderEngine + ": " + out + "\n" + err);
                assertTrue(out.toString().contains("over TLS 1.3"), out::toString);
                assertTrue(out.toString().contains("  result    OK: every order answered exactly once"), out::toString);
            }
        });
    }

    @Test
    void shouldRefuseAGatewayWhoseCertificateTheTraderDoesNotTrust() throws Exception
    {
        withTlsGatewayCommand(address ->
        {
            final StringWriter out = new StringWriter();
            final StringWriter err = new StringWriter();
            final int exit = trader(out, err, "--connect", address, "--user", "alice", "--password", "secret",
                "--orders", "1", "--tls-trust", stranger.caFile().toString());
            assertEquals(2, exit, () -> out + "\n" + err);
            assertTrue(err.toString().contains("not trusted"), err::toString);
        });
    }

    @Test
    void shouldRefuseAGatewayWhosePinDoesNotMatch() throws Exception
    {
        withTlsGatewayCommand(address ->
        {
            final StringWriter out = new StringWriter();
            final StringWriter err = new StringWriter();
            final int exit = trader(out, err, "--connect", address, "--user", "alice", "--password", "secret",
                "--orders", "1", "--tls-trust", pki.caFile().toString(), "--tls-pin",
                "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=");
            assertEquals(2, exit, () -> out + "\n" + err);
            assertTrue(err.toString().contains("certificate pin mismatch"), err::toString);
        });
    }

    @Test
    void shouldCloseAPlaintextTraderAtATlsGatewayRatherThanHang() throws Exception
    {
        withTlsGatewayCommand(address ->
        {
            final StringWriter out = new StringWriter();
            final StringWriter err = new StringWriter();
            final long start = System.nanoTime();
            final int exit = trader(out, err, "--connect", address, "--user", "alice", "--password", "secret",
                "--orders", "1");
            assertEquals(2, exit, () -> out + "\n" + err);
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(60), "answered, not hung");
        });
    }

    @Test
    void shouldCompleteAnOpensslHandshakeWithTheGateway() throws Exception
    {
        final Path openssl = findOnPath("openssl");
        if (openssl == null)
        {
            System.out.println("skipped: openssl is not installed on this machine");
            Assumptions.abort("openssl is not installed on this machine");
        }
        try (GatewayFixture fixture = GatewayFixture.create(config -> config.transportProvider(new TlsTransportProvider(
            new TlsConfig().certificateChain(gatewayLeaf.certificate()).privateKey(gatewayLeaf.key()))), true))
        {
            final Process process = new ProcessBuilder(openssl.toString(), "s_client", "-connect",
                "127.0.0.1:" + fixture.address().getPort(), "-tls1_3", "-CAfile", pki.caFile().toString(),
                "-verify_return_error", "-verify_ip", "127.0.0.1", "-brief")
                .redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.PIPE).start();
            // End of input: s_client closes once the handshake is done.
            process.getOutputStream().close();
            final boolean exited = process.waitFor(30, TimeUnit.SECONDS);
            if (!exited)
            {
                process.destroyForcibly();
            }
            final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(exited, "openssl s_client did not finish: " + output);
            assertTrue(output.contains("CONNECTION ESTABLISHED"), output);
            assertTrue(output.contains("Protocol version: TLSv1.3"), output);
            assertTrue(output.contains("Verification: OK"), output);
            assertEquals(0, process.exitValue(), output);
        }
    }

    private static Path findOnPath(final String program)
    {
        final String path = System.getenv("PATH");
        for (final String folder : path == null ? List.<String>of() : List.of(path.split(java.io.File.pathSeparator)))
        {
            final Path candidate = Path.of(folder, program);
            if (java.nio.file.Files.isExecutable(candidate))
            {
                return candidate;
            }
        }
        return null;
    }
}
