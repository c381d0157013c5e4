package dev.hayate.transfer.crypto;

/**
 * Bits of the {@code flags} byte bound into every sealed chunk's associated data, so an attacker can neither
 * mark a middle chunk as the last one nor claim a chunk is compressed when it is not.
 *
 * <p>Thread-safety: constants only.
 */
public final class ChunkFlags
{
    /** No flag set. */
    public static final byte NONE = 0;

    /** This is the last chunk of its file. */
    public static final byte LAST = 1;

    /** The plaintext of this chunk is one LZ4 block (see {@link ChunkCompressor}). */
    public static final byte COMPRESSED = 2;

    private ChunkFlags()
    {
    }

    /**
     * @param flags a flags byte.
     * @param flag  one of the constants.
     * @return true when {@code flag} is set in {@code flags}.
     */
    public static boolean isSet(final byte flags, final byte flag)
    {
        return (flags & flag) != 0;
    }
}
