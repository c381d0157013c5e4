package dev.hayate.benchmarks.jmh;

import dev.hayate.core.Callback;
import dev.hayate.core.Codec;
import dev.hayate.core.ConId;
import dev.hayate.core.Connection;
import dev.hayate.core.Context;
import dev.hayate.core.DirectBufferCodec;
import dev.hayate.core.MessageHandler;
import dev.hayate.core.Protocol;
import dev.hayate.core.ProtocolFactory;
import dev.hayate.core.buffer.BufferPool;
import dev.hayate.core.frame.Sofh;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The CPU cost per 64-byte message of a one-way stream, both ends on the benchmark thread over an in-JVM byte loop
 * ({@link LoopTransport}): 512 messages {@code offer}ed and flushed, then received one at a time ({@code recvEach},
 * what {@code tryRecv} does) or in batches ({@code pollBatch}, what {@code poll(handler, 256)} does). The
 * {@code rawBytes} row moves the same framed bytes through the same loop with no framing or decoding: the floor,
 * as the {@code nio-busy} peer of {@code bench throughput} is; {@code framedCopyFloor} adds only the copy of each
 * message after its header, the least any framed sender does. The {@code offerBatchTimed} and {@code pollTimed} rows
 * are {@code offerBatchOnly} and {@code pollOnly} over a protocol with a heartbeat interval (an hour: none is sent),
 * which makes the connection note the time of its sends and receives, as a session protocol does. Run with
 * {@code -prof gc}: nothing is allocated.
 *
 * <pre>
 * ./hayate bench jmh StreamBenchmark -prof gc
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED"})
public class StreamBenchmark {
    private static final int BATCH = 512;
    private static final int SIZE = 64;
    private static final int FRAME = SIZE + 6;

    private final UnsafeBuffer payload = new UnsafeBuffer(ByteBuffer.allocateDirect(SIZE));
    private final ByteBuffer rawOut = ByteBuffer.allocateDirect(BATCH * FRAME);
    private final ByteBuffer rawIn = ByteBuffer.allocateDirect(BATCH * FRAME);
    private final UnsafeBuffer framed = new UnsafeBuffer(ByteBuffer.allocateDirect(BATCH * FRAME));
    private LoopTransport[] loop;
    private Connection<DirectBuffer> source;
    private Connection<DirectBuffer> sink;
    private LoopTransport[] timedLoop;
    private Connection<DirectBuffer> timedSource;
    private Connection<DirectBuffer> timedSink;
    private long bytes;
    private final MessageHandler<DirectBuffer> count = m -> bytes += m.capacity();
    private final java.util.function.Supplier<DirectBuffer> next = () -> payload;

    /** Two connections over a byte loop that holds more than one batch. */
    @Setup
    public void setUp() {
        // Frames up to 256 bytes in 64 KiB buffers: a batch fits, as in bench throughput's 1 MiB buffers.
        Context context = new Context().maxFrameLength(256).sendBufferCapacity(64 * 1024)
                .receiveBufferCapacity(64 * 1024).bufferPool(new BufferPool.Context().sizeClass(64 * 1024, 8).build());
        loop = LoopTransport.pair(2 * BATCH * FRAME);
        ProtocolFactory<DirectBuffer> protocols = ProtocolFactory.of(DirectBufferCodec::new);
        source = new Connection<>(ConId.Role.INITIATOR, loop[0], protocols, Callback.none(), context);
        sink = new Connection<>(ConId.Role.ACCEPTOR, loop[1], protocols, Callback.none(), context);
        timedLoop = LoopTransport.pair(2 * BATCH * FRAME);
        ProtocolFactory<DirectBuffer> timed = id -> new HeartbeatProtocol();
        timedSource = new Connection<>(ConId.Role.INITIATOR, timedLoop[0], timed, Callback.none(), context);
        timedSink = new Connection<>(ConId.Role.ACCEPTOR, timedLoop[1], timed, Callback.none(), context);
        UnsafeBuffer frames = new UnsafeBuffer(rawOut);
        for (int i = 0; i < BATCH; i++) {
            dev.hayate.core.frame.Sofh.writeHeader(frames, i * FRAME, FRAME, dev.hayate.core.frame.Sofh.SBE_1_0_LITTLE_ENDIAN);
        }
    }

    /** Returns the buffers. */
    @TearDown
    public void tearDown() {
        source.close();
        sink.close();
        timedSource.close();
        timedSink.close();
    }

    /** A protocol with a heartbeat interval of an hour: no heartbeat is sent, but the connection keeps time. */
    private static final class HeartbeatProtocol implements Protocol<DirectBuffer> {
        private final DirectBufferCodec codec = new DirectBufferCodec();

        @Override
        public Codec<DirectBuffer> codec() {
            return codec;
        }

        @Override
        public long heartbeatIntervalNanos() {
            return TimeUnit.HOURS.toNanos(1);
        }
    }

    /** @return bytes received, one {@code tryRecv} per message. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long recvEach() {
        offerEach();
        return drainByRecv();
    }

    /** @return bytes received, in {@code poll}s of up to 256 messages. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long pollBatch() {
        offerEach();
        return drainByPoll();
    }

    /** @return bytes moved: the sending side only ({@code offer} each message, one flush; raw read). */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long offerOnly() {
        offerEach();
        return rawRead();
    }

    /** @return bytes moved: the sending side only (one batch {@code offer}, one flush; raw read). */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long offerBatchOnly() {
        int taken = 0;
        while (taken < BATCH) {
            taken += source.offer(next, BATCH - taken);
        }
        source.flush();
        return rawRead();
    }

    /** @return bytes moved: {@code offerBatchOnly} over a protocol with a heartbeat interval. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long offerBatchTimed() {
        int taken = 0;
        while (taken < BATCH) {
            taken += timedSource.offer(next, BATCH - taken);
        }
        timedSource.flush();
        rawIn.clear();
        return timedLoop[1].read(rawIn);
    }

    /** @return bytes received: {@code pollOnly} over a protocol with a heartbeat interval. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long pollTimed() {
        rawOut.clear();
        timedLoop[0].write(rawOut);
        bytes = 0;
        while (timedSink.poll(count, 256) > 0) {
            // each poll hands up to 256 messages to count
        }
        return bytes;
    }

    /** @return bytes received: the receiving side only (raw write of ready-made frames; {@code poll}s). */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long pollOnly() {
        rawWrite();
        return drainByPoll();
    }

    /** @return bytes received: the receiving side only, one {@code tryRecv} per message. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long recvOnly() {
        rawWrite();
        return drainByRecv();
    }

    /** @return bytes moved through the loop with no framing: a write of the batch and a read of it. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long rawBytes() {
        rawWrite();
        return rawRead();
    }

    /**
     * The floor of any framed sender, engine left out: each 64-byte message copied after a SOFH header into one
     * buffer, then the batch through the loop as {@code rawBytes} moves it. {@code offerBatchOnly} minus this is
     * what the engine adds per message; this minus {@code rawBytes} is what producing each frame costs at all, which
     * {@code nio-busy} (writing the same ready-made frames again and again) never pays.
     *
     * @return bytes moved.
     */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long framedCopyFloor() {
        int at = 0;
        for (int i = 0; i < BATCH; i++) {
            final DirectBuffer message = next.get();
            final int frameLength = message.capacity() + Sofh.HEADER_LENGTH;
            framed.putBytes(at + Sofh.HEADER_LENGTH, message, 0, message.capacity());
            Sofh.writeHeader(framed, at, frameLength, Sofh.SBE_1_0_LITTLE_ENDIAN);
            at += frameLength;
        }
        loop[0].write(framed.byteBuffer().limit(at).position(0));
        return rawRead();
    }

    private void offerEach() {
        for (int i = 0; i < BATCH; i++) {
            if (source.offer(payload) != dev.hayate.core.Status.OK) {
                throw new IllegalStateException("the loop is sized to take a whole batch");
            }
        }
        source.flush();
    }

    private long drainByRecv() {
        long received = 0;
        DirectBuffer m;
        while ((m = sink.tryRecv()) != null) {
            received += m.capacity();
        }
        return received;
    }

    private long drainByPoll() {
        bytes = 0;
        while (sink.poll(count, 256) > 0) {
            // each poll hands up to 256 messages to count
        }
        return bytes;
    }

    /** Ready-made frames into the sink's side of the loop, as a peer's write. */
    private void rawWrite() {
        rawOut.clear();
        loop[0].write(rawOut);
    }

    /** @return what the source wrote, taken off the loop with no framing. */
    private long rawRead() {
        rawIn.clear();
        return loop[1].read(rawIn);
    }
}
