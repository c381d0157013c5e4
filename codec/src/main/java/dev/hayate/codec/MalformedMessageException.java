package dev.hayate.codec;

/**
 * A frame body that does not hold a well-formed message of the expected schema: too short for its header, a
 * block, group or var-data length that runs past the body, an unknown schema or template id, or a field value
 * the schema does not allow. The connection that received it is closed as a protocol error.
 *
 * <p>Malformed input is a fatal state for a connection, not a hot-path result, so it is an exception; the
 * stack trace is kept because it is what tells a developer which decoder gave up.
 *
 * <p>Thread-safety: immutable.
 */
public final class MalformedMessageException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    /**
     * @param message says what is wrong, with the numbers that prove it.
     */
    public MalformedMessageException(final String message)
    {
        super(message);
    }

    /**
     * @param message says what is wrong.
     * @param cause   the exception a decoder threw while reading the body.
     */
    public MalformedMessageException(final String message, final Throwable cause)
    {
        super(message, cause);
    }
}
