package dev.hayate.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.hayate.core.Context;
import dev.hayate.core.DirectBufferCodec;
import dev.hayate.core.ProtocolFactory;
import dev.hayate.core.Status;
import dev.hayate.core.buffer.BufferPool;
import dev.hayate.nonblocking.Clt;
import dev.hayate.nonblocking.Svc;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/**
 * A stress test of the engine's send/receive guard (the per-half state machine in {@code Connection}): a sender
 * thread, a receiver thread and a closing thread race on one connection, many times over, with the close landing
 * at a random moment. Whatever the interleaving, every call ends with a status or a message (never another
 * exception), every thread finishes, and both halves' buffers go back to the pool exactly once — the leak-detecting
 * pool would report a lease never returned, and a double release throws. A jcstress-style check, run as a bounded
 * JUnit test so it runs on every build.
 */
class HalfGuardStressTest
{
    private static final int ROUNDS = 200;

    @Test
    void shouldReturnEveryBufferOnceWhateverTheCloseRacesWith() throws Exception
    {
        final BufferPool pool = new BufferPool.Context().sizeClass(4096, 64).leakDetection(true).build();
        final Context context = new Context().name("stress").bufferPool(pool).maxFrameLength(4096)
            .connectTimeout(10, TimeUnit.SECONDS);
        final ProtocolFactory<DirectBuffer> protocols = ProtocolFactory.of(DirectBufferCodec::new);
        final ConcurrentLinkedQueue<Throwable> unexpected = new ConcurrentLinkedQueue<>();
        final Random random = new Random(42);
        try (Svc<DirectBuffer> svc = Svc.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), protocols,
            context))
        {
            for (int round = 0; round < ROUNDS; round++)
            {
                final Clt<DirectBuffer> clt = Clt.connect(svc.localAddress(), protocols, context);
                final Clt<DirectBuffer> peer = svc.accept(10, TimeUnit.SECONDS);
                assertNotNull(peer, "accepted");
                final Clt.Halves<DirectBuffer> halves = clt.split();
                final CountDownLatch start = new CountDownLatch(1);
                final long closeAfterNanos = random.nextInt(200_000);
                final List<Thread> threads = new ArrayList<>();
                threads.add(new Thread(() -> guard(unexpected, () ->
                {
                    final UnsafeBuffer message = new UnsafeBuffer(new byte[64]);
                    start.await();
                    for (int i = 0; i < 100_000; i++)
                    {
                        final Status status = halves.sender().send(message);
                        if (status == Status.CLOSED)
                        {
                            return;
                        }
                    }
                })));
                threads.add(new Thread(() -> guard(unexpected, () ->
                {
                    start.await();
                    for (int i = 0; i < 100_000 && !halves.recver().isClosed(); i++)
                    {
                        halves.recver().recv();
                    }
                })));
                threads.add(new Thread(() -> guard(unexpected, () ->
                {
                    start.await();
                    final long until = System.nanoTime() + closeAfterNanos;
                    while (System.nanoTime() - until < 0)
                    {
                        Thread.onSpinWait();
                    }
                    if ((closeAfterNanos & 1) == 0)
                    {
                        halves.sender().close();
                    }
                    else
                    {
                        peer.close();
                        halves.recver().close();
                    }
                })));
                threads.forEach(Thread::start);
                start.countDown();
                for (final Thread t : threads)
                {
                    t.join(TimeUnit.SECONDS.toMillis(30));
                    assertTrue(!t.isAlive(), "a thread is stuck in round " + round);
                }
                peer.close();
                clt.close();
            }
        }
        assertTrue(unexpected.isEmpty(), () -> "unexpected: " + unexpected);
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (pool.leased() > 0 && System.nanoTime() - deadline < 0)
        {
            Thread.sleep(10);
        }
        assertEquals(0, pool.leased(), () -> "buffers not returned: " + pool.leaks());
    }

    private interface Body
    {
        void run() throws Exception;
    }

    private static void guard(final ConcurrentLinkedQueue<Throwable> unexpected, final Body body)
    {
        try
        {
            body.run();
        }
        catch (final Throwable ex)
        {
            unexpected.add(ex);
        }
    }
}
