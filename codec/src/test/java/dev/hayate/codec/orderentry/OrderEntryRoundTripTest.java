package dev.hayate.codec.orderentry;

import java.util.List;
import java.util.stream.Stream;

import dev.hayate.codec.SbeFlyweightCodec;
import dev.hayate.codec.SbeMessage;
import dev.hayate.codec.SbeRecordCodec;
import dev.hayate.codec.SequenceStamp;
import dev.hayate.codec.orderentry.OrderEntryMessage.Cancel;
import dev.hayate.codec.orderentry.OrderEntryMessage.ExecutionReport;
import dev.hayate.codec.orderentry.OrderEntryMessage.Fill;
import dev.hayate.codec.orderentry.OrderEntryMessage.Heartbeat;
import dev.hayate.codec.orderentry.OrderEntryMessage.Login;
import dev.hayate.codec.orderentry.OrderEntryMessage.NewOrder;
import dev.hayate.codec.orderentry.OrderEntryMessage.OrderAccepted;
import dev.hayate.codec.orderentry.OrderEntryMessage.Reject;
import dev.hayate.codec.orderentry.OrderEntryMessage.Sequenced;
import dev.hayate.codec.orderentry.sbe.ExecutionReportDecoder;
import dev.hayate.codec.orderentry.sbe.NewOrderDecoder;
import dev.hayate.codec.orderentry.sbe.NewOrderEncoder;
import dev.hayate.codec.orderentry.sbe.OrdType;
import dev.hayate.codec.orderentry.sbe.PriceDecoder;
import dev.hayate.codec.orderentry.sbe.Side;
import dev.hayate.codec.orderentry.sbe.TimeInForce;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OrderEntryRoundTripTest
{
    private static final int BODY_OFFSET = 13;
    private static final byte CANARY = (byte)0xA5;

    private final UnsafeBuffer frame = new UnsafeBuffer(new byte[OrderEntrySamples.MAX_BODY + 64]);
    private final FlyweightOrderEntry flyweights = new FlyweightOrderEntry();

    static Stream<OrderEntryMessage> samples()
    {
        return OrderEntrySamples.all().stream();
    }

    @Test
    void shouldHaveSamplesOfEveryMessageTypeAndEveryGroupSize()
    {
        final List<OrderEntryMessage> samples = OrderEntrySamples.all();
        for (final Class<?> type : OrderEntryMessage.class.getPermittedSubclasses())
        {
            assertTrue(samples.stream().anyMatch(type::isInstance), "no sample of " + type.getSimpleName());
        }
        final List<Integer> fillCounts = samples.stream().filter(ExecutionReport.class::isInstance)
            .map(m -> ((ExecutionReport)m).fills().size()).toList();
        assertTrue(fillCounts.contains(0) && fillCounts.contains(1) && fillCounts.stream().anyMatch(n -> n > 100));
    }

    @ParameterizedTest
    @MethodSource("samples")
    void shouldRoundTripEveryMessageThroughTheRecordCodec(final OrderEntryMessage message)
    {
        final SbeRecordCodec<OrderEntryMessage> codec = OrderEntryCodecs.records();
        final int length = encodeWithCanaries(codec, message);

        final OrderEntryMessage decoded = codec.decode(frame, BODY_OFFSET, length);

        assertEquals(message, decoded);
        assertNotSame(message, decoded);
        assertSame(decoded, codec.detach(decoded));
    }

    @ParameterizedTest
    @MethodSource("samples")
    void shouldRoundTripEveryMessageThroughTheFlyweightCodec(final OrderEntryMessage message)
    {
        final SbeFlyweightCodec codec = OrderEntryCodecs.flyweights();
        final SbeMessage out = new SbeMessage(OrderEntrySamples.MAX_BODY);
        flyweights.write(message, out);
        fillCanaries();
        final int length = codec.encode(out, frame, BODY_OFFSET, OrderEntrySamples.MAX_BODY);
        assertEquals(out.length(), length);
        assertCanariesIntact(length);

        final SbeMessage decoded = codec.decode(frame, BODY_OFFSET, length);

        assertEquals(out.templateId(), decoded.templateId());
        assertEquals(OrderEntryCodecs.SCHEMA_ID, decoded.schemaId());
        assertEquals(OrderEntryCodecs.SCHEMA_VERSION, decoded.version());
        assertEquals(length, decoded.length());
        assertEquals(message, flyweights.read(decoded));
    }

    @ParameterizedTest
    @MethodSource("samples")
    void shouldWriteTheSameBytesOnBothPaths(final OrderEntryMessage message)
    {
        final SbeMessage out = new SbeMessage(OrderEntrySamples.MAX_BODY);
        flyweights.write(message, out);
        final byte[] flyweightBytes = new byte[out.length()];
        out.buffer().getBytes(0, flyweightBytes);

        final int length = OrderEntryCodecs.records().encode(message, frame, BODY_OFFSET, OrderEntrySamples.MAX_BODY);
        final byte[] recordBytes = new byte[length];
        frame.getBytes(BODY_OFFSET, recordBytes);

        assertArrayEquals(flyweightBytes, recordBytes);
    }

    @Test
    void shouldReadFlyweightFieldsWithoutStrings()
    {
        final NewOrder order = new NewOrder(9, 1001, "MSFT", Side.BUY, OrdType.LIMIT, 4_205_000, 300,
            TimeInForce.GOOD_TILL_CANCEL, 123);
        final int length = OrderEntryCodecs.records().encode(order, frame, BODY_OFFSET, 4096);

        final SbeMessage message = OrderEntryCodecs.flyweights().decode(frame, BODY_OFFSET, length);
        final NewOrderDecoder decoder = message.wrap(new NewOrderDecoder());

        final byte[] symbol = new byte[8];
        decoder.getSymbol(symbol, 0);
        assertArrayEquals(new byte[] {'M', 'S', 'F', 'T', 0, 0, 0, 0}, symbol);
        assertEquals('1', decoder.sideRaw());
        assertEquals(4_205_000, decoder.price().mantissa());
        assertEquals(OrderEntryMessage.PRICE_EXPONENT, decoder.price().exponent());
        assertEquals(OrderEntryMessage.PRICE_EXPONENT, new PriceDecoder().exponent());
        assertEquals(9, OrderEntryCodecs.seqNo(message));
    }

    @Test
    void shouldDetachAFlyweightMessageThatSurvivesTheNextDecode()
    {
        final SbeRecordCodec<OrderEntryMessage> records = OrderEntryCodecs.records();
        final SbeFlyweightCodec codec = OrderEntryCodecs.flyweights();
        final ExecutionReport first = OrderEntrySamples.executionReport(2, "first");
        int length = records.encode(first, frame, BODY_OFFSET, 4096);
        final SbeMessage decoded = codec.decode(frame, BODY_OFFSET, length);
        final SbeMessage kept = codec.detach(decoded);

        length = records.encode(new Heartbeat(), frame, BODY_OFFSET, 4096);
        assertSame(decoded, codec.decode(frame, BODY_OFFSET, length));

        assertEquals(ExecutionReportDecoder.TEMPLATE_ID, kept.templateId());
        assertEquals(first, flyweights.read(kept));
    }

    @Test
    void shouldStampEachSequencedMessageExactlyOnceAndLeaveSessionMessagesAlone()
    {
        final SequenceStamp stamp = new SequenceStamp(100);
        final SbeRecordCodec<OrderEntryMessage> codec = OrderEntryCodecs.records(stamp);
        final List<OrderEntryMessage> sent = List.of(
            new Login(0, 1000, "u", "p"),
            new NewOrder(0, 1, "AAPL", Side.BUY, OrdType.LIMIT, 1, 1, TimeInForce.DAY, 0),
            new Heartbeat(),
            new Cancel(0, 2, 1, "AAPL", Side.BUY),
            new OrderAccepted(0, 1, 2, 3),
            OrderEntrySamples.executionReport(1, ""),
            new Reject(0, 1, dev.hayate.codec.orderentry.sbe.RejectReason.THROTTLED, "slow down"));

        long expected = 100;
        for (final OrderEntryMessage message : sent)
        {
            final int length = codec.encode(message, frame, BODY_OFFSET, 4096);
            final OrderEntryMessage received = codec.decode(frame, BODY_OFFSET, length);
            if (message instanceof Sequenced)
            {
                assertEquals(expected++, ((Sequenced)received).seqNo(), message.toString());
            }
            else
            {
                assertEquals(message, received);
            }
        }
        assertEquals(105, stamp.next());
    }

    @Test
    void shouldNotUseASequenceNumberForAMessageThatDoesNotFit()
    {
        final SequenceStamp stamp = new SequenceStamp(7);
        final SbeRecordCodec<OrderEntryMessage> codec = OrderEntryCodecs.records(stamp);
        final ExecutionReport tooBig = OrderEntrySamples.executionReport(100, "");

        assertThrows(IllegalArgumentException.class, () -> codec.encode(tooBig, frame, BODY_OFFSET, 200));
        assertEquals(7, stamp.next());

        final int length = codec.encode(tooBig, frame, BODY_OFFSET, 8192);
        assertEquals(7, ((Sequenced)codec.decode(frame, BODY_OFFSET, length)).seqNo());
        assertEquals(8, stamp.next());
    }

    @Test
    void shouldStampTheSeqNoOfAFlyweightMessageInPlace()
    {
        final SbeMessage message = new SbeMessage(256);
        flyweights.write(new NewOrder(0, 1, "AAPL", Side.BUY, OrdType.LIMIT, 1, 1, TimeInForce.DAY, 0), message);

        assertTrue(OrderEntryCodecs.stampSeqNo(message, 42));
        assertEquals(42, OrderEntryCodecs.seqNo(message));
        assertEquals(42, message.wrap(new NewOrderDecoder()).seqNo());

        flyweights.write(new Heartbeat(), message);
        assertFalse(OrderEntryCodecs.stampSeqNo(message, 43));
    }

    @Test
    void shouldPutSeqNoFirstInEverySequencedTemplate()
    {
        assertEquals(0, NewOrderEncoder.seqNoEncodingOffset());
        assertEquals(0, dev.hayate.codec.orderentry.sbe.CancelEncoder.seqNoEncodingOffset());
        assertEquals(0, dev.hayate.codec.orderentry.sbe.OrderAcceptedEncoder.seqNoEncodingOffset());
        assertEquals(0, dev.hayate.codec.orderentry.sbe.ExecutionReportEncoder.seqNoEncodingOffset());
        assertEquals(0, dev.hayate.codec.orderentry.sbe.RejectEncoder.seqNoEncodingOffset());
        for (final int templateId : OrderEntryCodecs.templateIds())
        {
            final boolean sequenced = templateId >= NewOrderEncoder.TEMPLATE_ID;
            assertEquals(sequenced, OrderEntryCodecs.isSequenced(templateId));
        }
    }

    @Test
    void shouldRefuseARecordLargerThanTheFrameWithoutWritingPastIt()
    {
        final ExecutionReport report = OrderEntrySamples.executionReport(10, "text");
        final SbeMessage message = new SbeMessage(4096);
        flyweights.write(report, message);
        final int capacity = message.length() - 1;
        fillCanaries();

        final IllegalArgumentException recordError = assertThrows(IllegalArgumentException.class,
            () -> OrderEntryCodecs.records().encode(report, frame, BODY_OFFSET, capacity));
        assertTrue(recordError.getMessage().contains("does not fit"), recordError.getMessage());
        assertCanariesIntact(capacity);

        fillCanaries();
        final IllegalArgumentException flyweightError = assertThrows(IllegalArgumentException.class,
            () -> OrderEntryCodecs.flyweights().encode(message, frame, BODY_OFFSET, capacity));
        assertTrue(flyweightError.getMessage().contains("more than the " + capacity), flyweightError.getMessage());
        assertCanariesIntact(0);
    }

    @Test
    void shouldRefuseVarDataLongerThanTheSchemaAllows()
    {
        final ExecutionReport report = new ExecutionReport(1, 1, 1, 1, dev.hayate.codec.orderentry.sbe.ExecType.NEW,
            dev.hayate.codec.orderentry.sbe.OrdStatus.NEW, Side.BUY, 1, 0, 0, List.of(new Fill(1, 1, 1)),
            "\u00e9".repeat(OrderEntrySamples.MAX_VAR_DATA / 2 + 1));

        final IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
            () -> OrderEntryCodecs.records().encode(report, frame, BODY_OFFSET, OrderEntrySamples.MAX_BODY));
        assertTrue(error.getMessage().contains("ExecutionReport"), error.getMessage());
    }

    @Test
    void shouldRejectRecordsTheWireCannotCarry()
    {
        assertThrows(IllegalArgumentException.class,
            () -> new NewOrder(1, 1, "TOOLONGSYM", Side.BUY, OrdType.LIMIT, 1, 1, TimeInForce.DAY, 0));
        assertThrows(IllegalArgumentException.class,
            () -> new NewOrder(1, 1, "", Side.BUY, OrdType.LIMIT, 1, 1, TimeInForce.DAY, 0));
        assertThrows(IllegalArgumentException.class, () -> new Login(0, 1L << 32, "u", "p"));
        assertThrows(IllegalArgumentException.class, () -> new Login(0, 1, "\u00fcser", "p"));
        assertThrows(NullPointerException.class, () -> new Cancel(1, 1, 1, "AAPL", null));
        assertFalse(new Login(0, 1, "u", "hunter2").toString().contains("hunter2"));
    }

    private int encodeWithCanaries(final SbeRecordCodec<OrderEntryMessage> codec, final OrderEntryMessage message)
    {
        fillCanaries();
        final int length = codec.encode(message, frame, BODY_OFFSET, OrderEntrySamples.MAX_BODY);
        assertCanariesIntact(length);
        return length;
    }

    private void fillCanaries()
    {
        frame.setMemory(0, frame.capacity(), CANARY);
    }

    private void assertCanariesIntact(final int bodyLength)
    {
        for (int i = 0; i < BODY_OFFSET; i++)
        {
            assertEquals(CANARY, frame.getByte(i), "byte before the body at " + i);
        }
        for (int i = BODY_OFFSET + bodyLength; i < frame.capacity(); i++)
        {
            if (frame.getByte(i) != CANARY)
            {
                assertEquals(CANARY, frame.getByte(i), "byte after the body at " + i);
            }
        }
    }
}
