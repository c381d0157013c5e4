package dev.hayate.transfer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A sparse file of more than 4 GiB, with data before and after the 4 GiB mark: every offset, size and chunk
 * index is 64-bit on both sides. The zero stretch compresses to almost nothing, so the wire carries little.
 */
class TransferLargeFileTest
{
    @TempDir
    Path tmp;

    @Test
    @Timeout(300)
    void shouldMoveASparseFileOverFourGibibytes() throws Exception
    {
        final Path src = tmp.resolve("disk.img");
        final long size = (4L << 30) + (3L << 20) + 17;
        final byte[] head = TransferFixture.randomBytes(11, 300_000);
        final byte[] tail = TransferFixture.randomBytes(12, 500_000);
        try (RandomAccessFile file = new RandomAccessFile(src.toFile(), "rw"))
        {
            file.setLength(size);
            file.write(head);
            file.seek(size - tail.length);
            file.write(tail);
        }
        final Path out = Files.createDirectories(tmp.resolve("out"));

        final TransferFixture.Outcome outcome = TransferFixture.run(List.of(src), out);

        assertNull(outcome.sendFailure(), () -> "send: " + outcome.sendFailure() + " / " + outcome.receiveFailure());
        assertNull(outcome.receiveFailure(), () -> String.valueOf(outcome.receiveFailure()));
        final Path got = out.resolve("disk.img");
        assertEquals(size, Files.size(got));
        assertEquals(outcome.sent().files().get(0).checksum(), outcome.received().files().get(0).checksum());
        try (RandomAccessFile file = new RandomAccessFile(got.toFile(), "r"))
        {
            final byte[] h = new byte[head.length];
            file.readFully(h);
            assertArrayEquals(head, h);
            final byte[] t = new byte[tail.length];
            file.seek(size - tail.length);
            file.readFully(t);
            assertArrayEquals(tail, t);
        }
        Files.delete(got);
    }
}
