package dev.hayate.transfer.crypto;

import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

import net.jpountz.xxhash.StreamingXXHash64;
import net.jpountz.xxhash.XXHashFactory;
import org.bouncycastle.crypto.digests.Blake3Digest;

/**
 * A whole-file checksum built from chunk digests (the idea of Dropbox's content hash): the file checksum is the
 * digest of the concatenation of the digests of its chunks, in order,
 * <pre>
 *   file = H(H(chunk 0) | H(chunk 1) | … | H(chunk n-1))      (an empty file: H of nothing)
 * </pre>
 * so a resumed transfer verifies a file from the chunk digests it stored, without reading the file again. Both
 * sides must cut the file at the same chunk size; the chunk size is part of what the checksum means.
 *
 * <p>Thread-safety: not thread-safe; one per file, fed in chunk order.
 */
public final class FileChecksum
{
    private final ChecksumAlgorithm algorithm;
    private final Level level;
    private long chunks;
    private boolean finished;

    FileChecksum(final ChecksumAlgorithm algorithm)
    {
        this.algorithm = algorithm;
        switch (algorithm)
        {
            case XXH64:
                level = new XxhLevel();
                break;
            case SHA256:
                level = new ShaLevel();
                break;
            default:
                level = new BlakeLevel();
                break;
        }
    }

    /**
     * @return the algorithm.
     */
    public ChecksumAlgorithm algorithm()
    {
        return algorithm;
    }

    /**
     * @return how many chunk digests were added.
     */
    public long chunkCount()
    {
        return chunks;
    }

    /**
     * Adds the next chunk's digest.
     *
     * @param digest holds {@link ChecksumAlgorithm#digestLength()} bytes at {@code off}.
     * @param off    where they start.
     */
    public void addChunkDigest(final byte[] digest, final int off)
    {
        if (finished)
        {
            throw new IllegalStateException("checksum already finished");
        }
        level.update(digest, off, algorithm.digestLength());
        chunks++;
    }

    /**
     * @return the file checksum; the object cannot be used afterwards.
     */
    public byte[] finish()
    {
        if (finished)
        {
            throw new IllegalStateException("checksum already finished");
        }
        finished = true;
        final byte[] out = new byte[algorithm.digestLength()];
        level.finish(out);
        return out;
    }

    private interface Level
    {
        void update(byte[] bytes, int off, int length);

        void finish(byte[] out);
    }

    private static final class XxhLevel implements Level
    {
        private final StreamingXXHash64 hash = XXHashFactory.fastestInstance().newStreamingHash64(0);

        @Override
        public void update(final byte[] bytes, final int off, final int length)
        {
            hash.update(bytes, off, length);
        }

        @Override
        public void finish(final byte[] out)
        {
            ChecksumAlgorithm.putLong(hash.getValue(), out, 0);
            hash.close();
        }
    }

    private static final class ShaLevel implements Level
    {
        private final MessageDigest digest;

        ShaLevel()
        {
            try
            {
                digest = MessageDigest.getInstance("SHA-256");
            }
            catch (final NoSuchAlgorithmException ex)
            {
                throw new IllegalStateException("SHA-256 is not available", ex);
            }
        }

        @Override
        public void update(final byte[] bytes, final int off, final int length)
        {
            digest.update(bytes, off, length);
        }

        @Override
        public void finish(final byte[] out)
        {
            try
            {
                digest.digest(out, 0, out.length);
            }
            catch (final DigestException ex)
            {
                throw new IllegalStateException(ex);
            }
        }
    }

    private static final class BlakeLevel implements Level
    {
        private final Blake3Digest digest = new Blake3Digest(256);

        @Override
        public void update(final byte[] bytes, final int off, final int length)
        {
            digest.update(bytes, off, length);
        }

        @Override
        public void finish(final byte[] out)
        {
            digest.doFinal(out, 0);
        }
    }
}
