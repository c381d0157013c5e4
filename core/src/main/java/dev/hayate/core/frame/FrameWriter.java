package dev.hayate.core.frame;

import java.io.IOException;
import java.nio.ByteBuffer;

import dev.hayate.core.transport.Transport;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Builds whole SOFH frames in one fixed send buffer and drains them to a transport.
 *
 * <pre>
 *   buffer: |..sent..|unsent frame bytes|claimed frame being encoded|....free....|
 *                    ^flushPosition     ^writePosition
 * </pre>
 *
 * <p>A frame is claimed ({@link #claim()}), its body encoded in place, then committed with its length
 * ({@link #commit(int)}) or abandoned ({@link #abort()}). Only committed frames are ever written, and
 * they are written in order, so a partly written frame is always finished before any byte of the next:
 * frames are never torn. A claim needs room for a frame of the maximum length, so encoding never runs
 * off the buffer.
 *
 * <p>Thread-safety: not thread-safe; one sending thread.
 */
public final class FrameWriter
{
    private final UnsafeBuffer buffer;
    private final ByteBuffer byteBuffer;
    private final int capacity;
    private final int maxFrameLength;
    private final int encodingType;
    private int flushPosition;
    private int writePosition;
    private int claimOffset = -1;

    /**
     * @param buffer         send buffer, agrona view.
     * @param byteBuffer     NIO view of the same memory.
     * @param maxFrameLength largest frame, header included; at most the buffer's capacity.
     * @param encodingType   written in every header.
     */
    public FrameWriter(final UnsafeBuffer buffer, final ByteBuffer byteBuffer, final int maxFrameLength,
        final int encodingType)
    {
        if (maxFrameLength < Sofh.HEADER_LENGTH || maxFrameLength > buffer.capacity())
        {
            throw new IllegalArgumentException("maxFrameLength " + maxFrameLength + " must be in [" +
                Sofh.HEADER_LENGTH + ", " + buffer.capacity() + "] (the send buffer's capacity)");
        }
        this.buffer = buffer;
        this.byteBuffer = byteBuffer;
        this.capacity = buffer.capacity();
        this.maxFrameLength = maxFrameLength;
        this.encodingType = encodingType;
    }

    /**
     * Claims room for one frame of up to the maximum length, compacting unsent bytes to the front if needed.
     *
     * @return offset of the body in {@link #buffer()}, with {@link #maxBodyLength()} bytes available; or
     * -1 when unsent bytes leave no room (back pressure: flush first).
     */
    public int claim()
    {
        if (claimOffset >= 0)
        {
            throw new IllegalStateException("previous claim neither committed nor aborted");
        }
        if (flushPosition == writePosition)
        {
            flushPosition = 0;
            writePosition = 0;
        }
        else if (capacity - writePosition < maxFrameLength && flushPosition > 0)
        {
            final int unsent = writePosition - flushPosition;
            buffer.putBytes(0, buffer, flushPosition, unsent);
            flushPosition = 0;
            writePosition = unsent;
        }
        if (capacity - writePosition < maxFrameLength)
        {
            return -1;
        }
        claimOffset = writePosition;
        return writePosition + Sofh.HEADER_LENGTH;
    }

    /**
     * Commits the claimed frame.
     *
     * @param bodyLength bytes encoded at the claimed body offset.
     * @throws IllegalArgumentException if the frame would exceed the maximum length; the claim is aborted.
     */
    public void commit(final int bodyLength)
    {
        final int offset = claimOffset;
        if (offset < 0)
        {
            throw new IllegalStateException("nothing claimed");
        }
        claimOffset = -1;
        if (bodyLength < 0 || bodyLength > maxBodyLength())
        {
            throw new IllegalArgumentException("frame body of " + bodyLength + " bytes exceeds the maximum of " +
                maxBodyLength());
        }
        final int frameLength = bodyLength + Sofh.HEADER_LENGTH;
        Sofh.writeHeader(buffer, offset, frameLength, encodingType);
        writePosition = offset + frameLength;
    }

    /**
     * Abandons the claimed frame: none of its bytes will be sent.
     */
    public void abort()
    {
        claimOffset = -1;
    }

    /**
     * Writes as much of the committed frames as the transport takes now.
     *
     * @param transport to write to.
     * @return bytes written by this call.
     * @throws IOException if the write failed.
     */
    public int flush(final Transport transport) throws IOException
    {
        final int unsent = writePosition - flushPosition;
        if (unsent == 0)
        {
            return 0;
        }
        byteBuffer.limit(writePosition).position(flushPosition);
        final int written = transport.write(byteBuffer);
        if (written > 0)
        {
            flushPosition += written;
        }
        return written;
    }

    /**
     * @return true while committed bytes wait to be written.
     */
    public boolean hasPending()
    {
        return writePosition != flushPosition;
    }

    /**
     * @return committed bytes not yet written.
     */
    public int pendingBytes()
    {
        return writePosition - flushPosition;
    }

    /**
     * @return the send buffer frames are built in.
     */
    public UnsafeBuffer buffer()
    {
        return buffer;
    }

    /**
     * @return the most body bytes a claim offers.
     */
    public int maxBodyLength()
    {
        return maxFrameLength - Sofh.HEADER_LENGTH;
    }
}
