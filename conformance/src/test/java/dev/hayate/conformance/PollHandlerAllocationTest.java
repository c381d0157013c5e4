package dev.hayate.conformance;

import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

import dev.hayate.core.Acceptor;
import dev.hayate.core.Callback;
import dev.hayate.core.Connection;
import dev.hayate.core.Context;
import dev.hayate.core.PollHandler;
import dev.hayate.core.ProtocolFactory;
import dev.hayate.core.test.ByteArrayCodec;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A poll handler serving a TCP acceptor allocates nothing per duty cycle: it asks the listening socket for a
 * connection only when the kernel reported one pending (the JDK's accept allocates even when it finds none).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PollHandlerAllocationTest
{
    @Test
    void shouldNotAllocatePerDutyCycleWithAnIdleAcceptorAndStillAccept() throws Exception
    {
        Assumptions.assumeTrue(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean);
        final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final Context context = new Context().maxFrameLength(4096);
        final int[] joined = new int[1];
        try (Acceptor<byte[]> acceptor = new Acceptor<>(new InetSocketAddress("127.0.0.1", 0),
                ProtocolFactory.of(ByteArrayCodec::new), Callback.none(), context);
             PollHandler<byte[]> poll = new PollHandler<>(new PollHandler.Handler<>()
             {
                 @Override
                 public void onMessage(final Connection<byte[]> from, final byte[] message)
                 {
                 }

                 @Override
                 public void onConnected(final Connection<byte[]> connection)
                 {
                     joined[0]++;
                 }
             }))
        {
            poll.add(acceptor);
            for (int i = 0; i < 20_000; i++)
            {
                poll.poll(0, 16);
            }
            final long before = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 100_000; i++)
            {
                poll.poll(0, 16);
            }
            final long allocated = threads.getCurrentThreadAllocatedBytes() - before;
            assertTrue(allocated < 4_096, () -> allocated + " bytes over 100000 idle duty cycles");

            try (java.net.Socket client = new java.net.Socket("127.0.0.1",
                ((InetSocketAddress)acceptor.localAddress()).getPort()))
            {
                final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (joined[0] == 0 && System.nanoTime() - deadline < 0)
                {
                    poll.poll(TimeUnit.MILLISECONDS.toNanos(10), 16);
                }
                assertEquals(1, joined[0], "a pending connection is still accepted");
                assertTrue(client.isConnected());
            }
        }
    }
}
