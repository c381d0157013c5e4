package dev.hayate.transfer.files;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The sender's and the receiver's disk sides together, as the engine will drive them (without the network):
 * scan, encode, decode, plan, then chunk by chunk from {@link SourceFile} into {@link IncomingFile}.
 */
class DiskRoundTripTest
{
    private static final int CHUNK = 4096;
    private static final int DIGEST = 32;

    @Test
    void shouldCopyATreeChunkByChunkThroughTheWireForm(@TempDir final Path dir) throws IOException
    {
        final Path source = Files.createDirectories(dir.resolve("src/album"));
        Files.createDirectories(source.resolve("empty"));
        Files.createDirectories(source.resolve("2024/q1"));
        final Random random = new Random(42);
        for (final String name : new String[] {"a.bin", "2024/b.bin", "2024/q1/c.bin", "zero.bin", "exact.bin"})
        {
            final byte[] data = new byte[name.equals("zero.bin") ? 0 : name.equals("exact.bin") ? 3 * CHUNK :
                1 + random.nextInt(5 * CHUNK)];
            random.nextBytes(data);
            Files.write(source.resolve(name), data);
        }
        final Manifest sent = Manifest.scan(List.of(source));
        final byte[] wire = sent.encode();
        final Manifest received = Manifest.decode(wire, 0, wire.length, Manifest.Limits.DEFAULT);
        final Path out = Files.createDirectories(dir.resolve("out"));
        final ReceiveFolder folder = new ReceiveFolder(out, OverwritePolicy.REFUSE, true,
            (chunk, digests, offset) -> java.util.Arrays.equals(ReceiveFolderTest.sha256(chunk), 0, DIGEST, digests,
                offset, offset + DIGEST));
        final Plan plan = folder.plan(received, CHUNK, DIGEST);
        assertTrue(plan.conflicts().isEmpty());
        folder.createDirectories(plan);

        final ByteBuffer buffer = ByteBuffer.allocateDirect(CHUNK);
        for (int i = 0; i < received.size(); i++)
        {
            if (!received.entry(i).isFile())
            {
                continue;
            }
            try (SourceFile from = SourceFile.open(sent, i); IncomingFile to = folder.open(plan, i))
            {
                for (long c = to.resumeChunks(); c < received.chunkCount(i, CHUNK); c++)
                {
                    buffer.clear();
                    from.readChunk(buffer, c, CHUNK);
                    buffer.flip();
                    final byte[] digest = ReceiveFolderTest.sha256(buffer.duplicate());
                    to.write(buffer, digest, 0);
                }
                from.checkUnchanged();
                to.complete();
            }
        }
        folder.finishDirectories(plan);

        for (int i = 0; i < sent.size(); i++)
        {
            final ManifestEntry entry = sent.entry(i);
            final Path copy = out.resolve(entry.path());
            assertEquals(entry.isFile(), Files.isRegularFile(copy), entry.path());
            if (entry.isFile())
            {
                assertArrayEquals(Files.readAllBytes(sent.source(i)), Files.readAllBytes(copy), entry.path());
                assertEquals(entry.mtimeMillis(), Files.getLastModifiedTime(copy).toMillis());
            }
        }
        assertTrue(Files.isDirectory(out.resolve("album/empty")));
    }

    @Test
    void shouldWriteChunksWithoutAllocating(@TempDir final Path dir) throws IOException
    {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final int chunks = 4000;
        final ReceiveFolder folder = new ReceiveFolder(dir, OverwritePolicy.REFUSE, false);
        final Plan plan = folder.plan(Manifest.of(List.of(new ManifestEntry("big.bin", ManifestEntry.Kind.FILE,
            (long)chunks * CHUNK, 0644, 0))), CHUNK, DIGEST);
        final ByteBuffer chunk = ByteBuffer.allocateDirect(CHUNK);
        final byte[] digest = new byte[DIGEST];
        try (IncomingFile file = folder.open(plan, 0))
        {
            for (int c = 0; c < chunks / 2; c++)
            {
                chunk.clear();
                file.write(chunk, digest, 0);
            }
            final long before = threads.getCurrentThreadAllocatedBytes();
            for (int c = chunks / 2; c < chunks; c++)
            {
                chunk.clear();
                file.write(chunk, digest, 0);
            }
            final long allocated = threads.getCurrentThreadAllocatedBytes() - before;
            // A few bytes of slack for the measurement itself; one allocation per chunk would be >= 32 000.
            assertTrue(allocated < 1024, "allocated " + allocated + " bytes over " + chunks / 2 + " chunks");
            file.complete();
        }
        assertEquals((long)chunks * CHUNK, Files.size(dir.resolve("big.bin")));
    }
}
