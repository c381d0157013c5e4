package dev.hayate.core.transport;

import java.io.IOException;
import java.net.SocketAddress;

/**
 * Creates transports of one kind (TCP, QUIC, in-memory). Endpoints take a provider in their context, so
 * the same {@code Clt}/{@code Svc} code runs over any of them.
 *
 * <p>Thread-safety: implementations are safe for concurrent use.
 */
public interface TransportProvider
{
    /**
     * Connects to a listening peer. This is connection setup, not the hot path: it may block up to
     * {@code timeoutNanos}.
     *
     * @param remote       address of the peer.
     * @param timeoutNanos longest time to wait for the connection to be established.
     * @return the connected transport.
     * @throws IOException if the peer refused, was unreachable, or the timeout expired
     *                     ({@link java.net.SocketTimeoutException}).
     */
    Transport connect(SocketAddress remote, long timeoutNanos) throws IOException;

    /**
     * Binds a listening server.
     *
     * @param local address to bind; port 0 picks a free port, readable from {@link TransportServer#localAddress()}.
     * @return the bound server.
     * @throws IOException if the address cannot be bound.
     */
    TransportServer bind(SocketAddress local) throws IOException;

    /**
     * @return a short name for logs and benchmark labels, such as {@code "tcp"}.
     */
    String name();
}
