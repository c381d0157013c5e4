package dev.hayate.relay;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * One relay protocol message (schema {@code relay.xml}): a mutable holder the codec fills on decode and reads on
 * encode, so the steady state allocates nothing. A decoded message's body is a view into the receive buffer,
 * valid until the next receive on the same connection ({@link RelayCodec#detach} copies).
 *
 * <pre>
 *   HELLO    client → relay  version, role, policy, session id, ephemeral key, producer key, epoch
 *   WELCOME  relay → client  ephemeral key, identity key, signature
 *   PROOF    client → relay  signature (zeros from a consumer)
 *   CONTROL  either way      sequence, body sealed with the connection's transport keys
 *   DATA     producer → relay → consumers   kind, sequence, payload sealed end to end
 *   FORWARD  relay → consumer a DATA frame body forwarded byte for byte (encode only)
 * </pre>
 *
 * <p>Thread-safety: none; one per connection direction.
 */
public final class RelayMessage
{
    /** What a message is. */
    public enum Type
    {
        /** The client's opening message. */
        HELLO,
        /** The relay's answer. */
        WELCOME,
        /** The client's signature (a producer's credential). */
        PROOF,
        /** A control frame sealed with the connection's transport keys. */
        CONTROL,
        /** A data frame sealed end to end. */
        DATA,
        /** A data frame body the relay forwards unread (encode only). */
        FORWARD
    }

    /** Protocol version this code speaks. */
    public static final int VERSION = 1;
    /** Data frame kind: application payload (transfer's application kinds start at 16). */
    public static final byte KIND_DATA = 16;
    /** Data frame kind: the producer's sealed end of stream. */
    public static final byte KIND_END = 17;
    /** Kind bound into a control frame's seal. */
    public static final byte KIND_CONTROL = 18;
    /** Data frame kind: bytes of a pipe, forwarded as they are (the application seals them itself). */
    public static final byte KIND_PIPE = 19;

    private static final byte[] EMPTY = new byte[0];

    Type type;
    int version = VERSION;
    boolean producer;
    boolean pipe;
    int policy;
    final byte[] sessionId = new byte[RelayCrypto.SESSION_ID_LENGTH];
    final byte[] ephemeralKey = new byte[RelayCrypto.KEY_LENGTH];
    final byte[] producerKey = new byte[RelayCrypto.KEY_LENGTH];
    final byte[] epoch = new byte[RelayCrypto.EPOCH_LENGTH];
    final byte[] identityKey = new byte[RelayCrypto.KEY_LENGTH];
    final byte[] signature = new byte[RelayCrypto.SIGNATURE_LENGTH];

    byte kind;
    long sequence;
    /** A decoded DATA frame's whole body (SBE header on), for the relay to forward unread; a reference. */
    DirectBuffer rawBuffer;
    int rawOffset;
    int rawLength;
    /** CONTROL and DATA body; FORWARD whole frame body: a view when decoded, the source when encoding. */
    final UnsafeBuffer body = new UnsafeBuffer(0, 0);
    int bodyOffset;
    int bodyLength;

    /**
     * @return what this message is.
     */
    public Type type()
    {
        return type;
    }

    /**
     * @return the sequence number of a CONTROL or DATA message.
     */
    public long sequence()
    {
        return sequence;
    }

    /**
     * @return the kind of a DATA message ({@link #KIND_DATA} or {@link #KIND_END}).
     */
    public byte kind()
    {
        return kind;
    }

    RelayMessage body(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length == 0)
        {
            body.wrap(EMPTY);
        }
        else
        {
            body.wrap(buffer, offset, length);
        }
        bodyOffset = 0;
        bodyLength = length;
        return this;
    }

    RelayMessage copy()
    {
        final RelayMessage copy = new RelayMessage();
        copy.type = type;
        copy.version = version;
        copy.producer = producer;
        copy.policy = policy;
        System.arraycopy(sessionId, 0, copy.sessionId, 0, sessionId.length);
        System.arraycopy(ephemeralKey, 0, copy.ephemeralKey, 0, ephemeralKey.length);
        System.arraycopy(producerKey, 0, copy.producerKey, 0, producerKey.length);
        System.arraycopy(epoch, 0, copy.epoch, 0, epoch.length);
        System.arraycopy(identityKey, 0, copy.identityKey, 0, identityKey.length);
        System.arraycopy(signature, 0, copy.signature, 0, signature.length);
        copy.kind = kind;
        copy.sequence = sequence;
        final byte[] bytes = new byte[bodyLength];
        body.getBytes(bodyOffset, bytes, 0, bodyLength);
        copy.body.wrap(bytes);
        copy.bodyOffset = 0;
        copy.bodyLength = bodyLength;
        return copy;
    }

    @Override
    public String toString()
    {
        return "RelayMessage(" + type + (type == Type.DATA || type == Type.CONTROL ? " seq " + sequence + ", " +
            bodyLength + " bytes" : "") + ')';
    }
}
