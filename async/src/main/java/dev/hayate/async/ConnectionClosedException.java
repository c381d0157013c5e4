package dev.hayate.async;

import dev.hayate.core.CloseReason;

/**
 * A future failed because its connection closed; the reason says how.
 */
public final class ConnectionClosedException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    private final CloseReason reason;

    /**
     * @param reason why the connection closed.
     * @param detail readable explanation.
     */
    public ConnectionClosedException(final CloseReason reason, final String detail)
    {
        super("connection closed (" + reason + "): " + detail);
        this.reason = reason;
    }

    /**
     * @return why the connection closed.
     */
    public CloseReason reason()
    {
        return reason;
    }
}
