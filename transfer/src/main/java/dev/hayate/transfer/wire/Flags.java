package dev.hayate.transfer.wire;

/**
 * Flag bits of a {@code Sealed} frame (bound into its seal like every other clear field).
 *
 * <p>Thread-safety: constants only.
 */
public final class Flags
{
    /** The last part of a multi-part message, or the last chunk of a file. */
    public static final byte LAST = 1;
    /** The body is an LZ4 block that decompresses to exactly {@code plainLength} bytes. */
    public static final byte COMPRESSED = 2;

    private Flags()
    {
    }
}
