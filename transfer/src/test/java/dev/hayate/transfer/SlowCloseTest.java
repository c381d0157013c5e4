package dev.hayate.transfer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.hayate.transfer.crypto.CodePhrase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a sender announces itself with and what a receiver looks for senders with is closed once a pair has formed,
 * but never waited for: LAN discovery's mDNS takes up to two seconds to close, and that used to hold every
 * discovered transfer up twice. Here both closes block until the test ends, and the transfer must finish anyway.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SlowCloseTest
{
    private static final CodePhrase CODE = CodePhrase.parse("9-amber-falcon-river");

    @TempDir
    Path dir;

    private final CountDownLatch release = new CountDownLatch(1);
    private final CountDownLatch hookClosing = new CountDownLatch(1);
    private final CountDownLatch sourceClosing = new CountDownLatch(1);

    @AfterEach
    void releaseTheCloses()
    {
        release.countDown();
    }

    private void blockUntilReleased(final CountDownLatch entered)
    {
        entered.countDown();
        try
        {
            release.await();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void shouldFinishATransferWhileItsAnnouncementAndItsSearchAreStillClosing() throws Exception
    {
        final byte[] content = new byte[200_000];
        new Random(9).nextBytes(content);
        final Path file = Files.write(Files.createDirectories(dir.resolve("src")).resolve("a.bin"), content);
        final Path out = Files.createDirectories(dir.resolve("in"));

        final TransferSender sender = TransferSender.builder()
            .listen(new InetSocketAddress("127.0.0.1", 0))
            .code(CODE)
            .onListening(bound -> () -> blockUntilReleased(hookClosing))
            .connectTimeout(Duration.ofSeconds(60))
            .build();
        final CompletableFuture<TransferResult> sent = sender.sendAsync(List.of(file));
        final SocketAddress at = sender.awaitBound(Duration.ofSeconds(30));
        assertTrue(at != null, "the sender never bound");

        final SocketAddress[] left = {at};
        final SenderSource source = new SenderSource()
        {
            @Override
            public SocketAddress next(final Duration timeout)
            {
                final SocketAddress a = left[0];
                left[0] = null;
                return a;
            }

            @Override
            public void close()
            {
                blockUntilReleased(sourceClosing);
            }
        };
        final TransferResult received = TransferReceiver.builder().dial(source).code(CODE).outputDir(out)
            .acceptTimeout(Duration.ofSeconds(60)).build().receive(ConsentCallback.ACCEPT_ALL);
        sent.get(60, TimeUnit.SECONDS);

        assertTrue(received.files().size() == 1, received.toString());
        assertArrayEquals(content, Files.readAllBytes(out.resolve("a.bin")));
        // Both closes were started (the search and the announcement stop once paired) and are still blocked.
        assertTrue(hookClosing.await(30, TimeUnit.SECONDS), "the announcement was never closed");
        assertTrue(sourceClosing.await(30, TimeUnit.SECONDS), "the search was never closed");
        // The announcement's close can be waited for after the transfer, which is what the CLI does before it exits.
        assertFalse(sender.awaitUnannounced(Duration.ofMillis(50)), "the close is still blocked");
        release.countDown();
        assertTrue(sender.awaitUnannounced(Duration.ofSeconds(30)), "the close never finished");
    }
}
