package dev.hayate.transfer.crypto;

/**
 * Key confirmation failed: the two sides did not derive the same keys, which means the code phrases differ or
 * someone other than the intended peer answered. No key is released.
 *
 * <p>Thread-safety: immutable.
 */
public final class WrongCodeException extends PakeException
{
    private static final long serialVersionUID = 1L;

    /** The message every instance carries, fit to show a person as is. */
    public static final String MESSAGE = "wrong code phrase, or someone else answered";

    /**
     * Creates the exception with {@link #MESSAGE}.
     */
    public WrongCodeException()
    {
        super(MESSAGE);
    }
}
