package dev.hayate.examples;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;

import dev.hayate.codec.orderentry.OrderEntryCodecs;
import dev.hayate.codec.orderentry.OrderEntryMessage;
import dev.hayate.codec.orderentry.OrderEntryMessage.ExecutionReport;
import dev.hayate.codec.orderentry.OrderEntryMessage.Fill;
import dev.hayate.codec.orderentry.OrderEntryMessage.OrderAccepted;
import dev.hayate.codec.orderentry.OrderEntryMessage.Reject;
import dev.hayate.codec.orderentry.OrderEntryMessage.Sequenced;
import dev.hayate.codec.orderentry.sbe.ExecType;
import dev.hayate.codec.orderentry.sbe.OrdStatus;
import dev.hayate.codec.orderentry.sbe.OrdType;
import dev.hayate.codec.orderentry.sbe.RejectReason;
import dev.hayate.codec.orderentry.sbe.Side;
import dev.hayate.codec.orderentry.sbe.TimeInForce;
import dev.hayate.core.Codec;
import dev.hayate.core.transport.InMemoryTransportProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static dev.hayate.examples.GatewayFixture.ALICE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The example end to end over loopback TCP: the trading workload of {@code ./hayate trader} against the gateway,
 * with and without connections failing in the middle of a burst, and the order flows one by one.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class EndToEndTest
{
    private GatewayFixture fixture;

    @AfterEach
    void tearDown()
    {
        if (fixture != null)
        {
            fixture.close();
        }
    }

    private void start(final Consumer<Gateway.Config> tuning) throws Exception
    {
        fixture = GatewayFixture.create(tuning, true);
    }

    /**
     * Keeps every gateway message the trader handed on, as records, and can act after the n-th report.
     */
    private static final class Recorder implements Trader.Observer
    {
        final List<OrderEntryMessage> messages = new ArrayList<>();
        private final Codec<OrderEntryMessage> records = OrderEntryCodecs.records();
        private final Map<Integer, Runnable> afterReports = new LinkedHashMap<>();
        private int reports;

        Recorder after(final int reportCount, final Runnable action)
        {
            afterReports.put(reportCount, action);
            return this;
        }

        @Override
        public void onMessage(final dev.hayate.codec.SbeMessage message)
        {
            final OrderEntryMessage record = records.decode(message.buffer(), message.offset(), message.length());
            messages.add(record);
            if (record instanceof ExecutionReport)
            {
                final Runnable action = afterReports.get(++reports);
                if (action != null)
                {
                    action.run();
                }
            }
        }
    }

    /**
     * Every message once and in order: seqNos 1..n without a gap, and per order OrderAccepted, then an optional
     * PARTIAL_FILL, then exactly one FILL, the orders one after another.
     */
    private static void assertExactlyOnceInOrder(final List<OrderEntryMessage> messages, final int orders)
    {
        for (int i = 0; i < messages.size(); i++)
        {
            assertEquals(i + 1, ((Sequenced)messages.get(i)).seqNo(), "seqNo of message " + i);
        }
        int index = 0;
        long previousClOrdId = 0;
        for (int order = 0; order < orders; order++)
        {
            final OrderAccepted accepted = assertInstanceOf(OrderAccepted.class, messages.get(index++));
            assertTrue(accepted.clOrdId() > previousClOrdId, "orders in clOrdId order");
            previousClOrdId = accepted.clOrdId();
            ExecutionReport report = assertInstanceOf(ExecutionReport.class, messages.get(index++));
            if (report.execType() == ExecType.PARTIAL_FILL)
            {
                assertEquals(accepted.clOrdId(), report.clOrdId());
                report = assertInstanceOf(ExecutionReport.class, messages.get(index++));
            }
            assertEquals(ExecType.FILL, report.execType());
            assertEquals(accepted.clOrdId(), report.clOrdId(), "the FILL belongs to the order just accepted");
        }
        assertEquals(messages.size(), index, "nothing after the last FILL");
    }

    @Test
    void shouldAnswerEveryOrderExactlyOnceOverLoopback() throws Exception
    {
        start(config -> { });
        final Recorder recorder = new Recorder();
        final Trader.Result result;
        try (TraderSession session = TraderSession.connect(fixture.trader(ALICE)))
        {
            result = new Trader(session, 2_000, 32, 60_000, false, recorder).run();
        }
        assertTrue(result.allAnswered(), result::toString);
        assertEquals(0, result.reconnects());
        assertExactlyOnceInOrder(recorder.messages, 2_000);
        assertEquals(2_000, result.roundTrips().getTotalCount());
        fixture.awaitEvent(line -> line.startsWith("logout: alice"), 5_000);
    }

    @Test
    void shouldDeliverEveryReportExactlyOnceAndInOrderWhenTheGatewayDropsTheTraderMidBurst() throws Exception
    {
        start(config -> { });
        final Recorder recorder = new Recorder()
            .after(300, () -> assertTrue(fixture.gateway.kick(ALICE, "mid-burst test")))
            .after(1_200, () -> assertTrue(fixture.gateway.kick(ALICE, "mid-burst test, again")));
        final Trader.Result result;
        try (TraderSession session = TraderSession.connect(fixture.trader(ALICE)))
        {
            result = new Trader(session, 2_000, 64, 60_000, false, recorder).run();
        }
        assertTrue(result.allAnswered(), result::toString);
        assertEquals(2, result.reconnects(), result::toString);
        assertExactlyOnceInOrder(recorder.messages, 2_000);
        assertEquals(fixture.gateway.sessionStats(ALICE).nextOutboundSeqNo() - 1, recorder.messages.size(),
            "everything the gateway sent reached the trader");
        assertEquals(2, fixture.events.stream().filter(line -> line.contains("kicked: mid-burst test")).count());
    }

    @Test
    void shouldDeliverEveryReportExactlyOnceAndInOrderWhenTheTradersConnectionFailsMidBurst() throws Exception
    {
        start(config -> { });
        final TraderSession session = TraderSession.connect(fixture.trader(ALICE));
        final Recorder recorder = new Recorder()
            .after(250, session::dropConnection)
            .after(251, session::dropConnection)
            .after(1_500, session::dropConnection);
        final Trader.Result result = new Trader(session, 2_000, 64, 60_000, false, recorder).run();
        assertTrue(result.allAnswered(), result::toString);
        assertTrue(result.reconnects() >= 2, result::toString);
        assertExactlyOnceInOrder(recorder.messages, 2_000);
        assertEquals(fixture.gateway.sessionStats(ALICE).nextOutboundSeqNo() - 1, recorder.messages.size());
    }

    @Test
    void shouldTradeOverTheInMemoryTransportToo() throws Exception
    {
        final InMemoryTransportProvider memory = new InMemoryTransportProvider().readChunk(() -> 7).writeChunk(() -> 13);
        start(config -> config.transportProvider(memory));
        final Recorder recorder = new Recorder().after(100, () -> fixture.gateway.kick(ALICE, "in-memory"));
        final Trader.Result result;
        try (TraderSession session = TraderSession.connect(fixture.trader(ALICE).transportProvider(memory)))
        {
            result = new Trader(session, 500, 16, 60_000, false, recorder).run();
        }
        assertTrue(result.allAnswered(), result::toString);
        assertExactlyOnceInOrder(recorder.messages, 500);
    }

    @Test
    void shouldRestAGoodTillCancelOrderAndCancelIt() throws Exception
    {
        start(config -> config.maxLiveOrders(2));
        try (TestTrader trader = new TestTrader(fixture.trader(ALICE)))
        {
            trader.limit(1, 40, TimeInForce.GOOD_TILL_CANCEL);
            final OrderAccepted accepted = assertInstanceOf(OrderAccepted.class, trader.await(1).get(0));
            assertEquals(1, fixture.gateway.sessionStats(ALICE).restingOrders(), "resting, not filled");

            trader.limit(1, 40, TimeInForce.GOOD_TILL_CANCEL);
            assertEquals(RejectReason.DUPLICATE_CLORDID, assertInstanceOf(Reject.class, trader.await(2).get(1)).reason());
            trader.limit(2, 40, TimeInForce.GOOD_TILL_CANCEL);
            trader.limit(3, 40, TimeInForce.GOOD_TILL_CANCEL);
            final List<OrderEntryMessage> answers = trader.await(4);
            assertInstanceOf(OrderAccepted.class, answers.get(2));
            assertEquals(RejectReason.THROTTLED, assertInstanceOf(Reject.class, answers.get(3)).reason(), "book full");

            trader.cancel(10, 1);
            final ExecutionReport canceled = assertInstanceOf(ExecutionReport.class, trader.await(5).get(4));
            assertEquals(ExecType.CANCELED, canceled.execType());
            assertEquals(OrdStatus.CANCELED, canceled.ordStatus());
            assertEquals(1, canceled.clOrdId());
            assertEquals(accepted.orderId(), canceled.orderId());
            assertEquals(0, canceled.leavesQty());
            assertEquals(List.of(), canceled.fills());
            assertEquals("canceled on request", canceled.text());

            trader.cancel(11, 1);
            final Reject unknown = assertInstanceOf(Reject.class, trader.await(6).get(5));
            assertEquals(RejectReason.UNKNOWN_ORDER, unknown.reason());
            assertEquals(((Sequenced)unknown).seqNo(), 6);
            assertEquals(1, fixture.gateway.sessionStats(ALICE).restingOrders());
        }
    }

    @Test
    void shouldFillLargeOrdersInTwoReportsWithTheirFills() throws Exception
    {
        start(config -> { });
        try (TestTrader trader = new TestTrader(fixture.trader(ALICE)))
        {
            trader.limit(7, 151, TimeInForce.IMMEDIATE_OR_CANCEL);
            final List<OrderEntryMessage> answers = trader.await(3);
            final OrderAccepted accepted = assertInstanceOf(OrderAccepted.class, answers.get(0));
            final ExecutionReport partial = assertInstanceOf(ExecutionReport.class, answers.get(1));
            final ExecutionReport fill = assertInstanceOf(ExecutionReport.class, answers.get(2));
            assertEquals(ExecType.PARTIAL_FILL, partial.execType());
            assertEquals(OrdStatus.PARTIALLY_FILLED, partial.ordStatus());
            assertEquals(List.of(new Fill(1_012_500, 75, partial.execId())), partial.fills());
            assertEquals(76, partial.leavesQty());
            assertEquals(75, partial.cumQty());
            assertEquals(ExecType.FILL, fill.execType());
            assertEquals(List.of(new Fill(1_012_500, 76, fill.execId())), fill.fills());
            assertEquals(0, fill.leavesQty());
            assertEquals(151, fill.cumQty());
            assertEquals(accepted.orderId(), fill.orderId());
            assertEquals(Side.BUY, fill.side());

            trader.newOrder(8, "ACME", Side.SELL.value(), OrdType.MARKET.value(), 0, 5, TimeInForce.DAY.value());
            final ExecutionReport market = assertInstanceOf(ExecutionReport.class, trader.await(5).get(4));
            assertEquals(MatchingEngine.MARKET_PRICE, market.avgPx(), "MARKET orders fill at the reference price");
            assertEquals(Side.SELL, market.side());
        }
    }

    static Stream<Arguments> malformedOrders()
    {
        final byte buy = Side.BUY.value();
        final byte limit = OrdType.LIMIT.value();
        final byte day = TimeInForce.DAY.value();
        return Stream.of(
            Arguments.of("zero quantity", "HAYATE", buy, limit, 1_012_500L, 0L, day, RejectReason.INVALID_QUANTITY),
            Arguments.of("negative quantity", "HAYATE", buy, limit, 1_012_500L, -5L, day, RejectReason.INVALID_QUANTITY),
            Arguments.of("quantity over the maximum", "HAYATE", buy, limit, 1_012_500L, 1_000_001L, day,
                RejectReason.INVALID_QUANTITY),
            Arguments.of("unknown symbol", "NOPE", buy, limit, 1_012_500L, 10L, day, RejectReason.UNKNOWN_SYMBOL),
            Arguments.of("LIMIT without a price", "HAYATE", buy, limit, 0L, 10L, day, RejectReason.INVALID_PRICE),
            Arguments.of("LIMIT with the null price", "HAYATE", buy, limit, Long.MIN_VALUE, 10L, day,
                RejectReason.INVALID_PRICE),
            Arguments.of("LIMIT with a negative price", "HAYATE", buy, limit, -1L, 10L, day, RejectReason.INVALID_PRICE),
            Arguments.of("side outside the enum", "HAYATE", (byte)'9', limit, 1_012_500L, 10L, day, RejectReason.OTHER),
            Arguments.of("ordType outside the enum", "HAYATE", buy, (byte)'7', 1_012_500L, 10L, day, RejectReason.OTHER),
            Arguments.of("timeInForce outside the enum", "HAYATE", buy, limit, 1_012_500L, 10L, (byte)'X',
                RejectReason.OTHER));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedOrders")
    void shouldRejectAMalformedOrderWithAReasonAndKeepTheSession(final String name, final String symbol,
        final byte side, final byte ordType, final long price, final long quantity, final byte timeInForce,
        final RejectReason reason) throws Exception
    {
        start(config -> { });
        try (TestTrader trader = new TestTrader(fixture.trader(ALICE)))
        {
            trader.newOrder(1, symbol, side, ordType, price, quantity, timeInForce);
            final Reject reject = assertInstanceOf(Reject.class, trader.await(1).get(0));
            assertEquals(reason, reject.reason(), reject::text);
            assertEquals(1, reject.refSeqNo(), "names the refused message");
            assertTrue(!reject.text().isEmpty());

            trader.limit(2, 10, TimeInForce.DAY);
            final List<OrderEntryMessage> after = trader.await(3);
            assertInstanceOf(OrderAccepted.class, after.get(1), "the session goes on");
            assertTrue(trader.session.isConnected());
        }
    }
}
