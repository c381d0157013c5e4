package dev.hayate.codec.orderentry;

import java.util.List;
import java.util.Objects;

import dev.hayate.codec.orderentry.sbe.ExecType;
import dev.hayate.codec.orderentry.sbe.LoginRejectReason;
import dev.hayate.codec.orderentry.sbe.OrdStatus;
import dev.hayate.codec.orderentry.sbe.OrdType;
import dev.hayate.codec.orderentry.sbe.RejectReason;
import dev.hayate.codec.orderentry.sbe.Side;
import dev.hayate.codec.orderentry.sbe.TimeInForce;

/**
 * One message of the order-entry schema ({@code sbe/order-entry.xml}) as an immutable value: one record per
 * template, for {@link OrderEntryCodecs#records()}. Field meanings are documented in the schema.
 *
 * <p>Conventions: prices are fixed-point mantissas with exponent {@link #PRICE_EXPONENT} (101.25 is
 * {@code 1_012_500}); uint64 fields (ids, quantities, sequence numbers) are carried bit for bit in a
 * {@code long}; times are nanoseconds since the Unix epoch. Constructors reject values the wire cannot carry
 * faithfully, so a record that exists always encodes to the same record.
 *
 * <pre>{@code
 * if (message instanceof OrderEntryMessage.ExecutionReport report && report.execType() == ExecType.FILL)
 * {
 *     book.onFill(report.clOrdId(), report.fills());
 * }
 * }</pre>
 *
 * <p>Thread-safety: immutable.
 */
public sealed interface OrderEntryMessage
{
    /** Decimal exponent of every price: a price of {@code p} travels as {@code p * 10^4}. */
    int PRICE_EXPONENT = -4;

    /**
     * A message that carries a per-direction sequence number. A codec built with a
     * {@link dev.hayate.codec.SequenceStamp} ignores {@link #seqNo()} on send and writes the stamp's number.
     */
    interface Sequenced
    {
        /**
         * @return the sequence number: as received, or as given for a codec without a stamp.
         */
        long seqNo();
    }

    /**
     * Client opens or resumes a session.
     *
     * @param lastSeqNoSeen       highest server seqNo the client processed; 0 for a new session.
     * @param heartbeatIntervalMs interval the client asks for, a uint32.
     * @param username            US-ASCII.
     * @param password            US-ASCII.
     */
    record Login(long lastSeqNoSeen, long heartbeatIntervalMs, String username, String password)
        implements OrderEntryMessage
    {
        /**
         * Checks the values fit the wire.
         */
        public Login
        {
            checkUint32("heartbeatIntervalMs", heartbeatIntervalMs);
            checkAscii("username", username);
            checkAscii("password", password);
        }

        @Override
        public String toString()
        {
            // Credentials stay out of logs.
            return "Login[lastSeqNoSeen=" + lastSeqNoSeen + ", heartbeatIntervalMs=" + heartbeatIntervalMs +
                ", username=" + username + ", password=***]";
        }
    }

    /**
     * Server accepts a Login.
     *
     * @param sessionId           server-assigned.
     * @param nextSeqNo           seqNo the server expects on the client's next application message.
     * @param heartbeatIntervalMs interval both sides use from now on, a uint32.
     */
    record LoginAccepted(long sessionId, long nextSeqNo, long heartbeatIntervalMs) implements OrderEntryMessage
    {
        /**
         * Checks the values fit the wire.
         */
        public LoginAccepted
        {
            checkUint32("heartbeatIntervalMs", heartbeatIntervalMs);
        }
    }

    /**
     * Server refuses a Login, then closes.
     *
     * @param reason why.
     * @param text   explanation for humans, UTF-8 on the wire.
     */
    record LoginRejected(LoginRejectReason reason, String text) implements OrderEntryMessage
    {
        /**
         * Checks the values fit the wire.
         */
        public LoginRejected
        {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(text, "text");
        }
    }

    /**
     * Sent by either side after a heartbeat interval of silence.
     */
    record Heartbeat() implements OrderEntryMessage
    {
    }

    /**
     * Either side ends the session.
     *
     * @param text reason for humans, UTF-8 on the wire.
     */
    record Logout(String text) implements OrderEntryMessage
    {
        /**
         * Checks the values fit the wire.
         */
        public Logout
        {
            Objects.requireNonNull(text, "text");
        }
    }

    /**
     * NewOrderSingle.
     *
     * @param seqNo            sequence number.
     * @param clOrdId          client order id, unique per session.
     * @param symbol           1 to 8 printable US-ASCII characters.
     * @param side             buy or sell.
     * @param ordType          limit or market.
     * @param price            limit price mantissa (exponent {@link #PRICE_EXPONENT}); ignored for market orders.
     * @param quantity         whole units.
     * @param timeInForce      how long the order lives.
     * @param sendingTimeNanos when the client sent it.
     */
    record NewOrder(long seqNo, long clOrdId, String symbol, Side side, OrdType ordType, long price, long quantity,
        TimeInForce timeInForce, long sendingTimeNanos) implements OrderEntryMessage, Sequenced
    {
        /**
         * Checks the values fit the wire.
         */
        public NewOrder
        {
            checkSymbol(symbol);
            Objects.requireNonNull(side, "side");
            Objects.requireNonNull(ordType, "ordType");
            Objects.requireNonNull(timeInForce, "timeInForce");
        }
    }

    /**
     * OrderCancelRequest.
     *
     * @param seqNo       sequence number.
     * @param clOrdId     new client id of this request.
     * @param origClOrdId clOrdId of the order to cancel.
     * @param symbol      of the order.
     * @param side        of the order.
     */
    record Cancel(long seqNo, long clOrdId, long origClOrdId, String symbol, Side side)
        implements OrderEntryMessage, Sequenced
    {
        /**
         * Checks the values fit the wire.
         */
        public Cancel
        {
            checkSymbol(symbol);
            Objects.requireNonNull(side, "side");
        }
    }

    /**
     * The order is live on the book.
     *
     * @param seqNo            sequence number.
     * @param clOrdId          of the order.
     * @param orderId          exchange order id.
     * @param sendingTimeNanos when the server sent it.
     */
    record OrderAccepted(long seqNo, long clOrdId, long orderId, long sendingTimeNanos)
        implements OrderEntryMessage, Sequenced
    {
    }

    /**
     * One fill of an {@link ExecutionReport}.
     *
     * @param fillPx  price mantissa (exponent {@link #PRICE_EXPONENT}).
     * @param fillQty whole units.
     * @param tradeId of the trade.
     */
    record Fill(long fillPx, long fillQty, long tradeId)
    {
    }

    /**
     * State change of an order, with the fills that caused it.
     *
     * @param seqNo     sequence number.
     * @param clOrdId   of the order.
     * @param orderId   exchange order id.
     * @param execId    unique per report.
     * @param execType  what happened.
     * @param ordStatus state of the order now.
     * @param side      of the order.
     * @param leavesQty still open.
     * @param cumQty    filled so far.
     * @param avgPx     average price mantissa of cumQty (exponent {@link #PRICE_EXPONENT}).
     * @param fills     reported by this message, possibly none; copied.
     * @param text      free text, UTF-8 on the wire.
     */
    record ExecutionReport(long seqNo, long clOrdId, long orderId, long execId, ExecType execType,
        OrdStatus ordStatus, Side side, long leavesQty, long cumQty, long avgPx, List<Fill> fills, String text)
        implements OrderEntryMessage, Sequenced
    {
        /**
         * Checks the values fit the wire.
         */
        public ExecutionReport
        {
            Objects.requireNonNull(execType, "execType");
            Objects.requireNonNull(ordStatus, "ordStatus");
            Objects.requireNonNull(side, "side");
            fills = List.copyOf(fills);
            Objects.requireNonNull(text, "text");
        }
    }

    /**
     * A received message was refused.
     *
     * @param seqNo    sequence number.
     * @param refSeqNo seqNo of the refused message.
     * @param reason   why.
     * @param text     explanation for humans, UTF-8 on the wire.
     */
    record Reject(long seqNo, long refSeqNo, RejectReason reason, String text) implements OrderEntryMessage, Sequenced
    {
        /**
         * Checks the values fit the wire.
         */
        public Reject
        {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(text, "text");
        }
    }

    private static void checkUint32(final String name, final long value)
    {
        if (value < 0 || value > 0xFFFF_FFFFL)
        {
            throw new IllegalArgumentException(name + " is a uint32: " + value);
        }
    }

    private static void checkAscii(final String name, final String value)
    {
        Objects.requireNonNull(value, name);
        for (int i = 0; i < value.length(); i++)
        {
            if (value.charAt(i) > 0x7F)
            {
                throw new IllegalArgumentException(name + " must be US-ASCII");
            }
        }
    }

    private static void checkSymbol(final String symbol)
    {
        Objects.requireNonNull(symbol, "symbol");
        if (symbol.isEmpty() || symbol.length() > 8)
        {
            throw new IllegalArgumentException("symbol must have 1 to 8 characters: '" + symbol + "'");
        }
        for (int i = 0; i < symbol.length(); i++)
        {
            final char c = symbol.charAt(i);
            if (c < 0x20 || c > 0x7E)
            {
                throw new IllegalArgumentException("symbol must be printable US-ASCII: '" + symbol + "'");
            }
        }
    }
}
