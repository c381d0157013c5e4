package dev.hayate.core;

/**
 * A typed protocol: a codec plus optional hooks that run inside the connection, so sessions (login,
 * sequence numbers, heartbeats) are the protocol's business, not the application's. One instance per
 * connection, made by a {@link ProtocolFactory}; every hook is free when not overridden.
 *
 * <pre>
 *   connect ─▶ onConnect(session)   handshake: may send and receive; throw to reject
 *   send    ─▶ onSend(msg) ─▶ encode ─▶ onSent(msg)        once per message taken
 *   receive ─▶ decode ─▶ onRecv(msg) ─▶ autoReply(msg) ─▶ consumes(msg)? hidden : to the application
 *   idle    ─▶ heartbeat() every heartbeatIntervalNanos() without sends; isConnected(silence) checks the peer
 *   close   ─▶ onDisconnect() may return a last message (logout)
 * </pre>
 *
 * <p>Thread-safety: send-side hooks ({@link #onSend}, {@link #onSent}) run on the thread that sends;
 * receive-side hooks ({@link #onRecv}, {@link #autoReply}, {@link #consumes}, {@link #isConnected}) on the
 * thread that receives; {@link #heartbeat()} on whichever thread notices the interval passed. A protocol
 * that shares state between the two sides must make it safe for two threads.
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
     * A handshake run before the connection is handed to the application (login, key exchange). It may
     * send and receive through {@code session}, bounded by the context's handshake timeout. On a service
     * it runs on a handshake thread, so a slow peer never holds up accepting others.
     *
     * @param session to exchange messages with the peer.
     * @throws Exception to reject the connection; only this connection is closed, as
     *                   {@link CloseReason#HANDSHAKE_FAILED} with the exception's message.
     */
    default void onConnect(final Session<T> session) throws Exception
    {
    }

    /**
     * Called once when the application closes the connection; the returned message (a logout) is sent
     * before the transport closes, within the context's linger timeout.
     *
     * @return the last message, or {@code null} for none.
     */
    default T onDisconnect()
    {
        return null;
    }

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
     * Runs once per message received, before anything else sees it.
     *
     * @param message decoded; for a flyweight codec valid only during the call unless detached.
     */
    default void onRecv(final T message)
    {
    }

    /**
     * Answers a received message without the application (a heartbeat request, a test request).
     *
     * @param received the message just received.
     * @return a message to send back at once, or {@code null}. It is encoded later on whichever thread
     * holds the send side, so return an instance that stays unchanged until sent.
     */
    default T autoReply(final T received)
    {
        return null;
    }

    /**
     * @param received the message just received.
     * @return true if the message is the protocol's business only (heartbeats) and is not handed to the
     * application.
     */
    default boolean consumes(final T received)
    {
        return false;
    }

    /**
     * @return how often to send {@link #heartbeat()} when nothing else was sent, in nanoseconds; 0 for never.
     */
    default long heartbeatIntervalNanos()
    {
        return 0;
    }

    /**
     * @return the heartbeat message; an instance that stays unchanged until sent.
     */
    default T heartbeat()
    {
        return null;
    }

    /**
     * The liveness rule: checked while receiving.
     *
     * @param nanosSinceLastReceive time since the last frame arrived (or since the connection opened).
     * @return false to declare the peer dead; the connection closes as {@link CloseReason#HEARTBEAT_TIMEOUT}.
     */
    default boolean isConnected(final long nanosSinceLastReceive)
    {
        return true;
    }
}
