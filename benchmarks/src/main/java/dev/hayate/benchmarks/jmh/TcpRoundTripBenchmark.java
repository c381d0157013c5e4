package dev.hayate.benchmarks.jmh;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

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
import dev.hayate.core.Acceptor;
import dev.hayate.core.Callback;
import dev.hayate.core.Connection;
import dev.hayate.core.Context;
import dev.hayate.core.ProtocolFactory;
import dev.hayate.core.Status;
import dev.hayate.core.internal.Connector;
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
 * An order round trip through real loopback TCP sockets, both connections driven by the benchmark thread (so one
 * core, no thread hand-off): NewOrder out, ExecutionReport back, each encoded, framed, written, read, split and
 * decoded by the engine with SBE flyweights. Run with {@code -prof gc} to see that the whole steady-state path,
 * system calls included, allocates nothing. The time is not a latency figure (one thread plays both sides); the
 * two-process rig measures latency.
 *
 * <pre>
 * ./hayate bench jmh TcpRoundTrip -prof gc
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED"})
public class TcpRoundTripBenchmark {
    private static final byte[] NO_TEXT = new byte[0];

    private final SbeMessage order = new SbeMessage(256);
    private final SbeMessage report = new SbeMessage(256);
    private final NewOrderEncoder orderEncoder = new NewOrderEncoder();
    private final NewOrderDecoder orderDecoder = new NewOrderDecoder();
    private final ExecutionReportEncoder reportEncoder = new ExecutionReportEncoder();
    private final ExecutionReportDecoder reportDecoder = new ExecutionReportDecoder();
    private Acceptor<SbeMessage> acceptor;
    private Connection<SbeMessage> client;
    private Connection<SbeMessage> service;
    private long sequence;

    /**
     * Binds, connects and accepts over 127.0.0.1.
     *
     * @throws Exception if loopback TCP is unavailable
     */
    @Setup
    public void setUp() throws Exception {
        ProtocolFactory<SbeMessage> protocols = ProtocolFactory.of(OrderEntryCodecs::flyweights);
        acceptor = new Acceptor<>(new InetSocketAddress("127.0.0.1", 0), protocols, Callback.none(), new Context());
        client = Connector.connect(acceptor.localAddress(), protocols, Callback.none(), new Context());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while ((service = acceptor.tryAccept()) == null) {
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("no connection accepted");
            }
            Thread.onSpinWait();
        }
    }

    /** Closes both ends and the listener. */
    @TearDown
    public void tearDown() {
        client.close();
        acceptor.close();
    }

    /**
     * @return values of the decoded report, so nothing is optimised away
     */
    @Benchmark
    public long orderRoundTrip() {
        sequence++;
        order.encode(orderEncoder).seqNo(sequence).clOrdId(sequence).symbol("HAYATE").side(Side.BUY).ordType(OrdType.LIMIT);
        orderEncoder.price().mantissa(1_012_500);
        orderEncoder.quantity(100).timeInForce(TimeInForce.DAY).sendingTimeNanos(sequence);
        send(client, order);

        NewOrderDecoder received = receive(service).wrap(orderDecoder);
        long clOrdId = received.clOrdId();
        report.encode(reportEncoder).seqNo(sequence).clOrdId(clOrdId).orderId(clOrdId).execId(sequence)
                .execType(ExecType.FILL).ordStatus(OrdStatus.FILLED).side(received.side()).leavesQty(0).cumQty(received.quantity());
        reportEncoder.avgPx().mantissa(1_012_500);
        ExecutionReportEncoder.FillsEncoder fills = reportEncoder.fillsCount(1);
        fills.next().fillPx().mantissa(1_012_500);
        fills.fillQty(100).tradeId(sequence);
        reportEncoder.putText(NO_TEXT, 0, 0);
        send(service, report);

        ExecutionReportDecoder decoded = receive(client).wrap(reportDecoder);
        return decoded.clOrdId() + decoded.cumQty();
    }

    private static void send(Connection<SbeMessage> from, SbeMessage message) {
        if (from.trySend(message) != Status.OK) {
            throw new IllegalStateException("send failed: " + from);
        }
    }

    private static SbeMessage receive(Connection<SbeMessage> at) {
        SbeMessage message;
        while ((message = at.tryRecv()) == null) {
            if (at.isClosed()) {
                throw new IllegalStateException("closed: " + at);
            }
            Thread.onSpinWait();
        }
        return message;
    }
}
