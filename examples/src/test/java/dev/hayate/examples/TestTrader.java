package dev.hayate.examples;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.hayate.codec.SbeMessage;
import dev.hayate.codec.orderentry.OrderEntryCodecs;
import dev.hayate.codec.orderentry.OrderEntryMessage;
import dev.hayate.codec.orderentry.sbe.CancelEncoder;
import dev.hayate.codec.orderentry.sbe.NewOrderEncoder;
import dev.hayate.codec.orderentry.sbe.OrdType;
import dev.hayate.codec.orderentry.sbe.Side;
import dev.hayate.codec.orderentry.sbe.TimeInForce;
import dev.hayate.core.Codec;
import dev.hayate.core.Status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A {@link TraderSession} driven step by step by a test: orders encoded on the flyweight path (raw field values
 * allowed, to build malformed ones), every gateway message kept as a record for assertions.
 */
final class TestTrader implements AutoCloseable
{
    final TraderSession session;
    final List<OrderEntryMessage> received = new ArrayList<>();
    private final Codec<OrderEntryMessage> records = OrderEntryCodecs.records();
    private final SbeMessage out = new SbeMessage(256);
    private final NewOrderEncoder newOrder = new NewOrderEncoder();
    private final CancelEncoder cancel = new CancelEncoder();
    private final TraderSession.Handler handler = message ->
        received.add(records.decode(message.buffer(), message.offset(), message.length()));

    TestTrader(final TraderSession.Config config) throws IOException
    {
        this.session = TraderSession.connect(config);
    }

    /**
     * Sends a NewOrder with raw enum values (0 for any of them writes that byte as it is).
     */
    void newOrder(final long clOrdId, final String symbol, final byte side, final byte ordType, final long price,
        final long quantity, final byte timeInForce)
    {
        out.encode(newOrder).seqNo(0).clOrdId(clOrdId).symbol(symbol).side(Side.BUY).ordType(OrdType.LIMIT);
        newOrder.price().mantissa(price);
        newOrder.quantity(quantity).timeInForce(TimeInForce.DAY).sendingTimeNanos(0);
        final int block = out.offset() + SbeMessage.HEADER_LENGTH;
        out.mutableBuffer().putByte(block + NewOrderEncoder.sideEncodingOffset(), side);
        out.mutableBuffer().putByte(block + NewOrderEncoder.ordTypeEncodingOffset(), ordType);
        out.mutableBuffer().putByte(block + NewOrderEncoder.timeInForceEncodingOffset(), timeInForce);
        send(out);
    }

    void limit(final long clOrdId, final long quantity, final TimeInForce timeInForce)
    {
        newOrder(clOrdId, "HAYATE", Side.BUY.value(), OrdType.LIMIT.value(), 1_012_500, quantity, timeInForce.value());
    }

    void cancel(final long clOrdId, final long origClOrdId)
    {
        out.encode(cancel).seqNo(0).clOrdId(clOrdId).origClOrdId(origClOrdId).symbol("HAYATE").side(Side.BUY);
        send(out);
    }

    void send(final SbeMessage message)
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        Status status;
        while ((status = session.send(message)) != Status.OK)
        {
            if (status == Status.CLOSED || System.nanoTime() - deadline >= 0)
            {
                fail("could not send: " + status + " " + session.failure());
            }
            session.poll(handler);
        }
    }

    /**
     * @param count messages received in all.
     * @return the messages received so far, once there are at least {@code count}.
     */
    List<OrderEntryMessage> await(final int count)
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (received.size() < count)
        {
            if (session.poll(handler) == 0)
            {
                if (System.nanoTime() - deadline >= 0)
                {
                    fail("received " + received.size() + " of " + count + ": " + received);
                }
                Thread.onSpinWait();
            }
        }
        return received;
    }

    /**
     * @param millis to keep polling.
     * @param expected messages received in all by then (no more).
     */
    void expectNothingMore(final long millis, final int expected)
    {
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (System.nanoTime() - deadline < 0)
        {
            session.poll(handler);
            GatewayFixture.sleep(1);
        }
        assertEquals(expected, received.size(), () -> "unexpected messages: " + received);
    }

    @Override
    public void close()
    {
        session.close();
    }
}
