package dev.hayate.transfer.discovery;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import dev.hayate.transfer.Failure;
import dev.hayate.transfer.Stage;
import dev.hayate.transfer.TransferException;
import dev.hayate.transfer.TransferListener;
import dev.hayate.transfer.TransferReceiver;
import dev.hayate.transfer.TransferResult;
import dev.hayate.transfer.TransferSender;
import dev.hayate.transfer.crypto.CodePhrase;

/**
 * Discovery by UDP on loopback: each receiver listens on an ephemeral UDP port and the announcers send to every
 * receiver's port (loopback has no broadcast; the network-namespace test covers real broadcast and mDNS).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LoopbackDiscoveryTest
{
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @Test
    void shouldFindASenderStartedAfterTheReceiver() throws Exception
    {
        final CodePhrase code = CodePhrase.parse("7-amber-falcon-river");
        final Path file = file("a.bin", 300_000);
        try (Discovery discovery = discovery(code))
        {
            final CompletableFuture<TransferResult> received = receiver(code, discovery, out("in")).receiveAsync(o -> true);
            final CompletableFuture<TransferResult> sent = sender(code, targets(discovery)).sendAsync(List.of(file));
            sent.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            received.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        }
        assertArrayEquals(Files.readAllBytes(file), Files.readAllBytes(dir.resolve("in").resolve("a.bin")));
    }

    @Test
    void shouldFindASenderThatWasAnnouncingBeforeTheReceiverStarted() throws Exception
    {
        final CodePhrase code = CodePhrase.parse("12-amber-falcon-river");
        final Path file = file("b.bin", 100_000);
        final int port;
        try (java.net.DatagramSocket probe = new java.net.DatagramSocket(0, java.net.InetAddress.getLoopbackAddress()))
        {
            port = probe.getLocalPort();
        }
        // Nobody listens yet: the first announcements are lost, as on a LAN where the receiver starts later.
        final TransferSender sender = sender(code, List.of(new InetSocketAddress("127.0.0.1", port)));
        final CompletableFuture<TransferResult> sent = sender.sendAsync(List.of(file));
        assertTrue(sender.awaitBound(WAIT) != null);
        Thread.sleep(1500);
        try (Discovery discovery = Discovery.start(udpOnly().udpPort(port), code, Announcement.TCP))
        {
            final TransferResult result = receiver(code, discovery, out("in")).receive(o -> true);
            assertEquals(1, result.files().size());
            sent.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        }
        assertArrayEquals(Files.readAllBytes(file), Files.readAllBytes(dir.resolve("in").resolve("b.bin")));
    }

    @Test
    void shouldSkipASpoofedAnnouncementAndPairWithTheGenuineSender() throws Exception
    {
        final CodePhrase code = CodePhrase.parse("7-amber-falcon-river");
        // The spoofer learnt the number (from any announcement, by trying the thousand keys) but not the words.
        final CodePhrase spoofed = CodePhrase.parse("7-" + String.join("-", CodePhrase.words().subList(0, 3)));
        final Path file = file("c.bin", 200_000);
        final List<String> stages = new CopyOnWriteArrayList<>();
        try (Discovery discovery = discovery(code))
        {
            final TransferSender spoofer = sender(spoofed, targets(discovery));
            final CompletableFuture<TransferResult> spoofSent = spoofer.sendAsync(List.of(file("decoy.bin", 10)));
            assertTrue(spoofer.awaitBound(WAIT) != null);
            // The spoofer's announcement is heard first, so the receiver dials it first.
            final long deadline = System.nanoTime() + WAIT.toNanos();
            while (discovery.sightings().isEmpty() && System.nanoTime() - deadline < 0)
            {
                Thread.sleep(20);
            }
            final TransferReceiver receiver = TransferReceiver.builder().dial(discovery).code(code)
                .outputDir(out("in")).acceptTimeout(WAIT).listener(stagesInto(stages)).build();
            final CompletableFuture<TransferResult> received = receiver.receiveAsync(o -> true);
            final ExecutionException spoofFailure = org.junit.jupiter.api.Assertions.assertThrows(
                ExecutionException.class, () -> spoofSent.get(WAIT.toSeconds(), TimeUnit.SECONDS));
            assertEquals(Failure.WRONG_CODE, ((TransferException)spoofFailure.getCause()).failure());
            final CompletableFuture<TransferResult> sent = sender(code, targets(discovery)).sendAsync(List.of(file));
            received.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            sent.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        }
        assertTrue(stages.stream().anyMatch(s -> s.contains("wrong code, or someone else answered")), stages.toString());
        assertArrayEquals(Files.readAllBytes(file), Files.readAllBytes(dir.resolve("in").resolve("c.bin")));
        assertNull(Files.exists(dir.resolve("in").resolve("decoy.bin")) ? "decoy received" : null);
    }

    @Test
    void shouldEndWithWrongCodeNotTimeoutWhenTheOnlySenderAnsweredWithOtherWords() throws Exception
    {
        // A mistyped word: the sender with this number refuses the pairing and stops, and the receiver's search
        // must end saying "wrong code" (exit 3), not a timeout that hides why.
        final CodePhrase sent = CodePhrase.parse("9-amber-falcon-river");
        final String other = CodePhrase.words().get(0).equals("river") ? CodePhrase.words().get(1) :
            CodePhrase.words().get(0);
        final CodePhrase typed = CodePhrase.parse("9-amber-falcon-" + other);
        try (Discovery discovery = discovery(typed))
        {
            final TransferSender sender = sender(sent, targets(discovery));
            final CompletableFuture<TransferResult> sending = sender.sendAsync(List.of(file("d.bin", 10)));
            assertTrue(sender.awaitBound(WAIT) != null);
            final TransferReceiver receiver = TransferReceiver.builder().dial(discovery).code(typed)
                .outputDir(out("typo")).acceptTimeout(Duration.ofSeconds(5)).build();
            final ExecutionException failure = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                () -> receiver.receiveAsync(o -> true).get(WAIT.toSeconds(), TimeUnit.SECONDS));
            final TransferException why = (TransferException)failure.getCause();
            assertEquals(Failure.WRONG_CODE, why.failure(), why.getMessage());
            assertTrue(why.getMessage().contains("check the code for a typo"), why.getMessage());
            org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                () -> sending.get(WAIT.toSeconds(), TimeUnit.SECONDS));
        }
    }

    @Test
    void shouldRunTwoTransfersAtOnceWithDifferentCodesWithoutCrossing() throws Exception
    {
        final CodePhrase codeA = CodePhrase.parse("3-amber-falcon-river");
        final CodePhrase codeB = CodePhrase.parse("4-amber-falcon-river");
        final Path fileA = file("from-a.bin", 150_000);
        final Path fileB = file("from-b.bin", 170_000);
        try (Discovery discoveryA = discovery(codeA); Discovery discoveryB = discovery(codeB))
        {
            final List<InetSocketAddress> both = new ArrayList<>(targets(discoveryA));
            both.addAll(targets(discoveryB));
            final CompletableFuture<TransferResult> receivedA = receiver(codeA, discoveryA, out("a")).receiveAsync(o -> true);
            final CompletableFuture<TransferResult> receivedB = receiver(codeB, discoveryB, out("b")).receiveAsync(o -> true);
            final CompletableFuture<TransferResult> sentA = sender(codeA, both).sendAsync(List.of(fileA));
            final CompletableFuture<TransferResult> sentB = sender(codeB, both).sendAsync(List.of(fileB));
            for (final CompletableFuture<TransferResult> f : List.of(sentA, sentB, receivedA, receivedB))
            {
                f.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            }
            // Each receiver heard both senders but handed out only its own.
            assertEquals(2, discoveryA.sightings().size());
            assertEquals(2, discoveryB.sightings().size());
        }
        assertArrayEquals(Files.readAllBytes(fileA), Files.readAllBytes(dir.resolve("a").resolve("from-a.bin")));
        assertArrayEquals(Files.readAllBytes(fileB), Files.readAllBytes(dir.resolve("b").resolve("from-b.bin")));
        assertTrue(!Files.exists(dir.resolve("a").resolve("from-b.bin")) &&
            !Files.exists(dir.resolve("b").resolve("from-a.bin")));
    }

    @Test
    void shouldCancelADiscoveredTransferTellTheSenderAndResumeByDiscoveringAgain() throws Exception
    {
        final CodePhrase code = CodePhrase.parse("9-amber-falcon-river");
        final int chunk = 16 << 10;
        final Path file = file("big.bin", 40 * chunk);
        final Path in = out("in");
        final Path part = dev.hayate.transfer.files.ReceiveFolder.partPath(in.resolve("big.bin"));
        try (Discovery discovery = discovery(code))
        {
            final TransferReceiver receiver = receiver(code, discovery, in);
            final CompletableFuture<TransferResult> received = receiver.receiveAsync(o -> true);
            final CompletableFuture<TransferResult> sent = TransferSender.builder()
                .listen(new InetSocketAddress("127.0.0.1", 0)).code(code).chunkSize(chunk).bandwidthLimit(4L * chunk)
                .onListening(Announcer.hook(code, Announcement.TCP, udpOnly().udpTargets(targets(discovery))))
                .connectTimeout(WAIT).build().sendAsync(List.of(file));
            final long deadline = System.nanoTime() + WAIT.toNanos();
            while (!(Files.exists(part) && Files.size(part) >= 4L * chunk) && System.nanoTime() - deadline < 0)
            {
                Thread.sleep(20);
            }
            assertTrue(Files.exists(part), "the receiver was writing");
            receiver.cancel();
            final ExecutionException receiveFailure = org.junit.jupiter.api.Assertions.assertThrows(
                ExecutionException.class, () -> received.get(WAIT.toSeconds(), TimeUnit.SECONDS));
            assertEquals(Failure.CANCELLED, ((TransferException)receiveFailure.getCause()).failure());
            final ExecutionException sendFailure = org.junit.jupiter.api.Assertions.assertThrows(
                ExecutionException.class, () -> sent.get(WAIT.toSeconds(), TimeUnit.SECONDS));
            final TransferException told = (TransferException)sendFailure.getCause();
            assertEquals(Failure.CANCELLED, told.failure(), told.toString());
            assertTrue(told.fromPeer(), "the sender was told by the receiver");
        }
        assertTrue(Files.exists(part), "the part file stays for resume");
        try (Discovery discovery = discovery(code))
        {
            final CompletableFuture<TransferResult> received = receiver(code, discovery, in).receiveAsync(o -> true);
            final CompletableFuture<TransferResult> sent = TransferSender.builder()
                .listen(new InetSocketAddress("127.0.0.1", 0)).code(code).chunkSize(chunk)
                .onListening(Announcer.hook(code, Announcement.TCP, udpOnly().udpTargets(targets(discovery))))
                .connectTimeout(WAIT).build().sendAsync(List.of(file));
            final TransferResult result = received.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            sent.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertTrue(result.bytesResumed() > 0, "resumed from the part file");
        }
        assertArrayEquals(Files.readAllBytes(file), Files.readAllBytes(in.resolve("big.bin")));
    }

    @Test
    void shouldNeverHandOutASenderWhoseValueDoesNotMatch() throws Exception
    {
        try (Discovery discovery = discovery(CodePhrase.parse("5-amber-falcon-river")))
        {
            final Announcement other = Announcement.create(CodePhrase.parse("6-amber-falcon-river"), Announcement.TCP,
                4000, new SecureRandom());
            final Announcement quic = Announcement.create(CodePhrase.parse("5-amber-falcon-river"), Announcement.QUIC,
                4001, new SecureRandom());
            try (Announcer a = Announcer.start(other, udpOnly().udpTargets(targets(discovery)));
                 Announcer b = Announcer.start(quic, udpOnly().udpTargets(targets(discovery))))
            {
                final long deadline = System.nanoTime() + WAIT.toNanos();
                while (discovery.sightings().size() < 2 && System.nanoTime() - deadline < 0)
                {
                    Thread.sleep(20);
                }
                assertEquals(2, discovery.sightings().size());
                assertEquals(java.util.Set.of(a.announcement(), b.announcement()),
                    java.util.Set.copyOf(discovery.sightings().stream().map(Sighting::announcement).toList()));
                assertNull(discovery.next(Duration.ofMillis(300)));
            }
        }
    }

    private Path file(final String name, final int size) throws Exception
    {
        final byte[] bytes = new byte[size];
        new SecureRandom().nextBytes(bytes);
        final Path src = Files.createDirectories(dir.resolve("src"));
        return Files.write(src.resolve(name), bytes);
    }

    private Path out(final String name) throws Exception
    {
        return Files.createDirectories(dir.resolve(name));
    }

    static DiscoveryConfig udpOnly()
    {
        return new DiscoveryConfig().mdns(false).udpPort(0).interval(Duration.ofMillis(300));
    }

    private static Discovery discovery(final CodePhrase code) throws Exception
    {
        return Discovery.start(udpOnly(), code, Announcement.TCP);
    }

    private static List<InetSocketAddress> targets(final Discovery discovery) throws Exception
    {
        return List.of(new InetSocketAddress("127.0.0.1", discovery.udpAddress().getPort()));
    }

    private static TransferSender sender(final CodePhrase code, final List<InetSocketAddress> targets)
    {
        return TransferSender.builder().listen(new InetSocketAddress("127.0.0.1", 0)).code(code)
            .onListening(Announcer.hook(code, Announcement.TCP, udpOnly().udpTargets(targets)))
            .connectTimeout(WAIT).build();
    }

    private static TransferReceiver receiver(final CodePhrase code, final Discovery discovery, final Path out)
    {
        return TransferReceiver.builder().dial(discovery).code(code).outputDir(out).acceptTimeout(WAIT).build();
    }

    private static TransferListener stagesInto(final List<String> stages)
    {
        return new TransferListener()
        {
            @Override
            public void onStage(final Stage stage, final String detail)
            {
                stages.add(stage + " " + detail);
            }
        };
    }
}
