package dev.hayate.core;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A codec for opaque payloads: the message is the frame body itself, as a {@link DirectBuffer} whose whole
 * capacity is sent. Decoding wraps one reused view over the receive buffer (nothing copied, nothing
 * allocated), valid until the next receive; {@link #detach} copies.
 *
 * <pre>{@code
 * UnsafeBuffer payload = new UnsafeBuffer(new byte[64]);          // the message: all 64 bytes are sent
 * clt.send(payload);
 * DirectBuffer received = clt.recv(1, TimeUnit.SECONDS);          // a view: read it before the next recv
 * }</pre>
 *
 * <p>Thread-safety: one instance per connection (it holds the reused view).
 */
public final class DirectBufferCodec implements Codec<DirectBuffer>
{
    private final UnsafeBuffer view = new UnsafeBuffer(0, 0);

    @Override
    public int encode(final DirectBuffer message, final MutableDirectBuffer buffer, final int offset, final int capacity)
    {
        final int length = message.capacity();
        if (length > capacity)
        {
            throw new IllegalArgumentException("payload of " + length + " bytes exceeds the frame body limit " + capacity);
        }
        buffer.putBytes(offset, message, 0, length);
        return length;
    }

    @Override
    public DirectBuffer decode(final DirectBuffer buffer, final int offset, final int length)
    {
        view.wrap(buffer, offset, length);
        return view;
    }

    @Override
    public DirectBuffer detach(final DirectBuffer decoded)
    {
        final byte[] copy = new byte[decoded.capacity()];
        decoded.getBytes(0, copy);
        return new UnsafeBuffer(copy);
    }
}
