package dev.hayate.core.test;

import dev.hayate.core.Codec;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * A codec whose messages are the frame bodies themselves, for tests of everything below the codec.
 * Decoding allocates a fresh array, so messages may be kept.
 */
public final class ByteArrayCodec implements Codec<byte[]>
{
    @Override
    public int encode(final byte[] message, final MutableDirectBuffer buffer, final int offset, final int capacity)
    {
        if (message.length > capacity)
        {
            throw new IllegalArgumentException("message of " + message.length + " bytes exceeds " + capacity);
        }
        buffer.putBytes(offset, message);
        return message.length;
    }

    @Override
    public byte[] decode(final DirectBuffer buffer, final int offset, final int length)
    {
        final byte[] bytes = new byte[length];
        buffer.getBytes(offset, bytes);
        return bytes;
    }
}
