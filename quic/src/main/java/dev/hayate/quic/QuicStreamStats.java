package dev.hayate.quic;

/**
 * A snapshot of one stream, from {@link QuicStream#observe()}.
 *
 * <p>Thread-safety: immutable.
 *
 * @param streamId      QUIC stream id.
 * @param bytesSent     payload bytes accepted by {@code send} (queued for, or already on, the wire).
 * @param bytesReceived payload bytes received from the peer (read by {@code recv} or still buffered).
 * @param sendClosed    no more data can be sent: finished, stopped, reset or the connection closed.
 * @param receiveClosed no more data will arrive: end of stream seen, stopped, reset or the connection closed.
 * @param lastError     the failure that closed a direction, or null.
 */
public record QuicStreamStats(long streamId, long bytesSent, long bytesReceived, boolean sendClosed,
    boolean receiveClosed, QuicException lastError)
{
}
