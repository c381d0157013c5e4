package dev.hayate.relay;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import dev.hayate.core.Codec;
import dev.hayate.relay.sbe.ControlDecoder;
import dev.hayate.relay.sbe.ControlEncoder;
import dev.hayate.relay.sbe.DataDecoder;
import dev.hayate.relay.sbe.DataEncoder;
import dev.hayate.relay.sbe.HelloDecoder;
import dev.hayate.relay.sbe.HelloEncoder;
import dev.hayate.relay.sbe.MessageHeaderDecoder;
import dev.hayate.relay.sbe.MessageHeaderEncoder;
import dev.hayate.relay.sbe.ProofDecoder;
import dev.hayate.relay.sbe.ProofEncoder;
import dev.hayate.relay.sbe.Role;
import dev.hayate.relay.sbe.WelcomeDecoder;
import dev.hayate.relay.sbe.WelcomeEncoder;
import dev.hayate.transfer.crypto.ChunkSealer;
import dev.hayate.transfer.crypto.CipherSuite;
import dev.hayate.transfer.wire.ByteBufferViews;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * The relay protocol's codec: SBE messages of schema 7003 ({@code relay.xml}). Every length read from the wire is
 * checked against the frame before anything is sized or read from it (the frame itself is bounded by the engine's
 * maximum frame length before a byte of it is buffered); a malformed frame throws and the engine closes that
 * connection as a protocol error.
 *
 * <p>A producer's DATA message is sealed while it is encoded: the plaintext is copied into the frame and sealed in
 * place there with the end-to-end sealer ({@link #dataSealer}), which also hands out its sequence number, so a
 * frame taken once is numbered once. A received DATA or CONTROL message is not opened here: its body is a view
 * into the receive buffer, opened by whoever holds the key.
 *
 * <p>Thread-safety: one codec per connection; encode on the sending thread, decode on the receiving thread (each
 * direction has its own flyweights and views).
 */
public final class RelayCodec implements Codec<RelayMessage>
{
    /** The schema id of {@code relay.xml}. */
    public static final int SCHEMA_ID = MessageHeaderDecoder.SCHEMA_ID;
    /** Bytes a DATA frame body adds around its plaintext: SBE header, root block, length and tag. */
    public static final int DATA_OVERHEAD = MessageHeaderEncoder.ENCODED_LENGTH + DataEncoder.BLOCK_LENGTH +
        DataEncoder.payloadHeaderLength() + CipherSuite.TAG_LENGTH;
    /** Bytes a whole DATA frame adds around its plaintext, the SOFH header included. */
    public static final int DATA_FRAME_OVERHEAD = DATA_OVERHEAD + 6;

    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final HelloEncoder helloEncoder = new HelloEncoder();
    private final WelcomeEncoder welcomeEncoder = new WelcomeEncoder();
    private final ProofEncoder proofEncoder = new ProofEncoder();
    private final ControlEncoder controlEncoder = new ControlEncoder();
    private final DataEncoder dataEncoder = new DataEncoder();
    private final ByteBufferViews sendViews = new ByteBufferViews();

    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    private final HelloDecoder helloDecoder = new HelloDecoder();
    private final WelcomeDecoder welcomeDecoder = new WelcomeDecoder();
    private final ProofDecoder proofDecoder = new ProofDecoder();
    private final ControlDecoder controlDecoder = new ControlDecoder();
    private final DataDecoder dataDecoder = new DataDecoder();
    private final RelayMessage received = new RelayMessage();

    private volatile ChunkSealer dataSealer;

    /**
     * Installs the producer's end-to-end sealer; DATA messages cannot be encoded before.
     *
     * @param sealer the producer's sealer for this stream epoch.
     */
    public void dataSealer(final ChunkSealer sealer)
    {
        this.dataSealer = sealer;
    }

    @Override
    public int encode(final RelayMessage m, final MutableDirectBuffer buffer, final int offset, final int capacity)
    {
        final int base = offset + MessageHeaderEncoder.ENCODED_LENGTH;
        return switch (m.type)
        {
            case HELLO ->
            {
                helloEncoder.wrapAndApplyHeader(buffer, offset, headerEncoder)
                    .version(m.version)
                    .role(m.producer ? Role.PRODUCER : m.pipe ? Role.PIPE : Role.CONSUMER)
                    .policy((short)m.policy);
                buffer.putBytes(base + HelloEncoder.sessionIdEncodingOffset(), m.sessionId);
                buffer.putBytes(base + HelloEncoder.ephemeralKeyEncodingOffset(), m.ephemeralKey);
                buffer.putBytes(base + HelloEncoder.producerKeyEncodingOffset(), m.producerKey);
                buffer.putBytes(base + HelloEncoder.epochEncodingOffset(), m.epoch);
                yield MessageHeaderEncoder.ENCODED_LENGTH + HelloEncoder.BLOCK_LENGTH;
            }
            case WELCOME ->
            {
                welcomeEncoder.wrapAndApplyHeader(buffer, offset, headerEncoder);
                buffer.putBytes(base + WelcomeEncoder.ephemeralKeyEncodingOffset(), m.ephemeralKey);
                buffer.putBytes(base + WelcomeEncoder.identityKeyEncodingOffset(), m.identityKey);
                buffer.putBytes(base + WelcomeEncoder.signatureEncodingOffset(), m.signature);
                yield MessageHeaderEncoder.ENCODED_LENGTH + WelcomeEncoder.BLOCK_LENGTH;
            }
            case PROOF ->
            {
                proofEncoder.wrapAndApplyHeader(buffer, offset, headerEncoder);
                buffer.putBytes(base + ProofEncoder.signatureEncodingOffset(), m.signature);
                yield MessageHeaderEncoder.ENCODED_LENGTH + ProofEncoder.BLOCK_LENGTH;
            }
            case CONTROL ->
            {
                controlEncoder.wrapAndApplyHeader(buffer, offset, headerEncoder)
                    .sequence(m.sequence)
                    .putBody(m.body, m.bodyOffset, m.bodyLength);
                yield MessageHeaderEncoder.ENCODED_LENGTH + controlEncoder.encodedLength();
            }
            case DATA -> encodeData(m, buffer, offset, capacity);
            case FORWARD ->
            {
                if (m.bodyLength > capacity)
                {
                    throw new IllegalArgumentException("frame of " + m.bodyLength + " bytes exceeds " + capacity);
                }
                buffer.putBytes(offset, m.body, m.bodyOffset, m.bodyLength);
                yield m.bodyLength;
            }
        };
    }

    private int encodeData(final RelayMessage m, final MutableDirectBuffer buffer, final int offset,
        final int capacity)
    {
        if (m.kind == RelayMessage.KIND_PIPE)
        {
            return encodePipe(m, buffer, offset, capacity);
        }
        final ChunkSealer sealer = this.dataSealer;
        if (sealer == null)
        {
            throw new IllegalStateException("no data frame before the producer has joined");
        }
        final int plain = m.bodyLength;
        if (DATA_OVERHEAD + plain > capacity)
        {
            throw new IllegalArgumentException("payload of " + plain + " bytes exceeds the frame limit: at most " +
                (capacity - DATA_OVERHEAD));
        }
        final long sequence = sealer.nextSequence();
        dataEncoder.wrapAndApplyHeader(buffer, offset, headerEncoder).kind(m.kind).sequence(sequence);
        final int lengthAt = dataEncoder.limit();
        final int sealedLength = plain + CipherSuite.TAG_LENGTH;
        buffer.putInt(lengthAt, sealedLength, ByteOrder.LITTLE_ENDIAN);
        final int at = lengthAt + DataEncoder.payloadHeaderLength();
        buffer.putBytes(at, m.body, m.bodyOffset, plain);
        // Sealed in place in the frame: the ciphertext is never staged anywhere else.
        final ByteBuffer in = sendViews.window(buffer, at, sealedLength);
        in.limit(in.position() + plain);
        sealer.seal(sequence, m.kind, 0, 0, (byte)0, in, sendViews.twin());
        dataEncoder.limit(at + sealedLength);
        m.sequence = sequence;
        return MessageHeaderEncoder.ENCODED_LENGTH + dataEncoder.encodedLength();
    }

    // A pipe carries bytes its application sealed already (a transfer's frames): they go as they are.
    private int encodePipe(final RelayMessage m, final MutableDirectBuffer buffer, final int offset, final int capacity)
    {
        final int length = m.bodyLength;
        if (DATA_OVERHEAD - CipherSuite.TAG_LENGTH + length > capacity)
        {
            throw new IllegalArgumentException("pipe chunk of " + length + " bytes exceeds the frame limit");
        }
        dataEncoder.wrapAndApplyHeader(buffer, offset, headerEncoder).kind(m.kind).sequence(m.sequence)
            .putPayload(m.body, m.bodyOffset, length);
        return MessageHeaderEncoder.ENCODED_LENGTH + dataEncoder.encodedLength();
    }

    @Override
    public RelayMessage decode(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length < MessageHeaderDecoder.ENCODED_LENGTH)
        {
            throw new IllegalArgumentException("frame body of " + length + " bytes is shorter than an SBE header");
        }
        headerDecoder.wrap(buffer, offset);
        if (headerDecoder.schemaId() != SCHEMA_ID)
        {
            throw new IllegalArgumentException("schema " + headerDecoder.schemaId() + " is not the relay's");
        }
        final int blockLength = headerDecoder.blockLength();
        final int version = headerDecoder.version();
        final int base = offset + MessageHeaderDecoder.ENCODED_LENGTH;
        final int end = offset + length;
        final RelayMessage m = received;
        switch (headerDecoder.templateId())
        {
            case HelloDecoder.TEMPLATE_ID ->
            {
                checkBlock(blockLength, HelloDecoder.BLOCK_LENGTH, base, end);
                helloDecoder.wrap(buffer, base, blockLength, version);
                m.type = RelayMessage.Type.HELLO;
                m.version = helloDecoder.version();
                final Role role = helloDecoder.role();
                if (role != Role.PRODUCER && role != Role.CONSUMER && role != Role.PIPE)
                {
                    throw new IllegalArgumentException("unknown role in hello");
                }
                m.producer = role == Role.PRODUCER;
                m.pipe = role == Role.PIPE;
                m.policy = helloDecoder.policy();
                buffer.getBytes(base + HelloDecoder.sessionIdEncodingOffset(), m.sessionId);
                buffer.getBytes(base + HelloDecoder.ephemeralKeyEncodingOffset(), m.ephemeralKey);
                buffer.getBytes(base + HelloDecoder.producerKeyEncodingOffset(), m.producerKey);
                buffer.getBytes(base + HelloDecoder.epochEncodingOffset(), m.epoch);
            }
            case WelcomeDecoder.TEMPLATE_ID ->
            {
                checkBlock(blockLength, WelcomeDecoder.BLOCK_LENGTH, base, end);
                m.type = RelayMessage.Type.WELCOME;
                buffer.getBytes(base + WelcomeDecoder.ephemeralKeyEncodingOffset(), m.ephemeralKey);
                buffer.getBytes(base + WelcomeDecoder.identityKeyEncodingOffset(), m.identityKey);
                buffer.getBytes(base + WelcomeDecoder.signatureEncodingOffset(), m.signature);
            }
            case ProofDecoder.TEMPLATE_ID ->
            {
                checkBlock(blockLength, ProofDecoder.BLOCK_LENGTH, base, end);
                m.type = RelayMessage.Type.PROOF;
                buffer.getBytes(base + ProofDecoder.signatureEncodingOffset(), m.signature);
            }
            case ControlDecoder.TEMPLATE_ID ->
            {
                checkBlock(blockLength, ControlDecoder.BLOCK_LENGTH, base, end);
                controlDecoder.wrap(buffer, base, blockLength, version);
                m.type = RelayMessage.Type.CONTROL;
                m.sequence = controlDecoder.sequence();
                final int at = base + blockLength;
                final int bodyLength = varLength(buffer, at, end);
                m.body(buffer, at + ControlDecoder.bodyHeaderLength(), bodyLength);
            }
            case DataDecoder.TEMPLATE_ID ->
            {
                checkBlock(blockLength, DataDecoder.BLOCK_LENGTH, base, end);
                dataDecoder.wrap(buffer, base, blockLength, version);
                m.type = RelayMessage.Type.DATA;
                m.kind = (byte)dataDecoder.kind();
                m.sequence = dataDecoder.sequence();
                final int at = base + blockLength;
                final int payloadLength = varLength(buffer, at, end);
                m.body(buffer, at + DataDecoder.payloadHeaderLength(), payloadLength);
                m.rawBuffer = buffer;
                m.rawOffset = offset;
                m.rawLength = at + DataDecoder.payloadHeaderLength() + payloadLength - offset;
            }
            default -> throw new IllegalArgumentException("unknown relay template " + headerDecoder.templateId());
        }
        return m;
    }

    private static void checkBlock(final int blockLength, final int expected, final int base, final int end)
    {
        if (blockLength < expected || base + blockLength > end)
        {
            throw new IllegalArgumentException("root block of " + blockLength + " bytes does not fit (expected " +
                expected + ")");
        }
    }

    // The length prefix is read as unsigned and checked against what the frame holds before anything uses it.
    private static int varLength(final DirectBuffer buffer, final int at, final int end)
    {
        if (at + 4 > end)
        {
            throw new IllegalArgumentException("frame ends inside a length prefix");
        }
        final long length = buffer.getInt(at, ByteOrder.LITTLE_ENDIAN) & 0xFFFF_FFFFL;
        if (length > end - at - 4)
        {
            throw new IllegalArgumentException("length " + length + " exceeds the " + (end - at - 4) +
                " bytes left in the frame");
        }
        return (int)length;
    }

    @Override
    public RelayMessage detach(final RelayMessage decoded)
    {
        return decoded.copy();
    }
}
