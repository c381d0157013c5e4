package dev.hayate.blocking;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.hayate.core.CloseReason;
import dev.hayate.core.ConId;
import dev.hayate.core.Context;
import dev.hayate.core.Deadline;
import dev.hayate.core.KernelWait;
import dev.hayate.core.ProtocolFactory;
import dev.hayate.core.Status;
import dev.hayate.core.buffer.BufferPool;
import dev.hayate.core.transport.TcpTransportProvider;
import dev.hayate.core.transport.Transport;
import dev.hayate.core.transport.TransportProvider;
import dev.hayate.core.transport.TransportServer;
import dev.hayate.core.test.ByteArrayCodec;
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
class BlockingEndpointTest
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
        return new Context().bufferPool(pool).maxFrameLength(1024).connectTimeout(5, TimeUnit.SECONDS)
            .lingerTimeout(1, TimeUnit.SECONDS);
    }

    private Clt<byte[]> acceptOne() throws IOException
    {
        final Clt<byte[]> clt = svc.accept(10, TimeUnit.SECONDS);
        assertNotNull(clt, "a connection accepted within 10 s");
        return clt;
    }

    /** Echoes one message per connection, as a served handler does. */
    private static final Svc.Handler<byte[]> ECHO_ONE = clt ->
    {
        final byte[] m = clt.recv(10, TimeUnit.SECONDS);
        if (m != null)
        {
            clt.send(m);
        }
    };

    private static byte[] echoedThrough(final Svc<byte[]> svc, final Context context) throws IOException
    {
        try (Clt<byte[]> clt = Clt.connect(svc.localAddress(), BYTES, context))
        {
            assertEquals(Status.OK, clt.send(new byte[] {7, 8, 9}));
            return clt.recv(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void shouldKeepServingAfterAProtocolFactoryThrowsAndGiveItsGateSlotBack() throws Exception
    {
        final AtomicBoolean thrown = new AtomicBoolean();
        final List<Throwable> errors = new CopyOnWriteArrayList<>();
        final ProtocolFactory<byte[]> failingOnce = id ->
        {
            if (thrown.compareAndSet(false, true))
            {
                throw new IllegalStateException("session store unavailable");
            }
            return BYTES.create(id);
        };
        svc = Svc.bind(ANY_LOOPBACK, failingOnce, context().maxConnections(1).errorHandler(errors::add));
        final Thread serving = svc.serve(ECHO_ONE);
        try (Clt<byte[]> first = Clt.connect(svc.localAddress(), BYTES, context()))
        {
            // The failed connection is closed by the service: the client sees its close, not an echo.
            assertNull(first.recv(10, TimeUnit.SECONDS));
        }
        assertArrayEquals(new byte[] {7, 8, 9}, echoedThrough(svc, context()), "the one gate slot came back");
        assertTrue(serving.isAlive());
        assertEquals(1, errors.size(), errors.toString());
        assertEquals("session store unavailable", errors.get(0).getMessage());
    }

    @Test
    void shouldKeepServingAfterAFailedAccept() throws Exception
    {
        // A listener whose accept fails once, as accept(2) does with EMFILE when a flood of peers used up the
        // process's file descriptors: a condition that passes, which must not end serving for good.
        final AtomicBoolean failed = new AtomicBoolean();
        final TransportProvider tcp = new TcpTransportProvider();
        final TransportProvider flaky = new TransportProvider()
        {
            @Override
            public Transport connect(final java.net.SocketAddress remote, final long timeoutNanos) throws IOException
            {
                return tcp.connect(remote, timeoutNanos);
            }

            @Override
            public TransportServer bind(final java.net.SocketAddress local) throws IOException
            {
                final TransportServer server = tcp.bind(local);
                return new TransportServer()
                {
                    @Override
                    public Transport accept() throws IOException
                    {
                        final Transport accepted = server.accept();
                        if (accepted != null && failed.compareAndSet(false, true))
                        {
                            accepted.close();
                            throw new IOException("Too many open files");
                        }
                        return accepted;
                    }

                    @Override
                    public boolean awaitAcceptable(final long timeoutNanos) throws IOException
                    {
                        return server.awaitAcceptable(timeoutNanos);
                    }

                    @Override
                    public dev.hayate.core.transport.IoPoller.Registration register(
                        final dev.hayate.core.transport.IoPoller poller, final Object attachment) throws IOException
                    {
                        return server.register(poller, attachment);
                    }

                    @Override
                    public java.net.SocketAddress localAddress()
                    {
                        return server.localAddress();
                    }

                    @Override
                    public boolean isOpen()
                    {
                        return server.isOpen();
                    }

                    @Override
                    public void close() throws IOException
                    {
                        server.close();
                    }
                };
            }

            @Override
            public String name()
            {
                return "flaky-tcp";
            }
        };
        final List<Throwable> errors = new CopyOnWriteArrayList<>();
        svc = Svc.bind(ANY_LOOPBACK, BYTES, context().transportProvider(flaky).errorHandler(errors::add));
        final Thread serving = svc.serve(ECHO_ONE);
        try (Clt<byte[]> first = Clt.connect(svc.localAddress(), BYTES, context()))
        {
            assertNull(first.recv(10, TimeUnit.SECONDS));
        }
        assertArrayEquals(new byte[] {7, 8, 9}, echoedThrough(svc, context()), "served after the failed accept");
        assertTrue(serving.isAlive());
        assertTrue(errors.stream().anyMatch(e -> "Too many open files".equals(e.getMessage())), errors.toString());
    }

    @Test
    void shouldPingPongThousandsOfMessagesWithBlockingCalls() throws Exception
    {
        svc = Svc.bind(ANY_LOOPBACK, BYTES, context());
        try (Clt<byte[]> clt = Clt.connect(svc.localAddress(), BYTES, context()))
        {
            final Clt<byte[]> server = acceptOne();
            assertSame(KernelWait.INSTANCE, clt.waitStrategy());
            for (int i = 0; i < 2_000; i++)
            {
                final byte[] ping = ByteBuffer.allocate(8 + i % 100).putInt(i).array();
                assertEquals(Status.OK, clt.send(ping));
                final byte[] received = server.recv();
                assertArrayEquals(ping, received, "message " + i);
                assertEquals(Status.OK, server.send(received));
                assertArrayEquals(ping, clt.recv(), "reply " + i);
            }
            assertEquals(2_000, server.connection().messagesReceived());
        }
    }

    @Test
    void shouldWakeAReceiveWaitingInTheKernelWhenDataArrives() throws Exception
    {
        svc = Svc.bind(ANY_LOOPBACK, BYTES, context());
        try (Clt<byte[]> clt = Clt.connect(svc.localAddress(), BYTES, context()))
        {
            final Clt<byte[]> server = acceptOne();
            final CompletableFuture<byte[]> received = CompletableFuture.supplyAsync(server::recv, runnable ->
                new Thread(runnable, "blocked-receiver").start());
            assertEquals(Status.OK, clt.send(new byte[] {7}));
            assertArrayEquals(new byte[] {7}, received.get(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void shouldSeePeerCloseAsClosedNotAsTimeout() throws Exception
    {
        svc = Svc.bind(ANY_LOOPBACK, BYTES, context());
        final Clt<byte[]> clt = Clt.connect(svc.localAddress(), BYTES, context());
        final Clt<byte[]> server = acceptOne();
        clt.close();
        assertNull(server.recv(), "an untimed receive returns when the peer closes");
        assertTrue(server.isClosed());
        assertEquals(CloseReason.PEER_CLOSED, server.closeReason());
        assertEquals(Status.CLOSED, server.send(new byte[1]));
        assertEquals(CloseReason.LOCAL, clt.closeReason());
    }

    @Test
    void shouldReturnNullOnTimeoutWithoutClosing() throws Exception
    {
        svc = Svc.bind(ANY_LOOPBACK, BYTES, context());
        try (Clt<byte[]> clt = Clt.connect(svc.localAddress(), BYTES, context()))
        {
            acceptOne();
            assertNull(clt.recv(50, TimeUnit.MILLISECONDS));
            assertFalse(clt.isClosed(), "a timeout is not a close");
            final Deadline deadline = Deadline.after(50, TimeUnit.MILLISECONDS, context().nanoClock());
            assertNull(clt.recv(deadline));
            assertTrue(deadline.hasExpired(), "the receive gave up only at the shared deadline");
            assertNull(clt.recv(deadline), "an expired deadline ends the next call at once");
            assertFalse(clt.isClosed());
        }
    }

    @Test
    void shouldEndAnInterruptedReceiveAsATimeoutAndKeepTheInterrupt() throws Exception
    {
        svc = Svc.bind(ANY_LOOPBACK, BYTES, context());
        try (Clt<byte[]> clt = Clt.connect(svc.localAddress(), BYTES, context()))
        {
            acceptOne();
            final CompletableFuture<Boolean> interruptKept = new CompletableFuture<>();
            final Thread receiver = new Thread(() ->
            {
                final byte[] message = clt.recv();
                interruptKept.complete(message == null && Thread.currentThread().isInterrupted());
            });
            receiver.start();
            receiver.interrupt();
            assertTrue(interruptKept.get(10, TimeUnit.SECONDS));
            assertFalse(clt.isClosed(), "an interrupt is not a close");
        }
    }

    @Test
    void shouldSendAndReceiveOnTwoThreadsAfterSplit() throws Exception
    {
        svc = Svc.bind(ANY_LOOPBACK, BYTES, context());
        final Clt<byte[]> clt = Clt.connect(svc.localAddress(), BYTES, context());
        final Clt<byte[]> server = acceptOne();
        final Clt.Halves<byte[]> halves = clt.split();
        final int count = 1_000;
        final Thread echo = new Thread(() ->
        {
            byte[] message;
            int echoed = 0;
            while (echoed < count && (message = server.recv()) != null)
            {
                server.send(message);
                echoed++;
            }
        }, "echo");
        echo.start();
        final CompletableFuture<Integer> received = CompletableFuture.supplyAsync(() ->
        {
            int n = 0;
            while (n < count && halves.recver().recv(10, TimeUnit.SECONDS) != null)
            {
                n++;
            }
            return n;
        }, runnable -> new Thread(runnable, "recver").start());
        for (int i = 0; i < count; i++)
        {
            assertEquals(Status.OK, halves.sender().send(ByteBuffer.allocate(4).putInt(i).array()));
        }
        assertEquals(count, received.get(30, TimeUnit.SECONDS));
        echo.join(10_000);
        halves.sender().close();
        assertTrue(halves.recver().isClosed());
        server.close();
    }

    @Test
    void shouldRefuseConnectionsBeyondTheGateAndCountThem() throws Exception
    {
        svc = Svc.bind(ANY_LOOPBACK, BYTES, context().maxConnections(1));
        try (Clt<byte[]> first = Clt.connect(svc.localAddress(), BYTES, context());
            Clt<byte[]> second = Clt.connect(svc.localAddress(), BYTES, context()))
        {
            acceptOne();
            assertNull(svc.accept(200, TimeUnit.MILLISECONDS), "the refused one is skipped");
            assertEquals(1, svc.refusedConnections());
            assertEquals(1, svc.connectionCount());
            assertNull(second.recv(10, TimeUnit.SECONDS));
            assertEquals(CloseReason.PEER_CLOSED, second.closeReason());
            assertFalse(first.isClosed());
        }
    }

    @Test
    void shouldEndAWaitingAcceptWhenTheServiceCloses() throws Exception
    {
        svc = Svc.bind(ANY_LOOPBACK, BYTES, context());
        final CompletableFuture<Clt<byte[]>> accepted = new CompletableFuture<>();
        final Thread acceptor = new Thread(() ->
        {
            try
            {
                accepted.complete(svc.accept());
            }
            catch (final IOException ex)
            {
                accepted.completeExceptionally(ex);
            }
        });
        acceptor.start();
        svc.close();
        assertNull(accepted.get(10, TimeUnit.SECONDS));
    }

    @Test
    void shouldServeEachConnectionOnItsOwnThreadAndContainAThrowingHandler() throws Exception
    {
        final List<Throwable> errors = new CopyOnWriteArrayList<>();
        svc = Svc.bind(ANY_LOOPBACK, BYTES, context().errorHandler(errors::add));
        final Thread serving = svc.serve(clt ->
        {
            byte[] message;
            while ((message = clt.recv()) != null)
            {
                if (message.length == 0)
                {
                    throw new IllegalStateException("handler failed on purpose");
                }
                clt.send(message);
            }
        });
        try (Clt<byte[]> a = Clt.connect(svc.localAddress(), BYTES, context());
            Clt<byte[]> b = Clt.connect(svc.localAddress(), BYTES, context()))
        {
            assertEquals(Status.OK, a.send(new byte[] {1}));
            assertEquals(Status.OK, b.send(new byte[] {2}));
            assertArrayEquals(new byte[] {1}, a.recv(10, TimeUnit.SECONDS));
            assertArrayEquals(new byte[] {2}, b.recv(10, TimeUnit.SECONDS));

            assertEquals(Status.OK, a.send(new byte[0]));
            assertNull(a.recv(10, TimeUnit.SECONDS), "the throwing handler's connection is closed");
            assertTrue(a.isClosed());
            assertEquals(Status.OK, b.send(new byte[] {3}));
            assertArrayEquals(new byte[] {3}, b.recv(10, TimeUnit.SECONDS), "the other connection carries on");
            assertEquals(1, errors.size(), () -> "errors: " + errors);
            assertEquals("handler failed on purpose", errors.get(0).getMessage());
        }
        svc.close();
        serving.join(10_000);
        assertFalse(serving.isAlive(), "closing the service ends serving");
    }

    @Test
    void shouldRoundRobinSendsOverAPoolAndReceiveFromWhicheverHasAMessage() throws Exception
    {
        svc = Svc.bind(ANY_LOOPBACK, BYTES, context());
        final List<ConId> left = new CopyOnWriteArrayList<>();
        try (CltPool<byte[]> clients = CltPool.connect(List.of(svc.localAddress(), svc.localAddress()), BYTES,
            dev.hayate.core.Callback.none(), context(), left::add))
        {
            final Clt<byte[]> s1 = acceptOne();
            final Clt<byte[]> s2 = acceptOne();
            assertEquals(2, clients.size());
            assertEquals(Status.OK, clients.send(new byte[] {1}));
            assertEquals(Status.OK, clients.send(new byte[] {2}, 5, TimeUnit.SECONDS));
            final byte[] first = s1.recv(10, TimeUnit.SECONDS);
            final byte[] second = s2.recv(10, TimeUnit.SECONDS);
            assertNotNull(first);
            assertNotNull(second);
            assertEquals(3, first[0] + second[0], "one message to each member");

            assertEquals(Status.OK, s2.send(new byte[] {9}));
            assertArrayEquals(new byte[] {9}, clients.recv());
            assertEquals(s2.connection().id().remote(), clients.lastRecvFrom().local());

            s1.close();
            assertNull(clients.recv(200, TimeUnit.MILLISECONDS));
            assertEquals(1, clients.size(), "the closed member left");
            assertEquals(1, left.size());
        }
    }

    @Test
    void shouldSendAndReceiveThroughTheServicePool() throws Exception
    {
        svc = Svc.bind(ANY_LOOPBACK, BYTES, context());
        try (Clt<byte[]> clt = Clt.connect(svc.localAddress(), BYTES, context()))
        {
            acceptOne();
            assertEquals(Status.OK, clt.send(new byte[] {5}));
            assertArrayEquals(new byte[] {5}, svc.recv(10, TimeUnit.SECONDS));
            assertNotNull(svc.lastRecvFrom());
            assertEquals(Status.OK, svc.send(new byte[] {6}, 5, TimeUnit.SECONDS));
            assertArrayEquals(new byte[] {6}, clt.recv(10, TimeUnit.SECONDS));
            assertEquals(1, svc.connections().size());
        }
    }

    @Test
    void shouldCountAReconnectAttemptThatThrowsAsAFailedAttemptAndReconnectAtTheNext() throws Exception
    {
        svc = Svc.bind(ANY_LOOPBACK, BYTES, context());
        // The first connection is made; the first attempt after its loss fails inside the protocol factory (as a
        // briefly exhausted buffer pool does), and the one after that succeeds.
        final java.util.concurrent.atomic.AtomicInteger made = new java.util.concurrent.atomic.AtomicInteger();
        final ProtocolFactory<byte[]> secondFails = id ->
        {
            if (made.incrementAndGet() == 2)
            {
                throw new dev.hayate.core.buffer.BufferPoolExhaustedException("no buffer free (test)");
            }
            return BYTES.create(id);
        };
        final AtomicBoolean gaveUp = new AtomicBoolean();
        try (Clt<byte[]> clt = Clt.connect(svc.localAddress(), secondFails, dev.hayate.core.Callback.none(),
            context(), dev.hayate.core.ReconnectPolicy.backoff(10, 50, TimeUnit.MILLISECONDS),
            new dev.hayate.core.Reconnector.Listener<>()
            {
                @Override
                public void onGaveUp(final IOException lastFailure)
                {
                    gaveUp.set(true);
                }
            }))
        {
            acceptOne().close();
            // The loss is noticed by the client's own I/O; the receive then waits for the new connection.
            assertNull(clt.recv(200, TimeUnit.MILLISECONDS));
            assertEquals(Status.OK, clt.send(new byte[] {4}, 10, TimeUnit.SECONDS), "connected again");
            assertTrue(made.get() >= 3, "attempts: " + made.get());
            // The failed attempt's socket was accepted too (and closed at once): the message is on a later one.
            byte[] received = null;
            for (int i = 0; i < 3 && received == null; i++)
            {
                received = acceptOne().recv(5, TimeUnit.SECONDS);
            }
            assertArrayEquals(new byte[] {4}, received);
        }
        assertFalse(gaveUp.get());
    }

    @Test
    void shouldRefuseToSplitAReconnectingClient() throws Exception
    {
        svc = Svc.bind(ANY_LOOPBACK, BYTES, context());
        final AtomicBoolean gaveUp = new AtomicBoolean();
        try (Clt<byte[]> clt = Clt.connect(svc.localAddress(), BYTES, dev.hayate.core.Callback.none(), context(),
            dev.hayate.core.ReconnectPolicy.backoff(10, 100, TimeUnit.MILLISECONDS),
            new dev.hayate.core.Reconnector.Listener<>()
            {
                @Override
                public void onGaveUp(final IOException lastFailure)
                {
                    gaveUp.set(true);
                }
            }))
        {
            acceptOne();
            assertThrows(IllegalStateException.class, clt::split);
            assertTrue(clt.isConnected());
        }
        assertFalse(gaveUp.get());
    }

    @Test
    void shouldBlockWithTheUsersOwnIdleStrategyAndGiveEachHalfItsOwn() throws Exception
    {
        svc = Svc.bind(ANY_LOOPBACK, BYTES, context());
        final java.util.concurrent.atomic.AtomicInteger made = new java.util.concurrent.atomic.AtomicInteger();
        final java.util.concurrent.atomic.AtomicLong idles = new java.util.concurrent.atomic.AtomicLong();
        final dev.hayate.core.WaitStrategy wait = new dev.hayate.core.IdleStrategyWait(() ->
        {
            made.incrementAndGet();
            return new org.agrona.concurrent.IdleStrategy()
            {
                @Override
                public void idle(final int workCount)
                {
                    idle();
                }

                @Override
                public void idle()
                {
                    idles.incrementAndGet();
                    Thread.yield();
                }

                @Override
                public void reset()
                {
                }
            };
        });
        final Clt<byte[]> clt = Clt.connect(svc.localAddress(), BYTES, dev.hayate.core.Callback.none(), context(), wait);
        final Clt<byte[]> server = acceptOne();
        assertSame(wait, clt.waitStrategy());
        final CompletableFuture<byte[]> reply = CompletableFuture.supplyAsync(clt::recv,
            runnable -> new Thread(runnable, "idle-receiver").start());
        while (idles.get() == 0)
        {
            Thread.onSpinWait();
        }
        assertEquals(Status.OK, server.send(new byte[] {8}));
        assertArrayEquals(new byte[] {8}, reply.get(10, TimeUnit.SECONDS), "woken by the data, not by the kernel");
        assertTrue(idles.get() > 0, "the user's idle strategy did the waiting");

        final Clt.Halves<byte[]> halves = clt.split();
        assertEquals(3, made.get(), "one idle strategy for the client, one more for each half");
        assertEquals(Status.OK, halves.sender().send(new byte[] {9}));
        assertArrayEquals(new byte[] {9}, server.recv(10, TimeUnit.SECONDS));
        halves.sender().close();
    }
}
