package dev.hayate.quic;

/**
 * Something that happened on a {@link QuicConnection}, polled with {@link QuicConnection#pollEvent}.
 * Events of one connection are delivered in the order they happened.
 *
 * <p>Thread-safety: immutable.
 *
 * @param type      what happened.
 * @param streamId  the stream concerned, or -1 for connection events.
 * @param errorCode application or transport error code, {@link QuicException#NO_CODE} when none.
 * @param reason    readable detail, never null.
 */
public record QuicEvent(Type type, long streamId, long errorCode, String reason)
{
    /**
     * Event types.
     */
    public enum Type
    {
        /** The handshake completed. Always the first event of a connection. */
        CONNECTED,
        /** A stream was opened locally or accepted from the peer. */
        STREAM_OPENED,
        /** A stream finished in both directions, or was reset or stopped. */
        STREAM_CLOSED,
        /** A stream failed (reset or stopped by the peer); the connection lives on. */
        ERROR,
        /** The connection closed. Always the last event of a connection. */
        DISCONNECTED
    }
}
