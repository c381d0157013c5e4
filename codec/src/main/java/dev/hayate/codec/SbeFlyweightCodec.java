package dev.hayate.codec;

import java.util.Arrays;

import dev.hayate.core.Codec;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * The zero-allocation codec for any SBE schema that uses the standard message header: messages stay bytes,
 * read and written through generated flyweights.
 *
 * <ul>
 *   <li>{@link #decode} re-wraps one reused {@link SbeMessage} over the receive buffer, after checking that the
 *   body holds the header and the root block and, if configured, that the schema and template ids are known.
 *   The view is valid until the next decode; {@link #detach} copies it. Groups and var data are checked as they
 *   are read, by the bounded buffer {@link SbeMessage#wrap(org.agrona.sbe.MessageDecoderFlyweight)} gives
 *   decoders.</li>
 *   <li>{@link #encode} copies a message built with {@link SbeMessage#encode} into the frame.</li>
 * </ul>
 *
 * <pre>{@code
 * SbeMessage m = codec.decode(buffer, offset, length);
 * if (m.templateId() == NewOrderDecoder.TEMPLATE_ID)
 * {
 *     NewOrderDecoder order = m.wrap(newOrderDecoder);   // decoder allocated once, re-wrapped per message
 * }
 * }</pre>
 *
 * <p>Thread-safety: not thread-safe: it holds the reused view. Use one instance per connection direction, as
 * {@link Codec} asks; encoding alone touches no state.
 */
public final class SbeFlyweightCodec implements Codec<SbeMessage>
{
    /** Passed as the schema id to accept every schema. */
    public static final int ANY_SCHEMA = -1;

    private final SbeMessage decoded = new SbeMessage();
    private final int schemaId;
    private final int[] templateIds;

    /**
     * A codec that accepts any schema and template with a well-formed header.
     */
    public SbeFlyweightCodec()
    {
        this(ANY_SCHEMA);
    }

    /**
     * @param schemaId the only schema id accepted, or {@link #ANY_SCHEMA}.
     * @param templateIds the only template ids accepted; none given means any.
     * @throws IllegalArgumentException if an id is outside 0..65535.
     */
    public SbeFlyweightCodec(final int schemaId, final int... templateIds)
    {
        if (schemaId != ANY_SCHEMA && (schemaId < 0 || schemaId > 0xFFFF))
        {
            throw new IllegalArgumentException("schema id is a uint16: " + schemaId);
        }
        for (final int templateId : templateIds)
        {
            if (templateId < 0 || templateId > 0xFFFF)
            {
                throw new IllegalArgumentException("template id is a uint16: " + templateId);
            }
        }
        this.schemaId = schemaId;
        this.templateIds = templateIds.length == 0 ? null : templateIds.clone();
        if (null != this.templateIds)
        {
            Arrays.sort(this.templateIds);
        }
    }

    /**
     * Copies the message's bytes into the frame body.
     *
     * @throws IllegalArgumentException if the message is longer than {@code capacity} or empty.
     */
    @Override
    public int encode(final SbeMessage message, final MutableDirectBuffer buffer, final int offset,
        final int capacity)
    {
        if (message.isEmpty())
        {
            throw new IllegalArgumentException("cannot send an empty SbeMessage: encode or wrap a message first");
        }
        final int length = message.length();
        if (length > capacity)
        {
            throw new IllegalArgumentException("SBE message of template " + message.templateId() + " is " + length +
                " bytes, more than the " + capacity + " the frame can hold");
        }
        buffer.putBytes(offset, message.buffer(), message.offset(), length);
        return length;
    }

    /**
     * @return the reused view over the body, valid until the next decode.
     * @throws MalformedMessageException if the body is shorter than the header, the root block runs past it, or
     *                                   the schema or template id is not one this codec accepts.
     */
    @Override
    public SbeMessage decode(final DirectBuffer buffer, final int offset, final int length)
    {
        final SbeMessage message = decoded.wrap(buffer, offset, length);
        if (schemaId != ANY_SCHEMA && message.schemaId() != schemaId)
        {
            throw new MalformedMessageException("SBE schema id " + message.schemaId() + " is not the expected " + schemaId +
                " (template " + message.templateId() + ")");
        }
        if (null != templateIds && Arrays.binarySearch(templateIds, message.templateId()) < 0)
        {
            throw new MalformedMessageException("unknown SBE template id " + message.templateId() + " for schema " +
                message.schemaId() + "; known: " + Arrays.toString(templateIds));
        }
        return message;
    }

    /**
     * @return a copy of {@code decoded} that stays valid after later decodes.
     */
    @Override
    public SbeMessage detach(final SbeMessage decoded)
    {
        return decoded.copy();
    }
}
