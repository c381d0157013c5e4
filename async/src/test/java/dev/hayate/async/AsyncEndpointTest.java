package dev.hayate.async;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import dev.hayate.core.CloseReason;
import dev.hayate.core.Context;
import dev.hayate.core.ProtocolFactory;
import dev.hayate.core.buffer.BufferPool;
import dev.hayate.core.test.ByteArrayCodec;
import dev.hayate.core.transport.TcpTransportProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AsyncEndpointTest
{
    private static final ProtocolFactory<byte[]> BYTES = ProtocolFactory.of(ByteArrayCodec::new);
    private static final InetSocketAddress ANY_LOOPBACK = new InetSocketAddress("127.0.0.1", 0);

    private final BufferPool pool = new BufferPool.Context().sizeClass(4096, 1024).build();
    private final List<AutoCloseable> resources = new ArrayList<>();

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
        return new Context().bufferPool(pool).maxFrameLength(4096);
    }

    private static <T> T get(final CompletableFuture<T> future) throws Exception
    {
        return future.get(20, TimeUnit.SECONDS);
    }

    /**
     * Echoes every message of every connection, by chaining futures.
     */
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

    @Test
    void shouldNotLetASlowContinuationStallOtherConnections() throws Exception
    {
        // Continuations may block only when completions go through the completion executor.
        final AsyncRuntime runtime = track(new AsyncRuntime.Builder().name("slow").ioThreads(1)
            .completeOnIoThread(false).build());
        final Svc<byte[]> svc = track(Svc.bind(ANY_LOOPBACK, BYTES, context(), runtime));
        svc.onAccept(AsyncEndpointTest::echo);
        final Clt<byte[]> slow = get(Clt.connect(svc.localAddress(), BYTES, context(), runtime));
        final Clt<byte[]> fast = get(Clt.connect(svc.localAddress(), BYTES, context(), runtime));

        final CountDownLatch release = new CountDownLatch(1);
        final CountDownLatch blocking = new CountDownLatch(1);
        // The receive is asked for and the blocking action attached before the send: attached to a reply that had
        // already arrived, the action would block this thread instead of a completion thread (it did, under load).
        final CompletableFuture<Void> stuck = slow.recv()
            .thenAccept(reply ->
            {
                blocking.countDown();
                try
                {
                    release.await(30, TimeUnit.SECONDS);   // a continuation that blocks
                }
                catch (final InterruptedException ex)
                {
                    Thread.currentThread().interrupt();
                }
            });
        get(slow.send(new byte[] {1}));
        assertTrue(blocking.await(10, TimeUnit.SECONDS), "the slow connection's reply arrived");
        // While it blocks, the other connection on the same single I/O thread keeps trading.
        for (int i = 0; i < 200; i++)
        {
            final byte[] ping = {2, (byte)i};
            get(fast.send(ping));
            assertArrayEquals(ping, get(fast.recv(10, TimeUnit.SECONDS)), "round trip " + i);
        }
        assertFalse(stuck.isDone(), "the slow continuation is still blocked");
        release.countDown();
        get(stuck);
    }

    @Test
    void shouldFailSendsBeyondTheOutstandingBoundInsteadOfGrowing() throws Exception
    {
        final AsyncRuntime runtime = track(new AsyncRuntime.Builder().name("bounded").maxOutstandingSends(16).build());
        final Context small = context().transportProvider(new TcpTransportProvider()
            .socketSendBufferSize(4096).socketReceiveBufferSize(4096));
        final Svc<byte[]> svc = track(Svc.bind(ANY_LOOPBACK, BYTES, small, runtime));
        final CompletableFuture<Clt<byte[]>> accepted = svc.accept();     // accepted, never read from
        final Clt<byte[]> clt = get(Clt.connect(svc.localAddress(), BYTES, small, runtime));
        get(accepted);

        final List<CompletableFuture<Void>> sends = new ArrayList<>();
        CompletableFuture<Void> refused = null;
        for (int i = 0; i < 10_000 && refused == null; i++)
        {
            final CompletableFuture<Void> send = clt.send(new byte[3000]);
            if (send.isCompletedExceptionally())
            {
                refused = send;
            }
            else
            {
                sends.add(send);
            }
        }
        assertTrue(refused != null, "the bound was reached while the peer did not read");
        final ExecutionException failure = assertThrows(ExecutionException.class, refused::get);
        assertInstanceOf(BackPressureException.class, failure.getCause());
        assertTrue(failure.getCause().getMessage().contains("16 sends already outstanding"), failure.getCause().getMessage());
    }

    @Test
    void shouldNotSendAMessageWhoseFutureWasCancelledBeforeItsTurn() throws Exception
    {
        final AsyncRuntime runtime = track(new AsyncRuntime.Builder().name("cancel").build());
        final Context small = context().transportProvider(new TcpTransportProvider()
            .socketSendBufferSize(4096).socketReceiveBufferSize(4096));
        final Svc<byte[]> svc = track(Svc.bind(ANY_LOOPBACK, BYTES, small, runtime));
        final CompletableFuture<Clt<byte[]>> accepted = svc.accept();
        final Clt<byte[]> clt = get(Clt.connect(svc.localAddress(), BYTES, small, runtime));
        final Clt<byte[]> peer = get(accepted);

        // The peer reads nothing yet, so these queue up behind small socket buffers.
        final int queued = 200;
        for (int i = 0; i < queued; i++)
        {
            final byte[] m = new byte[3000];
            java.util.Arrays.fill(m, (byte)1);
            clt.send(m);
        }
        final byte[] cancelled = new byte[3000];
        java.util.Arrays.fill(cancelled, (byte)1);
        final CompletableFuture<Void> send = clt.send(cancelled);
        assertTrue(send.cancel(false), "still queued when cancelled");
        // The caller reuses its array once the future is done: these bytes must never reach the peer.
        java.util.Arrays.fill(cancelled, (byte)'Z');
        clt.send(new byte[] {2});

        int ones = 0;
        while (true)
        {
            final byte[] m = get(peer.recv());
            if (m.length == 1 && m[0] == 2)
            {
                break;
            }
            assertEquals(1, m[0], "a cancelled message was sent after all");
            ones++;
        }
        assertEquals(queued, ones);
    }

    @Test
    void shouldHandALateMessageToTheNextReceiveAfterATimeout() throws Exception
    {
        final AsyncRuntime runtime = track(new AsyncRuntime.Builder().name("late").build());
        final Svc<byte[]> svc = track(Svc.bind(ANY_LOOPBACK, BYTES, context(), runtime));
        final CompletableFuture<Clt<byte[]>> accepted = svc.accept();
        final Clt<byte[]> clt = get(Clt.connect(svc.localAddress(), BYTES, context(), runtime));
        final Clt<byte[]> peer = get(accepted);

        final ExecutionException timeout = assertThrows(ExecutionException.class,
            () -> clt.recv(100, TimeUnit.MILLISECONDS).get(20, TimeUnit.SECONDS));
        assertInstanceOf(TimeoutException.class, timeout.getCause());
        assertFalse(clt.isClosed(), "a timeout is not a close");
        get(peer.send(new byte[] {7}));
        assertArrayEquals(new byte[] {7}, get(clt.recv(10, TimeUnit.SECONDS)), "the late message is not lost");
    }

    @Test
    void shouldServeManyConnectionsOnOneIoThread() throws Exception
    {
        final AsyncRuntime runtime = track(new AsyncRuntime.Builder().name("many").ioThreads(1).build());
        final Svc<byte[]> svc = track(Svc.bind(ANY_LOOPBACK, BYTES, context(), runtime));
        svc.onAccept(AsyncEndpointTest::echo);
        final int connections = 200;
        final List<Clt<byte[]>> clients = new ArrayList<>();
        for (int i = 0; i < connections; i++)
        {
            clients.add(get(Clt.connect(svc.localAddress(), BYTES, context(), runtime)));
        }
        final List<CompletableFuture<byte[]>> replies = new ArrayList<>();
        for (int round = 0; round < 5; round++)
        {
            for (int i = 0; i < connections; i++)
            {
                final Clt<byte[]> clt = clients.get(i);
                final byte[] ping = {(byte)round, (byte)i, (byte)(i >> 8)};
                // Receives complete in the order they are asked for, so ask in program order, not from
                // send continuations.
                clt.send(ping);
                replies.add(clt.recv(20, TimeUnit.SECONDS));
            }
        }
        int index = 0;
        for (int round = 0; round < 5; round++)
        {
            for (int i = 0; i < connections; i++)
            {
                assertArrayEquals(new byte[] {(byte)round, (byte)i, (byte)(i >> 8)}, get(replies.get(index++)));
            }
        }
        final long ioThreads = Thread.getAllStackTraces().keySet().stream()
            .filter(thread -> thread.getName().startsWith("many-io-")).count();
        assertEquals(1, ioThreads, "200 connections, one I/O thread");
        assertEquals(connections, svc.connectionCount());
    }

    @Test
    void shouldFailWaitingFuturesWhenThePeerCloses() throws Exception
    {
        final AsyncRuntime runtime = track(new AsyncRuntime.Builder().name("closing").build());
        final Svc<byte[]> svc = track(Svc.bind(ANY_LOOPBACK, BYTES, context(), runtime));
        final CompletableFuture<Clt<byte[]>> accepted = svc.accept();
        final Clt<byte[]> clt = get(Clt.connect(svc.localAddress(), BYTES, context(), runtime));
        final Clt<byte[]> peer = get(accepted);
        final CompletableFuture<byte[]> waiting = clt.recv();
        peer.close();
        final ExecutionException failure = assertThrows(ExecutionException.class, () -> waiting.get(20, TimeUnit.SECONDS));
        final ConnectionClosedException closed = assertInstanceOf(ConnectionClosedException.class, failure.getCause());
        assertEquals(CloseReason.PEER_CLOSED, closed.reason());
        assertEquals(CloseReason.PEER_CLOSED, get(clt.closeFuture()));
        assertInstanceOf(ConnectionClosedException.class,
            assertThrows(ExecutionException.class, () -> clt.send(new byte[1]).get(20, TimeUnit.SECONDS)).getCause());
    }

    @Test
    void shouldCompleteOnTheCompletionExecutorWhenAskedNotTheIoThread() throws Exception
    {
        final AsyncRuntime runtime = track(new AsyncRuntime.Builder().name("threads").completeOnIoThread(false).build());
        final Svc<byte[]> svc = track(Svc.bind(ANY_LOOPBACK, BYTES, context(), runtime));
        svc.onAccept(AsyncEndpointTest::echo);
        final Clt<byte[]> clt = get(Clt.connect(svc.localAddress(), BYTES, context(), runtime));
        final CompletableFuture<String> thread = new CompletableFuture<>();
        // Attached before the send, so the reply cannot have arrived yet: the action runs where the future completes
        // (attached to a future already done, it would run on this thread, which proves nothing). Only the action's
        // result is waited for: a thread waiting in get() on the reply itself may help run its dependents.
        final CompletableFuture<byte[]> reply = clt.recv();
        reply.whenComplete((message, failure) -> thread.complete(Thread.currentThread().getName()));
        clt.send(new byte[] {1});
        final String name = get(thread);
        assertArrayEquals(new byte[] {1}, reply.getNow(null));
        assertNotEquals(-1, name.indexOf("-completion-"), "completed on " + name);
    }

    @Test
    void shouldCompleteOnTheIoThreadByDefault() throws Exception
    {
        final AsyncRuntime runtime = track(new AsyncRuntime.Builder().name("direct").build());
        final Svc<byte[]> svc = track(Svc.bind(ANY_LOOPBACK, BYTES, context(), runtime));
        svc.onAccept(AsyncEndpointTest::echo);
        final Clt<byte[]> clt = get(Clt.connect(svc.localAddress(), BYTES, context(), runtime));
        final CompletableFuture<String> thread = new CompletableFuture<>();
        // Only the continuation is waited for: a thread waiting in get() on the reply itself may help run it.
        clt.recv().whenComplete((message, failure) -> thread.complete(Thread.currentThread().getName()));
        clt.send(new byte[] {1});
        final String name = get(thread);
        assertTrue(name.startsWith("direct-io-"), "completed on " + name);
    }
}
