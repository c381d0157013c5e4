package dev.hayate.transfer.wire;

/**
 * A transfer frame that does not parse: a wrong schema, a length past the frame's end, an unknown message.
 *
 * <p>Thread-safety: immutable.
 */
public final class MalformedFrameException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    /**
     * @param message what is wrong, with the numbers.
     */
    public MalformedFrameException(final String message)
    {
        super(message);
    }
}
