package dev.hayate.core;

/**
 * The connection as a protocol's handshake sees it ({@link Protocol#onConnect}): blocking sends and
 * receives bounded by the handshake's deadline.
 *
 * <p>Thread-safety: only the handshake's own thread, during the handshake.
 *
 * @param <T> the message type.
 */
public interface Session<T>
{
    /**
     * Sends, waiting until written or the handshake deadline.
     *
     * @param message to send.
     * @return {@link Status#OK}, {@link Status#TIMED_OUT} or {@link Status#CLOSED}.
     */
    Status send(T message);

    /**
     * Receives, waiting until a message or the handshake deadline.
     *
     * @return the message (for a flyweight codec valid until the next receive), or {@code null} if the
     * deadline passed or the peer closed.
     */
    T recv();

    /**
     * @return the connection's identity.
     */
    ConId id();

    /**
     * @return the deadline the whole handshake must meet.
     */
    Deadline deadline();
}
