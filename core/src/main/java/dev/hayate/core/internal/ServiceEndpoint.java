package dev.hayate.core.internal;

import java.net.SocketAddress;

import dev.hayate.core.Acceptor;
import dev.hayate.core.Context;

/**
 * What every face's {@code Svc} has in common: the bound {@link Acceptor} and its counters.
 *
 * <p>Thread-safety: the accessors and {@link #close()} are safe from any thread.
 *
 * @param <T> the message type.
 */
public abstract class ServiceEndpoint<T> implements AutoCloseable
{
    /** The accepting side: gate, handshakes, live set. */
    protected final Acceptor<T> acceptor;
    /** The service's configuration. */
    protected final Context context;

    /**
     * @param acceptor bound.
     * @param context  concluded configuration.
     */
    protected ServiceEndpoint(final Acceptor<T> acceptor, final Context context)
    {
        this.acceptor = acceptor;
        this.context = context;
    }

    /**
     * @return the bound address with the real port.
     */
    public SocketAddress localAddress()
    {
        return acceptor.localAddress();
    }

    /**
     * @return live connections.
     */
    public int connectionCount()
    {
        return acceptor.connectionCount();
    }

    /**
     * @return connections accepted (handshake done) so far.
     */
    public long acceptedConnections()
    {
        return acceptor.accepted();
    }

    /**
     * @return connections refused by the gate or for lack of pool buffers.
     */
    public long refusedConnections()
    {
        return acceptor.refused();
    }

    /**
     * @return connections whose protocol handshake failed or timed out.
     */
    public long handshakeFailures()
    {
        return acceptor.handshakeFailures();
    }

    /**
     * Stops listening and closes every connection.
     */
    @Override
    public void close()
    {
        acceptor.close();
    }

    @Override
    public String toString()
    {
        return getClass().getSimpleName() + '(' + context.name() + ' ' + acceptor.localAddress() + ", " +
            acceptor.connectionCount() + " connections)";
    }
}
