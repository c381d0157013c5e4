package dev.hayate.transfer.crypto;

/**
 * A compressed chunk could not be decompressed as announced: the transfer must be aborted.
 *
 * <p>Thread-safety: immutable.
 */
public final class MalformedChunkException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    /**
     * @param message what is wrong.
     */
    public MalformedChunkException(final String message)
    {
        super(message);
    }

    /**
     * @param message what is wrong.
     * @param cause   the decoder's failure.
     */
    public MalformedChunkException(final String message, final Throwable cause)
    {
        super(message, cause);
    }
}
