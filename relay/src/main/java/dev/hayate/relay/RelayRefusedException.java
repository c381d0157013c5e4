package dev.hayate.relay;

import java.io.IOException;

/**
 * The relay refused this client after an authenticated handshake: the {@link RefusalReason} says why.
 *
 * <p>Thread-safety: immutable.
 */
public final class RelayRefusedException extends IOException
{
    private static final long serialVersionUID = 1L;

    private final RefusalReason reason;

    /**
     * @param reason why.
     */
    public RelayRefusedException(final RefusalReason reason)
    {
        super("relay refused: " + reason);
        this.reason = reason;
    }

    /**
     * @return why.
     */
    public RefusalReason reason()
    {
        return reason;
    }
}
