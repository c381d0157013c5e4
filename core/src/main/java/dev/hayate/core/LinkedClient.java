package dev.hayate.core;

/**
 * What the waiting faces' {@code Clt}s have in common: a {@link ClientLink} and the accessors over it.
 *
 * <p>Thread-safety: as the face says; the accessors are safe from the owning thread.
 *
 * @param <T> the message type.
 */
public abstract class LinkedClient<T> implements AutoCloseable
{
    /** The connection, fixed or kept alive by a reconnector. */
    protected final ClientLink<T> link;
    /** The client's configuration. */
    protected final Context context;

    /**
     * @param connection  the first connection.
     * @param reconnector keeps it alive, or {@code null}.
     * @param context     configuration.
     * @param wait        how the face waits.
     */
    protected LinkedClient(final Connection<T> connection, final Reconnector<T> reconnector, final Context context,
        final WaitStrategy wait)
    {
        this.link = new ClientLink<>(connection, reconnector, context, wait);
        this.context = context;
    }

    /**
     * @return true while bytes of a taken frame wait to be written.
     */
    public boolean hasPendingSend()
    {
        return link.hasPendingSend();
    }

    /**
     * @return true once finally closed: closed locally, or lost with no reconnect to follow.
     */
    public boolean isClosed()
    {
        return link.isClosed();
    }

    /**
     * @return true while a live connection is in place (false while reconnecting).
     */
    public boolean isConnected()
    {
        return link.isConnected();
    }

    /**
     * @return why the (last) connection closed, {@link CloseReason#NONE} while open.
     */
    public CloseReason closeReason()
    {
        return link.connection().closeReason();
    }

    /**
     * @return a readable explanation of the close, or {@code null} while open.
     */
    public String closeDetail()
    {
        return link.connection().closeDetail();
    }

    /**
     * @return the identity of the (current) connection.
     */
    public ConId id()
    {
        return link.connection().id();
    }

    /**
     * @return the engine underneath, for pools and poll handlers.
     */
    public Connection<T> connection()
    {
        return link.connection();
    }

    /**
     * Closes gracefully: sends the protocol's last message and frames already taken, within the context's
     * linger timeout, then closes and stops reconnecting.
     */
    @Override
    public void close()
    {
        link.close();
    }

    @Override
    public String toString()
    {
        return link.connection().toString();
    }
}
