package dev.hayate.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.jupiter.api.parallel.Resources;

import dev.hayate.transfer.ConsentCallback;
import dev.hayate.transfer.TransferReceiver;
import dev.hayate.transfer.TransferResult;
import dev.hayate.transfer.TransferSender;
import dev.hayate.transfer.crypto.CodePhrase;
import dev.hayate.transfer.discovery.Announcement;
import dev.hayate.transfer.discovery.Announcer;
import dev.hayate.transfer.discovery.Discovery;
import dev.hayate.transfer.discovery.DiscoveryConfig;

/**
 * {@code send} by code alone, {@code receive} by discovery, {@code discover}, text, standard input and output, the
 * QR code and the help pages, in-process against the library on the other side. Discovery runs on loopback: the
 * announcements go to the listener's ephemeral UDP port (hidden options {@code --announce-to} and
 * {@code --discovery-port}).
 */
@ResourceLock(Resources.SYSTEM_OUT)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DiscoveryCommandsTest
{
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path tmp;

    @Test
    void shouldSendByCodeAloneToAReceiverThatDiscoversIt() throws Exception
    {
        final CodePhrase code = CodePhrase.parse("61-amber-falcon-river");
        final Path src = file("holiday.bin", 200_000);
        final Path out = Files.createDirectories(tmp.resolve("out"));
        try (Discovery discovery = Discovery.start(loopback(0), code, Announcement.TCP))
        {
            final CompletableFuture<TransferResult> receiving = TransferReceiver.builder().dial(discovery).code(code)
                .outputDir(out).acceptTimeout(WAIT).build().receiveAsync(ConsentCallback.ACCEPT_ALL);
            final Run run = run(null, "send", src.toString(), "--code", code.toString(), "--listen", "127.0.0.1:0",
                "--no-mdns", "--announce-to", "127.0.0.1:" + discovery.udpAddress().getPort());
            assertEquals(0, run.exit(), run.err());
            assertTrue(run.err().contains("hayate receive " + code), run.err());
            assertTrue(run.err().contains("hayate:" + code + "?to=127.0.0.1:"), run.err());
            assertTrue(run.err().contains("\u2588"), "a QR code is drawn: " + run.err());
            receiving.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        }
        assertArrayEquals(Files.readAllBytes(src), Files.readAllBytes(out.resolve("holiday.bin")));
    }

    @Test
    void shouldReceiveByCodeAloneFromASenderItDiscovers() throws Exception
    {
        final CodePhrase code = CodePhrase.parse("62-amber-falcon-river");
        final Path src = file("song.bin", 150_000);
        final Path out = Files.createDirectories(tmp.resolve("out"));
        final int port = freeUdpPort();
        final CompletableFuture<TransferResult> sending = TransferSender.builder()
            .listen(new InetSocketAddress("127.0.0.1", 0)).code(code).connectTimeout(WAIT)
            .onListening(Announcer.hook(code, Announcement.TCP, loopback(0)
                .udpTargets(List.of(new InetSocketAddress("127.0.0.1", port)))))
            .build().sendAsync(List.of(src));
        final Run run = run(null, "receive", code.toString(), "--yes", "--out", out.toString(), "--no-mdns",
            "--discovery-port", Integer.toString(port), "--timeout", "60");
        assertEquals(0, run.exit(), run.err());
        assertTrue(run.err().contains("looking for the sender of 62-"), run.err());
        sending.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertArrayEquals(Files.readAllBytes(src), Files.readAllBytes(out.resolve("song.bin")));
    }

    @Test
    void shouldDialTheAddressInAHayateUriFromAQrCode() throws Exception
    {
        final CodePhrase code = CodePhrase.parse("67-amber-falcon-river");
        final Path src = file("scan.bin", 60_000);
        final Path out = Files.createDirectories(tmp.resolve("out"));
        final TransferSender sender = TransferSender.builder().listen(new InetSocketAddress("127.0.0.1", 0))
            .code(code).connectTimeout(WAIT).build();
        final CompletableFuture<TransferResult> sending = sender.sendAsync(List.of(src));
        final InetSocketAddress at = (InetSocketAddress)sender.awaitBound(WAIT);
        final Run run = run(null, "receive", HayateUri.format(code.toString(), at), "--yes", "--out", out.toString());
        assertEquals(0, run.exit(), run.err());
        sending.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertArrayEquals(Files.readAllBytes(src), Files.readAllBytes(out.resolve("scan.bin")));
    }

    @Test
    void shouldListAnnouncingSendersByValueOnly() throws Exception
    {
        final int port = freeUdpPort();
        final Announcement a = Announcement.create(CodePhrase.parse("63-amber-falcon-river"), Announcement.TCP, 4321,
            new SecureRandom());
        try (Announcer announcer = Announcer.start(a, loopback(0)
            .udpTargets(List.of(new InetSocketAddress("127.0.0.1", port)))))
        {
            final Run run = run(null, "discover", "--timeout", "2", "--json", "--no-mdns", "--discovery-port",
                Integer.toString(port));
            assertEquals(0, run.exit(), run.err());
            assertTrue(run.out().contains("{\"value\":\"" + announcer.announcement().value() +
                "\",\"address\":\"127.0.0.1:4321\",\"transport\":\"tcp\",\"via\":\"udp\"}"), run.out());
            assertFalse(run.out().contains("amber"), run.out());
        }
    }

    @Test
    void shouldSendATextThatTheReceiverPrints() throws Exception
    {
        final CodePhrase code = CodePhrase.parse("64-amber-falcon-river");
        final Path out = Files.createDirectories(tmp.resolve("out"));
        final int port = freeTcpPort();
        final CompletableFuture<Run> receiving = CompletableFuture.supplyAsync(() -> run(null, "receive",
            code.toString(), "--listen", "127.0.0.1:" + port, "--yes", "--out", out.toString(), "--timeout", "60"));
        // The CLI receiver binds shortly; the sender keeps dialling until it does.
        final Path text = Files.write(Files.createDirectories(tmp.resolve("t")).resolve(SendCommand.TEXT_NAME),
            "meet at 6 \u2615".getBytes(StandardCharsets.UTF_8));
        final TransferResult sent = sendWhenListening(code, port, text);
        assertEquals(1, sent.files().size());
        final Run run = receiving.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertEquals(0, run.exit(), run.err());
        assertEquals("meet at 6 \u2615\n", run.out());
        assertFalse(Files.exists(out.resolve(SendCommand.TEXT_NAME)), "a text is printed, not kept");
    }

    @Test
    void shouldSendStandardInputAndTextFromTheCommandLine() throws Exception
    {
        final CodePhrase code = CodePhrase.parse("65-amber-falcon-river");
        final Path out = Files.createDirectories(tmp.resolve("out"));
        final TransferReceiver receiver = TransferReceiver.builder().listen(new InetSocketAddress("127.0.0.1", 0))
            .code(code).outputDir(out).acceptTimeout(WAIT).build();
        final CompletableFuture<TransferResult> receiving = receiver.receiveAsync(ConsentCallback.ACCEPT_ALL);
        final InetSocketAddress at = (InetSocketAddress)receiver.awaitBound(WAIT);
        final byte[] piped = new byte[70_000];
        new SecureRandom().nextBytes(piped);
        final Run run = run(new ByteArrayInputStream(piped), "send", "-", "--text", "hello", "--to",
            "127.0.0.1:" + at.getPort(), "--code", code.toString());
        assertEquals(0, run.exit(), run.err());
        receiving.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertArrayEquals(piped, Files.readAllBytes(out.resolve("stdin")));
        assertEquals("hello", Files.readString(out.resolve(SendCommand.TEXT_NAME)));
    }

    @Test
    void shouldWriteReceivedContentToStandardOutput() throws Exception
    {
        final CodePhrase code = CodePhrase.parse("66-amber-falcon-river");
        final Path src = file("data.bin", 90_000);
        final int port = freeTcpPort();
        final Path out = Files.createDirectories(tmp.resolve("out"));
        final CompletableFuture<Run> receiving = CompletableFuture.supplyAsync(() -> run(null, "receive",
            code.toString(), "--listen", "127.0.0.1:" + port, "--yes", "--stdout", "--out", out.toString(),
            "--timeout", "60"));
        sendWhenListening(code, port, src);
        final Run run = receiving.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertEquals(0, run.exit(), run.err());
        assertArrayEquals(Files.readAllBytes(src), run.outBytes());
        assertFalse(Files.exists(out.resolve("data.bin")), "--stdout keeps nothing");
    }

    @Test
    void shouldParseAndFormatHayateUris()
    {
        assertEquals("hayate:7-amber-falcon-river?to=192.0.2.10:41234",
            HayateUri.format("7-amber-falcon-river", new InetSocketAddress("192.0.2.10", 41234)));
        assertEquals("hayate:7-amber-falcon-river", HayateUri.format("7-amber-falcon-river", null));
        assertEquals(new HayateUri("7-amber-falcon-river", "192.0.2.10:41234"),
            HayateUri.parse("hayate:7-amber-falcon-river?to=192.0.2.10:41234"));
        assertEquals(new HayateUri("7-amber-falcon-river", null), HayateUri.parse("7-amber-falcon-river"));
        assertNull(HayateUri.parse("HAYATE:7-amber-falcon-river").to());
        assertThrows(IllegalArgumentException.class, () -> HayateUri.parse("hayate:7-a-b-c?evil=1"));
        assertTrue(HayateUri.format("1-a-b-c", new InetSocketAddress("::1", 80)).endsWith("?to=[0:0:0:0:0:0:0:1]:80"));
    }

    @Test
    void shouldDrawASquareQrCodeWithAQuietZone()
    {
        final String[] rows = QrCodes.render("hayate:7-amber-falcon-river?to=192.0.2.10:41234").split("\n");
        final int width = rows[0].length();
        // Version 2 or 3 (25 or 29 modules) plus two quiet modules each side; two modules per text row.
        assertTrue(width >= 29, "width " + width);
        assertEquals((width + 1) / 2, rows.length);
        for (final String row : rows)
        {
            assertEquals(width, row.length());
        }
        assertTrue(rows[0].chars().allMatch(c -> c == '\u2588'), "the top quiet zone is light: " + rows[0]);
    }

    @Test
    void shouldReadLikeAManPageAndGenerateCompletion()
    {
        final Run help = run(null, "help", "send");
        assertEquals(0, help.exit());
        for (final String section : List.of("NAME", "SYNOPSIS", "DESCRIPTION", "OPTIONS", "EXAMPLES", "EXIT STATUS"))
        {
            assertTrue(help.out().contains("\n" + section + "\n") || help.out().startsWith(section + "\n"),
                section + " in " + help.out());
        }
        final Run completion = run(null, "generate-completion");
        assertEquals(0, completion.exit());
        assertTrue(completion.out().contains("complete -F"), completion.out());
        assertTrue(completion.out().contains("discover"), "every subcommand completes");
    }

    @Test
    void shouldAskForTheCodeWhenReceivingWithoutOne()
    {
        final Run run = run(null, "receive");
        assertEquals(2, run.exit());
        assertTrue(run.err().contains("give the code the sender printed"), run.err());
    }

    private record Run(int exit, String out, String err, byte[] outBytes)
    {
    }

    private static Run run(final InputStream stdin, final String... args)
    {
        final PrintStream out = System.out;
        final PrintStream err = System.err;
        final InputStream in = System.in;
        final ByteArrayOutputStream o = new ByteArrayOutputStream();
        final ByteArrayOutputStream e = new ByteArrayOutputStream();
        System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
        if (stdin != null)
        {
            System.setIn(stdin);
        }
        try
        {
            final int exit = Main.commandLine().execute(args);
            return new Run(exit, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8),
                o.toByteArray());
        }
        finally
        {
            System.setOut(out);
            System.setErr(err);
            System.setIn(in);
        }
    }

    private static DiscoveryConfig loopback(final int port)
    {
        return new DiscoveryConfig().mdns(false).udpPort(port).interval(Duration.ofMillis(300));
    }

    private static TransferResult sendWhenListening(final CodePhrase code, final int port, final Path file)
        throws Exception
    {
        return TransferSender.builder().to(new InetSocketAddress("127.0.0.1", port)).code(code).connectTimeout(WAIT)
            .build().send(List.of(file));
    }

    private static int freeUdpPort() throws Exception
    {
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress()))
        {
            return s.getLocalPort();
        }
    }

    private static int freeTcpPort() throws Exception
    {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress()))
        {
            return s.getLocalPort();
        }
    }

    private Path file(final String name, final int size) throws Exception
    {
        final byte[] bytes = new byte[size];
        new SecureRandom().nextBytes(bytes);
        return Files.write(Files.createDirectories(tmp.resolve("src")).resolve(name), bytes);
    }
}
