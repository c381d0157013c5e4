package dev.hayate.core;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import dev.hayate.core.buffer.BufferPool;
import dev.hayate.core.frame.Sofh;
import dev.hayate.core.stat.Counters;
import dev.hayate.core.stat.Stat;
import dev.hayate.core.test.ByteArrayCodec;
import dev.hayate.core.transport.InMemoryTransportProvider;
import dev.hayate.core.transport.TransportServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The batch calls {@code offer(source, limit)} and {@code poll(handler, limit)} count their frames once per batch:
 * the counts are exact when the call returns, also when it ends by an exception.
 */
class BatchCountingTest
{
    private static final int MAX_FRAME = 256;

    private final Counters counters = Counters.inMemory();
    private Connection<byte[]> source;
    private Connection<byte[]> sink;

    @BeforeEach
    void setUp() throws IOException
    {
        final InMemoryTransportProvider memory = new InMemoryTransportProvider().pipeCapacity(1 << 16);
        final Context context = new Context().counters(counters).maxFrameLength(MAX_FRAME)
            .bufferPool(new BufferPool.Context().sizeClass(4096, 4).build());
        final ProtocolFactory<byte[]> bytes = ProtocolFactory.of(ByteArrayCodec::new);
        final TransportServer server = memory.bind(new InetSocketAddress("127.0.0.1", 0));
        source = new Connection<>(ConId.Role.INITIATOR, memory.connect(server.localAddress(), TimeUnit.SECONDS.toNanos(1)),
            bytes, Callback.none(), context);
        sink = new Connection<>(ConId.Role.ACCEPTOR, server.accept(), bytes, Callback.none(), context);
        server.close();
    }

    @AfterEach
    void tearDown()
    {
        source.close();
        sink.close();
    }

    private static Supplier<byte[]> messages(final List<byte[]> list)
    {
        final int[] next = {0};
        return () -> next[0] < list.size() ? list.get(next[0]++) : null;
    }

    private static long wireBytes(final List<byte[]> list)
    {
        long bytes = 0;
        for (final byte[] message : list)
        {
            bytes += message.length + Sofh.HEADER_LENGTH;
        }
        return bytes;
    }

    @Test
    void shouldCountEveryFrameOfABatchExactlyWhenTheCallReturns()
    {
        final List<byte[]> sent = new ArrayList<>();
        for (int i = 0; i < 40; i++)
        {
            sent.add(new byte[i * 5 % 97]);
        }
        assertEquals(25, source.offer(messages(sent.subList(0, 25)), 25));
        assertEquals(25, counters.get(Stat.FRAMES_OUT));
        assertEquals(wireBytes(sent.subList(0, 25)), counters.get(Stat.BYTES_OUT));
        assertEquals(15, source.offer(messages(sent.subList(25, 40)), 100), "the source ends the batch");
        assertEquals(40, counters.get(Stat.FRAMES_OUT));
        assertEquals(wireBytes(sent), counters.get(Stat.BYTES_OUT));
        assertEquals(Status.OK, source.flush());

        final List<byte[]> received = new ArrayList<>();
        int polls = 0;
        while (received.size() < 40 && polls++ < 1000)
        {
            sink.poll(received::add, 16);
            assertEquals(received.size(), counters.get(Stat.FRAMES_IN), "counted by the time poll returns");
        }
        assertEquals(40, received.size());
        assertEquals(wireBytes(sent), counters.get(Stat.BYTES_IN));
        assertEquals(40, source.messagesSent());
        assertEquals(40, sink.messagesReceived());
    }

    @Test
    void shouldCountTheFramesTakenBeforeTheSourceThrows()
    {
        final int[] asked = {0};
        final RuntimeException failure = assertThrows(IllegalStateException.class, () -> source.offer(() ->
        {
            if (++asked[0] > 3)
            {
                throw new IllegalStateException("the source failed");
            }
            return new byte[10];
        }, 10));
        assertEquals("the source failed", failure.getMessage());
        assertEquals(3, counters.get(Stat.FRAMES_OUT));
        assertEquals(3 * (10 + Sofh.HEADER_LENGTH), counters.get(Stat.BYTES_OUT));
        assertEquals(1, source.offer(messages(List.of(new byte[2])), 1), "the failed batch left no claim open");

        final List<byte[]> tooLong = List.of(new byte[4], new byte[MAX_FRAME]);
        assertThrows(IllegalArgumentException.class, () -> source.offer(messages(tooLong), 10));
        assertEquals(5, counters.get(Stat.FRAMES_OUT), "the frame that did not fit is not taken");
        assertEquals(3 * 10 + 2 + 4 + 5 * Sofh.HEADER_LENGTH, counters.get(Stat.BYTES_OUT));
        assertFalse(source.isClosed());
        assertEquals(Status.OK, source.flush());

        final List<byte[]> received = new ArrayList<>();
        int polls = 0;
        while (received.size() < 5 && polls++ < 1000)
        {
            sink.poll(received::add, 16);
        }
        assertEquals(List.of(10, 10, 10, 2, 4), received.stream().map(m -> m.length).toList(), "whole frames, in order");
    }

    @Test
    void shouldCountTheFramesReceivedBeforeTheHandlerThrows()
    {
        final List<byte[]> sent = List.of(new byte[1], new byte[2], new byte[3], new byte[4]);
        assertEquals(4, source.offer(messages(sent), 4));
        assertEquals(Status.OK, source.flush());

        final int[] handled = {0};
        assertThrows(IllegalStateException.class, () -> sink.poll(message ->
        {
            if (++handled[0] == 2)
            {
                throw new IllegalStateException("the handler failed");
            }
        }, 10));
        assertEquals(2, counters.get(Stat.FRAMES_IN), "the frame whose handler threw was received");
        assertEquals(1 + 2 + 2 * Sofh.HEADER_LENGTH, counters.get(Stat.BYTES_IN));

        assertEquals(2, sink.poll(message -> { }, 10), "the rest are still there");
        assertEquals(4, counters.get(Stat.FRAMES_IN));
        assertEquals(wireBytes(sent), counters.get(Stat.BYTES_IN));
    }
}
