package dev.hayate.transfer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import dev.hayate.transfer.crypto.CodePhrase;
import dev.hayate.transfer.files.ReceiveFolder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Interrupted transfers leave a part file and nothing that looks complete; the next transfer resumes from it and
 * sends only what is missing.
 */
class TransferResumeTest
{
    private static final int CHUNK = 64 * 1024;

    @TempDir
    Path tmp;

    @Test
    void shouldResumeAfterTheConnectionIsCutAndSendOnlyTheRest() throws Exception
    {
        final Path src = tmp.resolve("movie.bin");
        TransferFixture.write(src, TransferFixture.randomBytes(3, 8 * CHUNK + 123));
        final Path out = Files.createDirectories(tmp.resolve("out"));
        final CodePhrase code = CodePhrase.generate(new SecureRandom());

        final TransferFixture.Outcome cut = TransferFixture.run(List.of(src), out, code, code,
            b -> b.chunkSize(CHUNK).compress(false), b -> b, ConsentCallback.ACCEPT_ALL, null, null,
            (n, frame) -> n == 5 ? null : List.of(frame));
        assertNotNull(cut.receiveError());
        assertFalse(Files.exists(out.resolve("movie.bin")), "nothing complete-looking after the cut");
        assertTrue(Files.exists(ReceiveFolder.partPath(out.resolve("movie.bin"))), "part file kept for resume");

        final List<Integer> chunksSent = new ArrayList<>();
        final TransferFixture.Outcome resumed = TransferFixture.run(List.of(src), out, code, code,
            b -> b.chunkSize(CHUNK).compress(false), b -> b, ConsentCallback.ACCEPT_ALL, null, null,
            (n, frame) ->
            {
                chunksSent.add(n);
                return List.of(frame);
            });
        assertNull(resumed.receiveFailure(), () -> String.valueOf(resumed.receiveFailure()));
        assertNull(resumed.sendFailure(), () -> String.valueOf(resumed.sendFailure()));
        assertArrayEquals(Files.readAllBytes(src), Files.readAllBytes(out.resolve("movie.bin")));
        assertEquals(5L * CHUNK, resumed.sent().bytesResumed(), "the five chunks that arrived are not sent again");
        assertEquals(4, chunksSent.size(), "only the four missing chunks travel");
        assertEquals(resumed.sent().files().get(0).checksum(), resumed.received().files().get(0).checksum());
        assertFalse(Files.exists(ReceiveFolder.partPath(out.resolve("movie.bin"))), "part file gone once complete");
    }

    @Test
    void shouldLeaveOnlyAPartFileWhenTheSenderProcessIsKilledAndThenResume() throws Exception
    {
        final Path src = tmp.resolve("archive.bin");
        final int size = 48 * CHUNK;
        TransferFixture.write(src, TransferFixture.randomBytes(4, size));
        final Path out = Files.createDirectories(tmp.resolve("out"));
        final CodePhrase code = CodePhrase.generate(new SecureRandom());
        final TransferReceiver receiver = TransferReceiver.builder()
            .listen(new InetSocketAddress("127.0.0.1", 0)).code(code).outputDir(out)
            .acceptTimeout(TransferFixture.BOUND).idleTimeout(java.time.Duration.ofSeconds(30)).build();
        final CompletableFuture<TransferResult> receiving = receiver.receiveAsync(ConsentCallback.ACCEPT_ALL);
        final InetSocketAddress bound = (InetSocketAddress)receiver.awaitBound(TransferFixture.BOUND);
        assertNotNull(bound);

        final String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        final Process sender = new ProcessBuilder(java, "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
            "-cp", System.getProperty("java.class.path"), SendMain.class.getName(), "127.0.0.1",
            Integer.toString(bound.getPort()), code.toString(), src.toString(), Integer.toString(CHUNK),
            Integer.toString(4 * CHUNK))
            .redirectErrorStream(true).redirectOutput(tmp.resolve("sender.log").toFile()).start();
        final Path part = ReceiveFolder.partPath(out.resolve("archive.bin"));
        try
        {
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!(Files.exists(part) && Files.size(part) >= 4L * CHUNK) && System.nanoTime() - deadline < 0 &&
                sender.isAlive())
            {
                Thread.sleep(20);
            }
            assertTrue(sender.isAlive(), () -> "sender ended early: " + read(tmp.resolve("sender.log")));
            assertTrue(Files.exists(part), "the receiver was writing");
        }
        finally
        {
            sender.destroyForcibly();
            assertTrue(sender.waitFor(30, TimeUnit.SECONDS));
        }

        final ExecutionException failed = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
            () -> receiving.get(90, TimeUnit.SECONDS));
        assertTrue(failed.getCause() instanceof TransferException, failed::toString);
        assertFalse(Files.exists(out.resolve("archive.bin")), "no complete-looking file after kill -9");
        assertTrue(Files.exists(part));
        assertTrue(Files.size(part) < size);

        final TransferFixture.Outcome resumed = TransferFixture.run(List.of(src), out, code, code,
            b -> b.chunkSize(CHUNK), b -> b, ConsentCallback.ACCEPT_ALL, null, null);
        assertNull(resumed.receiveFailure(), () -> String.valueOf(resumed.receiveFailure()));
        assertArrayEquals(Files.readAllBytes(src), Files.readAllBytes(out.resolve("archive.bin")));
        assertTrue(resumed.sent().bytesResumed() >= 4L * CHUNK, () -> "resumed " + resumed.sent().bytesResumed());
        assertEquals(resumed.sent().files().get(0).checksum(), resumed.received().files().get(0).checksum());
    }

    private static String read(final Path file)
    {
        try
        {
            return Files.readString(file);
        }
        catch (final java.io.IOException ex)
        {
            return "(no log: " + ex + ")";
        }
    }
}
