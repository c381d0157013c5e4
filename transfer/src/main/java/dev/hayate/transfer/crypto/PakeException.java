package dev.hayate.transfer.crypto;

/**
 * The pairing failed: the peer sent a payload that is malformed, oversized, out of order or does not verify,
 * or the session was used out of order. The session is dead after it; start a new one.
 *
 * <p>Thread-safety: immutable.
 */
public class PakeException extends Exception
{
    private static final long serialVersionUID = 1L;

    /**
     * @param message what went wrong, for a person.
     */
    public PakeException(final String message)
    {
        super(message);
    }

    /**
     * @param message what went wrong, for a person.
     * @param cause   the underlying failure.
     */
    public PakeException(final String message, final Throwable cause)
    {
        super(message, cause);
    }
}
