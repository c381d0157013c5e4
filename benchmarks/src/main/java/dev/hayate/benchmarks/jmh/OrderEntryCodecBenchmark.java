package dev.hayate.benchmarks.jmh;

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
import dev.hayate.core.Callback;
import dev.hayate.core.ConId;
import dev.hayate.core.Connection;
import dev.hayate.core.Context;
import dev.hayate.core.ProtocolFactory;
import dev.hayate.core.Status;
import dev.hayate.core.buffer.BufferPool;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The engine's whole hot path without the kernel, on the SBE flyweight path: a client {@link Connection} encodes an
 * order-entry message into its pooled send buffer, frames it (SOFH) and writes it; the service's connection reads
 * it, finds the frame in place, decodes it with the flyweight codec and the fields are read. Both connections run on
 * the benchmark thread over an in-JVM byte loop ({@link LoopTransport}). Run with {@code -prof gc}: the steady
 * state allocates nothing.
 *
 * <pre>
 * ./hayate bench jmh OrderEntryCodec -prof gc
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED"})
public class OrderEntryCodecBenchmark {
    private static final byte[] NO_TEXT = new byte[0];

    private final SbeMessage order = new SbeMessage(256);
    private final SbeMessage report = new SbeMessage(256);
    private final NewOrderEncoder orderEncoder = new NewOrderEncoder();
    private final NewOrderDecoder orderDecoder = new NewOrderDecoder();
    private final ExecutionReportEncoder reportEncoder = new ExecutionReportEncoder();
    private final ExecutionReportDecoder reportDecoder = new ExecutionReportDecoder();
    private Connection<SbeMessage> client;
    private Connection<SbeMessage> service;
    private long sequence;

    /** Two connections over a byte loop, buffers from a private pool. */
    @Setup
    public void setUp() {
        Context context = new Context().bufferPool(new BufferPool.Context().sizeClass(64 * 1024, 4).build());
        LoopTransport[] loop = LoopTransport.pair(256 * 1024);
        ProtocolFactory<SbeMessage> protocols = ProtocolFactory.of(OrderEntryCodecs::flyweights);
        client = new Connection<>(ConId.Role.INITIATOR, loop[0], protocols, Callback.none(), context);
        service = new Connection<>(ConId.Role.ACCEPTOR, loop[1], protocols, Callback.none(), context);
    }

    /** Returns the buffers. */
    @TearDown
    public void tearDown() {
        client.close();
        service.close();
    }

    /**
     * NewOrder (fixed fields, enums, a composite price, a char array) from client to service.
     *
     * @return a value of the decoded message, so nothing is optimised away
     */
    @Benchmark
    public long newOrder() {
        sequence++;
        order.encode(orderEncoder).seqNo(sequence).clOrdId(sequence).symbol("HAYATE").side(Side.BUY).ordType(OrdType.LIMIT);
        orderEncoder.price().mantissa(1_012_500);
        orderEncoder.quantity(100).timeInForce(TimeInForce.DAY).sendingTimeNanos(sequence);
        send(client, order);
        NewOrderDecoder decoded = receive(service).wrap(orderDecoder);
        return decoded.clOrdId() + decoded.price().mantissa() + decoded.quantity();
    }

    /**
     * ExecutionReport (adds a repeating group of one fill and variable-length text) from service to client.
     *
     * @return a value of the decoded message
     */
    @Benchmark
    public long executionReport() {
        sequence++;
        report.encode(reportEncoder).seqNo(sequence).clOrdId(sequence).orderId(sequence).execId(sequence)
                .execType(ExecType.FILL).ordStatus(OrdStatus.FILLED).side(Side.SELL).leavesQty(0).cumQty(100);
        reportEncoder.avgPx().mantissa(1_012_500);
        ExecutionReportEncoder.FillsEncoder fills = reportEncoder.fillsCount(1);
        fills.next().fillPx().mantissa(1_012_500);
        fills.fillQty(100).tradeId(sequence);
        reportEncoder.putText(NO_TEXT, 0, 0);
        send(service, report);
        ExecutionReportDecoder decoded = receive(client).wrap(reportDecoder);
        long sum = decoded.clOrdId() + decoded.cumQty();
        for (ExecutionReportDecoder.FillsDecoder fill : decoded.fills()) {
            sum += fill.fillQty() + fill.tradeId();
        }
        return sum + decoded.textLength();
    }

    private static void send(Connection<SbeMessage> from, SbeMessage message) {
        if (from.trySend(message) != Status.OK) {
            throw new IllegalStateException("send failed: " + from);
        }
    }

    private static SbeMessage receive(Connection<SbeMessage> at) {
        SbeMessage message = at.tryRecv();
        if (message == null) {
            throw new IllegalStateException("nothing received: " + at);
        }
        return message;
    }
}
