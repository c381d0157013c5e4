package dev.hayate.benchmarks.jmh;

import dev.hayate.benchmarks.rig.PingPongRig;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the latency rig adds to every sample it takes: two clock reads and one histogram record. Also the template
 * for JMH benchmarks in this module: {@code @Fork(jvmArgsAppend = ...)} carries the agrona export every forked JVM
 * needs.
 *
 * <pre>
 * java --add-exports java.base/jdk.internal.misc=ALL-UNNAMED -jar benchmarks/target/hayate-benchmarks.jar \
 *      jmh RigOverhead -prof gc
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED"})
public class RigOverheadBenchmark {
    private Histogram histogram;
    private long value;

    /** A fresh histogram with the rig's range and precision. */
    @Setup
    public void setUp() {
        histogram = PingPongRig.newHistogram();
    }

    /**
     * @return the clock, read once
     */
    @Benchmark
    public long nanoTime() {
        return System.nanoTime();
    }

    /** One sample as the rig takes it, minus the round trip. */
    @Benchmark
    public void sample() {
        long t0 = System.nanoTime();
        value = (value + 7_919) & 0xFFFFF;
        histogram.recordValue(Math.max(1, System.nanoTime() - t0 + value));
    }
}
