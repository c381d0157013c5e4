package dev.hayate.transfer.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;

import org.junit.jupiter.api.Test;

class ChunkCompressorTest
{
    private static final int CHUNK = 64 * 1024;

    private final ChunkCompressor compressor = new ChunkCompressor();
    private final ChunkDecompressor decompressor = new ChunkDecompressor();

    @Test
    void shouldShrinkTextAndRoundTripItOnDirectAndHeapBuffers()
    {
        final byte[] text = text(CHUNK);
        for (final boolean direct : new boolean[] {true, false})
        {
            final ByteBuffer src = buffer(direct, CHUNK);
            src.put(text).flip();
            final ByteBuffer compressed = buffer(direct, compressor.maxCompressedLength(CHUNK));
            final int length = compressor.compress(src, compressed);
            assertTrue(length > 0 && length < CHUNK * 3 / 4, "compressed to " + length);
            assertEquals(CHUNK, src.position());
            assertEquals(length, compressed.position());
            compressed.flip();

            final ByteBuffer back = buffer(direct, CHUNK);
            assertEquals(CHUNK, decompressor.decompress(compressed, back, CHUNK, CHUNK));
            back.flip();
            final byte[] out = new byte[CHUNK];
            back.get(out);
            assertArrayEquals(text, out);
        }
    }

    @Test
    void shouldDeclineRandomDataWithDestinationOfAnySize()
    {
        final ByteBuffer src = ByteBuffer.wrap(random(CHUNK, 1));
        assertEquals(-1, compressor.compress(src, ByteBuffer.allocate(compressor.maxCompressedLength(CHUNK))));
        assertEquals(0, src.position());
        assertEquals(-1, compressor.compress(src, ByteBuffer.allocate(CHUNK)));
        assertEquals(-1, compressor.compress(src, ByteBuffer.allocate(10)));
        assertEquals(0, src.position());
        assertEquals(-1, compressor.compress(ByteBuffer.allocate(0), ByteBuffer.allocate(100)));
    }

    @Test
    void shouldStopTryingAfterConsecutiveChunksThatDoNotShrink()
    {
        final ChunkCompressor.FileState state = compressor.newFileState("video.raw");
        assertTrue(state.active());
        final ByteBuffer dst = ByteBuffer.allocate(compressor.maxCompressedLength(CHUNK));
        for (int i = 0; i < ChunkCompressor.MAX_CONSECUTIVE_MISSES; i++)
        {
            assertEquals(-1, compressor.compress(state, ByteBuffer.wrap(random(CHUNK, i)), dst));
        }
        assertFalse(state.active());
        // Off for the rest of the file, even for text.
        assertEquals(-1, compressor.compress(state, ByteBuffer.wrap(text(CHUNK)), dst));
        assertEquals(1, state.skippedChunks());
    }

    @Test
    void shouldKeepTryingWhenMissesAreNotConsecutive()
    {
        final ChunkCompressor.FileState state = compressor.newFileState("mixed.bin");
        final ByteBuffer dst = ByteBuffer.allocate(compressor.maxCompressedLength(CHUNK));
        for (int i = 0; i < 5; i++)
        {
            dst.clear();
            assertEquals(-1, compressor.compress(state, ByteBuffer.wrap(random(CHUNK, i)), dst));
            dst.clear();
            assertTrue(compressor.compress(state, ByteBuffer.wrap(text(CHUNK)), dst) > 0);
        }
        assertTrue(state.active());
    }

    @Test
    void shouldSkipKnownCompressedFileTypes()
    {
        for (final String name : new String[] {"a.zip", "b.GZ", "dir/c.tar.xz", "d.zst", "e.jpg", "f.JPEG", "g.png",
            "h.mp4", "i.mkv", "j.docx", "k.pdf", "l.apk", "m.woff2", "n.7z", "o.webp", "p.flac"})
        {
            assertFalse(compressor.worthTrying(name), name);
            assertFalse(compressor.newFileState(name).active(), name);
        }
        for (final String name : new String[] {"a.txt", "b.csv", "c.tar", "Makefile", "d.json", ".zip", "e.", "f.zip/g"})
        {
            assertTrue(compressor.worthTrying(name), name);
        }
    }

    @Test
    void shouldRefuseClaimedLengthAboveMaximumBeforeDecoding()
    {
        final ByteBuffer block = ByteBuffer.allocate(compressor.maxCompressedLength(CHUNK));
        compressor.compress(ByteBuffer.wrap(text(CHUNK)), block);
        block.flip();
        final MalformedChunkException ex = assertThrows(MalformedChunkException.class,
            () -> decompressor.decompress(block, ByteBuffer.allocate(2 * CHUNK), CHUNK + 1, CHUNK));
        assertTrue(ex.getMessage().contains("outside"), ex.getMessage());
        assertThrows(MalformedChunkException.class,
            () -> decompressor.decompress(block, ByteBuffer.allocate(CHUNK), -1, CHUNK));
    }

    @Test
    void shouldRefuseBlockThatDecompressesToAnotherLength()
    {
        final ByteBuffer block = ByteBuffer.allocate(compressor.maxCompressedLength(CHUNK));
        compressor.compress(ByteBuffer.wrap(text(CHUNK)), block);
        block.flip();
        assertThrows(MalformedChunkException.class,
            () -> decompressor.decompress(block.duplicate(), ByteBuffer.allocate(CHUNK), CHUNK - 1, CHUNK));
        assertThrows(MalformedChunkException.class,
            () -> decompressor.decompress(block.duplicate(), ByteBuffer.allocate(CHUNK + 1), CHUNK + 1, CHUNK + 1));
    }

    @Test
    void shouldRefuseMalformedBlocksWithoutCrashing()
    {
        final Random random = new Random(11);
        final ByteBuffer valid = ByteBuffer.allocate(compressor.maxCompressedLength(CHUNK));
        compressor.compress(ByteBuffer.wrap(text(CHUNK)), valid);
        valid.flip();
        final byte[] block = new byte[valid.remaining()];
        valid.get(block);
        int refused = 0;
        for (int i = 0; i < 500; i++)
        {
            final byte[] bad;
            if (i % 2 == 0)
            {
                bad = new byte[1 + random.nextInt(2000)];
                random.nextBytes(bad);
            }
            else
            {
                bad = block.clone();
                bad[random.nextInt(bad.length)] = (byte)random.nextInt(256);
                bad[random.nextInt(bad.length)] = (byte)random.nextInt(256);
            }
            try
            {
                decompressor.decompress(ByteBuffer.wrap(bad), ByteBuffer.allocateDirect(CHUNK), CHUNK, CHUNK);
            }
            catch (final MalformedChunkException ex)
            {
                refused++;
            }
        }
        // Literal bytes can change without breaking the format, so not every mutation is malformed; garbage is.
        assertTrue(refused >= 250, "refused " + refused);
        final byte[] truncated = Arrays.copyOf(block, block.length / 2);
        assertThrows(MalformedChunkException.class,
            () -> decompressor.decompress(ByteBuffer.wrap(truncated), ByteBuffer.allocate(CHUNK), CHUNK, CHUNK));
    }

    static byte[] text(final int length)
    {
        final String[] words = {"the ", "quick ", "brown ", "fox ", "jumps ", "over ", "lazy ", "dog ", "and ",
            "then ", "sleeps, ", "while ", "file ", "chunks ", "travel ", "far.\n"};
        final Random random = new Random(2);
        final StringBuilder sb = new StringBuilder(length + 16);
        while (sb.length() < length)
        {
            sb.append(words[random.nextInt(words.length)]);
        }
        return sb.substring(0, length).getBytes(StandardCharsets.US_ASCII);
    }

    static byte[] random(final int length, final long seed)
    {
        final byte[] bytes = new byte[length];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private static ByteBuffer buffer(final boolean direct, final int capacity)
    {
        return direct ? ByteBuffer.allocateDirect(capacity) : ByteBuffer.allocate(capacity);
    }
}
