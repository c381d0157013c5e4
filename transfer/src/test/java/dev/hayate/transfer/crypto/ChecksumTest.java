package dev.hayate.transfer.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ChecksumTest
{
    @Test
    void shouldMatchKnownVectors()
    {
        assertEquals("ef46db3751d8e999", hexOf(ChecksumAlgorithm.XXH64, new byte[0]));
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
            hexOf(ChecksumAlgorithm.SHA256, "abc".getBytes(StandardCharsets.US_ASCII)));
        assertEquals("af1349b9f5f9a1a6a0404dea36dcc9499bcb25c9adc112b7cc9a93cae41f3262",
            hexOf(ChecksumAlgorithm.BLAKE3, new byte[0]));
    }

    @ParameterizedTest
    @EnumSource(ChecksumAlgorithm.class)
    void shouldHashHeapAndDirectAlikeAndLeaveThePositionAlone(final ChecksumAlgorithm algorithm)
    {
        final byte[] data = new byte[100_000];
        new Random(5).nextBytes(data);
        final ByteBuffer heap = ByteBuffer.wrap(data, 10, 50_000);
        final ByteBuffer direct = ByteBuffer.allocateDirect(data.length);
        direct.put(data).position(10).limit(50_010);
        final ChunkHasher hasher = algorithm.newChunkHasher();
        final byte[] a = new byte[algorithm.digestLength() + 3];
        final byte[] b = new byte[algorithm.digestLength() + 3];
        assertEquals(algorithm.digestLength(), hasher.digest(heap, a, 3));
        assertEquals(algorithm.digestLength(), hasher.digest(direct, b, 3));
        assertArrayEquals(a, b);
        assertEquals(10, heap.position());
        assertEquals(10, direct.position());
        assertEquals(50_010, direct.limit());
        // Reusable: the same chunk hashes the same again.
        hasher.digest(heap, b, 3);
        assertArrayEquals(a, b);
    }

    @ParameterizedTest
    @EnumSource(ChecksumAlgorithm.class)
    void shouldComputeTwoLevelFileChecksumStablyAndDetectAChangedChunk(final ChecksumAlgorithm algorithm)
        throws Exception
    {
        final byte[][] chunks = new byte[5][4096];
        final Random random = new Random(9);
        for (final byte[] chunk : chunks)
        {
            random.nextBytes(chunk);
        }
        final byte[] first = fileChecksum(algorithm, chunks);
        assertArrayEquals(first, fileChecksum(algorithm, chunks));
        assertEquals(algorithm.digestLength(), first.length);

        chunks[3][100] ^= 1;
        assertFalse(Arrays.equals(first, fileChecksum(algorithm, chunks)));

        if (algorithm == ChecksumAlgorithm.SHA256)
        {
            // The definition, spelled out: SHA-256 over the concatenated chunk digests.
            final MessageDigest outer = MessageDigest.getInstance("SHA-256");
            for (final byte[] chunk : chunks)
            {
                outer.update(MessageDigest.getInstance("SHA-256").digest(chunk));
            }
            assertArrayEquals(outer.digest(), fileChecksum(algorithm, chunks));
        }
    }

    @Test
    void shouldChecksumAnEmptyFileAsTheDigestOfNothing()
    {
        assertEquals("ef46db3751d8e999", ChecksumAlgorithm.toHex(ChecksumAlgorithm.XXH64.newFileChecksum().finish()));
        final FileChecksum checksum = ChecksumAlgorithm.SHA256.newFileChecksum();
        checksum.finish();
        assertThrows(IllegalStateException.class, checksum::finish);
    }

    @Test
    void shouldRoundTripHex()
    {
        final byte[] bytes = {0, 1, (byte)0xAB, (byte)0xFF, 0x7F};
        assertEquals("0001abff7f", ChecksumAlgorithm.toHex(bytes));
        assertArrayEquals(bytes, ChecksumAlgorithm.fromHex("0001ABff7F"));
        assertThrows(IllegalArgumentException.class, () -> ChecksumAlgorithm.fromHex("abc"));
        assertThrows(IllegalArgumentException.class, () -> ChecksumAlgorithm.fromHex("zz"));
    }

    private static byte[] fileChecksum(final ChecksumAlgorithm algorithm, final byte[][] chunks)
    {
        final ChunkHasher hasher = algorithm.newChunkHasher();
        final FileChecksum file = algorithm.newFileChecksum();
        final byte[] digest = new byte[algorithm.digestLength()];
        for (final byte[] chunk : chunks)
        {
            hasher.digest(ByteBuffer.wrap(chunk), digest, 0);
            file.addChunkDigest(digest, 0);
        }
        assertEquals(chunks.length, file.chunkCount());
        return file.finish();
    }

    private static String hexOf(final ChecksumAlgorithm algorithm, final byte[] data)
    {
        final byte[] out = new byte[algorithm.digestLength()];
        algorithm.newChunkHasher().digest(ByteBuffer.wrap(data), out, 0);
        return ChecksumAlgorithm.toHex(out);
    }
}
