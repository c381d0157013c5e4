package dev.hayate.quic;

import java.net.InetSocketAddress;

/**
 * A snapshot of one connection, from {@link QuicConnection#observe()}.
 *
 * <p>Thread-safety: immutable.
 *
 * @param localAddress     local UDP address.
 * @param peerAddress      peer UDP address.
 * @param streamsOpened    streams opened locally.
 * @param streamsAccepted  streams accepted from the peer.
 * @param smoothedRttNanos smoothed round-trip time as estimated by the QUIC stack, 0 before the first sample.
 * @param bytesSent        stream payload bytes sent on all streams.
 * @param bytesReceived    stream payload bytes received on all streams.
 * @param closed           true once the connection closed.
 * @param lastError        why the connection closed or the last stream failure, or null.
 */
public record QuicConnectionStats(InetSocketAddress localAddress, InetSocketAddress peerAddress, long streamsOpened,
    long streamsAccepted, long smoothedRttNanos, long bytesSent, long bytesReceived, boolean closed,
    QuicException lastError)
{
}
