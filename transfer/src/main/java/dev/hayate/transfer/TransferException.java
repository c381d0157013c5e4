package dev.hayate.transfer;

import java.io.IOException;

/**
 * A transfer that did not complete, with the class of failure and a message in the user's terms. Whatever the
 * failure, no file was presented as complete unless its checksum matched.
 *
 * <p>Thread-safety: immutable.
 */
public final class TransferException extends IOException
{
    private static final long serialVersionUID = 1L;

    private final Failure failure;
    private final boolean fromPeer;

    /**
     * @param failure  the class of failure.
     * @param message  what happened, naming the file where there is one.
     * @param fromPeer true when the peer reported it.
     * @param cause    the underlying exception, or null.
     */
    public TransferException(final Failure failure, final String message, final boolean fromPeer,
        final Throwable cause)
    {
        super(message, cause);
        this.failure = failure;
        this.fromPeer = fromPeer;
    }

    /**
     * @param failure the class of failure.
     * @param message what happened.
     */
    public TransferException(final Failure failure, final String message)
    {
        this(failure, message, false, null);
    }

    /** @return the class of failure. */
    public Failure failure()
    {
        return failure;
    }

    /** @return true when the peer reported the failure (its message is the peer's words). */
    public boolean fromPeer()
    {
        return fromPeer;
    }
}
