package dev.hayate.cli;

import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.hayate.async.AsyncRuntime;
import dev.hayate.codec.SbeMessage;
import dev.hayate.codec.orderentry.OrderEntryCodecs;
import dev.hayate.codec.orderentry.sbe.ExecType;
import dev.hayate.codec.orderentry.sbe.ExecutionReportDecoder;
import dev.hayate.codec.orderentry.sbe.ExecutionReportEncoder;
import dev.hayate.codec.orderentry.sbe.NewOrderDecoder;
import dev.hayate.codec.orderentry.sbe.NewOrderEncoder;
import dev.hayate.codec.orderentry.sbe.OrdStatus;
import dev.hayate.codec.orderentry.sbe.OrdType;
import dev.hayate.codec.orderentry.sbe.Side;
import dev.hayate.codec.orderentry.sbe.TimeInForce;
import dev.hayate.core.Context;
import dev.hayate.core.ProtocolFactory;
import dev.hayate.core.Status;
import dev.hayate.nonblocking.Clt;
import dev.hayate.nonblocking.Svc;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code hayate demo}: a service and a client in one process over loopback TCP, trading SBE order messages
 * on the zero-allocation flyweight path; prints what happened and the round-trip percentiles.
 *
 * <p>Thread-safety: a command, run once.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Run a Svc and a Clt over loopback TCP: SBE NewOrder -> ExecutionReport round trips.")
final class DemoCommand implements Callable<Integer>
{
    private static final ProtocolFactory<SbeMessage> ORDER_ENTRY = ProtocolFactory.of(OrderEntryCodecs::flyweights);
    private static final byte[] NO_TEXT = new byte[0];
    private static final long PRICE = 1_012_500;

    @Spec
    private picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--count", description = "Orders measured (default ${DEFAULT-VALUE}).", defaultValue = "20000")
    private int count;

    @Option(names = "--warmup", description = "Orders sent first and not measured, so the JIT has compiled the path "
        + "(default ${DEFAULT-VALUE}).", defaultValue = "50000")
    private int warmup;

    @Option(names = "--flavour", description = "Client face: nonblocking, blocking or async (default ${DEFAULT-VALUE}).",
        defaultValue = "nonblocking")
    private String flavour;

    @Override
    public Integer call() throws Exception
    {
        final PrintWriter out = spec.commandLine().getOut();
        if (count < 1 || warmup < 0)
        {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--count must be >= 1 and --warmup >= 0");
        }
        final Context serverContext = new Context().name("demo-gateway").maxConnections(16);
        try (Svc<SbeMessage> svc = Svc.bind(new InetSocketAddress("127.0.0.1", 0), ORDER_ENTRY, serverContext))
        {
            final AtomicBoolean running = new AtomicBoolean(true);
            final Thread gateway = new Thread(() -> serve(svc, running), "demo-gateway");
            gateway.setDaemon(true);
            gateway.start();
            out.printf("Hayate demo: order entry over loopback TCP, SBE flyweights in SOFH frames%n");
            out.printf("  service   nonblocking Svc listening on %s (busy-spinning gateway thread)%n", svc.localAddress());
            final Result result;
            switch (flavour)
            {
                case "nonblocking" -> result = runNonblocking(svc, out);
                case "blocking" -> result = runBlocking(svc, out);
                case "async" -> result = runAsync(svc, out);
                default -> throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "--flavour must be nonblocking, blocking or async: " + flavour);
            }
            running.set(false);
            gateway.join(5_000);
            result.print(out, count, warmup);
            out.flush();
            return result.mismatches == 0 ? 0 : 1;
        }
    }

    /**
     * The gateway: fills every order at its limit price, with one fill.
     */
    private static void serve(final Svc<SbeMessage> svc, final AtomicBoolean running)
    {
        final NewOrderDecoder order = new NewOrderDecoder();
        final SbeMessage reply = new SbeMessage(512);
        final ExecutionReportEncoder report = new ExecutionReportEncoder();
        long execId = 0;
        try
        {
            while (running.get())
            {
                svc.accept();
                for (final Clt<SbeMessage> clt : svc.clients())
                {
                    final SbeMessage message = clt.recv();
                    if (message == null || message.templateId() != NewOrderDecoder.TEMPLATE_ID)
                    {
                        continue;
                    }
                    message.wrap(order);
                    final long clOrdId = order.clOrdId();
                    final long quantity = order.quantity();
                    final Side side = order.side();
                    execId++;
                    reply.encode(report)
                        .seqNo(execId)
                        .clOrdId(clOrdId)
                        .orderId(1_000_000 + clOrdId)
                        .execId(execId)
                        .execType(ExecType.FILL)
                        .ordStatus(OrdStatus.FILLED)
                        .side(side)
                        .leavesQty(0)
                        .cumQty(quantity);
                    report.avgPx().mantissa(PRICE);
                    final ExecutionReportEncoder.FillsEncoder fills = report.fillsCount(1);
                    fills.next().fillPx().mantissa(PRICE);
                    fills.fillQty(quantity).tradeId(execId);
                    report.putText(NO_TEXT, 0, 0);
                    clt.send(reply, 5, TimeUnit.SECONDS);
                }
                Thread.onSpinWait();
            }
        }
        catch (final java.io.IOException ex)
        {
            System.getLogger("dev.hayate.cli").log(System.Logger.Level.ERROR, "demo gateway failed", ex);
        }
    }

    /**
     * What the client measured.
     */
    private static final class Result
    {
        final Histogram histogram = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
        final NewOrderEncoder orderEncoder = new NewOrderEncoder();
        final ExecutionReportDecoder reportDecoder = new ExecutionReportDecoder();
        final SbeMessage order = new SbeMessage(512);
        String face;
        String connection;
        long mismatches;
        long allocatedBytes = -1;
        long elapsedNanos;
        int orderFrameBytes;
        int reportFrameBytes;

        SbeMessage order(final long clOrdId)
        {
            order.encode(orderEncoder)
                .seqNo(clOrdId)
                .clOrdId(clOrdId)
                .symbol("HAYATE")
                .side((clOrdId & 1) == 0 ? Side.BUY : Side.SELL)
                .ordType(OrdType.LIMIT);
            orderEncoder.price().mantissa(PRICE);
            orderEncoder.quantity(100 + (clOrdId % 50)).timeInForce(TimeInForce.DAY).sendingTimeNanos(System.nanoTime());
            orderFrameBytes = order.length() + 6;
            return order;
        }

        void check(final long clOrdId, final SbeMessage received)
        {
            if (received == null || received.templateId() != ExecutionReportDecoder.TEMPLATE_ID)
            {
                mismatches++;
                return;
            }
            reportFrameBytes = received.length() + 6;
            received.wrap(reportDecoder);
            final boolean matches = reportDecoder.clOrdId() == clOrdId &&
                reportDecoder.execType() == ExecType.FILL &&
                reportDecoder.side() == ((clOrdId & 1) == 0 ? Side.BUY : Side.SELL) &&
                reportDecoder.cumQty() == 100 + (clOrdId % 50);
            if (!matches)
            {
                mismatches++;
            }
        }

        void print(final PrintWriter out, final int count, final int warmup)
        {
            out.printf("  client    %s Clt %s%n", face, connection);
            out.printf("  traffic   %d NewOrder -> %d ExecutionReport (FILL, 1 fill) after %d warm-up round trips, %.2f s%n",
                count, count, warmup, elapsedNanos / 1e9);
            out.printf("  frames    NewOrder %d bytes, ExecutionReport %d bytes (6-byte SOFH + 8-byte SBE header + body)%n",
                orderFrameBytes, reportFrameBytes);
            out.printf("  checked   %s%n", mismatches == 0 ? "every report matched its order (clOrdId, side, quantity)" :
                mismatches + " reports did NOT match their order");
            out.printf("  round trip (us)  p50 %.1f   p90 %.1f   p99 %.1f   p99.9 %.1f   max %.1f%n",
                us(histogram.getValueAtPercentile(50)), us(histogram.getValueAtPercentile(90)),
                us(histogram.getValueAtPercentile(99)), us(histogram.getValueAtPercentile(99.9)), us(histogram.getMaxValue()));
            if (allocatedBytes >= 0)
            {
                out.printf("  allocated on the client thread while measuring: %d bytes in all, %.3f per round trip%n",
                    allocatedBytes, allocatedBytes / (double)count);
            }
        }

        private static double us(final long nanos)
        {
            return nanos / 1000.0;
        }
    }

    private static long allocatedBytes()
    {
        final java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        if (bean instanceof com.sun.management.ThreadMXBean)
        {
            return ((com.sun.management.ThreadMXBean)bean).getCurrentThreadAllocatedBytes();
        }
        return -1;
    }

    /**
     * Reads the counter until two back-to-back readings agree, so its own first-use allocations are not
     * charged to the measured loop.
     */
    private static long allocatedBytesBaseline()
    {
        long previous = allocatedBytes();
        for (int i = 0; i < 10; i++)
        {
            final long now = allocatedBytes();
            if (now == previous)
            {
                return now;
            }
            previous = now;
        }
        return previous;
    }

    /**
     * The two waiting faces seen the same way by the measuring loop.
     */
    private interface SyncClient
    {
        Status send(SbeMessage message);

        SbeMessage recv();
    }

    private Result runNonblocking(final Svc<SbeMessage> svc, final PrintWriter out) throws Exception
    {
        try (Clt<SbeMessage> clt = Clt.connect(svc.localAddress(), ORDER_ENTRY, new Context().name("demo-trader")))
        {
            return measure("nonblocking (busy-spin)", clt.id(), new SyncClient()
            {
                @Override
                public Status send(final SbeMessage message)
                {
                    return clt.send(message, 5, TimeUnit.SECONDS);
                }

                @Override
                public SbeMessage recv()
                {
                    return clt.recv(5, TimeUnit.SECONDS);
                }
            });
        }
    }

    private Result runBlocking(final Svc<SbeMessage> svc, final PrintWriter out) throws Exception
    {
        try (dev.hayate.blocking.Clt<SbeMessage> clt = dev.hayate.blocking.Clt.connect(svc.localAddress(), ORDER_ENTRY,
            new Context().name("demo-trader")))
        {
            return measure("blocking (waits in the kernel)", clt.id(), new SyncClient()
            {
                @Override
                public Status send(final SbeMessage message)
                {
                    return clt.send(message);
                }

                @Override
                public SbeMessage recv()
                {
                    return clt.recv(5, TimeUnit.SECONDS);
                }
            });
        }
    }

    private Result measure(final String face, final dev.hayate.core.ConId id, final SyncClient clt)
    {
        final Result result = new Result();
        result.face = face;
        result.connection = id.local() + " -> " + id.remote();
        for (int i = 0; i < warmup; i++)
        {
            final long sent = System.nanoTime();
            clt.send(result.order(i));
            final SbeMessage report = clt.recv();
            result.histogram.recordValue(System.nanoTime() - sent);
            result.check(i, report);
        }
        result.histogram.reset();
        result.mismatches = 0;
        final long allocatedBefore = allocatedBytesBaseline();
        final long start = System.nanoTime();
        for (int i = 0; i < count; i++)
        {
            final long clOrdId = warmup + i;
            final long sent = System.nanoTime();
            if (clt.send(result.order(clOrdId)) != Status.OK)
            {
                result.mismatches++;
                break;
            }
            final SbeMessage report = clt.recv();
            result.histogram.recordValue(System.nanoTime() - sent);
            result.check(clOrdId, report);
        }
        result.elapsedNanos = System.nanoTime() - start;
        final long allocatedAfter = allocatedBytes();
        result.allocatedBytes = allocatedBefore < 0 ? -1 : allocatedAfter - allocatedBefore;
        return result;
    }

    private Result runAsync(final Svc<SbeMessage> svc, final PrintWriter out) throws Exception
    {
        final Result result = new Result();
        result.face = "async (CompletableFuture, one I/O thread)";
        try (AsyncRuntime runtime = new AsyncRuntime.Builder().name("demo-async").build())
        {
            final dev.hayate.async.Clt<SbeMessage> clt = dev.hayate.async.Clt.connect(svc.localAddress(), ORDER_ENTRY,
                new Context().name("demo-trader"), runtime).get(10, TimeUnit.SECONDS);
            result.connection = clt.id().local() + " -> " + clt.id().remote();
            final long start = System.nanoTime();
            for (int i = 0; i < warmup + count; i++)
            {
                final long clOrdId = i;
                final long sent = System.nanoTime();
                // The order is encoded on the I/O thread: wait for the send before reusing the message.
                clt.send(result.order(clOrdId)).get(5, TimeUnit.SECONDS);
                final CompletableFuture<SbeMessage> reply = clt.recv(5, TimeUnit.SECONDS);
                final SbeMessage report = reply.get(10, TimeUnit.SECONDS);
                if (i >= warmup)
                {
                    result.histogram.recordValue(System.nanoTime() - sent);
                }
                result.check(clOrdId, report);
            }
            result.elapsedNanos = System.nanoTime() - start;
            clt.close();
            clt.closeFuture().get(5, TimeUnit.SECONDS);
        }
        return result;
    }
}
