package dev.hayate.async;

/**
 * A send or receive was refused because the connection already has its maximum of outstanding requests;
 * the future failed at once instead of memory growing. Wait for earlier futures, then retry.
 */
public final class BackPressureException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    /**
     * @param message what limit was reached.
     */
    public BackPressureException(final String message)
    {
        super(message);
    }
}
