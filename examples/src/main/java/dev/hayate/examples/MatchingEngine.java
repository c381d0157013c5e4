package dev.hayate.examples;

import dev.hayate.codec.SbeMessage;
import dev.hayate.codec.orderentry.sbe.CancelDecoder;
import dev.hayate.codec.orderentry.sbe.ExecType;
import dev.hayate.codec.orderentry.sbe.ExecutionReportEncoder;
import dev.hayate.codec.orderentry.sbe.NewOrderDecoder;
import dev.hayate.codec.orderentry.sbe.OrdStatus;
import dev.hayate.codec.orderentry.sbe.OrdType;
import dev.hayate.codec.orderentry.sbe.OrderAcceptedEncoder;
import dev.hayate.codec.orderentry.sbe.RejectEncoder;
import dev.hayate.codec.orderentry.sbe.RejectReason;
import dev.hayate.codec.orderentry.sbe.Side;
import dev.hayate.codec.orderentry.sbe.TimeInForce;
import org.agrona.collections.LongHashSet;
import org.agrona.concurrent.EpochNanoClock;

/**
 * A tiny exchange, just enough to exercise every order-entry message. There is no counterparty and no book
 * across users; what matters is the message flow:
 *
 * <pre>
 *   NewOrder, valid, not LIMIT+GOOD_TILL_CANCEL ─▶ OrderAccepted ─▶ ExecutionReport FILL            (quantity &lt;= 100)
 *                                                  OrderAccepted ─▶ ExecutionReport PARTIAL_FILL
 *                                                                ─▶ ExecutionReport FILL            (quantity &gt; 100:
 *                                                                   two halves, one fill each)
 *   NewOrder LIMIT + GOOD_TILL_CANCEL            ─▶ OrderAccepted, then rests until cancelled
 *   Cancel of a resting order                    ─▶ ExecutionReport CANCELED (clOrdId of the order)
 *   Cancel of anything else                      ─▶ Reject UNKNOWN_ORDER
 *   NewOrder that breaks a rule                  ─▶ Reject (reason, text), refSeqNo = its seqNo
 * </pre>
 *
 * <p>Rules, checked in this order: the symbol is listed ({@code UNKNOWN_SYMBOL}); side is BUY or SELL, ordType
 * MARKET or LIMIT, timeInForce one of the schema's ({@code OTHER}); 1 &lt;= quantity &lt;= {@value #MAX_QUANTITY}
 * ({@code INVALID_QUANTITY}: zero, and "negative" values, which on the uint64 wire are above 2^63, fail here);
 * a LIMIT order has a positive price ({@code INVALID_PRICE}: the null value and zero count as missing); a resting
 * order's clOrdId is not already resting ({@code DUPLICATE_CLORDID}) and the book has room ({@code THROTTLED}).
 * Fills are at the limit price, or at {@value #MARKET_PRICE} (100.0000) for MARKET orders.
 *
 * <p>Allocation: none per order: encoders and the outgoing message are reused, reject texts are constants.
 *
 * <p>Thread-safety: the gateway thread only.
 */
final class MatchingEngine
{
    /** Largest quantity accepted. */
    static final long MAX_QUANTITY = 1_000_000;
    /** Orders above this quantity fill in two reports. */
    static final long SPLIT_ABOVE = 100;
    /** Price mantissa of MARKET fills. */
    static final long MARKET_PRICE = 100 * OrderEntry.PRICE_ONE;

    private static final byte[] NO_TEXT = new byte[0];
    private static final byte[] UNKNOWN_SYMBOL = OrderEntry.utf8("unknown symbol");
    private static final byte[] BAD_SIDE = OrderEntry.utf8("side must be BUY ('1') or SELL ('2')");
    private static final byte[] BAD_ORD_TYPE = OrderEntry.utf8("ordType must be MARKET ('1') or LIMIT ('2')");
    private static final byte[] BAD_TIME_IN_FORCE = OrderEntry.utf8("timeInForce must be '0', '1', '3' or '4'");
    private static final byte[] BAD_QUANTITY = OrderEntry.utf8("quantity must be 1.." + MAX_QUANTITY);
    private static final byte[] BAD_PRICE = OrderEntry.utf8("a LIMIT order needs a positive price");
    private static final byte[] DUPLICATE = OrderEntry.utf8("clOrdId already used by a resting order");
    private static final byte[] BOOK_FULL = OrderEntry.utf8("too many resting orders");
    private static final byte[] UNKNOWN_ORDER = OrderEntry.utf8("no resting order with that origClOrdId");
    private static final byte[] CANCELED = OrderEntry.utf8("canceled on request");

    private final Gateway gateway;
    private final LongHashSet symbols;
    private final EpochNanoClock wallClock;
    private final SbeMessage out = new SbeMessage(512);
    private final OrderAcceptedEncoder accepted = new OrderAcceptedEncoder();
    private final ExecutionReportEncoder report = new ExecutionReportEncoder();
    private final RejectEncoder reject = new RejectEncoder();
    private long nextOrderId = 1;
    private long nextExecId = 1;

    /**
     * @param gateway   publishes what the engine produces.
     * @param symbols   keys of the tradable symbols.
     * @param wallClock for sendingTimeNanos.
     */
    MatchingEngine(final Gateway gateway, final LongHashSet symbols, final EpochNanoClock wallClock)
    {
        this.gateway = gateway;
        this.symbols = symbols;
        this.wallClock = wallClock;
    }

    /**
     * @param session of the trader.
     * @param order   wrapped, in sequence.
     */
    void onNewOrder(final GatewaySession session, final NewOrderDecoder order)
    {
        final long seqNo = order.seqNo();
        final long clOrdId = order.clOrdId();
        final byte side = order.sideRaw();
        final byte ordType = order.ordTypeRaw();
        final long price = order.price().mantissa();
        final long quantity = order.quantity();
        final byte timeInForce = order.timeInForceRaw();
        if (!symbols.contains(OrderEntry.symbolKey(order)))
        {
            reject(session, seqNo, RejectReason.UNKNOWN_SYMBOL, UNKNOWN_SYMBOL);
            return;
        }
        if (side != Side.BUY.value() && side != Side.SELL.value())
        {
            reject(session, seqNo, RejectReason.OTHER, BAD_SIDE);
            return;
        }
        if (ordType != OrdType.MARKET.value() && ordType != OrdType.LIMIT.value())
        {
            reject(session, seqNo, RejectReason.OTHER, BAD_ORD_TYPE);
            return;
        }
        if (timeInForce != TimeInForce.DAY.value() && timeInForce != TimeInForce.GOOD_TILL_CANCEL.value() &&
            timeInForce != TimeInForce.IMMEDIATE_OR_CANCEL.value() && timeInForce != TimeInForce.FILL_OR_KILL.value())
        {
            reject(session, seqNo, RejectReason.OTHER, BAD_TIME_IN_FORCE);
            return;
        }
        if (quantity < 1 || quantity > MAX_QUANTITY)
        {
            reject(session, seqNo, RejectReason.INVALID_QUANTITY, BAD_QUANTITY);
            return;
        }
        final boolean limit = ordType == OrdType.LIMIT.value();
        if (limit && price <= 0)
        {
            reject(session, seqNo, RejectReason.INVALID_PRICE, BAD_PRICE);
            return;
        }
        if (limit && timeInForce == TimeInForce.GOOD_TILL_CANCEL.value())
        {
            rest(session, seqNo, clOrdId, side, price, quantity);
            return;
        }
        final long orderId = nextOrderId++;
        accept(session, clOrdId, orderId);
        final long fillPrice = limit ? price : MARKET_PRICE;
        if (quantity > SPLIT_ABOVE)
        {
            final long firstHalf = quantity / 2;
            fill(session, clOrdId, orderId, side, fillPrice, firstHalf, quantity - firstHalf, firstHalf);
            fill(session, clOrdId, orderId, side, fillPrice, quantity - firstHalf, 0, quantity);
        }
        else
        {
            fill(session, clOrdId, orderId, side, fillPrice, quantity, 0, quantity);
        }
    }

    private void rest(final GatewaySession session, final long seqNo, final long clOrdId, final byte side,
        final long price, final long quantity)
    {
        final OrderBook book = session.book;
        if (book.contains(clOrdId))
        {
            reject(session, seqNo, RejectReason.DUPLICATE_CLORDID, DUPLICATE);
            return;
        }
        final OrderBook.Order resting = book.claim();
        if (resting == null)
        {
            reject(session, seqNo, RejectReason.THROTTLED, BOOK_FULL);
            return;
        }
        resting.clOrdId = clOrdId;
        resting.orderId = nextOrderId++;
        resting.side = side;
        resting.price = price;
        resting.quantity = quantity;
        book.add(resting);
        accept(session, clOrdId, resting.orderId);
    }

    /**
     * @param session of the trader.
     * @param cancel  wrapped, in sequence.
     */
    void onCancel(final GatewaySession session, final CancelDecoder cancel)
    {
        final long seqNo = cancel.seqNo();
        final OrderBook.Order resting = session.book.remove(cancel.origClOrdId());
        if (resting == null)
        {
            reject(session, seqNo, RejectReason.UNKNOWN_ORDER, UNKNOWN_ORDER);
            return;
        }
        report(session, resting.clOrdId, resting.orderId, ExecType.CANCELED, OrdStatus.CANCELED,
            resting.side, 0, 0, 0, 0, 0, CANCELED);
        session.book.recycle(resting);
    }

    private void accept(final GatewaySession session, final long clOrdId, final long orderId)
    {
        out.encode(accepted)
            .seqNo(0)
            .clOrdId(clOrdId)
            .orderId(orderId)
            .sendingTimeNanos(wallClock.nanoTime());
        gateway.publish(session, out);
    }

    private void fill(final GatewaySession session, final long clOrdId, final long orderId, final byte side,
        final long price, final long quantity, final long leaves, final long cumulative)
    {
        final boolean done = leaves == 0;
        report(session, clOrdId, orderId, done ? ExecType.FILL : ExecType.PARTIAL_FILL,
            done ? OrdStatus.FILLED : OrdStatus.PARTIALLY_FILLED, side, leaves, cumulative, price, price, quantity,
            NO_TEXT);
    }

    private void report(final GatewaySession session, final long clOrdId, final long orderId, final ExecType execType,
        final OrdStatus ordStatus, final byte side, final long leaves, final long cumulative, final long averagePrice,
        final long fillPrice, final long fillQuantity, final byte[] text)
    {
        final long execId = nextExecId++;
        out.encode(report)
            .seqNo(0)
            .clOrdId(clOrdId)
            .orderId(orderId)
            .execId(execId)
            .execType(execType)
            .ordStatus(ordStatus)
            .side(side == Side.BUY.value() ? Side.BUY : Side.SELL)
            .leavesQty(leaves)
            .cumQty(cumulative);
        report.avgPx().mantissa(averagePrice);
        final ExecutionReportEncoder.FillsEncoder fills = report.fillsCount(fillQuantity == 0 ? 0 : 1);
        if (fillQuantity != 0)
        {
            fills.next().fillPx().mantissa(fillPrice);
            fills.fillQty(fillQuantity).tradeId(execId);
        }
        report.putText(text, 0, text.length);
        gateway.publish(session, out);
    }

    /**
     * Sends a Reject for an inbound message.
     *
     * @param session  of the trader.
     * @param refSeqNo of the refused message.
     * @param reason   why.
     * @param text     UTF-8, for humans.
     */
    void reject(final GatewaySession session, final long refSeqNo, final RejectReason reason, final byte[] text)
    {
        out.encode(reject)
            .seqNo(0)
            .refSeqNo(refSeqNo)
            .reason(reason)
            .putText(text, 0, text.length);
        gateway.publish(session, out);
    }
}
