package dev.hayate.transfer;

import dev.hayate.transfer.crypto.ChecksumAlgorithm;
import dev.hayate.transfer.crypto.CipherSuite;

/**
 * What the two sides agreed in their hellos: the sender chooses, the receiver accepts or refuses. Bound into the
 * PAKE context, so a man in the middle cannot downgrade it without failing key confirmation.
 *
 * @param cipherSuite the AEAD for every sealed frame.
 * @param checksum    the whole-file checksum.
 * @param compress    whether chunks may be LZ4-compressed.
 * @param resume      whether the receiver may offer resume points.
 * @param chunkSize   plaintext bytes per chunk (the last chunk of a file may be shorter).
 */
public record Negotiated(CipherSuite cipherSuite, ChecksumAlgorithm checksum, boolean compress, boolean resume,
    int chunkSize)
{
    /** Protocol version this build speaks. */
    public static final int VERSION = 1;
    /** Default chunk size: a sealed chunk and its frame header fit a 1 MiB pooled buffer. */
    public static final int DEFAULT_CHUNK_SIZE = (1 << 20) - (16 << 10);
    /** Smallest chunk size a receiver accepts. */
    public static final int MIN_CHUNK_SIZE = 16 << 10;
    /** Largest chunk size a receiver accepts. */
    public static final int MAX_CHUNK_SIZE = DEFAULT_CHUNK_SIZE;

    static final int CAP_AES_GCM = 1;
    static final int CAP_CHACHA = 1 << 1;
    static final int CAP_XXH64 = 1 << 2;
    static final int CAP_SHA256 = 1 << 3;
    static final int CAP_BLAKE3 = 1 << 4;
    static final int CAP_LZ4 = 1 << 5;
    static final int CAP_RESUME = 1 << 6;
    /** Everything this build supports. */
    static final int CAPABILITIES = CAP_AES_GCM | CAP_CHACHA | CAP_XXH64 | CAP_SHA256 | CAP_BLAKE3 | CAP_LZ4 |
        CAP_RESUME;

    static final int FLAG_COMPRESS = 1;
    static final int FLAG_RESUME = 2;

    static int cipherId(final CipherSuite suite)
    {
        return suite == CipherSuite.AES_256_GCM ? 1 : 2;
    }

    static CipherSuite cipherOf(final int id)
    {
        return switch (id)
        {
            case 1 -> CipherSuite.AES_256_GCM;
            case 2 -> CipherSuite.CHACHA20_POLY1305;
            default -> null;
        };
    }

    static int checksumId(final ChecksumAlgorithm algorithm)
    {
        return switch (algorithm)
        {
            case XXH64 -> 1;
            case SHA256 -> 2;
            case BLAKE3 -> 3;
        };
    }

    static ChecksumAlgorithm checksumOf(final int id)
    {
        return switch (id)
        {
            case 1 -> ChecksumAlgorithm.XXH64;
            case 2 -> ChecksumAlgorithm.SHA256;
            case 3 -> ChecksumAlgorithm.BLAKE3;
            default -> null;
        };
    }

    int flags()
    {
        return (compress ? FLAG_COMPRESS : 0) | (resume ? FLAG_RESUME : 0);
    }
}
