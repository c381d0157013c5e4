package dev.hayate.nonblocking;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

import dev.hayate.core.CloseReason;
import dev.hayate.core.Context;
import dev.hayate.core.ProtocolFactory;
import dev.hayate.core.Status;
import dev.hayate.core.buffer.BufferPool;
import dev.hayate.core.test.ByteArrayCodec;
import dev.hayate.core.test.Frames;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class NonblockingEndpointTest
{
    private static final ProtocolFactory<byte[]> BYTES = ProtocolFactory.of(ByteArrayCodec::new);
    private static final InetSocketAddress ANY_LOOPBACK = new InetSocketAddress("127.0.0.1", 0);

    private BufferPool pool;
    private Svc<byte[]> svc;

    @BeforeEach
    void setUp()
    {
        pool = new BufferPool.Context().sizeClass(4096, 64).leakDetection(true).build();
    }

    @AfterEach
    void tearDown()
    {
        if (svc != null)
        {
            svc.close();
        }
        assertTrue(pool.leaks().isEmpty(), () -> "buffers leaked: " + pool.leaks());
    }

    private Context context()
    {
        return new Context().bufferPool(pool).maxFrameLength(1024).connectTimeout(5, TimeUnit.SECONDS);
    }

    private Clt<byte[]> acceptOne() throws IOException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline)
        {
            final Clt<byte[]> clt = svc.accept();
            if (clt != null)
            {
                return clt;
            }
            Thread.onSpinWait();
        }
        throw new AssertionError("no connection accepted within 10 s");
    }

    @Test
    void shouldPingPongThousandsOfMessages() throws Exception
    {
        svc = Svc.bind(ANY_LOOPBACK, BYTES, context());
        try (Clt<byte[]> clt = Clt.connect(svc.localAddress(), BYTES, context()))
        {
            final Clt<byte[]> server = acceptOne();
            for (int i = 0; i < 5_000; i++)
            {
                final byte[] ping = ByteBuffer.allocate(8 + i % 100).putInt(i).array();
                assertEquals(Status.OK, clt.send(ping, 5, TimeUnit.SECONDS));
                final byte[] received = server.recv(5, TimeUnit.SECONDS);
                assertArrayEquals(ping, received, "message " + i);
                assertEquals(Status.OK, server.send(received, 5, TimeUnit.SECONDS));
                assertArrayEquals(ping, clt.recv(5, TimeUnit.SECONDS), "reply " + i);
            }
            assertEquals(5_000, server.connection().messagesReceived());
        }
    }

    @Test
    void shouldSeePeerCloseAsClosedNotAsTimeout() throws Exception
    {
        svc = Svc.bind(ANY_LOOPBACK, BYTES, context());
        final Clt<byte[]> clt = Clt.connect(svc.localAddress(), BYTES, context());
        final Clt<byte[]> server = acceptOne();
        clt.close();
        final long start = System.nanoTime();
        assertNull(server.recv(30, TimeUnit.SECONDS));
        assertTrue(server.isClosed(), "closed, not timed out");
        assertEquals(CloseReason.PEER_CLOSED, server.closeReason());
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(20), "returned when the peer closed");
        assertEquals(Status.CLOSED, server.send(new byte[1]));
        assertEquals(CloseReason.LOCAL, clt.closeReason());
    }

    @Test
    void shouldReturnOnTimeWhenNothingArrives() throws Exception
    {
        svc = Svc.bind(ANY_LOOPBACK, BYTES, context());
        try (Clt<byte[]> clt = Clt.connect(svc.localAddress(), BYTES, context()))
        {
            acceptOne();
            final long start = System.nanoTime();
            assertNull(clt.recv(200, TimeUnit.MILLISECONDS));
            final long elapsed = System.nanoTime() - start;
            assertFalse(clt.isClosed(), "a timeout is not a close");
            assertTrue(elapsed >= TimeUnit.MILLISECONDS.toNanos(200), "waited the whole timeout");
            assertTrue(elapsed < TimeUnit.SECONDS.toNanos(10), "and then returned");
            assertNull(clt.recv(), "one attempt finds nothing and does not wait");
            assertFalse(clt.isClosed());
        }
    }

    @Test
    void shouldCloseOnlyTheConnectionThatSentFrameOverMaximum() throws Exception
    {
        svc = Svc.bind(ANY_LOOPBACK, BYTES, context());
        try (Clt<byte[]> good = Clt.connect(svc.localAddress(), BYTES, context());
            Socket hostile = new Socket())
        {
            final Clt<byte[]> goodServer = acceptOne();
            hostile.connect(svc.localAddress(), 5_000);
            hostile.setSoTimeout(10_000);
            final Clt<byte[]> hostileServer = acceptOne();

            final OutputStream out = hostile.getOutputStream();
            out.write(Frames.header(1025, 0x5BE0, new byte[0]));
            out.flush();

            assertNull(hostileServer.recv(10, TimeUnit.SECONDS));
            assertEquals(CloseReason.PROTOCOL_ERROR, hostileServer.closeReason());
            assertTrue(hostileServer.closeDetail().contains("exceeds the maximum frame length 1024"),
                hostileServer.closeDetail());
            final InputStream in = hostile.getInputStream();
            assertEquals(-1, in.read(), "the hostile peer is disconnected");

            assertEquals(Status.OK, good.send(new byte[] {1, 2, 3}, 5, TimeUnit.SECONDS));
            assertArrayEquals(new byte[] {1, 2, 3}, goodServer.recv(5, TimeUnit.SECONDS));
            assertEquals(1, svc.clients().size(), "the good connection remains");
        }
    }

    @Test
    void shouldRefuseConnectionsBeyondTheGateAndCountThem() throws Exception
    {
        svc = Svc.bind(ANY_LOOPBACK, BYTES, context().maxConnections(2));
        final Clt<byte[]> first = Clt.connect(svc.localAddress(), BYTES, context());
        final Clt<byte[]> second = Clt.connect(svc.localAddress(), BYTES, context());
        final Clt<byte[]> third = Clt.connect(svc.localAddress(), BYTES, context());
        acceptOne();
        acceptOne();
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (svc.refusedConnections() == 0 && System.nanoTime() < deadline)
        {
            assertNull(svc.accept());
        }
        assertEquals(1, svc.refusedConnections());
        assertEquals(2, svc.connectionCount());
        assertNull(third.recv(10, TimeUnit.SECONDS));
        assertTrue(third.isClosed(), "the refused client sees the connection close");
        assertEquals(CloseReason.PEER_CLOSED, third.closeReason());

        first.close();
        while (svc.connectionCount() == 2 && System.nanoTime() < deadline)
        {
            svc.clients().forEach(Clt::recv);
        }
        assertEquals(1, svc.connectionCount(), "a closed connection reopens the gate");
        try (Clt<byte[]> fourth = Clt.connect(svc.localAddress(), BYTES, context()))
        {
            final Clt<byte[]> accepted = acceptOne();
            assertEquals(Status.OK, fourth.send(new byte[] {4}, 5, TimeUnit.SECONDS));
            assertArrayEquals(new byte[] {4}, accepted.recv(5, TimeUnit.SECONDS));
        }
        second.close();
        third.close();
    }

    @Test
    void shouldRejectMessageTooLargeForAFrameAndStayUsable() throws Exception
    {
        svc = Svc.bind(ANY_LOOPBACK, BYTES, context());
        try (Clt<byte[]> clt = Clt.connect(svc.localAddress(), BYTES, context()))
        {
            final Clt<byte[]> server = acceptOne();
            assertThrows(IllegalArgumentException.class, () -> clt.send(new byte[1024]));
            assertEquals(Status.OK, clt.send(new byte[1018], 5, TimeUnit.SECONDS), "1018 + 6 = the maximum");
            assertEquals(1018, server.recv(5, TimeUnit.SECONDS).length);
        }
    }

    @Test
    void shouldReportBackPressureWhenPeerStopsReading() throws Exception
    {
        // Fixed socket buffers switch off the kernel's autotuning, so "full" stays full.
        final Context small = context().transportProvider(new dev.hayate.core.transport.TcpTransportProvider()
            .socketSendBufferSize(16 * 1024).socketReceiveBufferSize(16 * 1024));
        svc = Svc.bind(ANY_LOOPBACK, BYTES, small);
        try (Clt<byte[]> clt = Clt.connect(svc.localAddress(), BYTES, small))
        {
            final Clt<byte[]> server = acceptOne();
            final byte[] message = new byte[1000];
            int taken = 0;
            Status status;
            while ((status = clt.send(message)) == Status.OK)
            {
                taken++;
                assertTrue(taken < 10_000, "the kernel buffers must fill up eventually");
            }
            assertEquals(Status.BACK_PRESSURED, status, "one attempt reports back pressure and takes nothing");
            while ((status = clt.send(message, 50, TimeUnit.MILLISECONDS)) == Status.OK)
            {
                taken++;
                assertTrue(taken < 10_000, "the kernel buffers must stay full while nobody reads");
            }
            assertEquals(Status.TIMED_OUT, status, "a timed send gives up and takes nothing");

            int received = 0;
            while (received < taken)
            {
                clt.flush();
                final byte[] next = server.recv(1, TimeUnit.MILLISECONDS);
                if (next != null)
                {
                    assertEquals(1000, next.length);
                    received++;
                }
                assertFalse(server.isClosed());
            }
            assertFalse(clt.hasPendingSend());
            assertNull(server.recv(), "exactly the taken messages arrived, no more");
            assertEquals(Status.OK, clt.send(message, 5, TimeUnit.SECONDS), "drained: sending works again");
            assertNotNull(server.recv(5, TimeUnit.SECONDS));
        }
    }

    @Test
    void shouldFailToConnectWhenNothingListensWithinTimeout() throws Exception
    {
        final int port;
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress()))
        {
            port = probe.getLocalPort();
        }
        final Context context = context().connectTimeout(300, TimeUnit.MILLISECONDS)
            .connectRetryInterval(50, TimeUnit.MILLISECONDS);
        final ConnectException ex = assertThrows(ConnectException.class,
            () -> Clt.connect(new InetSocketAddress("127.0.0.1", port), BYTES, context));
        assertTrue(ex.getMessage().contains("within 300 ms"), ex.getMessage());
        // The reason is the refusal, not the instant timeout of an attempt squeezed into the deadline's last moments.
        assertTrue(ex.getMessage().endsWith("Connection refused"), ex.getMessage());
        assertEquals(0, pool.leased());
    }

    @Test
    void shouldConnectOnceTheServiceStartsListening() throws Exception
    {
        final int port;
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress()))
        {
            port = probe.getLocalPort();
        }
        final InetSocketAddress address = new InetSocketAddress("127.0.0.1", port);
        final Thread binder = new Thread(() ->
        {
            try
            {
                Thread.sleep(300);
                svc = Svc.bind(address, BYTES, context());
            }
            catch (final Exception ex)
            {
                throw new IllegalStateException(ex);
            }
        });
        binder.start();
        try (Clt<byte[]> clt = Clt.connect(address, BYTES, context().connectRetryInterval(20, TimeUnit.MILLISECONDS)))
        {
            binder.join(10_000);
            assertFalse(clt.isClosed());
        }
    }

    @Test
    void shouldCompleteHalfWrittenFrameOnLaterCalls() throws Exception
    {
        svc = Svc.bind(ANY_LOOPBACK, BYTES,
            context().transportProvider(new dev.hayate.core.transport.TcpTransportProvider().socketSendBufferSize(4096)));
        try (Clt<byte[]> clt = Clt.connect(svc.localAddress(), BYTES, context()))
        {
            final Clt<byte[]> server = acceptOne();
            final byte[] big = new byte[1018];
            java.util.Arrays.fill(big, (byte)0x42);
            int taken = 0;
            while (server.send(big) == Status.OK && taken < 100_000)
            {
                taken++;
            }
            assertTrue(server.hasPendingSend() || taken > 0);
            for (int i = 0; i < taken; i++)
            {
                final byte[] received = clt.recv(5, TimeUnit.SECONDS);
                assertArrayEquals(big, received, "frame " + i + " whole and in order");
                server.flush();
            }
            assertNull(clt.recv());
            assertFalse(clt.isClosed());
        }
    }

    @Test
    void shouldBatchOfferedFramesUntilFlushAndDeliverThemInOrder() throws Exception
    {
        final ProtocolFactory<org.agrona.DirectBuffer> raw = ProtocolFactory.of(dev.hayate.core.DirectBufferCodec::new);
        final Context batching = context().sendBufferCapacity(4096);
        try (Svc<org.agrona.DirectBuffer> rawSvc = Svc.bind(ANY_LOOPBACK, raw, batching);
            Clt<org.agrona.DirectBuffer> clt = Clt.connect(rawSvc.localAddress(), raw, batching))
        {
            Clt<org.agrona.DirectBuffer> server = null;
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (server == null && System.nanoTime() < deadline)
            {
                server = rawSvc.accept();
            }
            assertNotNull(server);
            final org.agrona.concurrent.UnsafeBuffer message = new org.agrona.concurrent.UnsafeBuffer(new byte[32]);
            message.putInt(0, 0);
            assertEquals(Status.OK, clt.offer(message));
            assertTrue(clt.hasPendingSend(), "an offer alone writes nothing");
            assertNull(server.recv(50, TimeUnit.MILLISECONDS));
            for (int i = 1; i < 1000; i++)
            {
                message.putInt(0, i);
                Status status;
                while ((status = clt.offer(message)) == Status.BACK_PRESSURED)
                {
                    clt.flush();
                }
                assertEquals(Status.OK, status);
            }
            assertEquals(Status.OK, clt.flush(5, TimeUnit.SECONDS));
            for (int i = 0; i < 1000; i++)
            {
                final org.agrona.DirectBuffer received = server.recv(5, TimeUnit.SECONDS);
                assertNotNull(received, "frame " + i);
                assertEquals(32, received.capacity(), "the view covers exactly the body");
                assertEquals(i, received.getInt(0), "in order");
                if (i == 0)
                {
                    final org.agrona.DirectBuffer kept = server.connection().codec().detach(received);
                    assertEquals(0, kept.getInt(0));
                }
            }
        }
    }

    @Test
    void shouldStreamBatchesOfferedFromASourceAndDeliverThemToAPollHandlerInOrder() throws Exception
    {
        final ProtocolFactory<org.agrona.DirectBuffer> raw = ProtocolFactory.of(dev.hayate.core.DirectBufferCodec::new);
        final Context batching = context().sendBufferCapacity(4096).receiveBufferCapacity(4096);
        try (Svc<org.agrona.DirectBuffer> rawSvc = Svc.bind(ANY_LOOPBACK, raw, batching);
            Clt<org.agrona.DirectBuffer> clt = Clt.connect(rawSvc.localAddress(), raw, batching))
        {
            final Clt<org.agrona.DirectBuffer> server = rawSvc.accept(10, TimeUnit.SECONDS);
            assertNotNull(server);
            final int total = 5000;
            final org.agrona.concurrent.UnsafeBuffer message = new org.agrona.concurrent.UnsafeBuffer(new byte[24]);
            final int[] next = {0};
            // One flyweight reused for every message: each is encoded before the source is asked for the next.
            final java.util.function.Supplier<org.agrona.DirectBuffer> source = () ->
            {
                if (next[0] == total)
                {
                    return null;
                }
                message.putInt(0, next[0]++);
                return message;
            };
            assertEquals(0, clt.offer(source, 0), "a limit below 1 takes nothing");
            assertEquals(3, clt.offer(source, 3), "the limit bounds the batch");
            assertTrue(clt.hasPendingSend(), "an offer alone writes nothing");

            final java.util.List<Integer> received = new java.util.ArrayList<>();
            final dev.hayate.core.MessageHandler<org.agrona.DirectBuffer> handler = m ->
            {
                assertEquals(24, m.capacity(), "the view covers exactly the body");
                received.add(m.getInt(0));
            };
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            int largestPoll = 0;
            while (received.size() < total && System.nanoTime() - deadline < 0)
            {
                if (next[0] < total)
                {
                    // Under back pressure a batch stops short: flush and offer again.
                    clt.offer(source, 1000);
                }
                clt.flush();
                final int delivered = server.poll(handler, 64);
                assertTrue(delivered <= 64, "the limit bounds a poll: " + delivered);
                largestPoll = Math.max(largestPoll, delivered);
            }
            assertEquals(total, received.size(), "every message arrived");
            for (int i = 0; i < total; i++)
            {
                assertEquals(i, received.get(i), "in order");
            }
            assertTrue(largestPoll > 1, "a poll serves many buffered messages at once: " + largestPoll);
            assertEquals(0, clt.offer(source, 10), "an ended source takes nothing");

            clt.connection().close();
            final long closeDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!server.isClosed() && System.nanoTime() - closeDeadline < 0)
            {
                assertEquals(0, server.poll(handler, 64));
            }
            assertTrue(server.isClosed(), "a poll sees the peer's close");
            assertEquals(0, server.poll(handler, 64), "a closed connection delivers nothing");
            assertEquals(0, clt.offer(source, 10), "a closed connection takes nothing");
        }
    }

    @Test
    void shouldHandOutClientsAsAReadOnlyView() throws Exception
    {
        svc = Svc.bind(ANY_LOOPBACK, BYTES, context());
        try (Clt<byte[]> clt = Clt.connect(svc.localAddress(), BYTES, context()))
        {
            final Clt<byte[]> server = svc.accept(10, TimeUnit.SECONDS);
            assertNotNull(server, "a timed accept spins until a connection is admitted");
            final java.util.List<Clt<byte[]>> clients = svc.clients();
            assertEquals(java.util.List.of(server), clients);
            assertThrows(UnsupportedOperationException.class, () -> clients.remove(0));
            assertThrows(UnsupportedOperationException.class, clients::clear);
            assertEquals(1, svc.clients().size(), "the service's own list is untouched");
            assertSame(dev.hayate.core.BusySpinWait.INSTANCE, clt.waitStrategy());
        }
    }

    @Test
    void shouldShareOneDeadlineAcrossSendsAndReceives() throws Exception
    {
        svc = Svc.bind(ANY_LOOPBACK, BYTES, context());
        try (Clt<byte[]> clt = Clt.connect(svc.localAddress(), BYTES, context()))
        {
            final Clt<byte[]> server = svc.accept(10, TimeUnit.SECONDS);
            final dev.hayate.core.Deadline deadline = dev.hayate.core.Deadline.after(10, TimeUnit.SECONDS,
                context().nanoClock());
            assertEquals(Status.OK, clt.send(new byte[] {1}, deadline));
            assertArrayEquals(new byte[] {1}, server.recv(deadline));
            final Clt.Halves<byte[]> halves = server.split();
            assertEquals(Status.OK, halves.sender().send(new byte[] {2}, deadline));
            assertArrayEquals(new byte[] {2}, clt.recv(deadline));
            assertNull(halves.recver().recv(), "one attempt on the receiving half finds nothing");
            assertEquals(Status.OK, halves.sender().offer(new byte[] {3}));
            assertEquals(Status.OK, halves.sender().flush(5, TimeUnit.SECONDS));
            assertArrayEquals(new byte[] {3}, clt.recv(5, TimeUnit.SECONDS));
        }
    }

    @Test
    void shouldRoundRobinOverAPoolThatSpins() throws Exception
    {
        svc = Svc.bind(ANY_LOOPBACK, BYTES, context());
        try (CltPool<byte[]> clients = CltPool.connect(java.util.List.of(svc.localAddress(), svc.localAddress()),
            BYTES, dev.hayate.core.Callback.none(), context(), id -> { }))
        {
            final Clt<byte[]> s1 = svc.accept(10, TimeUnit.SECONDS);
            final Clt<byte[]> s2 = svc.accept(10, TimeUnit.SECONDS);
            assertEquals(Status.OK, clients.send(new byte[] {1}, 5, TimeUnit.SECONDS));
            assertEquals(Status.OK, clients.send(new byte[] {2}, 5, TimeUnit.SECONDS));
            assertEquals(3, s1.recv(5, TimeUnit.SECONDS)[0] + s2.recv(5, TimeUnit.SECONDS)[0]);
            assertEquals(Status.OK, s1.send(new byte[] {7}, 5, TimeUnit.SECONDS));
            assertArrayEquals(new byte[] {7}, clients.recv(5, TimeUnit.SECONDS));
            assertNull(clients.recv(), "one pass finds nothing more");
        }
    }
}
