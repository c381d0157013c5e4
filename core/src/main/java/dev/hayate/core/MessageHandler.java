package dev.hayate.core;

/**
 * Receives the messages of one {@code poll}: the batch form of a receive, in the spirit of Aeron's
 * {@code FragmentHandler}. One call per message, on the polling thread.
 *
 * <p>Thread-safety: called only by the thread that polls.
 *
 * @param <T> the message type.
 */
@FunctionalInterface
public interface MessageHandler<T>
{
    /**
     * @param message for a flyweight codec valid only during the call: copy what must outlive it.
     */
    void onMessage(T message);
}
