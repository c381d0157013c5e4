package dev.hayate.quic;

import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * What a {@link QuicConnection} asks of the backend connection under it.
 *
 * <p>Thread-safety: every method may be called from any thread.
 */
interface BackendConnection
{
    /**
     * Opens a bidirectional stream, registering it with {@code owner}.
     *
     * @param owner        the connection.
     * @param timeoutNanos longest wait for the peer's stream limit.
     * @return the stream.
     * @throws IOException if the connection is closed or the wait timed out.
     */
    QuicStream openStream(QuicConnection owner, long timeoutNanos) throws IOException;

    /**
     * Closes the connection with an application error code and reason. Does not block.
     */
    void close(long errorCode, String reason);

    /**
     * @return smoothed RTT in nanoseconds, 0 when unknown.
     */
    long smoothedRttNanos();

    InetSocketAddress localAddress();

    InetSocketAddress remoteAddress();
}
