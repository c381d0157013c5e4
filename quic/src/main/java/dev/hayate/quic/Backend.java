package dev.hayate.quic;

import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * One QUIC implementation under {@link QuicEndpoint}: kwik or Netty's native codec.
 *
 * <p>Thread-safety: safe for concurrent use after {@link #listen}.
 */
interface Backend extends AutoCloseable
{
    /**
     * @return short name: {@code "kwik"} or {@code "netty-quic"}.
     */
    String name();

    /**
     * Binds a server; every connection whose handshake completes goes to {@link QuicEndpoint#onAccepted}.
     *
     * @return the bound address.
     */
    InetSocketAddress listen() throws IOException;

    /**
     * Connects as a client, blocking up to the timeout.
     */
    QuicConnection connect(InetSocketAddress remote, String serverName, long timeoutNanos) throws IOException;

    @Override
    void close();
}
