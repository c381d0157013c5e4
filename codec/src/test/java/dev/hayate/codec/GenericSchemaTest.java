package dev.hayate.codec;

import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

import dev.hayate.codec.orderentry.OrderEntryCodecs;
import dev.hayate.codec.orderentry.OrderEntryMessage;
import dev.hayate.codec.test.sbe.PingDecoder;
import dev.hayate.codec.test.sbe.PingEncoder;
import dev.hayate.codec.test.sbe.PongDecoder;
import dev.hayate.codec.test.sbe.PongEncoder;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The generic classes over a second, unrelated schema ({@code src/test/resources/sbe/ping.xml}, version 2), with
 * messages of older and newer versions than the generated code.
 */
class GenericSchemaTest
{
    sealed interface PingMessage
    {
    }

    record Ping(long id, long sentNanos, String payload) implements PingMessage
    {
    }

    record Pong(long id) implements PingMessage
    {
    }

    private final UnsafeBuffer frame = new UnsafeBuffer(new byte[1024]);

    static SbeRecordCodec<PingMessage> pingCodec()
    {
        final PongEncoder pongEncoder = new PongEncoder();
        return SbeRecordCodec.builder(PingMessage.class, PingEncoder.SCHEMA_ID)
            // The flyweight form: the codec writes the header and wraps the flyweights.
            .message(Ping.class,
                new PingEncoder(), (ping, e) -> e.id(ping.id()).sentNanos(ping.sentNanos()).payload(ping.payload()),
                new PingDecoder(), d -> new Ping(d.id(), d.sentNanos(), d.payload()))
            // The raw form: the functions see the whole region, header included.
            .message(Pong.class, PongEncoder.TEMPLATE_ID,
                (pong, buffer, offset, capacity) ->
                {
                    SbeMessage.putHeader(buffer, offset, pongEncoder);
                    pongEncoder.wrap(buffer, offset + SbeMessage.HEADER_LENGTH).id(pong.id());
                    return SbeMessage.HEADER_LENGTH + pongEncoder.encodedLength();
                },
                message -> new Pong(message.wrap(new PongDecoder()).id()))
            .build();
    }

    @Test
    void shouldRoundTripAnotherSchemaThroughARecordCodec()
    {
        final SbeRecordCodec<PingMessage> codec = pingCodec();
        for (final PingMessage message : new PingMessage[] {new Ping(1, 2, "payload \u2603"), new Pong(7)})
        {
            final int length = codec.encode(message, frame, 3, 500);
            assertEquals(message, codec.decode(frame, 3, length));
        }
    }

    @Test
    void shouldDecodeEverySchemaWithACodecForAnySchema()
    {
        final SbeFlyweightCodec any = new SbeFlyweightCodec();
        int length = pingCodec().encode(new Pong(5), frame, 0, 500);
        SbeMessage message = any.decode(frame, 0, length);
        assertEquals(PongEncoder.SCHEMA_ID, message.schemaId());
        assertEquals(5, message.wrap(new PongDecoder()).id());

        length = OrderEntryCodecs.records().encode(new OrderEntryMessage.Heartbeat(), frame, 0, 500);
        message = any.decode(frame, 0, length);
        assertEquals(OrderEntryCodecs.SCHEMA_ID, message.schemaId());
    }

    @Test
    void shouldRejectAnotherSchemaWithACodecForOneSchema()
    {
        final int length = pingCodec().encode(new Pong(5), frame, 0, 500);

        final MalformedMessageException error = assertThrows(MalformedMessageException.class,
            () -> OrderEntryCodecs.records().decode(frame, 0, length));
        assertTrue(error.getMessage().contains("schema id 9 is not the expected 7001"), error.getMessage());
    }

    @Test
    void shouldDecodeAnOlderVersionWhoseBlockLacksTheNewerField()
    {
        // A version 1 sender: an 8-byte block (id only), then the payload.
        final byte[] payload = "old".getBytes(StandardCharsets.UTF_8);
        frame.putShort(0, (short)8, ByteOrder.LITTLE_ENDIAN);
        frame.putShort(2, (short)PingEncoder.TEMPLATE_ID, ByteOrder.LITTLE_ENDIAN);
        frame.putShort(4, (short)PingEncoder.SCHEMA_ID, ByteOrder.LITTLE_ENDIAN);
        frame.putShort(6, (short)1, ByteOrder.LITTLE_ENDIAN);
        frame.putLong(8, 77, ByteOrder.LITTLE_ENDIAN);
        frame.putShort(16, (short)payload.length, ByteOrder.LITTLE_ENDIAN);
        frame.putBytes(18, payload);
        final int length = 18 + payload.length;

        final SbeMessage message = new SbeFlyweightCodec(PingEncoder.SCHEMA_ID).decode(frame, 0, length);
        final PingDecoder decoder = message.wrap(new PingDecoder());
        assertEquals(77, decoder.id());
        assertEquals(PingDecoder.sentNanosNullValue(), decoder.sentNanos());
        assertEquals("old", decoder.payload());

        assertEquals(new Ping(77, PingDecoder.sentNanosNullValue(), "old"), pingCodec().decode(frame, 0, length));
    }

    @Test
    void shouldDecodeANewerVersionWhoseBlockHasFieldsWeDoNotKnow()
    {
        // A version 3 sender added 8 bytes to the block: the payload starts after them.
        final byte[] payload = "new".getBytes(StandardCharsets.UTF_8);
        frame.putShort(0, (short)24, ByteOrder.LITTLE_ENDIAN);
        frame.putShort(2, (short)PingEncoder.TEMPLATE_ID, ByteOrder.LITTLE_ENDIAN);
        frame.putShort(4, (short)PingEncoder.SCHEMA_ID, ByteOrder.LITTLE_ENDIAN);
        frame.putShort(6, (short)3, ByteOrder.LITTLE_ENDIAN);
        frame.putLong(8, 78, ByteOrder.LITTLE_ENDIAN);
        frame.putLong(16, 1234, ByteOrder.LITTLE_ENDIAN);
        frame.putLong(24, -1, ByteOrder.LITTLE_ENDIAN);
        frame.putShort(32, (short)payload.length, ByteOrder.LITTLE_ENDIAN);
        frame.putBytes(34, payload);

        assertEquals(new Ping(78, 1234, "new"), pingCodec().decode(frame, 0, 34 + payload.length));
    }

    @Test
    void shouldRefuseInconsistentRegistrations()
    {
        final SbeRecordCodec.Builder<PingMessage> builder = SbeRecordCodec.builder(PingMessage.class, 9)
            .message(Pong.class, 2, (pong, buffer, offset, capacity) -> 0, message -> new Pong(0));

        assertThrows(IllegalArgumentException.class,
            () -> builder.message(Pong.class, 3, (pong, buffer, offset, capacity) -> 0, message -> new Pong(0)));
        assertThrows(IllegalArgumentException.class,
            () -> builder.message(Ping.class, 2, (ping, buffer, offset, capacity) -> 0, message -> null));
        assertThrows(IllegalArgumentException.class,
            () -> SbeRecordCodec.builder(PingMessage.class, 7001).message(Ping.class, new PingEncoder(), (p, e) -> { },
                new PingDecoder(), d -> null));
        assertThrows(IllegalArgumentException.class,
            () -> SbeRecordCodec.builder(PingMessage.class, 9).message(Ping.class, new PingEncoder(), (p, e) -> { },
                new PongDecoder(), d -> null));

        builder.build();
        assertThrows(IllegalStateException.class, builder::build);
        assertThrows(IllegalStateException.class, () -> SbeRecordCodec.builder(PingMessage.class, 9).build());
    }

    @Test
    void shouldRefuseToEncodeATypeWithoutATemplate()
    {
        final SbeRecordCodec<PingMessage> codec = SbeRecordCodec.builder(PingMessage.class, 9)
            .message(Pong.class, 2, (pong, buffer, offset, capacity) -> 0, message -> new Pong(0))
            .build();

        assertThrows(IllegalArgumentException.class, () -> codec.encode(new Ping(1, 2, ""), frame, 0, 100));
    }

    @Test
    void shouldRefuseALengthTheEncoderCouldNotHaveWritten()
    {
        final SbeRecordCodec<PingMessage> codec = SbeRecordCodec.builder(PingMessage.class, 9)
            .message(Pong.class, 2, (pong, buffer, offset, capacity) -> capacity + 1, message -> new Pong(0))
            .build();

        assertThrows(IllegalStateException.class, () -> codec.encode(new Pong(1), frame, 0, 100));
    }
}
