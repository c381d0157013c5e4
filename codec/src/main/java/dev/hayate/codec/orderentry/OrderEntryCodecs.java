package dev.hayate.codec.orderentry;

import java.nio.ByteOrder;
import java.util.List;

import dev.hayate.codec.SbeBounds;
import dev.hayate.codec.SbeFlyweightCodec;
import dev.hayate.codec.SbeMessage;
import dev.hayate.codec.SbeRecordCodec;
import dev.hayate.codec.SequenceStamp;
import dev.hayate.codec.Utf8;
import dev.hayate.codec.orderentry.OrderEntryMessage.Cancel;
import dev.hayate.codec.orderentry.OrderEntryMessage.ExecutionReport;
import dev.hayate.codec.orderentry.OrderEntryMessage.Fill;
import dev.hayate.codec.orderentry.OrderEntryMessage.Heartbeat;
import dev.hayate.codec.orderentry.OrderEntryMessage.Login;
import dev.hayate.codec.orderentry.OrderEntryMessage.LoginAccepted;
import dev.hayate.codec.orderentry.OrderEntryMessage.LoginRejected;
import dev.hayate.codec.orderentry.OrderEntryMessage.Logout;
import dev.hayate.codec.orderentry.OrderEntryMessage.NewOrder;
import dev.hayate.codec.orderentry.OrderEntryMessage.OrderAccepted;
import dev.hayate.codec.orderentry.OrderEntryMessage.Reject;
import dev.hayate.codec.orderentry.sbe.CancelDecoder;
import dev.hayate.codec.orderentry.sbe.CancelEncoder;
import dev.hayate.codec.orderentry.sbe.ExecType;
import dev.hayate.codec.orderentry.sbe.ExecutionReportDecoder;
import dev.hayate.codec.orderentry.sbe.ExecutionReportEncoder;
import dev.hayate.codec.orderentry.sbe.HeartbeatDecoder;
import dev.hayate.codec.orderentry.sbe.HeartbeatEncoder;
import dev.hayate.codec.orderentry.sbe.LoginAcceptedDecoder;
import dev.hayate.codec.orderentry.sbe.LoginAcceptedEncoder;
import dev.hayate.codec.orderentry.sbe.LoginDecoder;
import dev.hayate.codec.orderentry.sbe.LoginEncoder;
import dev.hayate.codec.orderentry.sbe.LoginRejectReason;
import dev.hayate.codec.orderentry.sbe.LoginRejectedDecoder;
import dev.hayate.codec.orderentry.sbe.LoginRejectedEncoder;
import dev.hayate.codec.orderentry.sbe.LogoutDecoder;
import dev.hayate.codec.orderentry.sbe.LogoutEncoder;
import dev.hayate.codec.orderentry.sbe.MessageHeaderEncoder;
import dev.hayate.codec.orderentry.sbe.NewOrderDecoder;
import dev.hayate.codec.orderentry.sbe.NewOrderEncoder;
import dev.hayate.codec.orderentry.sbe.OrdStatus;
import dev.hayate.codec.orderentry.sbe.OrderAcceptedDecoder;
import dev.hayate.codec.orderentry.sbe.OrderAcceptedEncoder;
import dev.hayate.codec.orderentry.sbe.RejectDecoder;
import dev.hayate.codec.orderentry.sbe.RejectEncoder;
import dev.hayate.codec.orderentry.sbe.RejectReason;
import dev.hayate.codec.orderentry.sbe.Side;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Codecs for the order-entry schema ({@code sbe/order-entry.xml}, schema id {@value #SCHEMA_ID}), in both paths.
 *
 * <pre>{@code
 * // values: a new record per message received; one stamp and one codec per connection
 * ProtocolFactory<OrderEntryMessage> values = id ->
 * {
 *     final Codec<OrderEntryMessage> codec = OrderEntryCodecs.records(new SequenceStamp());
 *     return () -> codec;
 * };
 * // flyweights: nothing allocated per message
 * ProtocolFactory<SbeMessage> fast = ProtocolFactory.of(OrderEntryCodecs::flyweights);
 * }</pre>
 *
 * <p>Sequence numbers: every application message (NewOrder, Cancel, OrderAccepted, ExecutionReport, Reject)
 * starts its root block with {@code seqNo}, so a session layer can read or stamp it without knowing the template:
 * {@link #records(SequenceStamp)} writes it from a per-connection {@link SequenceStamp}, and on the flyweight
 * path a protocol's {@code onSend} calls {@link #stampSeqNo(SbeMessage, long)}.
 *
 * <p>Thread-safety: the static methods are safe to call from any thread; each call makes a codec that belongs to
 * one connection (see {@link SbeRecordCodec} and {@link SbeFlyweightCodec}).
 */
public final class OrderEntryCodecs
{
    /** Schema id of the order-entry schema. */
    public static final int SCHEMA_ID = MessageHeaderEncoder.SCHEMA_ID;
    /** Version of the order-entry schema these classes were generated from. */
    public static final int SCHEMA_VERSION = MessageHeaderEncoder.SCHEMA_VERSION;
    /** Offset of {@code seqNo} in the body of every sequenced message: the first field after the header. */
    public static final int SEQ_NO_OFFSET = SbeMessage.HEADER_LENGTH;

    private static final int[] TEMPLATE_IDS = {
        LoginEncoder.TEMPLATE_ID, LoginAcceptedEncoder.TEMPLATE_ID, LoginRejectedEncoder.TEMPLATE_ID,
        HeartbeatEncoder.TEMPLATE_ID, LogoutEncoder.TEMPLATE_ID, NewOrderEncoder.TEMPLATE_ID, CancelEncoder.TEMPLATE_ID,
        OrderAcceptedEncoder.TEMPLATE_ID, ExecutionReportEncoder.TEMPLATE_ID, RejectEncoder.TEMPLATE_ID };

    // Text longer than this in chars is longer than this in UTF-8 bytes too: refuse it before encoding it.
    private static final int MAX_VAR_DATA = 65534;

    private OrderEntryCodecs()
    {
    }

    /**
     * @return the record codec; each sequenced record's own {@code seqNo} is written as given.
     */
    public static SbeRecordCodec<OrderEntryMessage> records()
    {
        return records(null);
    }

    /**
     * @param stamp per-connection sequence numbers written into every sequenced message in place of the record's
     *              own {@code seqNo}, each number used once per message encoded whole; null to write the record's.
     * @return the record codec, for one connection.
     */
    public static SbeRecordCodec<OrderEntryMessage> records(final SequenceStamp stamp)
    {
        // The generated UTF-8 setters allocate a byte[] per call; encoding into this first keeps sends allocation-free.
        final ExpandableArrayBuffer utf8 = new ExpandableArrayBuffer(256);
        return SbeRecordCodec.builder(OrderEntryMessage.class, SCHEMA_ID)
            .sequenceStamp(stamp)
            .message(Login.class,
                new LoginEncoder(), (m, e) -> e
                    .lastSeqNoSeen(m.lastSeqNoSeen())
                    .heartbeatIntervalMs(m.heartbeatIntervalMs())
                    .username(checkLength("username", m.username()))
                    .password(checkLength("password", m.password())),
                new LoginDecoder(), OrderEntryCodecs::readLogin)
            .message(LoginAccepted.class,
                new LoginAcceptedEncoder(), (m, e) -> e
                    .sessionId(m.sessionId())
                    .nextSeqNo(m.nextSeqNo())
                    .heartbeatIntervalMs(m.heartbeatIntervalMs()),
                new LoginAcceptedDecoder(), d -> new LoginAccepted(d.sessionId(), d.nextSeqNo(), d.heartbeatIntervalMs()))
            .message(LoginRejected.class,
                new LoginRejectedEncoder(), (m, e) ->
                {
                    e.reason(m.reason());
                    e.putText(utf8, 0, utf8(utf8, m.text()));
                },
                new LoginRejectedDecoder(), OrderEntryCodecs::readLoginRejected)
            .message(Heartbeat.class,
                new HeartbeatEncoder(), (m, e) -> { },
                new HeartbeatDecoder(), d -> new Heartbeat())
            .message(Logout.class,
                new LogoutEncoder(), (m, e) -> e.putText(utf8, 0, utf8(utf8, m.text())),
                new LogoutDecoder(), OrderEntryCodecs::readLogout)
            .message(NewOrder.class,
                new NewOrderEncoder(), (m, e) ->
                {
                    e.seqNo(seqNo(stamp, m.seqNo()))
                        .clOrdId(m.clOrdId())
                        .symbol(m.symbol())
                        .side(m.side())
                        .ordType(m.ordType());
                    e.price().mantissa(m.price());
                    e.quantity(m.quantity())
                        .timeInForce(m.timeInForce())
                        .sendingTimeNanos(m.sendingTimeNanos());
                },
                new NewOrderDecoder(), OrderEntryCodecs::readNewOrder)
            .message(Cancel.class,
                new CancelEncoder(), (m, e) -> e
                    .seqNo(seqNo(stamp, m.seqNo()))
                    .clOrdId(m.clOrdId())
                    .origClOrdId(m.origClOrdId())
                    .symbol(m.symbol())
                    .side(m.side()),
                new CancelDecoder(), d -> new Cancel(d.seqNo(), d.clOrdId(), d.origClOrdId(), d.symbol(), d.side()))
            .message(OrderAccepted.class,
                new OrderAcceptedEncoder(), (m, e) -> e
                    .seqNo(seqNo(stamp, m.seqNo()))
                    .clOrdId(m.clOrdId())
                    .orderId(m.orderId())
                    .sendingTimeNanos(m.sendingTimeNanos()),
                new OrderAcceptedDecoder(),
                d -> new OrderAccepted(d.seqNo(), d.clOrdId(), d.orderId(), d.sendingTimeNanos()))
            .message(ExecutionReport.class,
                new ExecutionReportEncoder(), (m, e) -> writeExecutionReport(stamp, utf8, m, e),
                new ExecutionReportDecoder(), OrderEntryCodecs::readExecutionReport)
            .message(Reject.class,
                new RejectEncoder(), (m, e) ->
                {
                    e.seqNo(seqNo(stamp, m.seqNo()))
                        .refSeqNo(m.refSeqNo())
                        .reason(m.reason());
                    e.putText(utf8, 0, utf8(utf8, m.text()));
                },
                new RejectDecoder(), OrderEntryCodecs::readReject)
            .build();
    }

    /**
     * @return a flyweight codec that accepts this schema's id and templates only, for one connection.
     */
    public static SbeFlyweightCodec flyweights()
    {
        return new SbeFlyweightCodec(SCHEMA_ID, TEMPLATE_IDS);
    }

    /**
     * @return the template ids of the schema, in ascending order; a new array.
     */
    public static int[] templateIds()
    {
        return TEMPLATE_IDS.clone();
    }

    /**
     * @param templateId of an order-entry message.
     * @return true for the application messages, which carry a {@code seqNo}.
     */
    public static boolean isSequenced(final int templateId)
    {
        return templateId >= NewOrderEncoder.TEMPLATE_ID;
    }

    /**
     * @param message of this schema.
     * @return its {@code seqNo}.
     * @throws IllegalArgumentException if the message is not a sequenced order-entry message.
     */
    public static long seqNo(final SbeMessage message)
    {
        checkSequenced(message);
        return message.buffer().getLong(message.offset() + SEQ_NO_OFFSET, ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * Writes {@code seqNo} into a message built with {@link SbeMessage#encode}, for a protocol's {@code onSend}:
     * it runs once per message sent, after the application has encoded it.
     *
     * @param message of this schema, in its own scratch buffer.
     * @param seqNo   to write.
     * @return true if the message is sequenced and was stamped, false if it carries no sequence number.
     * @throws IllegalStateException if the message lives in a buffer it does not own.
     */
    public static boolean stampSeqNo(final SbeMessage message, final long seqNo)
    {
        if (message.schemaId() != SCHEMA_ID || !isSequenced(message.templateId()))
        {
            return false;
        }
        checkSequenced(message);
        message.mutableBuffer().putLong(message.offset() + SEQ_NO_OFFSET, seqNo, ByteOrder.LITTLE_ENDIAN);
        return true;
    }

    private static void checkSequenced(final SbeMessage message)
    {
        if (message.schemaId() != SCHEMA_ID || !isSequenced(message.templateId()) ||
            message.blockLength() < Long.BYTES)
        {
            throw new IllegalArgumentException("not a sequenced order-entry message: " + message);
        }
    }

    private static long seqNo(final SequenceStamp stamp, final long own)
    {
        return null == stamp ? own : stamp.claim();
    }

    private static String checkLength(final String field, final String value)
    {
        if (value.length() > MAX_VAR_DATA)
        {
            throw new IllegalArgumentException(field + " is longer than " + MAX_VAR_DATA + " bytes");
        }
        return value;
    }

    private static int utf8(final MutableDirectBuffer scratch, final String text)
    {
        checkLength("text", text);
        return Utf8.encode(text, scratch, 0);
    }

    private static void writeExecutionReport(final SequenceStamp stamp, final MutableDirectBuffer utf8,
        final ExecutionReport m, final ExecutionReportEncoder e)
    {
        e.seqNo(seqNo(stamp, m.seqNo()))
            .clOrdId(m.clOrdId())
            .orderId(m.orderId())
            .execId(m.execId())
            .execType(m.execType())
            .ordStatus(m.ordStatus())
            .side(m.side())
            .leavesQty(m.leavesQty())
            .cumQty(m.cumQty());
        e.avgPx().mantissa(m.avgPx());
        final List<Fill> fills = m.fills();
        final ExecutionReportEncoder.FillsEncoder group = e.fillsCount(fills.size());
        for (int i = 0; i < fills.size(); i++)
        {
            final Fill fill = fills.get(i);
            group.next().fillPx().mantissa(fill.fillPx());
            group.fillQty(fill.fillQty()).tradeId(fill.tradeId());
        }
        e.putText(utf8, 0, utf8(utf8, m.text()));
    }

    private static Login readLogin(final LoginDecoder d)
    {
        final long lastSeqNoSeen = d.lastSeqNoSeen();
        final long heartbeatIntervalMs = d.heartbeatIntervalMs();
        SbeBounds.checkVarData(d, "username", LoginDecoder.usernameHeaderLength(), d.usernameLength());
        final String username = d.username();
        SbeBounds.checkVarData(d, "password", LoginDecoder.passwordHeaderLength(), d.passwordLength());
        return new Login(lastSeqNoSeen, heartbeatIntervalMs, username, d.password());
    }

    private static LoginRejected readLoginRejected(final LoginRejectedDecoder d)
    {
        final LoginRejectReason reason = d.reason();
        SbeBounds.checkVarData(d, "text", LoginRejectedDecoder.textHeaderLength(), d.textLength());
        return new LoginRejected(reason, d.text());
    }

    private static Logout readLogout(final LogoutDecoder d)
    {
        SbeBounds.checkVarData(d, "text", LogoutDecoder.textHeaderLength(), d.textLength());
        return new Logout(d.text());
    }

    private static NewOrder readNewOrder(final NewOrderDecoder d)
    {
        return new NewOrder(d.seqNo(), d.clOrdId(), d.symbol(), d.side(), d.ordType(), d.price().mantissa(),
            d.quantity(), d.timeInForce(), d.sendingTimeNanos());
    }

    private static ExecutionReport readExecutionReport(final ExecutionReportDecoder d)
    {
        final long seqNo = d.seqNo();
        final long clOrdId = d.clOrdId();
        final long orderId = d.orderId();
        final long execId = d.execId();
        final ExecType execType = d.execType();
        final OrdStatus ordStatus = d.ordStatus();
        final Side side = d.side();
        final long leavesQty = d.leavesQty();
        final long cumQty = d.cumQty();
        final long avgPx = d.avgPx().mantissa();
        final ExecutionReportDecoder.FillsDecoder group = d.fills();
        final int count = SbeBounds.checkGroup(d, "fills", group.count(), group.actingBlockLength(),
            ExecutionReportDecoder.FillsDecoder.sbeBlockLength());
        final Fill[] fills = new Fill[count];
        for (int i = 0; i < count; i++)
        {
            group.next();
            fills[i] = new Fill(group.fillPx().mantissa(), group.fillQty(), group.tradeId());
        }
        SbeBounds.checkVarData(d, "text", ExecutionReportDecoder.textHeaderLength(), d.textLength());
        return new ExecutionReport(seqNo, clOrdId, orderId, execId, execType, ordStatus, side, leavesQty, cumQty,
            avgPx, List.of(fills), d.text());
    }

    private static Reject readReject(final RejectDecoder d)
    {
        final long seqNo = d.seqNo();
        final long refSeqNo = d.refSeqNo();
        final RejectReason reason = d.reason();
        SbeBounds.checkVarData(d, "text", RejectDecoder.textHeaderLength(), d.textLength());
        return new Reject(seqNo, refSeqNo, reason, d.text());
    }
}
