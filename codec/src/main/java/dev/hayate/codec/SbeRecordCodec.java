package dev.hayate.codec;

import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.function.Function;

import dev.hayate.core.Codec;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.collections.Int2ObjectHashMap;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.sbe.MessageDecoderFlyweight;
import org.agrona.sbe.MessageEncoderFlyweight;

/**
 * A codec of plain values, typically records, for any SBE schema that uses the standard message header: one
 * value type per template, each with a function that writes it and one that reads it.
 *
 * <pre>{@code
 * SbeRecordCodec<Msg> codec = SbeRecordCodec.builder(Msg.class, PingEncoder.SCHEMA_ID)
 *     .message(Ping.class, new PingEncoder(), (ping, e) -> e.id(ping.id()),
 *              new PingDecoder(), d -> new Ping(d.id()))
 *     .build();
 * }</pre>
 *
 * <p>Decoding makes a new value per message (and whatever strings and lists it holds): that is this path's
 * nature; {@link SbeFlyweightCodec} is the one that allocates nothing. Encoding allocates nothing of its own;
 * whether the write functions do depends on the accessors they call.
 *
 * <p>Safety: encoders write through a buffer that ends at the frame's capacity, so a value too large for the
 * frame fails with {@link IllegalArgumentException} instead of writing past it. Decoders read through
 * {@link SbeMessage#wrap(MessageDecoderFlyweight)}'s bounded buffer, and every failure of a read function is
 * reported as a {@link MalformedMessageException} naming the template.
 *
 * <p>Sequence numbers: built with a {@link SequenceStamp}, the codec commits the stamp after each message that
 * encoded whole and aborts it after one that failed; the write functions of sequenced messages call
 * {@link SequenceStamp#claim()} for the number they write.
 *
 * <p>Thread-safety: not thread-safe: it reuses its flyweights and views. Use one instance per connection, as
 * {@link Codec} asks: run the builder once per connection.
 *
 * @param <R> the value type of the message family, usually a sealed interface.
 */
public final class SbeRecordCodec<R> implements Codec<R>
{
    /**
     * Writes a whole message, header included, for the raw form of {@link Builder#message}.
     *
     * <p>Thread-safety: called on the thread that encodes with the codec; it may keep flyweights of its own.
     *
     * @param <S> the value type.
     */
    @FunctionalInterface
    public interface RecordEncoder<S>
    {
        /**
         * @param value    to write.
         * @param buffer   to write into; it ends at {@code offset + capacity}.
         * @param offset   of the message header.
         * @param capacity bytes available.
         * @return bytes written, header included.
         */
        int encode(S value, MutableDirectBuffer buffer, int offset, int capacity);
    }

    /**
     * Reads a whole message, for the raw form of {@link Builder#message}.
     *
     * <p>Thread-safety: called on the thread that decodes with the codec; it may keep flyweights of its own.
     *
     * @param <S> the value type.
     */
    @FunctionalInterface
    public interface RecordDecoder<S>
    {
        /**
         * @param message whose header is checked and whose template id is the one registered; wrap decoders with
         *                {@link SbeMessage#wrap(MessageDecoderFlyweight)}. Valid only during the call.
         * @return the value.
         */
        S decode(SbeMessage message);
    }

    private static final class Binding<S>
    {
        final Class<S> type;
        final int templateId;
        final RecordEncoder<? super S> encoder;
        final RecordDecoder<? extends S> decoder;

        Binding(final Class<S> type, final int templateId, final RecordEncoder<? super S> encoder,
            final RecordDecoder<? extends S> decoder)
        {
            this.type = type;
            this.templateId = templateId;
            this.encoder = encoder;
            this.decoder = decoder;
        }

        int encode(final Object value, final MutableDirectBuffer buffer, final int offset, final int capacity)
        {
            return encoder.encode(type.cast(value), buffer, offset, capacity);
        }
    }

    private final int schemaId;
    private final SequenceStamp stamp;
    private final Map<Class<?>, Binding<?>> byType;
    private final Int2ObjectHashMap<Binding<?>> byTemplateId;
    private final SbeMessage message = new SbeMessage();
    private final UnsafeBuffer frame = new UnsafeBuffer(new byte[0]);

    private SbeRecordCodec(final Builder<R> builder)
    {
        this.schemaId = builder.schemaId;
        this.stamp = builder.stamp;
        this.byType = new IdentityHashMap<>(builder.byType);
        this.byTemplateId = new Int2ObjectHashMap<>();
        for (final Binding<?> binding : byType.values())
        {
            byTemplateId.put(binding.templateId, binding);
        }
    }

    /**
     * Starts a codec for one schema.
     *
     * @param family   the value type every message type extends; it fixes {@code R}.
     * @param schemaId of the schema; decoding rejects other schemas.
     * @param <R>      the value type.
     * @return a builder.
     */
    public static <R> Builder<R> builder(final Class<R> family, final int schemaId)
    {
        return new Builder<>(family, schemaId);
    }

    /**
     * @return the schema id this codec reads and writes.
     */
    public int schemaId()
    {
        return schemaId;
    }

    /**
     * @throws IllegalArgumentException if no template is registered for the value's class, or the value does not
     *                                  fit in {@code capacity} bytes or breaks a limit of the schema.
     */
    @Override
    public int encode(final R value, final MutableDirectBuffer buffer, final int offset, final int capacity)
    {
        final Binding<?> binding = byType.get(value.getClass());
        if (null == binding)
        {
            throw new IllegalArgumentException("no SBE template registered for " + value.getClass().getName());
        }
        frame.wrap(buffer, offset, capacity);
        final int length;
        try
        {
            length = binding.encode(value, frame, 0, capacity);
        }
        catch (final IndexOutOfBoundsException ex)
        {
            abortStamp();
            throw new IllegalArgumentException(binding.type.getSimpleName() + " does not fit in a frame body of " +
                capacity + " bytes", ex);
        }
        catch (final RuntimeException ex)
        {
            abortStamp();
            throw new IllegalArgumentException("cannot encode " + binding.type.getSimpleName() + " (template " +
                binding.templateId + "): " + ex.getMessage(), ex);
        }
        if (length < SbeMessage.HEADER_LENGTH || length > capacity)
        {
            abortStamp();
            throw new IllegalStateException("the encoder of " + binding.type.getSimpleName() + " returned length " +
                length + " for a body of capacity " + capacity);
        }
        if (null != stamp)
        {
            stamp.commit();
        }
        return length;
    }

    /**
     * @return a new value read from the body.
     * @throws MalformedMessageException if the body is not a well-formed message of a registered template.
     */
    @Override
    public R decode(final DirectBuffer buffer, final int offset, final int length)
    {
        final SbeMessage message = this.message.wrap(buffer, offset, length);
        final int templateId = message.templateId();
        if (message.schemaId() != schemaId)
        {
            throw new MalformedMessageException("SBE schema id " + message.schemaId() + " is not the expected " +
                schemaId + " (template " + templateId + ")");
        }
        final Binding<?> binding = byTemplateId.get(templateId);
        if (null == binding)
        {
            throw new MalformedMessageException("unknown SBE template id " + templateId + " for schema " + schemaId);
        }
        final Object value;
        try
        {
            value = binding.decoder.decode(message);
        }
        catch (final MalformedMessageException ex)
        {
            throw ex;
        }
        catch (final RuntimeException ex)
        {
            throw new MalformedMessageException("malformed " + binding.type.getSimpleName() + " (template " +
                templateId + ", " + length + " bytes): " + ex, ex);
        }
        if (!binding.type.isInstance(value))
        {
            throw new IllegalStateException("the decoder of template " + templateId + " returned " + value);
        }
        @SuppressWarnings("unchecked") // every binding's type extends R: the builder only accepts Class<S extends R>
        final R result = (R)value;
        return result;
    }

    private void abortStamp()
    {
        if (null != stamp)
        {
            stamp.abort();
        }
    }

    /**
     * Collects the message types of a {@link SbeRecordCodec}.
     *
     * <p>Thread-safety: not thread-safe; build on one thread.
     *
     * @param <R> the value type of the family.
     */
    public static final class Builder<R>
    {
        private final Class<R> family;
        private final int schemaId;
        private final Map<Class<?>, Binding<?>> byType = new IdentityHashMap<>();
        private final Map<Integer, Class<?>> typeByTemplateId = new HashMap<>();
        private SequenceStamp stamp;
        private boolean built;

        private Builder(final Class<R> family, final int schemaId)
        {
            if (schemaId < 0 || schemaId > 0xFFFF)
            {
                throw new IllegalArgumentException("schema id is a uint16: " + schemaId);
            }
            this.family = Objects.requireNonNull(family, "family");
            this.schemaId = schemaId;
        }

        /**
         * @param stamp committed after each message encoded whole and aborted after a failed one; the write
         *              functions of sequenced messages call its {@link SequenceStamp#claim()}. May be null.
         * @return this.
         */
        public Builder<R> sequenceStamp(final SequenceStamp stamp)
        {
            this.stamp = stamp;
            return this;
        }

        /**
         * Registers a message type in its raw form: the functions handle the header themselves.
         *
         * @param type       the exact class of the values of this template.
         * @param templateId of the template.
         * @param encoder    writes a value as a whole message, header included.
         * @param decoder    reads a value from a message of this template.
         * @param <S>        the value type.
         * @return this.
         * @throws IllegalArgumentException if the type or the template id is already registered.
         */
        public <S extends R> Builder<R> message(final Class<S> type, final int templateId,
            final RecordEncoder<? super S> encoder, final RecordDecoder<? extends S> decoder)
        {
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(encoder, "encoder");
            Objects.requireNonNull(decoder, "decoder");
            if (!family.isAssignableFrom(type) || type.isInterface() || java.lang.reflect.Modifier.isAbstract(
                type.getModifiers()))
            {
                throw new IllegalArgumentException(type.getName() + " must be a concrete " + family.getName());
            }
            if (templateId < 0 || templateId > 0xFFFF)
            {
                throw new IllegalArgumentException("template id is a uint16: " + templateId);
            }
            if (byType.containsKey(type))
            {
                throw new IllegalArgumentException(type.getName() + " is already registered");
            }
            final Class<?> previous = typeByTemplateId.putIfAbsent(templateId, type);
            if (null != previous)
            {
                throw new IllegalArgumentException("template id " + templateId + " is already registered for " +
                    previous.getName());
            }
            byType.put(type, new Binding<>(type, templateId, encoder, decoder));
            return this;
        }

        /**
         * Registers a message type through its generated flyweights: the codec writes the header and wraps the
         * flyweights, the functions only move fields. Both flyweights are owned by the codec from now on.
         *
         * @param type    the exact class of the values of this template.
         * @param encoder generated encoder of the template.
         * @param write   copies a value's fields into the wrapped encoder, in schema order.
         * @param decoder generated decoder of the same template.
         * @param read    makes a value from the wrapped decoder, reading in schema order.
         * @param <S>     the value type.
         * @param <E>     the encoder type.
         * @param <D>     the decoder type.
         * @return this.
         * @throws IllegalArgumentException if the flyweights disagree with each other or with the schema, or the
         *                                  type or template is already registered.
         */
        public <S extends R, E extends MessageEncoderFlyweight, D extends MessageDecoderFlyweight> Builder<R> message(
            final Class<S> type, final E encoder, final BiConsumer<? super S, ? super E> write, final D decoder,
            final Function<? super D, ? extends S> read)
        {
            Objects.requireNonNull(write, "write");
            Objects.requireNonNull(read, "read");
            if (encoder.sbeSchemaId() != schemaId || decoder.sbeSchemaId() != schemaId ||
                encoder.sbeTemplateId() != decoder.sbeTemplateId())
            {
                throw new IllegalArgumentException(encoder.getClass().getSimpleName() + " (schema " +
                    encoder.sbeSchemaId() + ", template " + encoder.sbeTemplateId() + ") and " +
                    decoder.getClass().getSimpleName() + " (schema " + decoder.sbeSchemaId() + ", template " +
                    decoder.sbeTemplateId() + ") do not both belong to template of schema " + schemaId);
            }
            final int minLength = SbeMessage.HEADER_LENGTH + encoder.sbeBlockLength();
            return message(type, encoder.sbeTemplateId(),
                (value, buffer, offset, capacity) ->
                {
                    if (capacity < minLength)
                    {
                        throw new IndexOutOfBoundsException("capacity " + capacity + " < " + minLength);
                    }
                    SbeMessage.putHeader(buffer, offset, encoder);
                    encoder.wrap(buffer, offset + SbeMessage.HEADER_LENGTH);
                    write.accept(value, encoder);
                    return SbeMessage.HEADER_LENGTH + encoder.encodedLength();
                },
                message -> read.apply(message.wrap(decoder)));
        }

        /**
         * Makes the codec. A builder makes one codec only, because the flyweights it was given become that
         * codec's state: make a new builder for each connection.
         *
         * @return the codec.
         * @throws IllegalStateException if no message type was registered, or the builder was already used.
         */
        public SbeRecordCodec<R> build()
        {
            if (built)
            {
                throw new IllegalStateException("this builder already made a codec: its flyweights cannot be shared");
            }
            built = true;
            if (byType.isEmpty())
            {
                throw new IllegalStateException("register at least one message type");
            }
            return new SbeRecordCodec<>(this);
        }
    }
}
