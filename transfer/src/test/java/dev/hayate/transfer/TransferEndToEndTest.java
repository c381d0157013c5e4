package dev.hayate.transfer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TransferEndToEndTest
{
    @TempDir
    Path tmp;

    @Test
    void shouldSendNestedFolderWithEveryByteVerified() throws Exception
    {
        final Path src = tmp.resolve("src");
        final Path tree = src.resolve("photos");
        TransferFixture.write(tree.resolve("a.txt"), TransferFixture.textBytes(3_000_000));
        TransferFixture.write(tree.resolve("2024/b.bin"), TransferFixture.randomBytes(1, 2_500_001));
        TransferFixture.write(tree.resolve("2024/empty.dat"), new byte[0]);
        TransferFixture.write(tree.resolve("ünïcødé/名前.txt"), "hello".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        Files.createDirectories(tree.resolve("empty-folder/inner"));
        final Path out = Files.createDirectories(tmp.resolve("out"));

        final TransferFixture.Outcome outcome = TransferFixture.run(List.of(tree), out);

        assertNull(outcome.sendFailure(), () -> "send failed: " + outcome.sendFailure() + " / receive: " + outcome.receiveFailure());
        assertNull(outcome.receiveFailure(), () -> "receive failed: " + outcome.receiveFailure());
        assertEquals(4, outcome.received().files().size());
        assertTrue(Files.isDirectory(out.resolve("photos/empty-folder/inner")));
        for (final String rel : List.of("a.txt", "2024/b.bin", "2024/empty.dat", "ünïcødé/名前.txt"))
        {
            assertArrayEquals(Files.readAllBytes(tree.resolve(rel)), Files.readAllBytes(out.resolve("photos/" + rel)), rel);
        }
        try (Stream<Path> all = Files.walk(out))
        {
            assertTrue(all.noneMatch(p -> p.getFileName().toString().contains("hayate-part")), "no part file left");
        }
        for (int i = 0; i < 4; i++)
        {
            assertEquals(outcome.sent().files().get(i).checksum(), outcome.received().files().get(i).checksum());
        }
        assertNotNull(outcome.sent().negotiated());
    }

    @Test
    void shouldTellTheReceiversListenerVerifyingOnlyAfterTheLastProgressThenDone() throws Exception
    {
        final Path src = tmp.resolve("src");
        for (int i = 0; i < 4; i++)
        {
            TransferFixture.write(src.resolve("many/f" + i + ".bin"), TransferFixture.randomBytes(i, 2_100_000));
        }
        final Path out = Files.createDirectories(tmp.resolve("out"));
        final java.util.Queue<String> events = new java.util.concurrent.ConcurrentLinkedQueue<>();
        final TransferListener recording = new TransferListener()
        {
            @Override
            public void onStage(final Stage stage, final String detail)
            {
                events.add(stage.name());
            }

            @Override
            public void onProgress(final long bytesDone, final long bytesTotal, final int fileIndex)
            {
                events.add("progress " + bytesDone + "/" + bytesTotal);
                // A slow UI on the writer's thread: the network side has everything long before the writer is done.
                java.util.concurrent.locks.LockSupport.parkNanos(20_000_000L);
            }
        };
        final dev.hayate.transfer.crypto.CodePhrase code =
            dev.hayate.transfer.crypto.CodePhrase.generate(new java.security.SecureRandom());

        final TransferFixture.Outcome outcome = TransferFixture.run(List.of(src.resolve("many")), out, code, code,
            b -> b, b -> b.listener(recording), ConsentCallback.ACCEPT_ALL, null, null);

        assertNull(outcome.receiveFailure(), () -> "receive failed: " + outcome.receiveFailure());
        final List<String> seen = List.copyOf(events);
        final int verifying = seen.indexOf("VERIFYING");
        assertTrue(verifying > 0 && verifying == seen.lastIndexOf("VERIFYING"), "one VERIFYING: " + seen);
        assertEquals("progress 8400000/8400000", seen.get(verifying - 1), "the last progress comes first: " + seen);
        assertEquals("DONE", seen.get(seen.size() - 1), seen.toString());
        assertEquals(verifying + 1, seen.size() - 1, "nothing between VERIFYING and DONE: " + seen);
    }
}
