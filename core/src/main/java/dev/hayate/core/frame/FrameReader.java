package dev.hayate.core.frame;

import java.io.IOException;
import java.nio.ByteBuffer;

import dev.hayate.core.transport.Transport;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Splits a byte stream into SOFH frames inside one fixed receive buffer.
 *
 * <pre>
 *   buffer: |..consumed..|frame|frame|partial fr|.....free.....|
 *                        ^readPosition          ^writePosition  ^capacity
 * </pre>
 *
 * <p>Bytes are read from the transport straight into the buffer and every complete frame is handed out
 * in place ({@link #frameOffset()}, {@link #frameLength()}): no copy beyond the socket read. When a
 * partial frame sits at the end and the free tail cannot take the rest of it, the partial bytes move to
 * the front (at most one frame's worth, and only then).
 *
 * <p>The header is validated as soon as its bytes arrive, before anything is sized from it: a length
 * below the header size, above the maximum (including lengths of 2^31 and more), or an unexpected encoding
 * type is a {@link #ERROR} with a readable {@link #errorMessage()}. After an error the reader stays in
 * error: the connection must be closed, since the stream can no longer be trusted to be in sync.
 *
 * <p>Thread-safety: not thread-safe; one receiving thread.
 */
public final class FrameReader
{
    /** {@link #next()} found a complete frame. */
    public static final int FRAME = 1;
    /** {@link #next()} needs more bytes. */
    public static final int INCOMPLETE = 0;
    /** {@link #next()} found a header that breaks the rules. */
    public static final int ERROR = -1;

    private final UnsafeBuffer buffer;
    private final ByteBuffer byteBuffer;
    private final int capacity;
    private final int maxFrameLength;
    private final int encodingType;
    private int readPosition;
    private int writePosition;
    private int frameOffset;
    private int frameLength;
    private String errorMessage;

    /**
     * @param buffer         receive buffer, as agrona and NIO views of the same memory.
     * @param byteBuffer     NIO view of {@code buffer}.
     * @param maxFrameLength largest accepted frame including its header; at most the buffer's capacity.
     * @param encodingType   the only encoding type accepted.
     */
    public FrameReader(final UnsafeBuffer buffer, final ByteBuffer byteBuffer, final int maxFrameLength,
        final int encodingType)
    {
        if (maxFrameLength < Sofh.HEADER_LENGTH || maxFrameLength > buffer.capacity())
        {
            throw new IllegalArgumentException("maxFrameLength " + maxFrameLength + " must be in [" +
                Sofh.HEADER_LENGTH + ", " + buffer.capacity() + "] (the receive buffer's capacity)");
        }
        if (byteBuffer.capacity() != buffer.capacity())
        {
            throw new IllegalArgumentException("buffer views differ in capacity");
        }
        this.buffer = buffer;
        this.byteBuffer = byteBuffer;
        this.capacity = buffer.capacity();
        this.maxFrameLength = maxFrameLength;
        this.encodingType = encodingType;
    }

    /**
     * Finds the next complete frame in the bytes received so far.
     *
     * @return {@link #FRAME} (then {@link #frameOffset()} and {@link #frameLength()} describe it, and it is
     * consumed), {@link #INCOMPLETE} or {@link #ERROR}.
     */
    public int next()
    {
        if (errorMessage != null)
        {
            return ERROR;
        }
        final int available = writePosition - readPosition;
        if (available < Sofh.HEADER_LENGTH)
        {
            return available >= 4 && !lengthValid(Sofh.frameLength(buffer, readPosition)) ? ERROR : INCOMPLETE;
        }
        final int length = Sofh.frameLength(buffer, readPosition);
        if (!lengthValid(length))
        {
            return ERROR;
        }
        final int type = Sofh.encodingType(buffer, readPosition);
        if (type != encodingType)
        {
            errorMessage = String.format("unexpected SOFH encoding type 0x%04X (expected 0x%04X)", type, encodingType);
            return ERROR;
        }
        if (available < length)
        {
            return INCOMPLETE;
        }
        frameOffset = readPosition;
        frameLength = length;
        readPosition += length;
        return FRAME;
    }

    private boolean lengthValid(final int length)
    {
        if (length < Sofh.HEADER_LENGTH)
        {
            errorMessage = "SOFH length " + Integer.toUnsignedString(length) + " is below the header size " +
                Sofh.HEADER_LENGTH;
            return false;
        }
        if (length > maxFrameLength)
        {
            errorMessage = "SOFH length " + length + " exceeds the maximum frame length " + maxFrameLength;
            return false;
        }
        return true;
    }

    /**
     * Reads once from the transport into the free part of the buffer, making room first if the frame in
     * progress would not fit.
     *
     * @param transport to read from.
     * @return bytes read, 0 if none were available, -1 at end of stream.
     * @throws IOException if the read failed.
     */
    public int readFrom(final Transport transport) throws IOException
    {
        final int free = prepareForWrite();
        byteBuffer.limit(capacity).position(writePosition);
        final int read = free == 0 ? 0 : transport.read(byteBuffer);
        if (read > 0)
        {
            writePosition += read;
        }
        return read;
    }

    /**
     * Appends bytes as if they had been read, for tests and for transports that hand over buffers.
     *
     * @param src    bytes to append.
     * @param offset in {@code src}.
     * @param length to append.
     * @return bytes appended, less than {@code length} when the buffer is full.
     */
    public int append(final byte[] src, final int offset, final int length)
    {
        final int count = Math.min(length, prepareForWrite());
        buffer.putBytes(writePosition, src, offset, count);
        writePosition += count;
        return count;
    }

    /**
     * Compacts if the frame in progress cannot complete in the free tail.
     *
     * @return free bytes after the write position.
     */
    private int prepareForWrite()
    {
        final int available = writePosition - readPosition;
        if (available == 0)
        {
            readPosition = 0;
            writePosition = 0;
            return capacity;
        }
        final int needed = available >= 4 ? Math.max(Sofh.frameLength(buffer, readPosition), Sofh.HEADER_LENGTH) :
            Sofh.HEADER_LENGTH;
        final int free = capacity - writePosition;
        if (readPosition > 0 && (available + free < needed || free < Math.min(needed - available, capacity >> 4)))
        {
            buffer.putBytes(0, buffer, readPosition, available);
            readPosition = 0;
            writePosition = available;
        }
        return capacity - writePosition;
    }

    /**
     * @return offset in {@link #buffer()} of the last frame returned, header included.
     */
    public int frameOffset()
    {
        return frameOffset;
    }

    /**
     * @return length of the last frame returned, header included.
     */
    public int frameLength()
    {
        return frameLength;
    }

    /**
     * @return the receive buffer the frames live in.
     */
    public UnsafeBuffer buffer()
    {
        return buffer;
    }

    /**
     * @return bytes received and not yet returned as frames.
     */
    public int buffered()
    {
        return writePosition - readPosition;
    }

    /**
     * @return why the last {@link #next()} returned {@link #ERROR}, or {@code null}.
     */
    public String errorMessage()
    {
        return errorMessage;
    }

    /**
     * @return the largest frame accepted.
     */
    public int maxFrameLength()
    {
        return maxFrameLength;
    }
}
