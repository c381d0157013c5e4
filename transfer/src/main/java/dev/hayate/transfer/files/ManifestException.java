package dev.hayate.transfer.files;

import java.io.IOException;

/**
 * A manifest is malformed, exceeds the receiver's limits, or holds paths that collide or are hostile. Decoding
 * untrusted bytes reports every problem with this exception (or its subclass {@link HostilePathException}),
 * never with an unchecked one.
 *
 * <p>Thread-safety: immutable.
 */
public class ManifestException extends IOException
{
    private static final long serialVersionUID = 1L;

    /**
     * @param message what is wrong, in user terms.
     */
    public ManifestException(final String message)
    {
        super(message);
    }

    /**
     * @param message what is wrong, in user terms.
     * @param cause   the underlying failure.
     */
    public ManifestException(final String message, final Throwable cause)
    {
        super(message, cause);
    }
}
