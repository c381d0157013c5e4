package dev.hayate.transfer;

/**
 * Why a transfer failed, as a class a program (or the CLI's exit code) can act on.
 *
 * <p>Thread-safety: immutable.
 */
public enum Failure
{
    /** Key confirmation failed: the code phrase differs, or someone else answered. Nothing was revealed. */
    WRONG_CODE(10, 3),
    /** The receiver declined the offer. */
    REJECTED(11, 4),
    /** A target exists and the overwrite policy refuses it; nothing was written. */
    CONFLICT(12, 4),
    /** The manifest holds a path the receiver will not write (absolute, {@code ..}, control characters ...). */
    HOSTILE_MANIFEST(13, 5),
    /** A file's whole-file checksum did not match; it was not moved into place. */
    CHECKSUM_MISMATCH(14, 5),
    /** A sealed frame was tampered with, replayed, reordered, dropped or truncated. */
    INTEGRITY(15, 5),
    /** A local file could not be read or written (disk full, permission, changed while sent). */
    IO(16, 6),
    /** The connection could not be made or was lost. */
    NETWORK(17, 7),
    /** The peer broke the protocol (malformed or unexpected message, version mismatch). */
    PROTOCOL(18, 7),
    /** Cancelled by the user on either side. */
    CANCELLED(19, 8),
    /** No peer came, or the peer went silent, within the time allowed. */
    TIMEOUT(20, 7);

    private final int wireCode;
    private final int exitCode;

    Failure(final int wireCode, final int exitCode)
    {
        this.wireCode = wireCode;
        this.exitCode = exitCode;
    }

    /** @return the code sent to the peer in an error message. */
    public int wireCode()
    {
        return wireCode;
    }

    /** @return the CLI's exit code for this class of failure (documented in the README). */
    public int exitCode()
    {
        return exitCode;
    }

    /**
     * @param code a wire code from a peer.
     * @return its failure, or {@link #PROTOCOL} for a code this build does not know.
     */
    public static Failure ofWireCode(final int code)
    {
        for (final Failure failure : values())
        {
            if (failure.wireCode == code)
            {
                return failure;
            }
        }
        return PROTOCOL;
    }
}
