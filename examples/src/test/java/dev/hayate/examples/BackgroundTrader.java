package dev.hayate.examples;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

import dev.hayate.codec.SbeMessage;
import dev.hayate.codec.orderentry.sbe.ExecType;
import dev.hayate.codec.orderentry.sbe.ExecutionReportDecoder;
import dev.hayate.codec.orderentry.sbe.NewOrderEncoder;
import dev.hayate.codec.orderentry.sbe.OrdType;
import dev.hayate.codec.orderentry.sbe.OrderAcceptedDecoder;
import dev.hayate.codec.orderentry.sbe.Side;
import dev.hayate.codec.orderentry.sbe.TimeInForce;
import dev.hayate.core.Status;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * A legitimate trader that keeps trading on its own thread until told to stop — a few orders in flight, each
 * checked to be accepted and filled once and in order — so a test can show it is unaffected by whatever else
 * the gateway is going through.
 */
final class BackgroundTrader implements AutoCloseable
{
    private static final int WINDOW = 8;

    private final TraderSession session;
    private final Thread thread;
    private final SbeMessage order = new SbeMessage(256);
    private final NewOrderEncoder encoder = new NewOrderEncoder();
    private final OrderAcceptedDecoder acceptedDecoder = new OrderAcceptedDecoder();
    private final ExecutionReportDecoder reportDecoder = new ExecutionReportDecoder();
    private volatile boolean stop;
    private volatile long sent;
    private volatile long accepted;
    private volatile long filled;
    private volatile long wrong;
    private volatile Throwable failure;

    private BackgroundTrader(final TraderSession session)
    {
        this.session = session;
        this.thread = new Thread(this::trade, "legit-trader");
        this.thread.setDaemon(true);
    }

    static BackgroundTrader start(final TraderSession.Config config) throws IOException
    {
        final BackgroundTrader trader = new BackgroundTrader(TraderSession.connect(config));
        trader.thread.start();
        return trader;
    }

    private void trade()
    {
        final IdleStrategy idle = new BackoffIdleStrategy(10, 10, TimeUnit.MICROSECONDS.toNanos(10),
            TimeUnit.MILLISECONDS.toNanos(1));
        try
        {
            while (!session.isFinished() && (!stop || filled < sent))
            {
                int work = 0;
                if (!stop && sent - filled < WINDOW)
                {
                    order.encode(encoder).seqNo(0).clOrdId(sent + 1).symbol("HAYATE").side(Side.BUY)
                        .ordType(OrdType.LIMIT);
                    encoder.price().mantissa(1_012_500);
                    encoder.quantity(10).timeInForce(TimeInForce.DAY).sendingTimeNanos(0);
                    if (session.send(order) == Status.OK)
                    {
                        sent++;
                        work++;
                    }
                }
                work += session.poll(this::onMessage);
                idle.idle(work);
            }
        }
        catch (final Throwable ex)
        {
            failure = ex;
        }
    }

    private void onMessage(final SbeMessage message)
    {
        if (message.templateId() == OrderAcceptedDecoder.TEMPLATE_ID)
        {
            if (message.wrap(acceptedDecoder).clOrdId() != accepted + 1)
            {
                wrong++;
            }
            accepted++;
        }
        else if (message.templateId() == ExecutionReportDecoder.TEMPLATE_ID)
        {
            final ExecutionReportDecoder report = message.wrap(reportDecoder);
            if (report.execType() != ExecType.FILL || report.clOrdId() != filled + 1)
            {
                wrong++;
            }
            filled++;
        }
        else
        {
            wrong++;
        }
    }

    /**
     * @return orders filled so far.
     */
    long filled()
    {
        return filled;
    }

    /**
     * Waits until at least {@code count} orders are filled.
     */
    void awaitFilled(final long count)
    {
        GatewayFixture.awaitTrue(() -> filled >= count || failure != null || session.isFinished(), 20_000,
            "the legitimate trader to fill " + count + " orders (it has " + filled + ")");
        if (failure != null || session.isFinished())
        {
            fail("the legitimate trader stopped: " + failure + " " + session.failure());
        }
    }

    /**
     * Stops sending, waits for the answers in flight, and checks every order was answered once, in order, on the
     * first connection.
     *
     * @return orders filled.
     */
    long finish() throws InterruptedException
    {
        stop = true;
        thread.join(20_000);
        if (thread.isAlive() || failure != null)
        {
            fail("the legitimate trader did not finish cleanly: " + failure + "; sent " + sent + ", filled " + filled);
        }
        if (filled != sent || accepted != sent || wrong != 0 || session.reconnects() != 0)
        {
            fail("the legitimate trader was disturbed: sent " + sent + ", accepted " + accepted + ", filled " + filled +
                ", wrong " + wrong + ", reconnects " + session.reconnects() + ", failure " + session.failure());
        }
        return filled;
    }

    @Override
    public void close()
    {
        stop = true;
        try
        {
            thread.join(20_000);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        session.close();
    }
}
