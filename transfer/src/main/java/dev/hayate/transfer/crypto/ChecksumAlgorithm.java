package dev.hayate.transfer.crypto;

import java.nio.ByteBuffer;
import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

import net.jpountz.xxhash.XXHash64;
import net.jpountz.xxhash.XXHashFactory;
import org.bouncycastle.crypto.digests.Blake3Digest;

/**
 * The hash behind a file's end-to-end checksum ({@link FileChecksum}). AEAD already authenticates every chunk;
 * the checksum catches what happens outside the tunnel (disk, reassembly, resume). XXH64 is the default: it is
 * not cryptographic, but fast (≈ 11–14 GB/s here) and needs no secrecy behind the AEAD. SHA-256 (≈ 1.6 GB/s) and
 * BLAKE3 (bouncycastle's, ≈ 0.15 GB/s, so it caps a transfer) are there on request.
 *
 * <p>Thread-safety: immutable; the hashers and checksums it makes are for one thread each.
 */
public enum ChecksumAlgorithm
{
    /** xxHash64, seed 0, digest written as 8 bytes big-endian. */
    XXH64(8),

    /** SHA-256 from the JDK. */
    SHA256(32),

    /** BLAKE3 from bouncycastle, 32-byte output. */
    BLAKE3(32);

    private static final char[] HEX = "0123456789abcdef".toCharArray();
    private static final int SCRATCH_LENGTH = 8192;

    private final int digestLength;

    ChecksumAlgorithm(final int digestLength)
    {
        this.digestLength = digestLength;
    }

    /**
     * @return the digest length in bytes, for chunk digests and the file checksum alike.
     */
    public int digestLength()
    {
        return digestLength;
    }

    /**
     * @return a new reusable chunk hasher.
     */
    public ChunkHasher newChunkHasher()
    {
        switch (this)
        {
            case XXH64:
                return new XxhHasher();
            case SHA256:
                return new ShaHasher();
            default:
                return new BlakeHasher();
        }
    }

    /**
     * @return a new two-level file checksum.
     */
    public FileChecksum newFileChecksum()
    {
        return new FileChecksum(this);
    }

    /**
     * @param bytes any bytes.
     * @return lower-case hexadecimal.
     */
    public static String toHex(final byte[] bytes)
    {
        final char[] out = new char[bytes.length * 2];
        for (int i = 0; i < bytes.length; i++)
        {
            out[2 * i] = HEX[(bytes[i] >>> 4) & 0xF];
            out[2 * i + 1] = HEX[bytes[i] & 0xF];
        }
        return new String(out);
    }

    /**
     * @param hex hexadecimal, either case, even length.
     * @return the bytes.
     * @throws IllegalArgumentException when it is not hexadecimal.
     */
    public static byte[] fromHex(final String hex)
    {
        if ((hex.length() & 1) != 0)
        {
            throw new IllegalArgumentException("odd-length hex string");
        }
        final byte[] out = new byte[hex.length() / 2];
        for (int i = 0; i < out.length; i++)
        {
            final int high = Character.digit(hex.charAt(2 * i), 16);
            final int low = Character.digit(hex.charAt(2 * i + 1), 16);
            if (high < 0 || low < 0)
            {
                throw new IllegalArgumentException("not a hex digit at " + (2 * i));
            }
            out[i] = (byte)((high << 4) | low);
        }
        return out;
    }

    static void putLong(final long value, final byte[] out, final int off)
    {
        for (int i = 0; i < 8; i++)
        {
            out[off + i] = (byte)(value >>> (56 - 8 * i));
        }
    }

    private static final class XxhHasher implements ChunkHasher
    {
        private final XXHash64 hash = XXHashFactory.fastestInstance().hash64();

        @Override
        public ChecksumAlgorithm algorithm()
        {
            return XXH64;
        }

        @Override
        public int digest(final ByteBuffer chunk, final byte[] out, final int off)
        {
            putLong(hash.hash(chunk, chunk.position(), chunk.remaining(), 0), out, off);
            return 8;
        }
    }

    private static final class ShaHasher implements ChunkHasher
    {
        private final MessageDigest digest;

        ShaHasher()
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
        public ChecksumAlgorithm algorithm()
        {
            return SHA256;
        }

        @Override
        public int digest(final ByteBuffer chunk, final byte[] out, final int off)
        {
            final int position = chunk.position();
            // For a direct buffer the JDK copies through one scratch array it keeps, so this allocates once.
            digest.update(chunk);
            chunk.position(position);
            try
            {
                return digest.digest(out, off, 32);
            }
            catch (final DigestException ex)
            {
                throw new IllegalArgumentException("out has no room for 32 bytes at " + off, ex);
            }
        }
    }

    private static final class BlakeHasher implements ChunkHasher
    {
        private final Blake3Digest digest = new Blake3Digest(256);
        private byte[] scratch;

        @Override
        public ChecksumAlgorithm algorithm()
        {
            return BLAKE3;
        }

        @Override
        public int digest(final ByteBuffer chunk, final byte[] out, final int off)
        {
            final int position = chunk.position();
            final int length = chunk.remaining();
            if (chunk.hasArray())
            {
                digest.update(chunk.array(), chunk.arrayOffset() + position, length);
            }
            else
            {
                if (scratch == null)
                {
                    scratch = new byte[SCRATCH_LENGTH];
                }
                for (int done = 0; done < length; )
                {
                    final int n = Math.min(SCRATCH_LENGTH, length - done);
                    chunk.get(position + done, scratch, 0, n);
                    digest.update(scratch, 0, n);
                    done += n;
                }
            }
            digest.doFinal(out, off);
            return 32;
        }
    }
}
