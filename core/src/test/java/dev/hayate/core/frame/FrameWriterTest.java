package dev.hayate.core.frame;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import dev.hayate.core.test.Frames;
import dev.hayate.core.transport.InMemoryTransportProvider;
import dev.hayate.core.transport.Transport;
import dev.hayate.core.transport.TransportServer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FrameWriterTest
{
    private static final int MAX = 128;

    private static FrameWriter writer(final int capacity)
    {
        final ByteBuffer memory = ByteBuffer.allocateDirect(capacity);
        return new FrameWriter(new UnsafeBuffer(memory), memory, MAX, Sofh.SBE_1_0_LITTLE_ENDIAN);
    }

    @Test
    void shouldNeverTearFramesWhenTheTransportTakesRandomPieces() throws IOException
    {
        final long seed = System.nanoTime();
        final Random random = new Random(seed);
        final InMemoryTransportProvider memory = new InMemoryTransportProvider()
            .pipeCapacity(1 << 20)
            .writeChunk(() -> 1 + random.nextInt(40));
        final TransportServer server = memory.bind(new InetSocketAddress("127.0.0.1", 0));
        final Transport client = memory.connect(server.localAddress(), 1_000_000_000L);
        final Transport accepted = server.accept();

        final FrameWriter writer = writer(2 * MAX);
        final List<byte[]> sent = new ArrayList<>();
        for (int i = 0; i < 500; i++)
        {
            final byte[] body = Frames.body(random, random.nextInt(MAX - Sofh.HEADER_LENGTH + 1));
            int offset;
            while ((offset = writer.claim()) < 0)
            {
                writer.flush(client);
            }
            writer.buffer().putBytes(offset, body);
            writer.commit(body.length);
            sent.add(body);
            writer.flush(client);
        }
        while (writer.hasPending())
        {
            writer.flush(client);
        }

        final ByteBuffer memoryIn = ByteBuffer.allocateDirect(4 * MAX);
        final FrameReader reader = new FrameReader(new UnsafeBuffer(memoryIn), memoryIn, MAX, Sofh.SBE_1_0_LITTLE_ENDIAN);
        final List<byte[]> received = new ArrayList<>();
        while (received.size() < sent.size())
        {
            final int result = reader.next();
            if (result == FrameReader.FRAME)
            {
                final byte[] body = new byte[reader.frameLength() - Sofh.HEADER_LENGTH];
                reader.buffer().getBytes(reader.frameOffset() + Sofh.HEADER_LENGTH, body);
                received.add(body);
            }
            else
            {
                assertEquals(FrameReader.INCOMPLETE, result, reader.errorMessage());
                assertTrue(reader.readFrom(accepted) > 0, "stream ended early, seed " + seed);
            }
        }
        for (int i = 0; i < sent.size(); i++)
        {
            assertArrayEquals(sent.get(i), received.get(i), "frame " + i + ", seed " + seed);
        }
    }

    @Test
    void shouldRefuseClaimWhileUnsentBytesLeaveNoRoomForMaximumFrame() throws IOException
    {
        final InMemoryTransportProvider memory = new InMemoryTransportProvider().pipeCapacity(10);
        final TransportServer server = memory.bind(new InetSocketAddress("127.0.0.1", 0));
        final Transport client = memory.connect(server.localAddress(), 1_000_000_000L);

        final FrameWriter writer = writer(MAX + 20);
        final int offset = writer.claim();
        writer.buffer().putBytes(offset, new byte[50]);
        writer.commit(50);
        assertEquals(10, writer.flush(client), "the pipe takes 10 bytes");
        assertTrue(writer.hasPending());
        assertEquals(-1, writer.claim(), "46 unsent bytes + a maximum frame do not fit in 148");
        final Transport accepted = server.accept();
        final ByteBuffer sink = ByteBuffer.allocate(1024);
        while (writer.hasPending())
        {
            accepted.read(sink.clear());
            writer.flush(client);
        }
        assertTrue(writer.claim() >= 0, "room again once flushed");
    }

    @Test
    void shouldRejectCommitLongerThanMaximumAndSendNothing()
    {
        final FrameWriter writer = writer(MAX);
        writer.claim();
        assertThrows(IllegalArgumentException.class, () -> writer.commit(MAX - Sofh.HEADER_LENGTH + 1));
        assertFalse(writer.hasPending());
        assertTrue(writer.claim() >= 0, "the aborted claim is released");
    }

    @Test
    void shouldDropAbortedClaim()
    {
        final FrameWriter writer = writer(MAX);
        writer.claim();
        writer.abort();
        assertFalse(writer.hasPending());
        assertEquals(Sofh.HEADER_LENGTH, writer.claim());
    }

    @Test
    void shouldWriteStandardHeader()
    {
        final FrameWriter writer = writer(MAX);
        final int offset = writer.claim();
        writer.buffer().putBytes(offset, new byte[] {9, 8, 7});
        writer.commit(3);
        final byte[] bytes = new byte[9];
        writer.buffer().getBytes(0, bytes);
        assertArrayEquals(new byte[] {0, 0, 0, 9, 0x5B, (byte)0xE0, 9, 8, 7}, bytes);
    }
}
