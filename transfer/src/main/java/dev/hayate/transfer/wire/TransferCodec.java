package dev.hayate.transfer.wire;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

import dev.hayate.core.Codec;
import dev.hayate.transfer.sbe.AbortDecoder;
import dev.hayate.transfer.sbe.AbortEncoder;
import dev.hayate.transfer.sbe.HelloDecoder;
import dev.hayate.transfer.sbe.HelloEncoder;
import dev.hayate.transfer.sbe.MessageHeaderDecoder;
import dev.hayate.transfer.sbe.MessageHeaderEncoder;
import dev.hayate.transfer.sbe.PakeDecoder;
import dev.hayate.transfer.sbe.PakeEncoder;
import dev.hayate.transfer.sbe.Role;
import dev.hayate.transfer.sbe.SealedDecoder;
import dev.hayate.transfer.sbe.SealedEncoder;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * The transfer protocol's codec: SBE messages of schema 7002 (see {@code transfer.xml}). Every length read from
 * the wire is checked against the frame before anything is sized from it; a malformed frame throws
 * {@link MalformedFrameException} and the engine closes that connection as a protocol error.
 *
 * <p>A sealed message is sealed while it is encoded: the plaintext is copied into the frame and sealed in place
 * there, so the ciphertext is never staged elsewhere. A received sealed message is not opened here: its body is a view into the receive buffer
 * and the caller opens it where the plaintext must go.
 *
 * <p>Thread-safety: one codec per connection; encode on the sending thread, decode on the receiving thread
 * (each direction has its own flyweights and views).
 */
public final class TransferCodec implements Codec<TransferMessage>
{
    /** Bytes a sealed frame adds around its ciphertext: SBE header, root block and body length. */
    public static final int SEALED_OVERHEAD = MessageHeaderEncoder.ENCODED_LENGTH + SealedEncoder.BLOCK_LENGTH +
        SealedEncoder.bodyHeaderLength() + FrameSealer.TAG_LENGTH;
    /** Largest PAKE payload accepted. */
    public static final int MAX_PAKE_PAYLOAD = 4096;
    private static final int MAX_REASON_BYTES = 1024;

    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final HelloEncoder helloEncoder = new HelloEncoder();
    private final PakeEncoder pakeEncoder = new PakeEncoder();
    private final SealedEncoder sealedEncoder = new SealedEncoder();
    private final AbortEncoder abortEncoder = new AbortEncoder();
    private final ByteBufferViews sendViews = new ByteBufferViews();

    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    private final HelloDecoder helloDecoder = new HelloDecoder();
    private final PakeDecoder pakeDecoder = new PakeDecoder();
    private final SealedDecoder sealedDecoder = new SealedDecoder();
    private final AbortDecoder abortDecoder = new AbortDecoder();
    private final TransferMessage received = new TransferMessage();

    private volatile FrameSealer sealer;

    /**
     * Installs the sealer once keys are confirmed; sealed messages cannot be sent before.
     *
     * @param sealer this direction's sealer.
     */
    public void sealer(final FrameSealer sealer)
    {
        this.sealer = sealer;
    }

    @Override
    public int encode(final TransferMessage message, final MutableDirectBuffer buffer, final int offset,
        final int capacity)
    {
        return switch (message.type)
        {
            case HELLO -> encodeHello(message, buffer, offset);
            case PAKE -> encodePake(message, buffer, offset, capacity);
            case SEALED -> encodeSealed(message, buffer, offset, capacity);
            case ABORT -> encodeAbort(message, buffer, offset, capacity);
        };
    }

    private int encodeHello(final TransferMessage m, final MutableDirectBuffer buffer, final int offset)
    {
        helloEncoder.wrapAndApplyHeader(buffer, offset, headerEncoder)
            .maxVersion(m.maxVersion)
            .minVersion(m.minVersion)
            .role(m.fromSender ? Role.SENDER : Role.RECEIVER)
            .capabilities(m.capabilities)
            .cipherSuite((short)m.cipherSuite)
            .checksum((short)m.checksum)
            .flags((short)m.helloFlags)
            .chunkSize(m.chunkSize);
        return MessageHeaderEncoder.ENCODED_LENGTH + helloEncoder.encodedLength();
    }

    private int encodePake(final TransferMessage m, final MutableDirectBuffer buffer, final int offset,
        final int capacity)
    {
        if (m.payload.length > MAX_PAKE_PAYLOAD)
        {
            throw new IllegalArgumentException("PAKE payload of " + m.payload.length + " bytes exceeds " +
                MAX_PAKE_PAYLOAD);
        }
        pakeEncoder.wrapAndApplyHeader(buffer, offset, headerEncoder)
            .step((short)m.step)
            .putPayload(m.payload, 0, m.payload.length);
        return MessageHeaderEncoder.ENCODED_LENGTH + pakeEncoder.encodedLength();
    }

    private int encodeSealed(final TransferMessage m, final MutableDirectBuffer buffer, final int offset,
        final int capacity)
    {
        final FrameSealer sealer = this.sealer;
        if (sealer == null)
        {
            throw new IllegalStateException("no sealed message before the keys are confirmed");
        }
        final int plainBytes = m.plaintext == null ? 0 : m.plaintext.remaining();
        final int needed = SEALED_OVERHEAD + plainBytes;
        if (needed > capacity)
        {
            throw new IllegalArgumentException("sealed " + Kind.name(m.kind) + " of " + plainBytes +
                " bytes needs " + needed + " bytes, the frame holds " + capacity);
        }
        final long sequence = sealer.nextSequence();
        m.sequence = sequence;
        sealedEncoder.wrapAndApplyHeader(buffer, offset, headerEncoder)
            .kind(m.kind)
            .flags(m.flags)
            .fileIndex(m.fileIndex)
            .chunkIndex(m.chunkIndex)
            .sequence(sequence)
            .plainLength(m.plainLength);
        final int lengthAt = sealedEncoder.limit();
        final int bodyAt = lengthAt + SealedEncoder.bodyHeaderLength();
        // Copy the plaintext into the frame, then seal it in place there (see ByteBufferViews for why).
        final ByteBuffer out = sendViews.window(buffer, bodyAt, plainBytes + FrameSealer.TAG_LENGTH);
        final ByteBuffer in = sendViews.twin();
        if (plainBytes > 0)
        {
            out.put(out.position(), m.plaintext, m.plaintext.position(), plainBytes);
        }
        in.limit(in.position() + plainBytes);
        final int sealedBytes = sealer.seal(sequence, m.kind, m.fileIndex, m.chunkIndex, m.flags, in, out);
        buffer.putInt(lengthAt, sealedBytes, ByteOrder.LITTLE_ENDIAN);
        sealedEncoder.limit(bodyAt + sealedBytes);
        return MessageHeaderEncoder.ENCODED_LENGTH + sealedEncoder.encodedLength();
    }

    private int encodeAbort(final TransferMessage m, final MutableDirectBuffer buffer, final int offset,
        final int capacity)
    {
        String reason = m.reason == null ? "" : m.reason;
        if (reason.length() > MAX_REASON_BYTES / 4)
        {
            reason = reason.substring(0, MAX_REASON_BYTES / 4);
        }
        final byte[] utf8 = reason.getBytes(StandardCharsets.UTF_8);
        abortEncoder.wrapAndApplyHeader(buffer, offset, headerEncoder)
            .code(m.code)
            .putReason(utf8, 0, utf8.length);
        return MessageHeaderEncoder.ENCODED_LENGTH + abortEncoder.encodedLength();
    }

    @Override
    public TransferMessage decode(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length < MessageHeaderDecoder.ENCODED_LENGTH)
        {
            throw new MalformedFrameException("frame body of " + length + " bytes has no SBE header");
        }
        headerDecoder.wrap(buffer, offset);
        final int schemaId = headerDecoder.schemaId();
        if (schemaId != MessageHeaderDecoder.SCHEMA_ID)
        {
            throw new MalformedFrameException("schema " + schemaId + " is not the transfer schema " +
                MessageHeaderDecoder.SCHEMA_ID);
        }
        final int blockLength = headerDecoder.blockLength();
        final int version = headerDecoder.version();
        final int templateId = headerDecoder.templateId();
        final int root = offset + MessageHeaderDecoder.ENCODED_LENGTH;
        final int end = offset + length;
        final TransferMessage m = received;
        switch (templateId)
        {
            case HelloDecoder.TEMPLATE_ID ->
            {
                requireBlock(blockLength, HelloDecoder.BLOCK_LENGTH, root, end, "hello");
                helloDecoder.wrap(buffer, root, blockLength, version);
                final Role role = helloDecoder.role();
                if (role != Role.SENDER && role != Role.RECEIVER)
                {
                    throw new MalformedFrameException("hello with an unknown role");
                }
                m.hello(helloDecoder.maxVersion(), helloDecoder.minVersion(), role == Role.SENDER,
                    (int)helloDecoder.capabilities(), helloDecoder.cipherSuite(), helloDecoder.checksum(),
                    helloDecoder.flags(), helloDecoder.chunkSize());
            }
            case PakeDecoder.TEMPLATE_ID ->
            {
                requireBlock(blockLength, PakeDecoder.BLOCK_LENGTH, root, end, "pake");
                pakeDecoder.wrap(buffer, root, blockLength, version);
                final int step = pakeDecoder.step();
                final int payloadAt = pakeDecoder.limit();
                final long payloadLength = varLength(buffer, payloadAt, PakeDecoder.payloadHeaderLength(), end,
                    MAX_PAKE_PAYLOAD, "pake payload");
                final byte[] payload = new byte[(int)payloadLength];
                buffer.getBytes(payloadAt + PakeDecoder.payloadHeaderLength(), payload);
                m.pake(step, payload);
            }
            case SealedDecoder.TEMPLATE_ID ->
            {
                requireBlock(blockLength, SealedDecoder.BLOCK_LENGTH, root, end, "sealed");
                sealedDecoder.wrap(buffer, root, blockLength, version);
                final int bodyAt = sealedDecoder.limit();
                final long bodyLength = varLength(buffer, bodyAt, SealedDecoder.bodyHeaderLength(), end,
                    Integer.MAX_VALUE, "sealed body");
                if (bodyLength < FrameSealer.TAG_LENGTH)
                {
                    throw new MalformedFrameException("sealed body of " + bodyLength + " bytes is shorter than a tag");
                }
                m.type = TransferMessage.Type.SEALED;
                m.kind = (byte)sealedDecoder.kind();
                m.flags = (byte)sealedDecoder.flags();
                m.fileIndex = sealedDecoder.fileIndex();
                m.chunkIndex = sealedDecoder.chunkIndex();
                m.sequence = sealedDecoder.sequence();
                m.plainLength = sealedDecoder.plainLength();
                m.plaintext = null;
                m.bodyBuffer = buffer;
                m.bodyOffset = bodyAt + SealedDecoder.bodyHeaderLength();
                m.bodyLength = (int)bodyLength;
            }
            case AbortDecoder.TEMPLATE_ID ->
            {
                requireBlock(blockLength, AbortDecoder.BLOCK_LENGTH, root, end, "abort");
                abortDecoder.wrap(buffer, root, blockLength, version);
                final int code = abortDecoder.code();
                final int reasonAt = abortDecoder.limit();
                final long reasonLength = varLength(buffer, reasonAt, AbortDecoder.reasonHeaderLength(), end,
                    MAX_REASON_BYTES, "abort reason");
                final byte[] utf8 = new byte[(int)reasonLength];
                buffer.getBytes(reasonAt + AbortDecoder.reasonHeaderLength(), utf8);
                m.abort(code, new String(utf8, StandardCharsets.UTF_8));
            }
            default -> throw new MalformedFrameException("unknown transfer message template " + templateId);
        }
        return m;
    }

    private static void requireBlock(final int blockLength, final int minimum, final int root, final int end,
        final String what)
    {
        if (blockLength < minimum || root + blockLength > end)
        {
            throw new MalformedFrameException(what + " block of " + blockLength + " bytes (minimum " + minimum +
                ") does not fit a frame body ending " + (end - root) + " bytes after the header");
        }
    }

    private static long varLength(final DirectBuffer buffer, final int at, final int headerLength, final int end,
        final int max, final String what)
    {
        if (at + headerLength > end)
        {
            throw new MalformedFrameException(what + ": length field lies past the frame end");
        }
        final long length = headerLength == 4 ?
            buffer.getInt(at, ByteOrder.LITTLE_ENDIAN) & 0xFFFF_FFFFL :
            buffer.getShort(at, ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
        if (length > max || at + headerLength + length > end)
        {
            throw new MalformedFrameException(what + " of " + length + " bytes does not fit the frame (" +
                (end - at - headerLength) + " bytes left, limit " + max + ")");
        }
        return length;
    }
}
