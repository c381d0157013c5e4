package dev.hayate.core;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Turns messages of type {@code T} into frame bodies and back. The framing header is not the codec's
 * business: the codec sees only the body region.
 *
 * <pre>
 *   frame:  | SOFH length (4, BE) | encoding type (2, BE) | body ........................ |
 *                                                           ^ offset, length = frame - 6
 * </pre>
 *
 * <p>A codec may be a flyweight codec: {@link #decode} then returns one reused instance re-wrapped over
 * the receive buffer, valid only until the next receive on the same connection. Such a codec must
 * override {@link #detach} to produce a value that can be kept.
 *
 * <p>Thread-safety: one codec instance per connection direction unless the implementation says it is
 * stateless. {@link dev.hayate.core.Protocol#codec()} is called once per connection.
 *
 * @param <T> the message type.
 */
public interface Codec<T>
{
    /**
     * Encodes {@code message} as a frame body.
     *
     * @param message  to encode.
     * @param buffer   to encode into.
     * @param offset   at which the body starts.
     * @param capacity bytes available from {@code offset}; encoding more is a programming error.
     * @return the number of body bytes written.
     * @throws IllegalArgumentException if the message cannot be encoded in {@code capacity} bytes.
     */
    int encode(T message, MutableDirectBuffer buffer, int offset, int capacity);

    /**
     * Decodes one frame body.
     *
     * @param buffer holding the body; must not be retained after the call unless the codec copies.
     * @param offset at which the body starts.
     * @param length of the body in bytes.
     * @return the message; for a flyweight codec a reused instance valid until the next decode.
     * @throws RuntimeException if the body is malformed; the connection is then closed as a protocol error.
     */
    T decode(DirectBuffer buffer, int offset, int length);

    /**
     * Returns a value equal to {@code decoded} that stays valid after the next decode. Codecs that
     * decode into fresh objects return the argument (the default); flyweight codecs copy.
     *
     * @param decoded a value returned by {@link #decode}.
     * @return a value safe to keep.
     */
    default T detach(T decoded)
    {
        return decoded;
    }
}
