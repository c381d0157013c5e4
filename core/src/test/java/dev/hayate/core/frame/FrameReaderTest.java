package dev.hayate.core.frame;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import dev.hayate.core.test.Frames;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FrameReaderTest
{
    private static final int MAX = 256;

    private static FrameReader reader(final int capacity, final int maxFrameLength)
    {
        final ByteBuffer memory = ByteBuffer.allocateDirect(capacity);
        return new FrameReader(new UnsafeBuffer(memory), memory, maxFrameLength, Sofh.SBE_1_0_LITTLE_ENDIAN);
    }

    private static byte[] frameBody(final FrameReader reader)
    {
        final byte[] body = new byte[reader.frameLength() - Sofh.HEADER_LENGTH];
        reader.buffer().getBytes(reader.frameOffset() + Sofh.HEADER_LENGTH, body);
        return body;
    }

    private static List<byte[]> drain(final FrameReader reader)
    {
        final List<byte[]> bodies = new ArrayList<>();
        int result;
        while ((result = reader.next()) == FrameReader.FRAME)
        {
            bodies.add(frameBody(reader));
        }
        assertEquals(FrameReader.INCOMPLETE, result, () -> "unexpected error: " + reader.errorMessage());
        return bodies;
    }

    @Test
    void shouldDeliverFrameSplitAtEveryBytePosition()
    {
        final Random random = new Random(42);
        for (final int bodyLength : new int[] {0, 1, 5, 6, 7, 100, MAX - Sofh.HEADER_LENGTH})
        {
            final byte[] body = Frames.body(random, bodyLength);
            final byte[] frame = Frames.frame(body);
            for (int split = 0; split <= frame.length; split++)
            {
                final FrameReader reader = reader(MAX, MAX);
                reader.append(frame, 0, split);
                if (split < frame.length)
                {
                    assertEquals(FrameReader.INCOMPLETE, reader.next(), "split at " + split + " of " + frame.length);
                }
                reader.append(frame, split, frame.length - split);
                assertEquals(FrameReader.FRAME, reader.next(), "split at " + split);
                assertArrayEquals(body, frameBody(reader));
                assertEquals(FrameReader.INCOMPLETE, reader.next());
                assertEquals(0, reader.buffered());
            }
        }
    }

    @Test
    void shouldDeliverManyFramesFromOneRead()
    {
        final Random random = new Random(7);
        final byte[][] bodies = new byte[30][];
        final byte[][] frames = new byte[30][];
        for (int i = 0; i < bodies.length; i++)
        {
            bodies[i] = Frames.body(random, random.nextInt(20));
            frames[i] = Frames.frame(bodies[i]);
        }
        final byte[] stream = Frames.concat(frames);
        final FrameReader reader = reader(4096, MAX);
        assertEquals(stream.length, reader.append(stream, 0, stream.length));
        final List<byte[]> received = drain(reader);
        assertEquals(bodies.length, received.size());
        for (int i = 0; i < bodies.length; i++)
        {
            assertArrayEquals(bodies[i], received.get(i));
        }
    }

    @Test
    void shouldDeliverEveryFrameOfLongStreamFedInRandomPiecesThroughSmallBuffer()
    {
        final long seed = System.nanoTime();
        final Random random = new Random(seed);
        final List<byte[]> sent = new ArrayList<>();
        final List<byte[]> received = new ArrayList<>();
        final FrameReader reader = reader(MAX, MAX);
        final byte[][] frames = new byte[2000][];
        for (int i = 0; i < frames.length; i++)
        {
            final byte[] body = Frames.body(random, random.nextInt(MAX - Sofh.HEADER_LENGTH + 1));
            sent.add(body);
            frames[i] = Frames.frame(body);
        }
        final byte[] stream = Frames.concat(frames);
        int position = 0;
        while (position < stream.length)
        {
            final int piece = Math.min(stream.length - position, 1 + random.nextInt(300));
            final int appended = reader.append(stream, position, piece);
            position += appended;
            received.addAll(drain(reader));
        }
        received.addAll(drain(reader));
        assertEquals(sent.size(), received.size(), "seed " + seed);
        for (int i = 0; i < sent.size(); i++)
        {
            assertArrayEquals(sent.get(i), received.get(i), "frame " + i + ", seed " + seed);
        }
    }

    @Test
    void shouldAcceptFrameOfExactlyMaximumLength()
    {
        final FrameReader reader = reader(MAX, MAX);
        final byte[] body = new byte[MAX - Sofh.HEADER_LENGTH];
        Arrays.fill(body, (byte)7);
        final byte[] frame = Frames.frame(body);
        reader.append(frame, 0, frame.length);
        assertEquals(FrameReader.FRAME, reader.next());
        assertEquals(MAX, reader.frameLength());
    }

    @Test
    void shouldRejectFrameOneByteLongerThanMaximumFromLengthAlone()
    {
        final FrameReader reader = reader(MAX, MAX);
        final byte[] frame = Frames.header(MAX + 1, Sofh.SBE_1_0_LITTLE_ENDIAN, new byte[0]);
        reader.append(frame, 0, 4);
        assertEquals(FrameReader.ERROR, reader.next(), "rejected on the 4 length bytes, before the rest arrives");
        assertTrue(reader.errorMessage().contains("exceeds the maximum frame length " + MAX), reader.errorMessage());
    }

    @Test
    void shouldRejectZeroLength()
    {
        assertRejected(Frames.header(0, Sofh.SBE_1_0_LITTLE_ENDIAN, new byte[0]), "below the header size");
    }

    @Test
    void shouldRejectLengthBelowHeaderSize()
    {
        assertRejected(Frames.header(5, Sofh.SBE_1_0_LITTLE_ENDIAN, new byte[0]), "below the header size");
    }

    @Test
    void shouldRejectNegativeLength()
    {
        assertRejected(Frames.header(-1, Sofh.SBE_1_0_LITTLE_ENDIAN, new byte[0]), "4294967295");
        assertRejected(Frames.header(Integer.MIN_VALUE, Sofh.SBE_1_0_LITTLE_ENDIAN, new byte[0]), "2147483648");
    }

    @Test
    void shouldRejectUnknownEncodingType()
    {
        assertRejected(Frames.header(10, 0x1234, new byte[4]), "encoding type 0x1234");
    }

    @Test
    void shouldRejectGarbage()
    {
        final byte[] garbage = "GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        assertRejected(garbage, "SOFH length");
    }

    @Test
    void shouldStayInErrorAfterRejection()
    {
        final FrameReader reader = reader(MAX, MAX);
        final byte[] bad = Frames.header(3, Sofh.SBE_1_0_LITTLE_ENDIAN, new byte[0]);
        reader.append(bad, 0, bad.length);
        assertEquals(FrameReader.ERROR, reader.next());
        final byte[] good = Frames.frame(new byte[] {1});
        reader.append(good, 0, good.length);
        assertEquals(FrameReader.ERROR, reader.next());
    }

    @Test
    void shouldRejectMaximumLargerThanBuffer()
    {
        final ByteBuffer memory = ByteBuffer.allocateDirect(64);
        final IllegalArgumentException ex = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
            () -> new FrameReader(new UnsafeBuffer(memory), memory, 65, Sofh.SBE_1_0_LITTLE_ENDIAN));
        assertNotNull(ex.getMessage());
    }

    private static void assertRejected(final byte[] bytes, final String expectedMessagePart)
    {
        final FrameReader reader = reader(MAX, MAX);
        reader.append(bytes, 0, bytes.length);
        assertEquals(FrameReader.ERROR, reader.next());
        assertTrue(reader.errorMessage().contains(expectedMessagePart),
            () -> "'" + reader.errorMessage() + "' should mention '" + expectedMessagePart + "'");
    }
}
