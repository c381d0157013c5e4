package dev.hayate.examples;

import java.io.PrintWriter;
import java.util.concurrent.TimeUnit;

import dev.hayate.codec.SbeMessage;
import dev.hayate.codec.orderentry.OrderEntryCodecs;
import dev.hayate.codec.orderentry.sbe.ExecType;
import dev.hayate.codec.orderentry.sbe.ExecutionReportDecoder;
import dev.hayate.codec.orderentry.sbe.NewOrderEncoder;
import dev.hayate.codec.orderentry.sbe.OrdType;
import dev.hayate.codec.orderentry.sbe.OrderAcceptedDecoder;
import dev.hayate.codec.orderentry.sbe.RejectDecoder;
import dev.hayate.codec.orderentry.sbe.Side;
import dev.hayate.codec.orderentry.sbe.TimeInForce;
import dev.hayate.core.Status;
import org.HdrHistogram.Histogram;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.BusySpinIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.OffsetEpochNanoClock;

/**
 * The trading workload of {@code ./hayate trader}: sends N LIMIT/DAY orders through a {@link TraderSession},
 * pipelined with at most {@code window} orders unanswered, and waits (up to a timeout) until every order has its
 * final ExecutionReport. Each order's round trip runs from just before its NewOrder was taken to the arrival of its
 * FILL; an order resent after a reconnect keeps its first send time, so an outage shows in the tail.
 *
 * <p>Orders: clOrdId {@code base+1 .. base+N} (the base is the start time in milliseconds times 2^20, so two runs
 * do not share ids), alternating BUY/SELL, quantity 1..150 (above 100 the gateway fills in two reports), price
 * 101.2500 and up. Every answer is checked against its order: an OrderAccepted and a FILL per order, exactly once;
 * a duplicate FILL, a Reject, or an answer for an order never sent is counted against the run.
 *
 * <p>Allocation: none per order — one NewOrder encoder and message, decoders re-wrapped, arrays sized once for N.
 *
 * <p>Thread-safety: {@link #run()} once, on one thread.
 */
public final class Trader
{
    /**
     * Sees every application message the gateway sends, in order, after the trader has accounted for it.
     */
    @FunctionalInterface
    public interface Observer
    {
        /**
         * @param message OrderAccepted, ExecutionReport or Reject; valid only during the call.
         */
        void onMessage(SbeMessage message);
    }

    private static final byte UNSENT = 0;
    private static final byte SENT = 1;
    private static final byte ACCEPTED = 2;
    private static final byte FILLED = 3;
    private static final byte REJECTED = 4;
    private static final long BASE_PRICE = 1_012_500;

    private final TraderSession session;
    private final int orders;
    private final int window;
    private final long timeoutNanos;
    private final IdleStrategy idle;
    private final Observer observer;
    private final long clOrdIdBase;
    private final long[] sentAt;
    private final byte[] states;
    private final Histogram roundTrips = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
    private final SbeMessage order = new SbeMessage(256);
    private final NewOrderEncoder orderEncoder = new NewOrderEncoder();
    private final OrderAcceptedDecoder acceptedDecoder = new OrderAcceptedDecoder();
    private final ExecutionReportDecoder reportDecoder = new ExecutionReportDecoder();
    private final RejectDecoder rejectDecoder = new RejectDecoder();
    // Epoch time from nanoTime plus a sampled offset: SystemEpochNanoClock makes an Instant per call.
    private final OffsetEpochNanoClock wallClock = new OffsetEpochNanoClock();
    private final TraderSession.Handler handler = this::onMessage;
    private long filled;
    private long partialFills;
    private long rejected;
    private long duplicates;
    private long foreign;
    private long acceptedCount;
    private long reportCount;
    private long lastFilledIndex = -1;
    private long outOfOrder;
    private long firstSeqNo;
    private int outstanding;
    private int nextToSend;

    /**
     * @param session     logged in.
     * @param orders      to send, at least 1.
     * @param window      most orders without their final answer, at least 1.
     * @param timeoutMs   for the whole run.
     * @param spin        true to busy-spin when idle, false to back off (spin, yield, then park up to 100 µs).
     * @param observer    sees each gateway message after the trader; may be {@code null}.
     */
    public Trader(final TraderSession session, final int orders, final int window, final long timeoutMs,
        final boolean spin, final Observer observer)
    {
        if (orders < 1 || window < 1)
        {
            throw new IllegalArgumentException("orders and window must be >= 1: " + orders + ", " + window);
        }
        this.session = session;
        this.orders = orders;
        this.window = window;
        this.timeoutNanos = TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        this.idle = spin ? new BusySpinIdleStrategy() :
            new BackoffIdleStrategy(100, 10, TimeUnit.MICROSECONDS.toNanos(1), TimeUnit.MICROSECONDS.toNanos(100));
        this.observer = observer;
        this.clOrdIdBase = System.currentTimeMillis() << 20;
        this.sentAt = new long[orders];
        this.states = new byte[orders];
    }

    /**
     * Sends every order and waits for every answer, then logs out.
     *
     * @return what happened.
     */
    public Result run()
    {
        final long start = System.nanoTime();
        final long deadline = start + timeoutNanos;
        while (filled + rejected < orders && !session.isFinished())
        {
            int work = 0;
            while (outstanding < window && nextToSend < orders)
            {
                final long now = System.nanoTime();
                if (session.send(encode(nextToSend)) != Status.OK)
                {
                    break;
                }
                if (nextToSend == 0)
                {
                    firstSeqNo = OrderEntryCodecs.seqNo(order);
                }
                sentAt[nextToSend] = now;
                states[nextToSend] = SENT;
                nextToSend++;
                outstanding++;
                work++;
            }
            for (int i = 0; i < 16 && session.poll(handler) > 0; i++)
            {
                work++;
            }
            if (work == 0)
            {
                if (System.nanoTime() - deadline >= 0)
                {
                    break;
                }
                idle.idle();
            }
            else
            {
                idle.reset();
            }
        }
        final long elapsed = System.nanoTime() - start;
        final String failure = session.failure();
        final int reconnects = session.reconnects();
        final long resent = session.resent();
        final long duplicatesDropped = session.duplicatesDropped();
        final long gaps = session.gapsDetected();
        final long lastSeqNo = session.lastSeqNoSeen();
        session.close();
        return new Result(orders, nextToSend, filled, partialFills, rejected, duplicates, foreign, outOfOrder,
            acceptedCount, reportCount, lastSeqNo, reconnects, resent, duplicatesDropped, gaps, elapsed, failure,
            roundTrips);
    }

    private SbeMessage encode(final int index)
    {
        order.encode(orderEncoder)
            .seqNo(0)
            .clOrdId(clOrdIdBase + index + 1)
            .symbol("HAYATE")
            .side((index & 1) == 0 ? Side.BUY : Side.SELL)
            .ordType(OrdType.LIMIT);
        orderEncoder.price().mantissa(BASE_PRICE + (index % 100) * 25);
        orderEncoder.quantity(1 + (index * 37L) % 150)
            .timeInForce(TimeInForce.DAY)
            .sendingTimeNanos(wallClock.nanoTime());
        return order;
    }

    private int indexOf(final long clOrdId)
    {
        final long index = clOrdId - clOrdIdBase - 1;
        return index >= 0 && index < nextToSend ? (int)index : -1;
    }

    private void onMessage(final SbeMessage message)
    {
        final int templateId = message.templateId();
        if (templateId == ExecutionReportDecoder.TEMPLATE_ID)
        {
            reportCount++;
            final ExecutionReportDecoder report = message.wrap(reportDecoder);
            final int index = indexOf(report.clOrdId());
            final ExecType execType = report.execType();
            if (index < 0)
            {
                foreign++;
            }
            else if (execType == ExecType.PARTIAL_FILL)
            {
                partialFills++;
            }
            else if (execType == ExecType.FILL)
            {
                if (states[index] == FILLED || states[index] == REJECTED)
                {
                    duplicates++;
                }
                else
                {
                    roundTrips.recordValue(Math.min(roundTrips.getHighestTrackableValue(), System.nanoTime() - sentAt[index]));
                    states[index] = FILLED;
                    filled++;
                    outstanding--;
                    if (index < lastFilledIndex)
                    {
                        outOfOrder++;
                    }
                    lastFilledIndex = index;
                }
            }
        }
        else if (templateId == OrderAcceptedDecoder.TEMPLATE_ID)
        {
            acceptedCount++;
            final int index = indexOf(message.wrap(acceptedDecoder).clOrdId());
            if (index < 0)
            {
                foreign++;
            }
            else if (states[index] == SENT)
            {
                states[index] = ACCEPTED;
            }
            else
            {
                duplicates++;
            }
        }
        else if (templateId == RejectDecoder.TEMPLATE_ID)
        {
            // Orders are the only messages this trader sends: their seqNos run on from the first one's.
            final long index = message.wrap(rejectDecoder).refSeqNo() - firstSeqNo;
            if (index < 0 || index >= nextToSend)
            {
                foreign++;
            }
            else if (states[(int)index] == SENT || states[(int)index] == ACCEPTED)
            {
                states[(int)index] = REJECTED;
                rejected++;
                outstanding--;
            }
            else
            {
                duplicates++;
            }
        }
        if (observer != null)
        {
            observer.onMessage(message);
        }
    }

    /**
     * What a run did.
     *
     * @param orders            asked for.
     * @param sent              orders taken by the session.
     * @param filled            orders with their FILL, each counted once.
     * @param partialFills      PARTIAL_FILL reports.
     * @param rejected          Rejects received.
     * @param duplicates        answers for an order that already had that answer.
     * @param foreign           answers for orders this run never sent.
     * @param outOfOrder        FILLs that arrived before the FILL of an earlier order.
     * @param acceptedCount     OrderAccepted received.
     * @param reportCount       ExecutionReports received.
     * @param lastSeqNo         the last gateway seqNo seen.
     * @param reconnects        logins after the first.
     * @param resent            orders resent after reconnects.
     * @param duplicatesDropped gateway messages the session dropped as duplicates.
     * @param gaps              gateway seqNo gaps detected.
     * @param elapsedNanos      from the first send to the last answer.
     * @param failure           why the session ended early, or {@code null}.
     * @param roundTrips        NewOrder to FILL, nanoseconds.
     */
    public record Result(int orders, int sent, long filled, long partialFills, long rejected, long duplicates,
        long foreign, long outOfOrder, long acceptedCount, long reportCount, long lastSeqNo, int reconnects,
        long resent, long duplicatesDropped, long gaps, long elapsedNanos, String failure, Histogram roundTrips)
    {
        /**
         * @return true if every order was answered with exactly one FILL, nothing else went wrong.
         */
        public boolean allAnswered()
        {
            return filled == orders && rejected == 0 && duplicates == 0 && foreign == 0 && outOfOrder == 0;
        }

        /**
         * Prints the summary lines.
         *
         * @param out to print to.
         */
        public void print(final PrintWriter out)
        {
            final long unanswered = orders - filled - rejected;
            out.printf("  orders    %d sent, %d filled (%d in two reports), %d rejected, %d unanswered, %d duplicate, " +
                "%d foreign, %d out of order%n", sent, filled, partialFills, rejected, unanswered, duplicates, foreign,
                outOfOrder);
            out.printf("  messages  received %d OrderAccepted + %d ExecutionReport, gateway seqNo 1..%d without a gap " +
                "or duplicate handed on%n", acceptedCount, reportCount, lastSeqNo);
            out.printf("  recovery  %d reconnect(s), %d order(s) resent, %d duplicate(s) dropped, %d gap(s) refilled%n",
                reconnects, resent, duplicatesDropped, gaps);
            out.printf("  elapsed   %.3f s, %.0f orders/s%n", elapsedNanos / 1e9, filled / Math.max(1e-9, elapsedNanos / 1e9));
            if (roundTrips.getTotalCount() > 0)
            {
                out.printf("  round trip NewOrder -> FILL (us)  p50 %.1f   p90 %.1f   p99 %.1f   p99.9 %.1f   max %.1f%n",
                    us(roundTrips.getValueAtPercentile(50)), us(roundTrips.getValueAtPercentile(90)),
                    us(roundTrips.getValueAtPercentile(99)), us(roundTrips.getValueAtPercentile(99.9)),
                    us(roundTrips.getMaxValue()));
            }
            if (failure != null)
            {
                out.printf("  failure   %s%n", failure);
            }
            out.printf("  result    %s%n", allAnswered() ? "OK: every order answered exactly once" :
                "FAILED: " + (orders - filled) + " order(s) without exactly one FILL");
            out.flush();
        }

        private static double us(final long nanos)
        {
            return nanos / 1000.0;
        }
    }
}
