package dev.hayate.benchmarks.jmh;

import dev.hayate.core.buffer.BufferPool;
import dev.hayate.core.buffer.PooledBuffer;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Buffer pool lease and release: uncontended on one thread, and two threads leasing from one size class at once.
 * Run with {@code -prof gc}: 0 B/op (leak detection off, as in production).
 *
 * <pre>
 * ./hayate bench jmh BufferPool -prof gc
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED"})
public class BufferPoolBenchmark {
    private BufferPool pool;

    /** A pool with room for both threads. */
    @Setup
    public void setUp() {
        pool = new BufferPool.Context().sizeClass(4096, 64).sizeClass(64 * 1024, 16).build();
    }

    /**
     * @return the capacity leased, so the lease is not optimised away
     */
    @Benchmark
    public int leaseAndRelease() {
        PooledBuffer buffer = pool.tryLease(4096);
        int capacity = buffer.capacity();
        buffer.release();
        return capacity;
    }

    /**
     * @return the capacity leased
     */
    @Benchmark
    @Group("contended")
    public int leaseAndReleaseA() {
        return leaseAndRelease();
    }

    /**
     * @return the capacity leased
     */
    @Benchmark
    @Group("contended")
    public int leaseAndReleaseB() {
        return leaseAndRelease();
    }
}
