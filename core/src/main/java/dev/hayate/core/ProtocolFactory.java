package dev.hayate.core;

import java.util.function.Supplier;

/**
 * Makes one {@link Protocol} per connection, so per-session state (sequence numbers, keys) is never shared.
 *
 * <p>Thread-safety: called from the thread that establishes each connection; must be safe for concurrent
 * use if an endpoint accepts on several threads.
 *
 * @param <T> the message type.
 */
@FunctionalInterface
public interface ProtocolFactory<T>
{
    /**
     * @param id of the new connection.
     * @return its protocol.
     */
    Protocol<T> create(ConId id);

    /**
     * A protocol that is only a codec, with no hooks.
     *
     * @param codecs makes one codec per connection.
     * @param <T>    the message type.
     * @return the factory.
     */
    static <T> ProtocolFactory<T> of(final Supplier<? extends Codec<T>> codecs)
    {
        return id ->
        {
            final Codec<T> codec = codecs.get();
            return () -> codec;
        };
    }
}
