package dev.hayate.core;

/**
 * A typed protocol: a codec plus optional hooks that run inside the connection, so sessions (login,
 * sequence numbers, heartbeats) are the protocol's business, not the application's. One instance per
 * connection, made by a {@link ProtocolFactory}; every hook is free when not overridden.
 *
 * <p>Thread-safety: send-side hooks ({@link #onSend}, {@link #onSent}) run on the sending thread and
 * receive-side hooks ({@link #onRecv}) on the receiving thread; a protocol that shares state between them
 * must make it safe for two threads.
 *
 * @param <T> the message type.
 */
public interface Protocol<T>
{
    /**
     * @return the codec of this connection; called once.
     */
    Codec<T> codec();

    /**
     * Runs once per message, just before it is encoded, and only when the connection has room for it: a
     * send that comes back {@link Status#BACK_PRESSURED} and is retried is stamped once.
     *
     * @param message about to be encoded; may be modified (sequence number, timestamp).
     */
    default void onSend(final T message)
    {
    }

    /**
     * Runs once per message after its frame is committed to the connection's send path.
     *
     * @param message that was encoded.
     */
    default void onSent(final T message)
    {
    }

    /**
     * Runs once per message received, before the application sees it.
     *
     * @param message decoded; for a flyweight codec valid only during the call unless detached.
     */
    default void onRecv(final T message)
    {
    }
}
