package dev.hayate.core.buffer;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.agrona.BufferUtil;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BufferPoolTest
{
    @Test
    void shouldLeaseFromSmallestFittingClassAndFallBackToLarger()
    {
        final BufferPool pool = new BufferPool.Context().sizeClass(128, 1).sizeClass(1024, 2).build();
        final PooledBuffer small = pool.tryLease(100);
        assertEquals(128, small.capacity());
        final PooledBuffer fallback = pool.tryLease(100);
        assertEquals(1024, fallback.capacity(), "the 128-byte class is exhausted");
        small.release();
        fallback.release();
    }

    @Test
    void shouldAlignEveryBufferToCacheLine()
    {
        final BufferPool pool = new BufferPool.Context().sizeClass(192, 50).build();
        final List<PooledBuffer> leases = new ArrayList<>();
        for (int i = 0; i < 50; i++)
        {
            final PooledBuffer buffer = pool.tryLease(192);
            assertEquals(0, BufferUtil.address(buffer.byteBuffer()) % 64);
            assertEquals(buffer.buffer().addressOffset(), BufferUtil.address(buffer.byteBuffer()));
            leases.add(buffer);
        }
        leases.forEach(PooledBuffer::release);
    }

    @Test
    void shouldStayBoundedUnderPressureAndSaySo()
    {
        final BufferPool pool = new BufferPool.Context().sizeClass(64, 3).build();
        final PooledBuffer a = pool.tryLease(64);
        final PooledBuffer b = pool.tryLease(64);
        final PooledBuffer c = pool.tryLease(64);
        assertNull(pool.tryLease(64), "a fourth lease must not grow the pool");
        final BufferPoolExhaustedException ex = assertThrows(BufferPoolExhaustedException.class,
            () -> pool.lease(64, 20, TimeUnit.MILLISECONDS));
        assertTrue(ex.getMessage().contains("no buffer of 64 bytes"), ex.getMessage());
        final BufferPool.Stats stats = pool.stats()[0];
        assertEquals(3, stats.allocated());
        assertEquals(3, stats.leased());
        assertEquals(3, stats.highWater());
        assertTrue(stats.failedLeases() >= 2);
        a.release();
        b.release();
        c.release();
        assertEquals(0, pool.stats()[0].leased());
        assertEquals(3, pool.stats()[0].free());
    }

    @Test
    void shouldServeWaitingLeaseWhenAnotherThreadReleases() throws Exception
    {
        final BufferPool pool = new BufferPool.Context().sizeClass(64, 1).build();
        final PooledBuffer held = pool.tryLease(64);
        final Thread releaser = new Thread(() ->
        {
            try
            {
                Thread.sleep(50);
            }
            catch (final InterruptedException ignore)
            {
                Thread.currentThread().interrupt();
            }
            held.release();
        });
        releaser.start();
        final PooledBuffer served = pool.lease(64, 10, TimeUnit.SECONDS);
        assertSame(held, served, "the one buffer of the class, released on another thread");
        served.release();
        releaser.join(10_000);
    }

    @Test
    void shouldRejectSizeNoClassHolds()
    {
        final BufferPool pool = new BufferPool.Context().sizeClass(64, 1).build();
        assertThrows(IllegalArgumentException.class, () -> pool.tryLease(65));
    }

    @Test
    void shouldLeaseAndReleaseConcurrentlyWithoutSharingABuffer() throws Exception
    {
        final BufferPool pool = new BufferPool.Context().sizeClass(256, 16).build();
        final int threads = 4;
        final int rounds = 20_000;
        final ExecutorService executor = Executors.newFixedThreadPool(threads);
        final CountDownLatch start = new CountDownLatch(1);
        final List<Future<Integer>> results = new ArrayList<>();
        for (int t = 0; t < threads; t++)
        {
            final int id = t + 1;
            results.add(executor.submit(() ->
            {
                start.await();
                int served = 0;
                for (int i = 0; i < rounds; i++)
                {
                    final PooledBuffer buffer = pool.lease(256, 10, TimeUnit.SECONDS);
                    buffer.buffer().setMemory(0, 256, (byte)id);
                    Thread.yield();
                    for (int j = 0; j < 256; j += 31)
                    {
                        if (buffer.buffer().getByte(j) != (byte)id)
                        {
                            throw new AssertionError("buffer shared between lessees");
                        }
                    }
                    buffer.release();
                    served++;
                }
                return served;
            }));
        }
        start.countDown();
        for (final Future<Integer> result : results)
        {
            assertEquals(rounds, result.get(60, TimeUnit.SECONDS));
        }
        executor.shutdown();
        final BufferPool.Stats stats = pool.stats()[0];
        assertEquals(0, stats.leased());
        assertTrue(stats.highWater() <= 16);
        assertTrue(stats.allocated() <= 16);
    }

    @Test
    void shouldZeroBufferMarkedSecretOnRelease()
    {
        final BufferPool pool = new BufferPool.Context().sizeClass(64, 1).build();
        final PooledBuffer secret = pool.tryLease(64).zeroOnRelease(true);
        secret.buffer().setMemory(0, 64, (byte)0x5A);
        secret.release();
        final PooledBuffer next = pool.tryLease(64);
        for (int i = 0; i < 64; i++)
        {
            assertEquals(0, next.buffer().getByte(i));
        }
        next.buffer().setMemory(0, 64, (byte)0x33);
        next.release();
        final PooledBuffer unmarked = pool.tryLease(64);
        assertEquals(0x33, unmarked.buffer().getByte(10), "unmarked buffers are not zeroed: that costs time");
        unmarked.release();
    }

    @Test
    void shouldZeroEveryBufferWhenPoolAsks()
    {
        final BufferPool pool = new BufferPool.Context().sizeClass(64, 1).zeroOnRelease(true).build();
        final PooledBuffer buffer = pool.tryLease(64);
        buffer.buffer().setMemory(0, 64, (byte)1);
        buffer.release();
        assertEquals(0, pool.tryLease(64).buffer().getByte(63));
    }

    @Test
    void shouldReportLeakWithLeaseSite()
    {
        final BufferPool pool = new BufferPool.Context().sizeClass(64, 4).leakDetection(true).build();
        final PooledBuffer released = pool.tryLease(64);
        released.release();
        final PooledBuffer leaked = leakOne(pool);
        final List<Throwable> leaks = pool.leaks();
        assertEquals(1, leaks.size());
        assertTrue(leaks.get(0).getMessage().contains("never released"));
        final boolean namesSite = java.util.Arrays.stream(leaks.get(0).getStackTrace())
            .anyMatch(frame -> frame.getMethodName().equals("leakOne"));
        assertTrue(namesSite, "the report names where the buffer was leased");
        leaked.release();
        assertTrue(pool.leaks().isEmpty());
    }

    private static PooledBuffer leakOne(final BufferPool pool)
    {
        return pool.tryLease(64);
    }

    @Test
    void shouldRejectDoubleRelease()
    {
        final BufferPool pool = new BufferPool.Context().sizeClass(64, 1).build();
        final PooledBuffer buffer = pool.tryLease(64);
        buffer.release();
        assertThrows(IllegalStateException.class, buffer::release);
        assertEquals(0, pool.stats()[0].leased(), "the failed second release changes no counter");
    }

    @Test
    void shouldValidateConfiguration()
    {
        assertThrows(IllegalArgumentException.class, () -> new BufferPool.Context().build());
        assertThrows(IllegalArgumentException.class, () -> new BufferPool.Context().sizeClass(100, 1).build());
        assertThrows(IllegalArgumentException.class,
            () -> new BufferPool.Context().sizeClass(128, 1).sizeClass(64, 1).build());
        assertNotNull(BufferPool.shared());
    }
}
