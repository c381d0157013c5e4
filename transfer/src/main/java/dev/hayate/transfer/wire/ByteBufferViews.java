package dev.hayate.transfer.wire;

import java.nio.ByteBuffer;

import org.agrona.DirectBuffer;

/**
 * A {@link ByteBuffer} window onto an agrona buffer, for the JDK's {@code Cipher}, which takes ByteBuffers.
 * AEAD is done in place in the window (source and destination at the same address): the JDK's GCM copies its
 * whole output through a fresh heap buffer when it cannot rule out an overlap, which it cannot for two slices of
 * one pool slab.
 * The view is cached per underlying buffer, so steady-state framing allocates nothing: a connection's send and
 * receive buffers stay the same for its life.
 *
 * <p>Thread-safety: none; one per thread (each codec has its own).
 */
public final class ByteBufferViews
{
    private Object lastBacking;
    private ByteBuffer lastView;
    private ByteBuffer lastTwin;

    /**
     * @param buffer an agrona buffer over a ByteBuffer or a byte array.
     * @param offset start of the window in {@code buffer}.
     * @param length window length.
     * @return a view whose position and limit delimit the window; valid until the next call.
     * @throws IllegalArgumentException if the buffer wraps a raw address.
     */
    public ByteBuffer window(final DirectBuffer buffer, final int offset, final int length)
    {
        final Object backing = buffer.byteBuffer() != null ? buffer.byteBuffer() : buffer.byteArray();
        if (backing == null)
        {
            throw new IllegalArgumentException("a buffer over a raw address has no ByteBuffer view");
        }
        if (backing != lastBacking)
        {
            lastView = backing instanceof ByteBuffer bb ? bb.duplicate().clear() : ByteBuffer.wrap((byte[])backing);
            lastTwin = lastView.duplicate();
            lastBacking = backing;
        }
        final int start = buffer.wrapAdjustment() + offset;
        final ByteBuffer view = lastView;
        view.limit(view.capacity()).position(start).limit(start + length);
        lastTwin.limit(view.capacity()).position(start).limit(start + length);
        return view;
    }

    /**
     * @return a second view over the same window as the last {@link #window} call, for in-place transforms that
     * take a source and a destination buffer.
     */
    public ByteBuffer twin()
    {
        return lastTwin;
    }
}
