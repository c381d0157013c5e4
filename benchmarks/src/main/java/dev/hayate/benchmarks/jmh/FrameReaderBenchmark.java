package dev.hayate.benchmarks.jmh;

import dev.hayate.core.frame.FrameReader;
import dev.hayate.core.frame.Sofh;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The frame reader on coalesced input: one read delivers {@value #FRAMES} frames back to back (as the kernel does
 * under load) and the reader splits them in place. The figure is per frame; it includes the copy of the bytes into
 * the receive buffer that the read stands for. Run with {@code -prof gc}: 0 B/op.
 *
 * <pre>
 * ./hayate bench jmh FrameReader -prof gc
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED"})
public class FrameReaderBenchmark {
    static final int FRAMES = 256;

    /** Frame body size in bytes. */
    @Param({"64", "1024"})
    public int bodySize;

    private LoopTransport[] loop;
    private ByteBuffer coalesced;
    private FrameReader reader;

    /** One read's worth of frames, prepared once. */
    @Setup
    public void setUp() {
        int frameLength = bodySize + Sofh.HEADER_LENGTH;
        coalesced = ByteBuffer.allocateDirect(FRAMES * frameLength);
        UnsafeBuffer frames = new UnsafeBuffer(coalesced);
        for (int i = 0; i < FRAMES; i++) {
            Sofh.writeHeader(frames, i * frameLength, frameLength, Sofh.SBE_1_0_LITTLE_ENDIAN);
            frames.putInt(i * frameLength + Sofh.HEADER_LENGTH, i);
        }
        loop = LoopTransport.pair(FRAMES * frameLength);
        ByteBuffer receive = ByteBuffer.allocateDirect(FRAMES * frameLength);
        reader = new FrameReader(new UnsafeBuffer(receive), receive, Math.min(64 * 1024, receive.capacity()),
                Sofh.SBE_1_0_LITTLE_ENDIAN);
    }

    /**
     * @return a value read from every frame
     * @throws java.io.IOException never: the loop does no I/O
     */
    @Benchmark
    @OperationsPerInvocation(FRAMES)
    public long splitCoalescedFrames() throws java.io.IOException {
        coalesced.clear();
        loop[0].write(coalesced);
        reader.readFrom(loop[1]);
        long sum = 0;
        while (reader.next() == FrameReader.FRAME) {
            sum += reader.buffer().getInt(reader.frameOffset() + Sofh.HEADER_LENGTH);
        }
        return sum;
    }
}
