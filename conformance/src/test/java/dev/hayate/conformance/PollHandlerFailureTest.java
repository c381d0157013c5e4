package dev.hayate.conformance;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.hayate.core.Acceptor;
import dev.hayate.core.Callback;
import dev.hayate.core.CloseReason;
import dev.hayate.core.Codec;
import dev.hayate.core.Connection;
import dev.hayate.core.Context;
import dev.hayate.core.PollHandler;
import dev.hayate.core.Protocol;
import dev.hayate.core.ProtocolFactory;
import dev.hayate.core.Status;
import dev.hayate.core.buffer.BufferPool;
import dev.hayate.core.test.ByteArrayCodec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The poll handler on its duty loop: a protocol hook that throws on the poll thread, in a receive or in a timed
 * duty, closes only its connection and is reported; the handler keeps serving the others.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PollHandlerFailureTest
{
    private static final ProtocolFactory<byte[]> BYTES = ProtocolFactory.of(ByteArrayCodec::new);
    private static final byte POISON = 66;

    private final BufferPool pool = new BufferPool.Context().sizeClass(4096, 256).build();
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

    /**
     * Throws from {@code onRecv} on a poisoned message and, for the first connection made, from its liveness rule
     * once {@code breakLiveness} is set.
     */
    private static ProtocolFactory<byte[]> faulty(final AtomicInteger made, final boolean[] breakLiveness)
    {
        return id ->
        {
            final boolean first = made.getAndIncrement() == 0;
            return new Protocol<>()
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
                        throw new IllegalStateException("receive hook bug");
                    }
                }

                @Override
                public boolean isConnected(final long nanosSinceLastReceive)
                {
                    if (first && breakLiveness[0])
                    {
                        throw new IllegalStateException("liveness hook bug");
                    }
                    return true;
                }
            };
        };
    }

    @Test
    void shouldCloseOnlyTheConnectionWhoseHookThrewAndKeepServingTheOthers() throws Exception
    {
        final AtomicInteger made = new AtomicInteger();
        final boolean[] breakLiveness = {false};
        final Acceptor<byte[]> acceptor = track(new Acceptor<>(new InetSocketAddress("127.0.0.1", 0),
            faulty(made, breakLiveness), Callback.none(), context()));
        final List<Connection<byte[]>> disconnected = new CopyOnWriteArrayList<>();
        final PollHandler<byte[]> poll = track(new PollHandler<>(new PollHandler.Handler<byte[]>()
        {
            @Override
            public void onMessage(final Connection<byte[]> from, final byte[] message)
            {
                from.trySend(message);
            }

            @Override
            public void onDisconnected(final Connection<byte[]> connection)
            {
                disconnected.add(connection);
            }
        }, context()));
        poll.add(acceptor);
        final dev.hayate.blocking.Clt<byte[]> timed = track(dev.hayate.blocking.Clt.connect(acceptor.localAddress(),
            BYTES, context()));
        awaitConnections(poll, 1);
        final dev.hayate.blocking.Clt<byte[]> poisoned = track(dev.hayate.blocking.Clt.connect(acceptor.localAddress(),
            BYTES, context()));
        final dev.hayate.blocking.Clt<byte[]> healthy = track(dev.hayate.blocking.Clt.connect(acceptor.localAddress(),
            BYTES, context()));
        awaitConnections(poll, 3);

        assertEquals(Status.OK, poisoned.send(new byte[] {POISON}, 10, TimeUnit.SECONDS));
        breakLiveness[0] = true;
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (disconnected.size() < 2 && System.nanoTime() - deadline < 0)
        {
            poll.poll(TimeUnit.MILLISECONDS.toNanos(10), 16);
        }
        assertEquals(2, disconnected.size(), "the two faulty connections left");
        for (final Connection<byte[]> connection : disconnected)
        {
            assertEquals(CloseReason.PROTOCOL_ERROR, connection.closeReason(), connection.closeDetail());
        }
        assertTrue(reported.stream().anyMatch(ex -> "receive hook bug".equals(ex.getMessage())), "reported: " + reported);
        assertTrue(reported.stream().anyMatch(ex -> "liveness hook bug".equals(ex.getMessage())), "reported: " + reported);
        assertEquals(1, poll.connectionCount());

        assertEquals(Status.OK, healthy.send(new byte[] {1, 2, 3}, 10, TimeUnit.SECONDS));
        byte[] echo = null;
        final long echoDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (echo == null && System.nanoTime() - echoDeadline < 0)
        {
            poll.poll(TimeUnit.MILLISECONDS.toNanos(10), 16);
            echo = healthy.recv(1, TimeUnit.MILLISECONDS);
        }
        assertArrayEquals(new byte[] {1, 2, 3}, echo, "the other connection is still served");
        assertNull(poisoned.recv(5, TimeUnit.SECONDS), "the poisoned connection was closed by the service");
        assertNull(timed.recv(5, TimeUnit.SECONDS), "so was the one whose liveness rule threw");
    }

    private static void awaitConnections(final PollHandler<byte[]> poll, final int count) throws Exception
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (poll.connectionCount() < count && System.nanoTime() - deadline < 0)
        {
            poll.poll(TimeUnit.MILLISECONDS.toNanos(1), 16);
        }
        assertEquals(count, poll.connectionCount());
    }
}
