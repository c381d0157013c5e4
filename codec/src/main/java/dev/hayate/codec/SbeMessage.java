package dev.hayate.codec;

import java.nio.ByteOrder;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.sbe.MessageDecoderFlyweight;
import org.agrona.sbe.MessageEncoderFlyweight;

/**
 * A reusable, mutable view of one SBE-encoded message of any schema that uses the standard message header:
 * the header followed by the message's root block, repeating groups and variable-length data.
 *
 * <pre>
 *   0           2           4           6           8
 *   +-----------+-----------+-----------+-----------+------------+---------+------------+
 *   |blockLength|templateId | schemaId  |  version  | root block | groups  | var data   |
 *   +-----------+-----------+-----------+-----------+------------+---------+------------+
 *    uint16 little-endian each                       ^ generated encoders and decoders wrap here
 *   |&lt;-------------------------------------- length() ---------------------------------&gt;|
 * </pre>
 *
 * <p>Receive side: {@link #wrap(DirectBuffer, int, int)} points the view at a region (nothing is copied) after
 * checking that the header and the root block fit in it; {@link #wrap(MessageDecoderFlyweight)} then wraps a
 * generated decoder over a buffer limited to exactly that region, so a group count or var-data length that lies
 * makes the decoder throw (agrona's bounds checks) instead of reading the bytes that follow, such as the next
 * frame. Keep agrona's bounds checks on ({@code agrona.disable.bounds.checks} unset) wherever input is untrusted.
 *
 * <p>Send side: a message created with {@link #SbeMessage(int)} owns a scratch buffer.
 * {@link #encode(MessageEncoderFlyweight)} writes the header from the encoder's template and wraps the encoder
 * after it; the application then sets fields on the encoder, and {@link #length()} follows the encoder as it
 * writes, so the message can be handed to a {@link SbeFlyweightCodec} without any further step.
 *
 * <pre>{@code
 * SbeMessage message = new SbeMessage(256);              // once
 * NewOrderEncoder order = new NewOrderEncoder();         // once
 * message.encode(order).seqNo(7).clOrdId(42).quantity(100);
 * clt.send(message);                                     // copies length() bytes into the frame
 * }</pre>
 *
 * <p>Thread-safety: not thread-safe; use from one thread at a time. A view made by a codec's {@code decode}
 * borrows the receive buffer and is valid only until that codec decodes again: {@link #copy()} it to keep it.
 */
public final class SbeMessage
{
    /** Bytes in the standard SBE message header. */
    public static final int HEADER_LENGTH = 8;
    /** Offset of the root block's length in the header. */
    public static final int BLOCK_LENGTH_OFFSET = 0;
    /** Offset of the template id in the header. */
    public static final int TEMPLATE_ID_OFFSET = 2;
    /** Offset of the schema id in the header. */
    public static final int SCHEMA_ID_OFFSET = 4;
    /** Offset of the schema version in the header. */
    public static final int VERSION_OFFSET = 6;

    private static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;
    private static final byte[] NO_BYTES = new byte[0];

    // Decoders are wrapped over this view rather than the caller's buffer: its capacity is the message's end.
    private final UnsafeBuffer view = new UnsafeBuffer(NO_BYTES);
    private final UnsafeBuffer scratch;
    private DirectBuffer buffer;
    private int offset;
    private int length;
    private MessageEncoderFlyweight encoder;

    /**
     * An empty view, for receiving: it owns no memory and {@link #encode} is not available.
     */
    public SbeMessage()
    {
        scratch = null;
    }

    /**
     * An empty message that owns a scratch buffer, for sending with {@link #encode}.
     *
     * @param capacity bytes of the largest message to encode, header included.
     * @throws IllegalArgumentException if {@code capacity} cannot hold the header.
     */
    public SbeMessage(final int capacity)
    {
        if (capacity < HEADER_LENGTH)
        {
            throw new IllegalArgumentException("capacity " + capacity + " cannot hold the " + HEADER_LENGTH +
                "-byte message header");
        }
        scratch = new UnsafeBuffer(new byte[capacity]);
    }

    /**
     * Writes the standard message header for the encoder's template, as a generated {@code wrapAndApplyHeader}
     * would, but for any schema.
     *
     * @param buffer  to write into.
     * @param offset  of the header.
     * @param encoder whose block length, template id, schema id and version are written.
     */
    public static void putHeader(final MutableDirectBuffer buffer, final int offset,
        final MessageEncoderFlyweight encoder)
    {
        buffer.putShort(offset + BLOCK_LENGTH_OFFSET, (short)encoder.sbeBlockLength(), ORDER);
        buffer.putShort(offset + TEMPLATE_ID_OFFSET, (short)encoder.sbeTemplateId(), ORDER);
        buffer.putShort(offset + SCHEMA_ID_OFFSET, (short)encoder.sbeSchemaId(), ORDER);
        buffer.putShort(offset + VERSION_OFFSET, (short)encoder.sbeSchemaVersion(), ORDER);
    }

    /**
     * Points this view at one message. Nothing is copied: the view is valid while the region holds the message.
     * On failure the view is left empty.
     *
     * @param buffer holding the message.
     * @param offset of the message header.
     * @param length of the message, header included.
     * @return this.
     * @throws IndexOutOfBoundsException if the region is not inside {@code buffer}.
     * @throws MalformedMessageException if the region is shorter than the header, or the header's block length
     *                                   runs past the region.
     */
    public SbeMessage wrap(final DirectBuffer buffer, final int offset, final int length)
    {
        clear();
        if (offset < 0 || length < 0 || offset > buffer.capacity() - length)
        {
            throw new IndexOutOfBoundsException("region offset=" + offset + " length=" + length +
                " is outside a buffer of capacity " + buffer.capacity());
        }
        if (length < HEADER_LENGTH)
        {
            throw new MalformedMessageException("SBE message of " + length + " bytes is shorter than the " +
                HEADER_LENGTH + "-byte message header");
        }
        final int blockLength = buffer.getShort(offset + BLOCK_LENGTH_OFFSET, ORDER) & 0xFFFF;
        if (blockLength > length - HEADER_LENGTH)
        {
            throw new MalformedMessageException("SBE blockLength " + blockLength + " of template " +
                (buffer.getShort(offset + TEMPLATE_ID_OFFSET, ORDER) & 0xFFFF) + " runs past the message: only " +
                (length - HEADER_LENGTH) + " bytes follow the header");
        }
        this.buffer = buffer;
        this.offset = offset;
        this.length = length;
        return this;
    }

    /**
     * Wraps a generated decoder over this message, using the header's acting block length and version so that
     * messages of older and newer schema versions decode as SBE intends. The decoder reads through a buffer that
     * ends where the message ends; its {@code limit()} counts from the start of the header, so
     * {@code length() - decoder.limit()} is what is left to read.
     *
     * @param decoder of the message's template, from the message's schema.
     * @param <D>     the decoder type.
     * @return {@code decoder}, wrapped.
     * @throws IllegalArgumentException  if the decoder is for another template or schema.
     * @throws MalformedMessageException if the root block is shorter than the decoder's at the same version.
     * @throws IllegalStateException     if this view is empty.
     */
    public <D extends MessageDecoderFlyweight> D wrap(final D decoder)
    {
        final int templateId = templateId();
        final int schemaId = schemaId();
        if (decoder.sbeTemplateId() != templateId || decoder.sbeSchemaId() != schemaId)
        {
            throw new IllegalArgumentException(decoder.getClass().getSimpleName() + " decodes template " +
                decoder.sbeTemplateId() + " of schema " + decoder.sbeSchemaId() + ", not template " + templateId +
                " of schema " + schemaId);
        }
        final int blockLength = blockLength();
        final int version = version();
        // A shorter block is legal only for an older version, whose decoder skips the fields it lacks.
        if (blockLength < decoder.sbeBlockLength() && version >= decoder.sbeSchemaVersion())
        {
            throw new MalformedMessageException("SBE blockLength " + blockLength + " of template " + templateId +
                " version " + version + " is shorter than the " + decoder.sbeBlockLength() + " bytes of its root block");
        }
        final int length = length();
        view.wrap(buffer, offset, length);
        decoder.wrap(view, HEADER_LENGTH, blockLength, version);
        return decoder;
    }

    /**
     * Starts a new message in this message's scratch buffer: writes the header for the encoder's template and
     * wraps the encoder just after it. From now on {@link #length()} is the header plus what the encoder has
     * written.
     *
     * @param encoder generated encoder of the message to send.
     * @param <E>     the encoder type.
     * @return {@code encoder}, wrapped and ready for its fields.
     * @throws IllegalStateException    if this message was created without a scratch buffer.
     * @throws IllegalArgumentException if the scratch buffer cannot hold the header and the root block.
     */
    public <E extends MessageEncoderFlyweight> E encode(final E encoder)
    {
        if (scratch == null)
        {
            throw new IllegalStateException("this SbeMessage owns no buffer: create it with new SbeMessage(capacity)");
        }
        if (HEADER_LENGTH + encoder.sbeBlockLength() > scratch.capacity())
        {
            throw new IllegalArgumentException("scratch buffer of " + scratch.capacity() + " bytes cannot hold " +
                encoder.getClass().getSimpleName() + "'s " + encoder.sbeBlockLength() + "-byte block and the header");
        }
        clear();
        putHeader(scratch, 0, encoder);
        encoder.wrap(scratch, HEADER_LENGTH);
        this.buffer = scratch;
        this.encoder = encoder;
        return encoder;
    }

    /**
     * @return a message with the same bytes in a buffer of its own, valid for as long as it is kept.
     * @throws IllegalStateException if this view is empty.
     */
    public SbeMessage copy()
    {
        final int length = length();
        final SbeMessage copy = new SbeMessage(length);
        copy.scratch.putBytes(0, buffer, offset, length);
        copy.buffer = copy.scratch;
        copy.length = length;
        return copy;
    }

    /**
     * For a session layer that patches a field (a sequence number) after the application encoded the message.
     *
     * @return the scratch buffer holding this message; the message starts at {@link #offset()}.
     * @throws IllegalStateException if the message lives in a buffer this view does not own (a decoded view).
     */
    public MutableDirectBuffer mutableBuffer()
    {
        if (scratch == null || buffer != scratch)
        {
            throw new IllegalStateException("this message lives in a buffer it does not own: copy() it first");
        }
        return scratch;
    }

    /**
     * @return true if the view holds no message: it was never wrapped, or its last wrap failed.
     */
    public boolean isEmpty()
    {
        return buffer == null;
    }

    /**
     * @return the buffer holding the message.
     * @throws IllegalStateException if this view is empty.
     */
    public DirectBuffer buffer()
    {
        checkNotEmpty();
        return buffer;
    }

    /**
     * @return offset of the message header in {@link #buffer()}.
     */
    public int offset()
    {
        return offset;
    }

    /**
     * @return bytes of the message, header included; while encoding, what the encoder has written so far.
     * @throws IllegalStateException if this view is empty.
     */
    public int length()
    {
        checkNotEmpty();
        final MessageEncoderFlyweight encoder = this.encoder;
        return null == encoder ? length : HEADER_LENGTH + encoder.encodedLength();
    }

    /**
     * @return the root block length from the header, 0..65535.
     */
    public int blockLength()
    {
        return uint16(BLOCK_LENGTH_OFFSET);
    }

    /**
     * @return the template id from the header, 0..65535.
     */
    public int templateId()
    {
        return uint16(TEMPLATE_ID_OFFSET);
    }

    /**
     * @return the schema id from the header, 0..65535.
     */
    public int schemaId()
    {
        return uint16(SCHEMA_ID_OFFSET);
    }

    /**
     * @return the schema version from the header, 0..65535.
     */
    public int version()
    {
        return uint16(VERSION_OFFSET);
    }

    @Override
    public String toString()
    {
        if (isEmpty())
        {
            return "SbeMessage{empty}";
        }
        return "SbeMessage{templateId=" + templateId() + ", schemaId=" + schemaId() + ", version=" + version() +
            ", blockLength=" + blockLength() + ", length=" + length() + '}';
    }

    private int uint16(final int headerOffset)
    {
        checkNotEmpty();
        return buffer.getShort(offset + headerOffset, ORDER) & 0xFFFF;
    }

    private void checkNotEmpty()
    {
        if (null == buffer)
        {
            throw new IllegalStateException("no message: wrap a region or start encoding first");
        }
    }

    private void clear()
    {
        buffer = null;
        offset = 0;
        length = 0;
        encoder = null;
    }
}
