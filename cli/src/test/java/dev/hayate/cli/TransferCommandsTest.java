package dev.hayate.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.hayate.transfer.ConsentCallback;
import dev.hayate.transfer.TransferReceiver;
import dev.hayate.transfer.TransferResult;
import dev.hayate.transfer.TransferSender;
import dev.hayate.transfer.crypto.CodePhrase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.jupiter.api.parallel.Resources;

/**
 * {@code hayate send} and {@code hayate receive} run in-process against the library on the other side, with the
 * command's standard streams captured.
 */
@ResourceLock(Resources.SYSTEM_OUT)
class TransferCommandsTest
{
    private static final String CODE = "42-amber-falcon-river";

    @TempDir
    Path tmp;

    private record Run(int exit, String out, String err)
    {
    }

    private static Run run(final String... args)
    {
        final PrintStream out = System.out;
        final PrintStream err = System.err;
        final ByteArrayOutputStream o = new ByteArrayOutputStream();
        final ByteArrayOutputStream e = new ByteArrayOutputStream();
        System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
        try
        {
            final int exit = Main.commandLine().execute(args);
            return new Run(exit, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
        }
        finally
        {
            System.setOut(out);
            System.setErr(err);
        }
    }

    private Path file(final String name, final int size) throws Exception
    {
        final byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        final Path p = tmp.resolve("src").resolve(name);
        Files.createDirectories(p.getParent());
        Files.write(p, bytes);
        return p;
    }

    private TransferReceiver receiver(final Path out, final String code)
    {
        return TransferReceiver.builder().listen(new InetSocketAddress("127.0.0.1", 0)).code(CodePhrase.parse(code))
            .outputDir(out).acceptTimeout(Duration.ofSeconds(60)).build();
    }

    @Test
    void shouldSendAFileAndReportEveryChecksum() throws Exception
    {
        final Path src = file("notes.bin", 300_000);
        final Path out = Files.createDirectories(tmp.resolve("out"));
        final TransferReceiver receiver = receiver(out, CODE);
        final CompletableFuture<TransferResult> receiving = receiver.receiveAsync(ConsentCallback.ACCEPT_ALL);
        final InetSocketAddress at = (InetSocketAddress)receiver.awaitBound(Duration.ofSeconds(30));

        final Run run = run("send", src.toString(), "--to", "127.0.0.1:" + at.getPort(), "--code", CODE);

        assertEquals(0, run.exit(), run.err());
        assertTrue(run.err().contains("every checksum matched"), run.err());
        assertTrue(run.err().contains("sent     notes.bin"), run.err());
        assertTrue(run.err().contains("dialling until the receiver listens, up to 600 s"), run.err());
        receiving.get(30, TimeUnit.SECONDS);
        assertArrayEquals(Files.readAllBytes(src), Files.readAllBytes(out.resolve("notes.bin")));
    }

    @Test
    void shouldSayWhichItemsItLeavesOutOfAFolder() throws Exception
    {
        final Path kept = file("dir/kept.txt", 100);
        Files.createSymbolicLink(kept.resolveSibling("link.txt"), kept.getFileName());
        final Path out = Files.createDirectories(tmp.resolve("out"));
        final TransferReceiver receiver = receiver(out, CODE);
        final CompletableFuture<TransferResult> receiving = receiver.receiveAsync(ConsentCallback.ACCEPT_ALL);
        final InetSocketAddress at = (InetSocketAddress)receiver.awaitBound(Duration.ofSeconds(30));

        final Run run = run("send", kept.getParent().toString(), "--to", "127.0.0.1:" + at.getPort(), "--code", CODE);

        assertEquals(0, run.exit(), run.err());
        assertTrue(run.err().contains("  skipped  dir/link.txt: symbolic link (links are not followed)"), run.err());
        assertEquals(List.of("dir/kept.txt"), receiving.get(30, TimeUnit.SECONDS).files().stream()
            .map(TransferResult.FileResult::path).toList());
        assertTrue(Files.notExists(out.resolve("dir/link.txt"), java.nio.file.LinkOption.NOFOLLOW_LINKS));
    }

    @Test
    void shouldExitThreeOnAWrongCode() throws Exception
    {
        final Path src = file("notes.bin", 1000);
        final Path out = Files.createDirectories(tmp.resolve("out"));
        final TransferReceiver receiver = receiver(out, "43-amber-falcon-river");
        final CompletableFuture<TransferResult> receiving = receiver.receiveAsync(ConsentCallback.ACCEPT_ALL);
        final InetSocketAddress at = (InetSocketAddress)receiver.awaitBound(Duration.ofSeconds(30));

        final Run run = run("send", src.toString(), "--to", "127.0.0.1:" + at.getPort(), "--code", CODE, "--json");

        assertEquals(3, run.exit(), run.out() + run.err());
        assertTrue(run.out().contains("\"event\":\"failed\",\"failure\":\"wrong_code\""), run.out());
        assertThrows(Exception.class, () -> receiving.get(30, TimeUnit.SECONDS));
    }

    @Test
    void shouldReceiveWithJsonEventsAndTheOfferListed() throws Exception
    {
        final Path src = file("photo.raw", 200_000);
        final Path out = Files.createDirectories(tmp.resolve("out"));
        final int port;
        try (ServerSocket probe = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress()))
        {
            port = probe.getLocalPort();
        }
        final CompletableFuture<Run> receiving = CompletableFuture.supplyAsync(() -> run("receive", CODE, "--listen",
            "127.0.0.1:" + port, "--out", out.toString(), "--yes", "--json", "--timeout", "60"));
        final SocketAddress to = new InetSocketAddress("127.0.0.1", port);
        final TransferResult sent = TransferSender.builder().to(to).code(CodePhrase.parse(CODE))
            .connectTimeout(Duration.ofSeconds(30)).build().send(List.of(src));

        final Run run = receiving.get(60, TimeUnit.SECONDS);
        assertEquals(0, run.exit(), run.out() + run.err());
        assertTrue(run.out().contains("\"event\":\"offer\""), run.out());
        assertTrue(run.out().contains("\"path\":\"photo.raw\""), run.out());
        assertTrue(run.out().contains("\"event\":\"done\""), run.out());
        assertTrue(run.out().contains(sent.files().get(0).checksum()), run.out());
        assertArrayEquals(Files.readAllBytes(src), Files.readAllBytes(out.resolve("photo.raw")));
    }

    @Test
    void shouldCreateTheOutputFolderItIsGiven() throws Exception
    {
        final Path src = file("photo.raw", 100_000);
        final Path out = tmp.resolve("made").resolve("inbox");
        final int port = freePort();
        final CompletableFuture<Run> receiving = receiveInBackground(port, out);
        // The receiver waits a second for its sender: its rate must count from the first content, not from there.
        Thread.sleep(1000);
        sender(port, CODE).send(List.of(src));

        final Run run = receiving.get(60, TimeUnit.SECONDS);
        assertEquals(0, run.exit(), run.err());
        assertArrayEquals(Files.readAllBytes(src), Files.readAllBytes(out.resolve("photo.raw")));
        final java.util.regex.Matcher done = java.util.regex.Pattern
            .compile("done: .* in ([0-9.]+) s \\(.*\\), ([0-9.]+) s in all").matcher(run.err());
        assertTrue(done.find(), run.err());
        final double transferring = Double.parseDouble(done.group(1));
        final double all = Double.parseDouble(done.group(2));
        // Counted from the command's start (the old way), the transfer's time would exceed the total's.
        assertTrue(transferring < all, "transfer " + transferring + " s of " + all + " s in all");
    }

    @Test
    void shouldRemoveTheOutputFolderItMadeWhenNothingArrives() throws Exception
    {
        final Path src = file("photo.raw", 1000);
        final Path out = tmp.resolve("new").resolve("inbox");
        final int port = freePort();
        final CompletableFuture<Run> receiving = receiveInBackground(port, out);
        final TransferSender wrong = sender(port, "43-amber-falcon-river");
        assertThrows(Exception.class, () -> wrong.send(List.of(src)));

        final Run run = receiving.get(60, TimeUnit.SECONDS);
        assertEquals(3, run.exit(), run.err());
        assertTrue(Files.notExists(tmp.resolve("new")),
            "the folders the command made for a transfer that never came are removed");
    }

    @Test
    void shouldNameAMissingOutputFolderInTheLibrary() throws Exception
    {
        final Path missing = tmp.resolve("missing");
        final TransferReceiver receiver = receiver(missing, CODE);
        final Exception ex = assertThrows(Exception.class,
            () -> receiver.receiveAsync(ConsentCallback.ACCEPT_ALL).get(30, TimeUnit.SECONDS));
        assertTrue(String.valueOf(ex.getCause()).contains(missing + " does not exist"), String.valueOf(ex.getCause()));
    }

    /** {@code hayate receive CODE --listen 127.0.0.1:PORT --out OUT --yes} on a thread of the common pool. */
    private static CompletableFuture<Run> receiveInBackground(final int port, final Path out)
    {
        return CompletableFuture.supplyAsync(() -> run("receive", CODE, "--listen", "127.0.0.1:" + port, "--out",
            out.toString(), "--yes", "--timeout", "60"));
    }

    private static TransferSender sender(final int port, final String code)
    {
        return TransferSender.builder().to(new InetSocketAddress("127.0.0.1", port)).code(CodePhrase.parse(code))
            .connectTimeout(Duration.ofSeconds(30)).build();
    }

    private static int freePort() throws Exception
    {
        try (ServerSocket probe = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress()))
        {
            return probe.getLocalPort();
        }
    }

    @Test
    void shouldSendThroughARelayThatBothSidesJoin() throws Exception
    {
        final Path src = file("far.bin", 2_000_000);
        final Path out = Files.createDirectories(tmp.resolve("out"));
        try (dev.hayate.relay.RelayServer relay = dev.hayate.relay.RelayServer.bind(new dev.hayate.relay.RelayContext()
            .listen(new InetSocketAddress("127.0.0.1", 0))).start())
        {
            final InetSocketAddress at = (InetSocketAddress)relay.localAddress();
            final TransferReceiver receiver = TransferReceiver.builder().listen(at).code(CodePhrase.parse(CODE))
                .transport(dev.hayate.relay.RelayTransportProvider.forCode(at, CodePhrase.parse(CODE),
                    new dev.hayate.core.Context()))
                .outputDir(out).acceptTimeout(Duration.ofSeconds(60)).build();
            final CompletableFuture<TransferResult> receiving = receiver.receiveAsync(ConsentCallback.ACCEPT_ALL);

            final Run run = run("send", src.toString(), "--relay", "127.0.0.1:" + at.getPort(), "--code", CODE,
                "--timeout", "60");

            assertEquals(0, run.exit(), run.err());
            assertTrue(run.err().contains("hayate receive " + CODE + " --relay 127.0.0.1:" + at.getPort()), run.err());
            assertTrue(run.err().contains("every checksum matched"), run.err());
            receiving.get(30, TimeUnit.SECONDS);
            assertArrayEquals(Files.readAllBytes(src), Files.readAllBytes(out.resolve("far.bin")));
        }
    }

    @Test
    void shouldRefuseARelayWithAnAddressOrWithoutACode() throws Exception
    {
        final Run both = run("send", file("x.bin", 10).toString(), "--relay", "127.0.0.1:1", "--to", "127.0.0.1:2");
        assertEquals(2, both.exit());
        assertTrue(both.err().contains("--relay excludes"), both.err());
        assertEquals(2, run("receive", "--relay", "127.0.0.1:1").exit());
        assertEquals(2, run("receive", CODE, "--relay", "127.0.0.1:1", "--transport", "quic").exit());
    }

    @Test
    void shouldExplainThatThereIsNothingToSend() throws Exception
    {
        final Run run = run("send");
        assertEquals(2, run.exit());
        assertTrue(run.err().contains("nothing to send"), run.err());
    }

    @Test
    void shouldRefuseBeforePrintingACodeWhenNothingWouldBeSent() throws Exception
    {
        final Path kept = file("real.txt", 10);
        final Path link = Files.createSymbolicLink(tmp.resolve("link.txt"), kept.getFileName());
        final Run lone = run("send", link.toString(), "--to", "127.0.0.1:9", "--code", CODE);
        assertEquals(2, lone.exit(), lone.err());
        assertTrue(lone.err().contains("nothing to send: link.txt: symbolic link"), lone.err());
        assertFalse(lone.err().contains("Code is"), "no code for a transfer that cannot happen: " + lone.err());

        final Run twice = run("send", kept.toString(), kept.toString(), "--to", "127.0.0.1:9", "--code", CODE);
        assertEquals(2, twice.exit(), twice.err());
        assertFalse(twice.err().contains("Code is"), twice.err());

        final Run badTimeout = run("send", kept.toString(), "--to", "127.0.0.1:9", "--timeout", "-5");
        assertEquals(2, badTimeout.exit(), badTimeout.err());
    }

    @Test
    void shouldRefuseAnOutputThatIsNotAFolderBeforeListening() throws Exception
    {
        final Path notAFolder = file("plain.txt", 10);
        final Run run = run("receive", CODE, "--listen", "127.0.0.1:0", "--out", notAFolder.toString(), "--yes");
        assertEquals(6, run.exit(), run.err());
        assertTrue(run.err().contains("(not a folder); choose another folder with --out"), run.err());
        assertFalse(run.err().contains("listening"), run.err());
    }

    @Test
    void shouldParseRatesAndAddresses()
    {
        assertEquals(10L << 20, Sizes.parse("10MiB"));
        assertEquals(50_000_000L, Sizes.parse("50MB"));
        assertEquals(1536L << 20, Sizes.parse("1.5GiB"));
        assertEquals(800_000L, Sizes.parse("800k"));
        assertThrows(IllegalArgumentException.class, () -> Sizes.parse("fast"));
        assertEquals("1.5 GiB", Sizes.format(1536L << 20));
        assertEquals(9750, Addresses.parse(":9750", "0.0.0.0").getPort());
        assertEquals("::1", Addresses.parse("[::1]:80", "x").getHostString().replace("0:0:0:0:0:0:0:1", "::1"));
        assertThrows(IllegalArgumentException.class, () -> Addresses.parse("host:port", "x"));
    }
}
