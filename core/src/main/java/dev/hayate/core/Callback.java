package dev.hayate.core;

/**
 * Observes messages as they cross a connection: logging, counting, latency. A callback given to a
 * {@code Svc} sees every connection of it.
 *
 * <p>Thread-safety: invoked on the thread that sends or receives; a callback shared by connections driven
 * from several threads must be thread-safe (the ones in this package are).
 *
 * @param <T> the message type.
 */
public interface Callback<T>
{
    /**
     * @param id      of the connection.
     * @param message received; for flyweight codecs valid only during the call.
     */
    default void onRecv(final ConId id, final T message)
    {
    }

    /**
     * @param id      of the connection.
     * @param message whose frame was committed to the send path.
     */
    default void onSent(final ConId id, final T message)
    {
    }

    /**
     * @param <T> the message type.
     * @return a callback that does nothing.
     */
    @SuppressWarnings("unchecked")
    static <T> Callback<T> none()
    {
        return (Callback<T>)Callbacks.NONE;
    }
}
