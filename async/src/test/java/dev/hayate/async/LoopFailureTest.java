package dev.hayate.async;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import dev.hayate.core.Codec;
import dev.hayate.core.CloseReason;
import dev.hayate.core.Context;
import dev.hayate.core.Protocol;
import dev.hayate.core.ProtocolFactory;
import dev.hayate.core.buffer.BufferPool;
import dev.hayate.core.test.ByteArrayCodec;
import dev.hayate.core.transport.TcpTransportProvider;
import dev.hayate.core.transport.Transport;
import dev.hayate.core.transport.TransportProvider;
import dev.hayate.core.transport.TransportServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a failure on an I/O loop takes down: a throwing hook only its connection, a dying loop its own futures at
 * once, and nothing that comes after it.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LoopFailureTest
{
    private static final ProtocolFactory<byte[]> BYTES = ProtocolFactory.of(ByteArrayCodec::new);
    private static final InetSocketAddress ANY_LOOPBACK = new InetSocketAddress("127.0.0.1", 0);
    private static final byte POISON = 66;

    private final BufferPool pool = new BufferPool.Context().sizeClass(4096, 1024).build();
    private final List<AutoCloseable> resources = new ArrayList<>();
    private final List<Throwable> reported = new CopyOnWriteArrayList<>();

    @AfterEach
    void tearDown() throws Exception
    {
        for (int i = resources.size() - 1; i >= 0; i--)
        {
            resources.get(i).close();
        }
    }

    private <T extends AutoCloseable> T track(final T resource)
    {
        resources.add(resource);
        return resource;
    }

    private Context context()
    {
        return new Context().bufferPool(pool).maxFrameLength(4096).errorHandler(reported::add);
    }

    private static <T> T get(final CompletableFuture<T> future) throws Exception
    {
        return future.get(20, TimeUnit.SECONDS);
    }

    private static void echo(final Clt<byte[]> clt)
    {
        clt.recv().thenCompose(clt::send).whenComplete((sent, failure) ->
        {
            if (failure == null)
            {
                echo(clt);
            }
        });
    }

    /**
     * A protocol whose receive hook throws {@code failure} on a message starting with {@link #POISON}.
     */
    private static ProtocolFactory<byte[]> poisoned(final Throwable failure)
    {
        return id -> new Protocol<>()
        {
            private final Codec<byte[]> codec = new ByteArrayCodec();

            @Override
            public Codec<byte[]> codec()
            {
                return codec;
            }

            @Override
            public void onRecv(final byte[] message)
            {
                if (message.length > 0 && message[0] == POISON)
                {
                    if (failure instanceof Error)
                    {
                        throw (Error)failure;
                    }
                    throw (RuntimeException)failure;
                }
            }
        };
    }

    /**
     * An error no hook should throw: it must kill the loop, not be swallowed.
     */
    private static final class LoopKiller extends Error
    {
        private static final long serialVersionUID = 1L;

        LoopKiller()
        {
            super("a bug on the I/O thread");
        }
    }

    @Test
    void shouldCloseOnlyTheConnectionWhoseHookThrewAndKeepTheLoopServingTheOthers() throws Exception
    {
        final AsyncRuntime servers = track(new AsyncRuntime.Builder().name("hook-svc").build());
        final AsyncRuntime clients = track(new AsyncRuntime.Builder().name("hook-clt").ioThreads(1).build());
        final Svc<byte[]> svc = track(Svc.bind(ANY_LOOPBACK, BYTES, context(), servers));
        svc.onAccept(LoopFailureTest::echo);
        final ProtocolFactory<byte[]> throwing = poisoned(new IllegalStateException("hook bug"));
        final Clt<byte[]> victim = get(Clt.connect(svc.localAddress(), throwing, context(), clients));
        final Clt<byte[]> bystander = get(Clt.connect(svc.localAddress(), throwing, context(), clients));
        final CompletableFuture<byte[]> bystanderWaiting = bystander.recv();

        final CompletableFuture<byte[]> poisonedReply = victim.recv();
        get(victim.send(new byte[] {POISON}));
        final ExecutionException failure = assertThrows(ExecutionException.class, () -> get(poisonedReply));
        final ConnectionClosedException closed = assertInstanceOf(ConnectionClosedException.class, failure.getCause());
        assertEquals(CloseReason.PROTOCOL_ERROR, closed.reason());
        assertTrue(victim.closeDetail().contains("hook bug"), victim.closeDetail());
        assertEquals(CloseReason.PROTOCOL_ERROR, get(victim.closeFuture()));
        assertTrue(reported.stream().anyMatch(ex -> "hook bug".equals(ex.getMessage())), "reported: " + reported);

        assertFalse(bystanderWaiting.isDone(), "the other connection's receive still waits");
        get(bystander.send(new byte[] {1, 2}));
        assertArrayEquals(new byte[] {1, 2}, get(bystanderWaiting));
        final Clt<byte[]> later = get(Clt.connect(svc.localAddress(), BYTES, context(), clients));
        get(later.send(new byte[] {3}));
        assertArrayEquals(new byte[] {3}, get(later.recv()), "the loop takes new connections");
        assertEquals(1, clients.runningLoops());
    }

    @Test
    void shouldFailEveryFutureOfADeadLoopAtOnceAndRefuseNewWork() throws Exception
    {
        final List<Throwable> loopErrors = new CopyOnWriteArrayList<>();
        final AsyncRuntime servers = track(new AsyncRuntime.Builder().name("death-svc").build());
        final AsyncRuntime clients = track(new AsyncRuntime.Builder().name("death-clt").ioThreads(1)
            .errorHandler(loopErrors::add).build());
        final Svc<byte[]> svc = track(Svc.bind(ANY_LOOPBACK, BYTES, context(), servers));
        svc.onAccept(LoopFailureTest::echo);
        final ProtocolFactory<byte[]> deadly = poisoned(new LoopKiller());
        final Clt<byte[]> killer = get(Clt.connect(svc.localAddress(), deadly, context(), clients));
        final Clt<byte[]> bystander = get(Clt.connect(svc.localAddress(), BYTES, context(), clients));
        final CompletableFuture<byte[]> waiting = bystander.recv();
        final CompletableFuture<byte[]> timed = bystander.recv(1, TimeUnit.HOURS);

        get(killer.send(new byte[] {POISON}));
        killer.recv();
        for (final CompletableFuture<byte[]> future : List.of(waiting, timed))
        {
            final ExecutionException failure = assertThrows(ExecutionException.class, () -> get(future));
            final ConnectionClosedException closed = assertInstanceOf(ConnectionClosedException.class, failure.getCause());
            assertTrue(closed.getMessage().contains("I/O loop died"), closed.getMessage());
        }
        assertEquals(CloseReason.LOCAL, get(bystander.closeFuture()));
        assertEquals(0, clients.runningLoops());
        assertTrue(loopErrors.stream().anyMatch(ex -> ex.getCause() instanceof LoopKiller), "reported: " + loopErrors);

        assertInstanceOf(ConnectionClosedException.class,
            assertThrows(ExecutionException.class, () -> get(bystander.send(new byte[] {1}))).getCause());
        assertInstanceOf(ConnectionClosedException.class,
            assertThrows(ExecutionException.class, () -> get(bystander.recv())).getCause());
        final ExecutionException refused = assertThrows(ExecutionException.class,
            () -> get(Clt.connect(svc.localAddress(), BYTES, context(), clients)));
        assertInstanceOf(IllegalStateException.class, refused.getCause());
    }

    @Test
    void shouldNeverHandANewConnectionToADeadLoop() throws Exception
    {
        final AsyncRuntime servers = track(new AsyncRuntime.Builder().name("spread-svc").build());
        final AsyncRuntime clients = track(new AsyncRuntime.Builder().name("spread-clt").ioThreads(2)
            .errorHandler(ex -> { }).build());
        final Svc<byte[]> svc = track(Svc.bind(ANY_LOOPBACK, BYTES, context(), servers));
        svc.onAccept(LoopFailureTest::echo);
        final Clt<byte[]> killer = get(Clt.connect(svc.localAddress(), poisoned(new LoopKiller()), context(), clients));
        final CompletableFuture<byte[]> doomed = killer.recv();
        get(killer.send(new byte[] {POISON}));
        assertThrows(ExecutionException.class, () -> get(doomed));
        assertEquals(1, clients.runningLoops());

        for (int i = 0; i < 6; i++)
        {
            final Clt<byte[]> clt = get(Clt.connect(svc.localAddress(), BYTES, context(), clients));
            final byte[] ping = {(byte)i};
            final CompletableFuture<byte[]> reply = clt.recv(10, TimeUnit.SECONDS);
            get(clt.send(ping));
            assertArrayEquals(ping, get(reply), "connection " + i + " is served by the live loop");
            clt.close();
        }
    }

    @Test
    void shouldFailTheFuturesOfAConnectionWhoseTransportClosedBeforeItsLoopTookIt() throws Exception
    {
        // As when a TLS server's handshake driver fails a peer and closes its socket before the I/O loop registers
        // it: the loop cannot watch it, so nothing would ever complete its futures unless registering ends it.
        final AsyncRuntime runtime = track(new AsyncRuntime.Builder().name("early-close").build());
        final Svc<byte[]> svc = track(Svc.bind(ANY_LOOPBACK, BYTES, context(), runtime));
        final TcpTransportProvider tcp = new TcpTransportProvider();
        final TransportProvider closesFirst = new TransportProvider()
        {
            @Override
            public Transport connect(final SocketAddress remote, final long timeoutNanos) throws IOException
            {
                final Transport transport = tcp.connect(remote, timeoutNanos);
                transport.close();
                return transport;
            }

            @Override
            public TransportServer bind(final SocketAddress local) throws IOException
            {
                return tcp.bind(local);
            }

            @Override
            public String name()
            {
                return "tcp, closed before the loop registers it";
            }
        };
        final Clt<byte[]> clt = track(get(Clt.connect(svc.localAddress(), BYTES, context().transportProvider(closesFirst),
            runtime)));
        final CompletableFuture<byte[]> recv = clt.recv(30, TimeUnit.SECONDS);
        final ExecutionException failure = assertThrows(ExecutionException.class, () -> recv.get(10, TimeUnit.SECONDS),
            "failed well before its own 30 s timeout");
        assertInstanceOf(ConnectionClosedException.class, failure.getCause());
        assertEquals(CloseReason.IO_ERROR, get(clt.closeFuture()));
        assertTrue(clt.closeDetail().startsWith("cannot register with the I/O loop"), clt.closeDetail());
        assertInstanceOf(ConnectionClosedException.class,
            assertThrows(ExecutionException.class, () -> clt.recv().get(10, TimeUnit.SECONDS)).getCause());
    }
}
