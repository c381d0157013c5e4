package dev.hayate.codec.orderentry;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

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
import dev.hayate.codec.orderentry.sbe.ExecType;
import dev.hayate.codec.orderentry.sbe.LoginRejectReason;
import dev.hayate.codec.orderentry.sbe.OrdStatus;
import dev.hayate.codec.orderentry.sbe.OrdType;
import dev.hayate.codec.orderentry.sbe.RejectReason;
import dev.hayate.codec.orderentry.sbe.Side;
import dev.hayate.codec.orderentry.sbe.TimeInForce;

/**
 * Order-entry messages for tests: a fixed set that covers every template and the edge cases of each SBE feature,
 * and random ones for fuzzing.
 */
final class OrderEntrySamples
{
    /** Largest var data the schema allows, in bytes. */
    static final int MAX_VAR_DATA = 65534;
    /** A body large enough for any sample. */
    static final int MAX_BODY = 3 * 65536;

    private OrderEntrySamples()
    {
    }

    /**
     * @return one or more samples of every message type: groups with 0, 1 and many entries, var data empty,
     * short, multi-byte and at the schema's maximum, and extreme numeric values.
     */
    static List<OrderEntryMessage> all()
    {
        final List<OrderEntryMessage> samples = new ArrayList<>();
        samples.add(new Login(0, 30_000, "trader1", "s3cret"));
        samples.add(new Login(Long.MAX_VALUE, 0xFFFF_FFFFL, "", ""));
        samples.add(new Login(-1, 1, "u".repeat(MAX_VAR_DATA), "p".repeat(1000)));
        samples.add(new LoginAccepted(77, 1, 30_000));
        samples.add(new LoginAccepted(-1, Long.MIN_VALUE, 0));
        samples.add(new LoginRejected(LoginRejectReason.BAD_CREDENTIALS, "bad password"));
        samples.add(new LoginRejected(LoginRejectReason.NOT_AVAILABLE, ""));
        samples.add(new Heartbeat());
        samples.add(new Logout(""));
        samples.add(new Logout("end of day \u2014 see you tomorrow \uD83D\uDC4B"));
        samples.add(new NewOrder(1, 1001, "AAPL", Side.BUY, OrdType.LIMIT, 1_012_500, 100, TimeInForce.DAY,
            1_700_000_000_123_456_789L));
        samples.add(new NewOrder(-1, -1, "BRK B", Side.SELL, OrdType.MARKET, 0, Long.MAX_VALUE,
            TimeInForce.IMMEDIATE_OR_CANCEL, 0));
        samples.add(new NewOrder(2, 1002, "ESZ5C123", Side.SELL, OrdType.LIMIT, -25_000, 1,
            TimeInForce.FILL_OR_KILL, Long.MIN_VALUE));
        samples.add(new Cancel(3, 1003, 1001, "AAPL", Side.BUY));
        samples.add(new OrderAccepted(1, 1001, 9_000_001, 1_700_000_000_223_456_789L));
        samples.add(executionReport(0, ""));
        samples.add(executionReport(1, "partially filled"));
        samples.add(executionReport(250, "\u00e9\u6f22\uD83D\uDE80".repeat(3000)));
        samples.add(executionReport(3, "x".repeat(MAX_VAR_DATA)));
        samples.add(new Reject(4, 2, RejectReason.UNKNOWN_SYMBOL, "unknown symbol ESZ5C123"));
        samples.add(new Reject(5, 3, RejectReason.OTHER, ""));
        return samples;
    }

    static ExecutionReport executionReport(final int fillCount, final String text)
    {
        final List<Fill> fills = new ArrayList<>();
        for (int i = 0; i < fillCount; i++)
        {
            fills.add(new Fill(1_012_500 + i, 10 + i, 5_000_000L + i));
        }
        final ExecType execType = fillCount == 0 ? ExecType.NEW : ExecType.PARTIAL_FILL;
        final OrdStatus ordStatus = fillCount == 0 ? OrdStatus.NEW : OrdStatus.PARTIALLY_FILLED;
        return new ExecutionReport(10 + fillCount, 1001, 9_000_001, 70_000 + fillCount, execType, ordStatus, Side.BUY,
            1_000_000, 10L * fillCount, 1_012_500, fills, text);
    }

    /**
     * @param random source; the same seed gives the same message.
     * @return a valid message of a random type with random values.
     */
    static OrderEntryMessage random(final Random random)
    {
        switch (random.nextInt(10))
        {
            case 0:
                return new Login(random.nextLong(), random.nextLong() & 0xFFFF_FFFFL, ascii(random, 20),
                    ascii(random, 20));
            case 1:
                return new LoginAccepted(random.nextLong(), random.nextLong(), random.nextLong() & 0xFFFF_FFFFL);
            case 2:
                return new LoginRejected(pick(random, LoginRejectReason.values()), text(random, 30));
            case 3:
                return new Heartbeat();
            case 4:
                return new Logout(text(random, 30));
            case 5:
                return new NewOrder(random.nextLong(), random.nextLong(), symbol(random), pick(random, Side.values()),
                    pick(random, OrdType.values()), random.nextLong(), random.nextLong(),
                    pick(random, TimeInForce.values()), random.nextLong());
            case 6:
                return new Cancel(random.nextLong(), random.nextLong(), random.nextLong(), symbol(random),
                    pick(random, Side.values()));
            case 7:
                return new OrderAccepted(random.nextLong(), random.nextLong(), random.nextLong(), random.nextLong());
            case 8:
            {
                final List<Fill> fills = new ArrayList<>();
                final int count = random.nextInt(4) == 0 ? 0 : random.nextInt(6);
                for (int i = 0; i < count; i++)
                {
                    fills.add(new Fill(random.nextLong(), random.nextLong(), random.nextLong()));
                }
                return new ExecutionReport(random.nextLong(), random.nextLong(), random.nextLong(), random.nextLong(),
                    pick(random, ExecType.values()), pick(random, OrdStatus.values()), pick(random, Side.values()),
                    random.nextLong(), random.nextLong(), random.nextLong(), fills, text(random, 30));
            }
            default:
                return new Reject(random.nextLong(), random.nextLong(), pick(random, RejectReason.values()),
                    text(random, 30));
        }
    }

    private static <E extends Enum<E>> E pick(final Random random, final E[] values)
    {
        // NULL_VAL is the last constant of every generated enum and travels as a legal "absent" value.
        return values[random.nextInt(values.length)];
    }

    private static String ascii(final Random random, final int maxLength)
    {
        final StringBuilder text = new StringBuilder();
        final int length = random.nextInt(maxLength + 1);
        for (int i = 0; i < length; i++)
        {
            text.append((char)random.nextInt(0x80));
        }
        return text.toString();
    }

    private static String symbol(final Random random)
    {
        final StringBuilder text = new StringBuilder();
        final int length = 1 + random.nextInt(8);
        for (int i = 0; i < length; i++)
        {
            text.append((char)('A' + random.nextInt(26)));
        }
        return text.toString();
    }

    private static String text(final Random random, final int maxLength)
    {
        final StringBuilder text = new StringBuilder();
        final int length = random.nextInt(maxLength + 1);
        for (int i = 0; i < length; i++)
        {
            final int kind = random.nextInt(10);
            if (kind < 6)
            {
                text.append((char)(0x20 + random.nextInt(0x5F)));
            }
            else if (kind < 8)
            {
                text.append((char)(0xA0 + random.nextInt(0x700)));
            }
            else if (kind < 9)
            {
                text.append((char)(0x3000 + random.nextInt(0x5000)));
            }
            else
            {
                text.appendCodePoint(0x1F300 + random.nextInt(0x300));
            }
        }
        return text.toString();
    }
}
