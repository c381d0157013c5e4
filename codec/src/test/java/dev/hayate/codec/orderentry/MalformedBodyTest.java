package dev.hayate.codec.orderentry;

import java.nio.ByteOrder;

import dev.hayate.codec.MalformedMessageException;
import dev.hayate.codec.SbeFlyweightCodec;
import dev.hayate.codec.SbeMessage;
import dev.hayate.codec.orderentry.OrderEntryMessage.Heartbeat;
import dev.hayate.codec.orderentry.OrderEntryMessage.Logout;
import dev.hayate.codec.orderentry.OrderEntryMessage.NewOrder;
import dev.hayate.codec.orderentry.sbe.ExecutionReportDecoder;
import dev.hayate.codec.orderentry.sbe.LogoutDecoder;
import dev.hayate.codec.orderentry.sbe.NewOrderDecoder;
import dev.hayate.codec.orderentry.sbe.NewOrderEncoder;
import dev.hayate.codec.orderentry.sbe.OrdType;
import dev.hayate.codec.orderentry.sbe.Side;
import dev.hayate.codec.orderentry.sbe.TimeInForce;
import dev.hayate.core.Codec;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hostile and broken bodies. Where a decoder that ignored the region's end would succeed, the bytes after the
 * region are the genuine rest of the message (or the next frame): only a bounded read makes these tests pass.
 */
class MalformedBodyTest
{
    private static final int BODY_OFFSET = 21;
    private static final int ROOT_BLOCK_OFFSET = BODY_OFFSET + SbeMessage.HEADER_LENGTH;
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;

    private final UnsafeBuffer frame = new UnsafeBuffer(new byte[64 * 1024]);
    private final Codec<OrderEntryMessage> records = OrderEntryCodecs.records();
    private final SbeFlyweightCodec flyweights = OrderEntryCodecs.flyweights();
    private final FlyweightOrderEntry reader = new FlyweightOrderEntry();

    @Test
    void shouldRejectBodiesShorterThanTheHeader()
    {
        final int valid = encode(new Heartbeat());
        for (int length = 0; length < SbeMessage.HEADER_LENGTH; length++)
        {
            final int truncated = length;
            assertMalformed(() -> records.decode(frame, BODY_OFFSET, truncated), "shorter than the 8-byte message header");
            assertMalformed(() -> flyweights.decode(frame, BODY_OFFSET, truncated), "shorter than the 8-byte message header");
        }
        assertEquals(new Heartbeat(), records.decode(frame, BODY_OFFSET, valid));
    }

    @Test
    void shouldRejectBlockLengthBeyondTheBody()
    {
        final int length = encode(order());
        // The genuine block follows the region: a decoder that trusted blockLength would read it and succeed.
        final int truncated = length - 1;

        assertMalformed(() -> records.decode(frame, BODY_OFFSET, truncated), "blockLength 51 of template 10 runs past");
        assertMalformed(() -> flyweights.decode(frame, BODY_OFFSET, truncated), "only 50 bytes follow the header");

        frame.putShort(BODY_OFFSET + SbeMessage.BLOCK_LENGTH_OFFSET, (short)0xFFFF, LE);
        assertMalformed(() -> records.decode(frame, BODY_OFFSET, length), "blockLength 65535");
        assertMalformed(() -> flyweights.decode(frame, BODY_OFFSET, length), "blockLength 65535");
    }

    @Test
    void shouldRejectUnknownTemplateId()
    {
        final int length = encode(order());
        frame.putShort(BODY_OFFSET + SbeMessage.TEMPLATE_ID_OFFSET, (short)999, LE);

        assertMalformed(() -> records.decode(frame, BODY_OFFSET, length), "unknown SBE template id 999");
        assertMalformed(() -> flyweights.decode(frame, BODY_OFFSET, length), "unknown SBE template id 999");
        assertEquals(999, new SbeFlyweightCodec().decode(frame, BODY_OFFSET, length).templateId());
    }

    @Test
    void shouldRejectWrongSchemaId()
    {
        final int length = encode(order());
        frame.putShort(BODY_OFFSET + SbeMessage.SCHEMA_ID_OFFSET, (short)1234, LE);

        assertMalformed(() -> records.decode(frame, BODY_OFFSET, length), "schema id 1234 is not the expected 7001");
        assertMalformed(() -> flyweights.decode(frame, BODY_OFFSET, length), "schema id 1234 is not the expected 7001");
    }

    @Test
    void shouldRejectGroupCountBeyondTheBodyWithoutReadingTheBytesAfterIt()
    {
        final int length = encode(OrderEntrySamples.executionReport(3, "hi"));
        // Cut the region after the first fill: the other two fills and the text follow it in the buffer.
        final int fillsOffset = SbeMessage.HEADER_LENGTH + ExecutionReportDecoder.BLOCK_LENGTH;
        final int truncated = fillsOffset + 4 + 24;
        assertTrue(truncated < length);

        assertMalformed(() -> records.decode(frame, BODY_OFFSET, truncated),
            "group 'fills' of template 21 claims 3 entries of 24 bytes, but only 24 bytes remain");

        final SbeMessage message = flyweights.decode(frame, BODY_OFFSET, truncated);
        assertMalformed(() -> reader.read(message), "claims 3 entries");
        // Without the early check the bounded buffer still stops the read at the region's end.
        assertThrows(IndexOutOfBoundsException.class, () -> reader.walk(message));
    }

    @Test
    void shouldRejectGroupCountLargerThanTheWholeBody()
    {
        final int length = encode(OrderEntrySamples.executionReport(1, ""));
        final int countOffset = ROOT_BLOCK_OFFSET + ExecutionReportDecoder.BLOCK_LENGTH + 2;
        frame.putShort(countOffset, (short)0xFFFF, LE);

        assertMalformed(() -> records.decode(frame, BODY_OFFSET, length), "claims 65535 entries");
        assertThrows(IndexOutOfBoundsException.class, () -> reader.walk(flyweights.decode(frame, BODY_OFFSET, length)));
    }

    @Test
    void shouldRejectGroupEntriesShorterThanTheSchema()
    {
        final int length = encode(OrderEntrySamples.executionReport(2, ""));
        final int groupHeader = ROOT_BLOCK_OFFSET + ExecutionReportDecoder.BLOCK_LENGTH;
        frame.putShort(groupHeader, (short)0, LE);

        assertMalformed(() -> records.decode(frame, BODY_OFFSET, length), "entries of 0 bytes, fewer than the 24");
    }

    @Test
    void shouldRejectVarDataLengthBeyondTheBodyWithoutReadingTheBytesAfterIt()
    {
        final int length = encode(new Logout("hello world"));
        // The last five bytes of the text follow the region.
        final int truncated = length - 5;

        assertMalformed(() -> records.decode(frame, BODY_OFFSET, truncated),
            "var data 'text' of template 5 claims 11 bytes, but only 6 bytes remain");

        final SbeMessage message = flyweights.decode(frame, BODY_OFFSET, truncated);
        assertMalformed(() -> reader.read(message), "claims 11 bytes");
        assertThrows(IndexOutOfBoundsException.class, () -> message.wrap(new LogoutDecoder()).text());
        assertThrows(IndexOutOfBoundsException.class, () -> message.wrap(new LogoutDecoder()).wrapText(new UnsafeBuffer()));
        assertThrows(IndexOutOfBoundsException.class, () -> reader.walk(message));
    }

    @Test
    void shouldRejectVarDataLengthPrefixCutByTheEndOfTheBody()
    {
        final int length = encode(new Logout("bye"));
        final int truncated = length - 4; // leaves one byte of the two-byte length prefix

        final MalformedMessageException error = assertMalformed(() -> records.decode(frame, BODY_OFFSET, truncated),
            "malformed Logout (template 5");
        assertTrue(error.getCause() instanceof IndexOutOfBoundsException, String.valueOf(error.getCause()));
    }

    @Test
    void shouldRejectUnknownEnumValues()
    {
        final int length = encode(order());
        frame.putByte(ROOT_BLOCK_OFFSET + NewOrderEncoder.sideEncodingOffset(), (byte)'X');

        final MalformedMessageException error = assertMalformed(() -> records.decode(frame, BODY_OFFSET, length),
            "malformed NewOrder (template 10");
        assertTrue(error.getCause() instanceof IllegalArgumentException);

        final NewOrderDecoder decoder = flyweights.decode(frame, BODY_OFFSET, length).wrap(new NewOrderDecoder());
        assertEquals('X', decoder.sideRaw());
    }

    @Test
    void shouldRejectRootBlockShorterThanTheTemplateAtTheSameVersion()
    {
        final int length = encode(order());
        frame.putShort(BODY_OFFSET + SbeMessage.BLOCK_LENGTH_OFFSET, (short)10, LE);

        assertMalformed(() -> records.decode(frame, BODY_OFFSET, length), "shorter than the 51 bytes of its root block");
        final SbeMessage message = flyweights.decode(frame, BODY_OFFSET, length);
        assertMalformed(() -> message.wrap(new NewOrderDecoder()), "shorter than the 51 bytes");
    }

    @Test
    void shouldRefuseToWrapADecoderOfAnotherTemplate()
    {
        final int length = encode(order());
        final SbeMessage message = flyweights.decode(frame, BODY_OFFSET, length);

        final IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
            () -> message.wrap(new LogoutDecoder()));
        assertTrue(error.getMessage().contains("LogoutDecoder decodes template 5 of schema 7001, not template 10"),
            error.getMessage());
    }

    private static NewOrder order()
    {
        return new NewOrder(1, 2, "AAPL", Side.BUY, OrdType.LIMIT, 1_000_000, 10, TimeInForce.DAY, 3);
    }

    private int encode(final OrderEntryMessage message)
    {
        frame.setMemory(0, frame.capacity(), (byte)0x5A);
        return OrderEntryCodecs.records().encode(message, frame, BODY_OFFSET, frame.capacity() - BODY_OFFSET);
    }

    private static MalformedMessageException assertMalformed(final Executable decode, final String expected)
    {
        final MalformedMessageException error = assertThrows(MalformedMessageException.class, decode);
        assertTrue(error.getMessage().contains(expected), () -> "expected '" + expected + "' in: " + error.getMessage());
        return error;
    }
}
