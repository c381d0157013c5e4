package dev.hayate.core;

import java.io.IOException;

/**
 * A protocol's handshake ({@link Protocol#onConnect}) rejected the connection or did not finish in time.
 */
public final class HandshakeException extends IOException
{
    private static final long serialVersionUID = 1L;

    /**
     * @param message why.
     * @param cause   what the handshake threw, or {@code null}.
     */
    public HandshakeException(final String message, final Throwable cause)
    {
        super(message, cause);
    }
}
