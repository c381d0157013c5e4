package dev.hayate.transfer.crypto;

import java.nio.ByteBuffer;

/**
 * Hashes one chunk's plaintext at a time with a {@link ChecksumAlgorithm}; reusable, allocation-free.
 *
 * <p>Thread-safety: not thread-safe; one per thread.
 */
public interface ChunkHasher
{
    /**
     * @return the algorithm.
     */
    ChecksumAlgorithm algorithm();

    /**
     * Hashes the bytes from the chunk's position to its limit, leaving position and limit as they were.
     *
     * @param chunk the plaintext chunk (heap or direct).
     * @param out   receives {@link ChecksumAlgorithm#digestLength()} bytes.
     * @param off   where in {@code out}.
     * @return the digest length.
     */
    int digest(ByteBuffer chunk, byte[] out, int off);
}
