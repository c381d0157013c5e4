package dev.hayate.codec.orderentry;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import dev.hayate.codec.SbeBounds;
import dev.hayate.codec.SbeMessage;
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
import dev.hayate.codec.orderentry.sbe.ExecutionReportDecoder;
import dev.hayate.codec.orderentry.sbe.ExecutionReportEncoder;
import dev.hayate.codec.orderentry.sbe.HeartbeatDecoder;
import dev.hayate.codec.orderentry.sbe.HeartbeatEncoder;
import dev.hayate.codec.orderentry.sbe.LoginAcceptedDecoder;
import dev.hayate.codec.orderentry.sbe.LoginAcceptedEncoder;
import dev.hayate.codec.orderentry.sbe.LoginDecoder;
import dev.hayate.codec.orderentry.sbe.LoginEncoder;
import dev.hayate.codec.orderentry.sbe.LoginRejectedDecoder;
import dev.hayate.codec.orderentry.sbe.LoginRejectedEncoder;
import dev.hayate.codec.orderentry.sbe.LogoutDecoder;
import dev.hayate.codec.orderentry.sbe.LogoutEncoder;
import dev.hayate.codec.orderentry.sbe.NewOrderDecoder;
import dev.hayate.codec.orderentry.sbe.NewOrderEncoder;
import dev.hayate.codec.orderentry.sbe.OrderAcceptedDecoder;
import dev.hayate.codec.orderentry.sbe.OrderAcceptedEncoder;
import dev.hayate.codec.orderentry.sbe.RejectDecoder;
import dev.hayate.codec.orderentry.sbe.RejectEncoder;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The order-entry schema through the flyweight path only, written the way a latency-sensitive application would:
 * flyweights allocated once, ASCII and byte accessors, never the String-returning UTF-8 ones. It is independent of
 * {@link OrderEntryCodecs}'s record functions, so comparing the two tests both.
 *
 * <p>{@link #write} and {@link #walk} allocate nothing; {@link #read} makes a record to compare with (tests only).
 */
final class FlyweightOrderEntry
{
    private final LoginEncoder loginEncoder = new LoginEncoder();
    private final LoginAcceptedEncoder loginAcceptedEncoder = new LoginAcceptedEncoder();
    private final LoginRejectedEncoder loginRejectedEncoder = new LoginRejectedEncoder();
    private final HeartbeatEncoder heartbeatEncoder = new HeartbeatEncoder();
    private final LogoutEncoder logoutEncoder = new LogoutEncoder();
    private final NewOrderEncoder newOrderEncoder = new NewOrderEncoder();
    private final CancelEncoder cancelEncoder = new CancelEncoder();
    private final OrderAcceptedEncoder orderAcceptedEncoder = new OrderAcceptedEncoder();
    private final ExecutionReportEncoder executionReportEncoder = new ExecutionReportEncoder();
    private final RejectEncoder rejectEncoder = new RejectEncoder();

    private final LoginDecoder loginDecoder = new LoginDecoder();
    private final LoginAcceptedDecoder loginAcceptedDecoder = new LoginAcceptedDecoder();
    private final LoginRejectedDecoder loginRejectedDecoder = new LoginRejectedDecoder();
    private final HeartbeatDecoder heartbeatDecoder = new HeartbeatDecoder();
    private final LogoutDecoder logoutDecoder = new LogoutDecoder();
    private final NewOrderDecoder newOrderDecoder = new NewOrderDecoder();
    private final CancelDecoder cancelDecoder = new CancelDecoder();
    private final OrderAcceptedDecoder orderAcceptedDecoder = new OrderAcceptedDecoder();
    private final ExecutionReportDecoder executionReportDecoder = new ExecutionReportDecoder();
    private final RejectDecoder rejectDecoder = new RejectDecoder();

    private final ExpandableArrayBuffer utf8 = new ExpandableArrayBuffer(256);
    private final UnsafeBuffer varData = new UnsafeBuffer(new byte[0]);
    private final byte[] symbol = new byte[8];
    private final ExpandableArrayBuffer ascii = new ExpandableArrayBuffer(256);

    /**
     * Encodes {@code message} into {@code out}'s scratch buffer with flyweights.
     */
    void write(final OrderEntryMessage message, final SbeMessage out)
    {
        if (message instanceof Login m)
        {
            out.encode(loginEncoder)
                .lastSeqNoSeen(m.lastSeqNoSeen())
                .heartbeatIntervalMs(m.heartbeatIntervalMs())
                .username((CharSequence)m.username())
                .password((CharSequence)m.password());
        }
        else if (message instanceof LoginAccepted m)
        {
            out.encode(loginAcceptedEncoder)
                .sessionId(m.sessionId())
                .nextSeqNo(m.nextSeqNo())
                .heartbeatIntervalMs(m.heartbeatIntervalMs());
        }
        else if (message instanceof LoginRejected m)
        {
            out.encode(loginRejectedEncoder).reason(m.reason()).putText(utf8, 0, Utf8.encode(m.text(), utf8, 0));
        }
        else if (message instanceof Heartbeat)
        {
            out.encode(heartbeatEncoder);
        }
        else if (message instanceof Logout m)
        {
            out.encode(logoutEncoder).putText(utf8, 0, Utf8.encode(m.text(), utf8, 0));
        }
        else if (message instanceof NewOrder m)
        {
            final NewOrderEncoder e = out.encode(newOrderEncoder)
                .seqNo(m.seqNo())
                .clOrdId(m.clOrdId())
                .symbol((CharSequence)m.symbol())
                .side(m.side())
                .ordType(m.ordType());
            e.price().mantissa(m.price());
            e.quantity(m.quantity()).timeInForce(m.timeInForce()).sendingTimeNanos(m.sendingTimeNanos());
        }
        else if (message instanceof Cancel m)
        {
            out.encode(cancelEncoder)
                .seqNo(m.seqNo())
                .clOrdId(m.clOrdId())
                .origClOrdId(m.origClOrdId())
                .symbol((CharSequence)m.symbol())
                .side(m.side());
        }
        else if (message instanceof OrderAccepted m)
        {
            out.encode(orderAcceptedEncoder)
                .seqNo(m.seqNo())
                .clOrdId(m.clOrdId())
                .orderId(m.orderId())
                .sendingTimeNanos(m.sendingTimeNanos());
        }
        else if (message instanceof ExecutionReport m)
        {
            final ExecutionReportEncoder e = out.encode(executionReportEncoder)
                .seqNo(m.seqNo())
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
            e.putText(utf8, 0, Utf8.encode(m.text(), utf8, 0));
        }
        else if (message instanceof Reject m)
        {
            out.encode(rejectEncoder)
                .seqNo(m.seqNo())
                .refSeqNo(m.refSeqNo())
                .reason(m.reason())
                .putText(utf8, 0, Utf8.encode(m.text(), utf8, 0));
        }
        else
        {
            throw new IllegalArgumentException("unknown message " + message);
        }
    }

    /**
     * Reads every field of {@code message} through flyweights into a record.
     */
    OrderEntryMessage read(final SbeMessage message)
    {
        switch (message.templateId())
        {
            case LoginDecoder.TEMPLATE_ID:
            {
                final LoginDecoder d = message.wrap(loginDecoder);
                final long lastSeqNoSeen = d.lastSeqNoSeen();
                final long heartbeatIntervalMs = d.heartbeatIntervalMs();
                final StringBuilder username = new StringBuilder();
                SbeBounds.checkVarData(d, "username", LoginDecoder.usernameHeaderLength(), d.usernameLength());
                d.getUsername(username);
                SbeBounds.checkVarData(d, "password", LoginDecoder.passwordHeaderLength(), d.passwordLength());
                final int length = d.getPassword(ascii, 0, Integer.MAX_VALUE);
                return new Login(lastSeqNoSeen, heartbeatIntervalMs, username.toString(),
                    ascii.getStringWithoutLengthAscii(0, length));
            }
            case LoginAcceptedDecoder.TEMPLATE_ID:
            {
                final LoginAcceptedDecoder d = message.wrap(loginAcceptedDecoder);
                return new LoginAccepted(d.sessionId(), d.nextSeqNo(), d.heartbeatIntervalMs());
            }
            case LoginRejectedDecoder.TEMPLATE_ID:
            {
                final LoginRejectedDecoder d = message.wrap(loginRejectedDecoder);
                final var reason = d.reason();
                SbeBounds.checkVarData(d, "text", LoginRejectedDecoder.textHeaderLength(), d.textLength());
                d.wrapText(varData);
                return new LoginRejected(reason, utf8(varData));
            }
            case HeartbeatDecoder.TEMPLATE_ID:
                message.wrap(heartbeatDecoder);
                return new Heartbeat();
            case LogoutDecoder.TEMPLATE_ID:
            {
                final LogoutDecoder d = message.wrap(logoutDecoder);
                SbeBounds.checkVarData(d, "text", LogoutDecoder.textHeaderLength(), d.textLength());
                d.wrapText(varData);
                return new Logout(utf8(varData));
            }
            case NewOrderDecoder.TEMPLATE_ID:
            {
                final NewOrderDecoder d = message.wrap(newOrderDecoder);
                return new NewOrder(d.seqNo(), d.clOrdId(), symbol(d.getSymbol(symbol, 0)), d.side(), d.ordType(),
                    d.price().mantissa(), d.quantity(), d.timeInForce(), d.sendingTimeNanos());
            }
            case CancelDecoder.TEMPLATE_ID:
            {
                final CancelDecoder d = message.wrap(cancelDecoder);
                return new Cancel(d.seqNo(), d.clOrdId(), d.origClOrdId(), symbol(d.getSymbol(symbol, 0)), d.side());
            }
            case OrderAcceptedDecoder.TEMPLATE_ID:
            {
                final OrderAcceptedDecoder d = message.wrap(orderAcceptedDecoder);
                return new OrderAccepted(d.seqNo(), d.clOrdId(), d.orderId(), d.sendingTimeNanos());
            }
            case ExecutionReportDecoder.TEMPLATE_ID:
            {
                final ExecutionReportDecoder d = message.wrap(executionReportDecoder);
                final long seqNo = d.seqNo();
                final long clOrdId = d.clOrdId();
                final long orderId = d.orderId();
                final long execId = d.execId();
                final var execType = d.execType();
                final var ordStatus = d.ordStatus();
                final var side = d.side();
                final long leavesQty = d.leavesQty();
                final long cumQty = d.cumQty();
                final long avgPx = d.avgPx().mantissa();
                final List<Fill> fills = new ArrayList<>();
                final ExecutionReportDecoder.FillsDecoder group = d.fills();
                SbeBounds.checkGroup(d, "fills", group.count(), group.actingBlockLength(),
                    ExecutionReportDecoder.FillsDecoder.sbeBlockLength());
                for (final ExecutionReportDecoder.FillsDecoder fill : group)
                {
                    fills.add(new Fill(fill.fillPx().mantissa(), fill.fillQty(), fill.tradeId()));
                }
                SbeBounds.checkVarData(d, "text", ExecutionReportDecoder.textHeaderLength(), d.textLength());
                d.wrapText(varData);
                return new ExecutionReport(seqNo, clOrdId, orderId, execId, execType, ordStatus, side, leavesQty,
                    cumQty, avgPx, fills, utf8(varData));
            }
            case RejectDecoder.TEMPLATE_ID:
            {
                final RejectDecoder d = message.wrap(rejectDecoder);
                final long seqNo = d.seqNo();
                final long refSeqNo = d.refSeqNo();
                final var reason = d.reason();
                SbeBounds.checkVarData(d, "text", RejectDecoder.textHeaderLength(), d.textLength());
                d.wrapText(varData);
                return new Reject(seqNo, refSeqNo, reason, utf8(varData));
            }
            default:
                throw new IllegalArgumentException("unknown template " + message.templateId());
        }
    }

    /**
     * Touches every field of {@code message} through flyweights and folds them into a checksum, allocating nothing:
     * the receive path of an application that never makes an object per message.
     */
    long walk(final SbeMessage message)
    {
        long sum = message.templateId();
        switch (message.templateId())
        {
            case LoginDecoder.TEMPLATE_ID:
            {
                final LoginDecoder d = message.wrap(loginDecoder);
                sum += d.lastSeqNoSeen() + d.heartbeatIntervalMs();
                sum += d.getUsername(ascii, 0, ascii.capacity());
                sum += d.getPassword(ascii, 0, ascii.capacity());
                break;
            }
            case LoginAcceptedDecoder.TEMPLATE_ID:
            {
                final LoginAcceptedDecoder d = message.wrap(loginAcceptedDecoder);
                sum += d.sessionId() + d.nextSeqNo() + d.heartbeatIntervalMs();
                break;
            }
            case LoginRejectedDecoder.TEMPLATE_ID:
            {
                final LoginRejectedDecoder d = message.wrap(loginRejectedDecoder);
                sum += d.reasonRaw();
                d.wrapText(varData);
                sum += bytes(varData);
                break;
            }
            case HeartbeatDecoder.TEMPLATE_ID:
                message.wrap(heartbeatDecoder);
                break;
            case LogoutDecoder.TEMPLATE_ID:
                message.wrap(logoutDecoder).wrapText(varData);
                sum += bytes(varData);
                break;
            case NewOrderDecoder.TEMPLATE_ID:
            {
                final NewOrderDecoder d = message.wrap(newOrderDecoder);
                sum += d.seqNo() + d.clOrdId() + d.getSymbol(symbol, 0) + symbol[0] + d.sideRaw() + d.ordTypeRaw() +
                    d.price().mantissa() + d.quantity() + d.timeInForceRaw() + d.sendingTimeNanos();
                break;
            }
            case CancelDecoder.TEMPLATE_ID:
            {
                final CancelDecoder d = message.wrap(cancelDecoder);
                sum += d.seqNo() + d.clOrdId() + d.origClOrdId() + d.getSymbol(symbol, 0) + symbol[0] + d.sideRaw();
                break;
            }
            case OrderAcceptedDecoder.TEMPLATE_ID:
            {
                final OrderAcceptedDecoder d = message.wrap(orderAcceptedDecoder);
                sum += d.seqNo() + d.clOrdId() + d.orderId() + d.sendingTimeNanos();
                break;
            }
            case ExecutionReportDecoder.TEMPLATE_ID:
            {
                final ExecutionReportDecoder d = message.wrap(executionReportDecoder);
                sum += d.seqNo() + d.clOrdId() + d.orderId() + d.execId() + d.execTypeRaw() + d.ordStatusRaw() +
                    d.sideRaw() + d.leavesQty() + d.cumQty() + d.avgPx().mantissa();
                for (final ExecutionReportDecoder.FillsDecoder fill : d.fills())
                {
                    sum += fill.fillPx().mantissa() + fill.fillQty() + fill.tradeId();
                }
                d.wrapText(varData);
                sum += bytes(varData);
                break;
            }
            case RejectDecoder.TEMPLATE_ID:
            {
                final RejectDecoder d = message.wrap(rejectDecoder);
                sum += d.seqNo() + d.refSeqNo() + d.reasonRaw();
                d.wrapText(varData);
                sum += bytes(varData);
                break;
            }
            default:
                throw new IllegalArgumentException("unknown template " + message.templateId());
        }
        return sum;
    }

    private static long bytes(final MutableDirectBuffer buffer)
    {
        long sum = buffer.capacity();
        for (int i = 0; i < buffer.capacity(); i += 64)
        {
            sum += buffer.getByte(i);
        }
        return sum;
    }

    private static String utf8(final UnsafeBuffer buffer)
    {
        final byte[] bytes = new byte[buffer.capacity()];
        buffer.getBytes(0, bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private String symbol(final int length)
    {
        int end = 0;
        while (end < length && symbol[end] != 0)
        {
            end++;
        }
        return new String(symbol, 0, end, StandardCharsets.US_ASCII);
    }
}
