package dev.hayate.core;

/**
 * Outcome of a send or receive attempt on the hot path. Results are values, never exceptions:
 * a closed peer, a timeout and back pressure are distinguishable without a {@code try}.
 *
 * <p>Thread-safety: immutable.
 */
public enum Status
{
    /** The operation completed: the message was taken (send) or delivered (receive). */
    OK,
    /** One attempt found nothing to do (no complete frame yet); try again later. */
    WOULD_BLOCK,
    /** The caller's timeout or deadline expired before the operation could complete. */
    TIMED_OUT,
    /** The send path is full: the transport is not draining as fast as messages arrive. Nothing was taken. */
    BACK_PRESSURED,
    /** The endpoint has no live connection to use (for example an empty pool). */
    NOT_CONNECTED,
    /** The connection is closed (locally, by the peer, or after a protocol error); see its close reason. */
    CLOSED;

    /**
     * @return true for {@link #OK}.
     */
    public boolean isOk()
    {
        return this == OK;
    }
}
