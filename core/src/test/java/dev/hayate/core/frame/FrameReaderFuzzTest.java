package dev.hayate.core.frame;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Random;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.agrona.concurrent.UnsafeBuffer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Jazzer target for {@link FrameReader}: any byte stream, cut into any pieces, must split exactly as a plain
 * reference parser splits it.
 *
 * <p>The input chooses the maximum frame length, the buffer's spare capacity, whether the stream is well-formed
 * frames (optionally followed by garbage) or raw bytes, and the seed of the piece sizes. The reader must never
 * throw, must hand out the reference's frames byte for byte, must report {@link FrameReader#ERROR} (with a
 * message) as soon as a broken header's bytes have arrived and not before, must never stall with room it does
 * not use, and must allocate nothing sized from a hostile length. Plain {@code mvn test} replays the committed
 * corpus in {@code FrameReaderFuzzTestInputs}; {@code .ci/fuzz} fuzzes it for a bounded time.
 *
 * <p>Thread-safety: a test; one thread.
 */
class FrameReaderFuzzTest
{
    /**
     * The reader's error path formats one message; anything sized from a hostile length (up to 2^32 - 1) would be
     * far more. While fuzzing, the coverage instrumentation allocates on the fuzzed thread too, so the bound is
     * looser there: it still catches anything sized from a length above it.
     */
    private static final long ALLOCATION_BOUND = System.getenv("JAZZER_FUZZ") == null ? 64 * 1024 : 16 * 1024 * 1024;
    private static final int MAX_PIECES = 4096;

    private static final com.sun.management.ThreadMXBean THREADS =
        (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();

    /** What the reference parser finds in a whole stream. */
    private static final class Reference
    {
        final int[] offsets;
        final int[] lengths;
        final int frames;
        /** Stream bytes needed before a broken header can be seen, or -1 if every header is good. */
        final int errorAt;

        Reference(final int[] offsets, final int[] lengths, final int frames, final int errorAt)
        {
            this.offsets = offsets;
            this.lengths = lengths;
            this.frames = frames;
            this.errorAt = errorAt;
        }
    }

    @FuzzTest(maxDuration = "5m")
    void shouldSplitAnyStreamInAnyPiecesLikeTheReferenceParser(final FuzzedDataProvider data)
    {
        final int maxFrameLength = data.consumeInt(Sofh.HEADER_LENGTH, 300);
        final int capacity = maxFrameLength + data.consumeInt(0, 64);
        final int maxPiece = data.consumeInt(1, 2 * capacity);
        final long seed = data.consumeLong();
        final byte[] stream = data.consumeBoolean() ? wellFormed(data, maxFrameLength) : data.consumeRemainingAsBytes();
        // Twice: allocation is measured on the second run only, since the first may load classes for its paths.
        split(stream, maxFrameLength, capacity, maxPiece, seed, false);
        split(stream, maxFrameLength, capacity, maxPiece, seed, true);
    }

    private static void split(final byte[] stream, final int maxFrameLength, final int capacity, final int maxPiece,
        final long seed, final boolean measure)
    {
        final Random pieces = new Random(seed);
        final Reference reference = parse(stream, maxFrameLength);

        final ByteBuffer memory = ByteBuffer.allocateDirect(capacity);
        final FrameReader reader = new FrameReader(new UnsafeBuffer(memory), memory, maxFrameLength,
            Sofh.SBE_1_0_LITTLE_ENDIAN);
        final int[] gotOffsets = new int[stream.length / Sofh.HEADER_LENGTH + 1];
        final int[] gotLengths = new int[gotOffsets.length];
        final byte[][] gotFrames = new byte[gotOffsets.length][];

        int fed = 0;
        int frames = 0;
        boolean error = false;
        for (int piece = 0; piece < MAX_PIECES && fed < stream.length && !error; piece++)
        {
            final int want = Math.min(1 + pieces.nextInt(maxPiece), stream.length - fed);
            final long before = THREADS.getCurrentThreadAllocatedBytes();
            final int appended = reader.append(stream, fed, want);
            fed += appended;
            final int framesBefore = frames;
            int result;
            while ((result = reader.next()) == FrameReader.FRAME)
            {
                gotOffsets[frames] = reader.frameOffset();
                gotLengths[frames] = reader.frameLength();
                frames++;
            }
            final long allocated = THREADS.getCurrentThreadAllocatedBytes() - before;
            assertTrue(!measure || allocated < ALLOCATION_BOUND, "the reader allocated " + allocated + " bytes for " +
                want +
                " bytes of input, max frame length " + maxFrameLength);
            for (int i = framesBefore; i < frames; i++)
            {
                assertTrue(gotOffsets[i] >= 0 && gotOffsets[i] + gotLengths[i] <= capacity, "frame outside the buffer");
                gotFrames[i] = new byte[gotLengths[i]];
                reader.buffer().getBytes(gotOffsets[i], gotFrames[i]);
            }
            error = result == FrameReader.ERROR;
            final boolean errorVisible = reference.errorAt >= 0 && reference.errorAt <= fed;
            assertEquals(errorVisible, error, () -> "after " + describe(stream, reader) + " reader says " +
                reader.errorMessage() + ", reference error at byte " + reference.errorAt);
            if (appended == 0 && frames == framesBefore && !error)
            {
                fail("stalled: the buffer of " + capacity + " bytes took nothing, with " + reader.buffered() +
                    " bytes buffered and no frame to hand out");
            }
        }

        if (error)
        {
            assertNotNull(reader.errorMessage(), "an error must say why");
            assertEquals(FrameReader.ERROR, reader.next(), "a reader in error stays in error");
        }
        else
        {
            assertEquals(stream.length, fed, "the stream was not fed whole within " + MAX_PIECES + " pieces");
            assertEquals(stream.length - end(reference), reader.buffered(), "bytes left over after the last frame");
        }
        assertEquals(reference.frames, frames, "frames out differ from the reference's");
        for (int i = 0; i < frames; i++)
        {
            assertEquals(reference.lengths[i], gotLengths[i], "length of frame " + i);
            assertArrayEquals(Arrays.copyOfRange(stream, reference.offsets[i], reference.offsets[i] + gotLengths[i]),
                gotFrames[i], "bytes of frame " + i);
        }
    }

    private static String describe(final byte[] stream, final FrameReader reader)
    {
        return stream.length + "-byte stream (" + reader.buffered() + " buffered)";
    }

    private static int end(final Reference reference)
    {
        return reference.frames == 0 ? 0 :
            reference.offsets[reference.frames - 1] + reference.lengths[reference.frames - 1];
    }

    // Well-formed frames from the input, then optionally whatever input is left as garbage.
    private static byte[] wellFormed(final FuzzedDataProvider data, final int maxFrameLength)
    {
        final int count = data.consumeInt(0, 32);
        final ByteBuffer stream = ByteBuffer.allocate(count * maxFrameLength);
        for (int i = 0; i < count; i++)
        {
            final byte[] body = data.consumeBytes(data.consumeInt(0, maxFrameLength - Sofh.HEADER_LENGTH));
            stream.putInt(body.length + Sofh.HEADER_LENGTH).putShort((short)Sofh.SBE_1_0_LITTLE_ENDIAN).put(body);
        }
        final byte[] tail = data.consumeBoolean() ? data.consumeRemainingAsBytes() : new byte[0];
        final byte[] bytes = Arrays.copyOf(stream.array(), stream.position() + tail.length);
        System.arraycopy(tail, 0, bytes, stream.position(), tail.length);
        return bytes;
    }

    // The SOFH rules in their plainest form, on the whole stream at once.
    private static Reference parse(final byte[] stream, final int maxFrameLength)
    {
        final ByteBuffer bytes = ByteBuffer.wrap(stream);
        final int[] offsets = new int[stream.length / Sofh.HEADER_LENGTH + 1];
        final int[] lengths = new int[offsets.length];
        int frames = 0;
        int position = 0;
        while (stream.length - position >= 4)
        {
            final long length = Integer.toUnsignedLong(bytes.getInt(position));
            if (length < Sofh.HEADER_LENGTH || length > maxFrameLength)
            {
                return new Reference(offsets, lengths, frames, position + 4);
            }
            if (stream.length - position < Sofh.HEADER_LENGTH)
            {
                break;
            }
            if ((bytes.getShort(position + 4) & 0xFFFF) != Sofh.SBE_1_0_LITTLE_ENDIAN)
            {
                return new Reference(offsets, lengths, frames, position + Sofh.HEADER_LENGTH);
            }
            if (stream.length - position < length)
            {
                break;
            }
            offsets[frames] = position;
            lengths[frames] = (int)length;
            frames++;
            position += (int)length;
        }
        return new Reference(offsets, lengths, frames, -1);
    }
}
