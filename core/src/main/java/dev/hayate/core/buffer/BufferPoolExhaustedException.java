package dev.hayate.core.buffer;

/**
 * A lease could not be served within its timeout: the pool is at its bound.
 */
public final class BufferPoolExhaustedException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    /**
     * @param message what was asked for and the pool's state.
     */
    public BufferPoolExhaustedException(final String message)
    {
        super(message);
    }
}
