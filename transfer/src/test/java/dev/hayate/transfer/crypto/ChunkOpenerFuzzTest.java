package dev.hayate.transfer.crypto;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Jazzer target for {@link ChunkOpener}: the input mutates a sealed stream — flips bytes of ciphertext or tag,
 * cuts a frame short, rewrites a header field, drops, duplicates, moves or swaps frames, splices in a frame sealed
 * for another session, ends the stream early — and the opener, driven the way the receiver drives it, must reject
 * every change with a {@link ChunkIntegrityException} that names its {@link ChunkIntegrityException.Violation}.
 *
 * <p>The stream: file 0 in three chunks, file 1 in one, file 2 empty (an end with no chunk), then DONE; each file's
 * end frame carries its chunk count. The driver opens frames in order, skips a {@link ChunkOpener#GAP}, calls
 * {@link ChunkOpener#expectEnd} at each end frame with the count it carries and {@link ChunkOpener#finish()} at DONE
 * or when the frames run out. The oracle: a stream that finishes must have delivered exactly what was sealed; the
 * one change the opener cannot see by design is a stream cut at a file boundary before DONE, which the receiver
 * refuses because DONE never came — then what was delivered must be an unchanged prefix.
 *
 * <p>Plain {@code mvn test} replays the committed corpus in {@code ChunkOpenerFuzzTestInputs}; {@code .ci/fuzz}
 * fuzzes it for a bounded time.
 *
 * <p>Thread-safety: a test; one thread.
 */
class ChunkOpenerFuzzTest
{
    private static final byte[] CONTEXT = "fuzz-context".getBytes(StandardCharsets.US_ASCII);
    private static final int[] CHUNKS_PER_FILE = {3, 1, 0};
    private static final int MAX_MUTATIONS = 4;

    private static final SessionKeys RECEIVER = keys(1, Role.RECEIVER);
    private static final Map<CipherSuite, List<Frame>> STREAMS = new EnumMap<>(CipherSuite.class);
    private static final Map<CipherSuite, Frame> FOREIGN = new EnumMap<>(CipherSuite.class);
    private static final Map<CipherSuite, List<Delivered>> EXPECTED = new EnumMap<>(CipherSuite.class);

    static
    {
        final SessionKeys sender = keys(1, Role.SENDER);
        final SessionKeys stranger = keys(2, Role.SENDER);
        for (final CipherSuite suite : CipherSuite.values())
        {
            STREAMS.put(suite, seal(sender.sealer(suite)));
            FOREIGN.put(suite, seal(stranger.sealer(suite)).get(0));
            EXPECTED.put(suite, drive(RECEIVER.opener(suite), STREAMS.get(suite)).delivered);
        }
    }

    /** A frame as the wire carries it: the clear header fields and the sealed bytes. */
    private record Frame(long sequence, byte kind, int fileIndex, long chunkIndex, byte flags, byte[] sealed)
    {
        @Override
        public boolean equals(final Object other)
        {
            return other instanceof Frame f && sequence == f.sequence && kind == f.kind && fileIndex == f.fileIndex &&
                chunkIndex == f.chunkIndex && flags == f.flags && Arrays.equals(sealed, f.sealed);
        }

        @Override
        public int hashCode()
        {
            return Objects.hash(sequence, kind, fileIndex, chunkIndex, flags, Arrays.hashCode(sealed));
        }
    }

    /** What the driver delivered: the header fields and plaintext of each frame opened in turn. */
    private record Delivered(byte kind, int fileIndex, long chunkIndex, byte flags, String plaintext)
    {
    }

    @FuzzTest(maxDuration = "5m")
    void shouldRejectAndNameEveryChangeToASealedStream(final FuzzedDataProvider data)
    {
        final CipherSuite suite = data.pickValue(CipherSuite.values());
        final List<Frame> original = STREAMS.get(suite);
        final List<Frame> stream = new ArrayList<>(original);
        for (int i = data.consumeInt(0, MAX_MUTATIONS); i > 0 && !stream.isEmpty(); i--)
        {
            mutate(data, stream, FOREIGN.get(suite));
        }

        final List<Delivered> expected = EXPECTED.get(suite);
        final Outcome outcome = drive(RECEIVER.opener(suite), stream);
        if (stream.equals(original))
        {
            assertNotNull(outcome.delivered, () -> "the unchanged stream was refused: " + outcome.failure);
            assertTrue(outcome.done, "the unchanged stream never reached DONE");
            assertEquals(expected, outcome.delivered, "the unchanged stream delivered something else");
            return;
        }
        if (null != outcome.failure)
        {
            assertNotNull(outcome.failure.violation(), "a refusal must name its violation");
            assertTrue(outcome.failure.getMessage().contains(outcome.failure.violation().name()),
                () -> "the message must name the violation: " + outcome.failure.getMessage());
            return;
        }
        if (outcome.done)
        {
            assertEquals(expected, outcome.delivered, "a changed stream was accepted with other content");
            return;
        }
        // Cut before DONE at a file boundary: invisible to the opener, refused by the receiver for want of DONE.
        assertEquals(expected.subList(0, outcome.delivered.size()), outcome.delivered,
            "a stream that ended early delivered content that was never sealed");
    }

    /** How a stream ended: delivered frames and whether DONE came, or the violation. */
    private static final class Outcome
    {
        List<Delivered> delivered;
        boolean done;
        ChunkIntegrityException failure;
    }

    private static Outcome drive(final ChunkOpener opener, final List<Frame> stream)
    {
        final Outcome outcome = new Outcome();
        final List<Delivered> delivered = new ArrayList<>();
        try
        {
            for (final Frame frame : stream)
            {
                final ByteBuffer out = ByteBuffer.allocate(frame.sealed.length);
                final int length = opener.open(frame.sequence, frame.kind, frame.fileIndex, frame.chunkIndex,
                    frame.flags, ByteBuffer.wrap(frame.sealed), out);
                if (length == ChunkOpener.GAP)
                {
                    continue;
                }
                assertEquals(length, out.position(), "opened length and plaintext written differ");
                final byte[] plain = Arrays.copyOf(out.array(), length);
                delivered.add(new Delivered(frame.kind, frame.fileIndex, frame.chunkIndex, frame.flags,
                    new String(plain, StandardCharsets.ISO_8859_1)));
                if (frame.kind == FrameKinds.END)
                {
                    assertEquals(Long.BYTES, length, "an authentic end frame carries its count");
                    opener.expectEnd(frame.fileIndex, ByteBuffer.wrap(plain).getLong());
                }
                else if (frame.kind == FrameKinds.DONE)
                {
                    opener.finish();
                    outcome.done = true;
                    break; // the receiver reads nothing after DONE
                }
            }
            if (!outcome.done)
            {
                opener.finish();
            }
            outcome.delivered = delivered;
        }
        catch (final ChunkIntegrityException ex)
        {
            outcome.failure = ex;
            try
            {
                opener.finish();
                fail("a dead opener must keep failing");
            }
            catch (final ChunkIntegrityException again)
            {
                assertSame(ex, again, "a dead opener repeats its first violation");
            }
        }
        return outcome;
    }

    private static void mutate(final FuzzedDataProvider data, final List<Frame> stream, final Frame foreign)
    {
        final int at = data.consumeInt(0, stream.size() - 1);
        final Frame frame = stream.get(at);
        switch (data.consumeInt(0, 10))
        {
            case 0:
            {
                final byte[] sealed = frame.sealed.clone();
                if (sealed.length > 0)
                {
                    sealed[data.consumeInt(0, sealed.length - 1)] ^= (byte)data.consumeInt(1, 255);
                }
                stream.set(at, withSealed(frame, sealed));
                break;
            }
            case 1:
                stream.set(at, withSealed(frame, Arrays.copyOf(frame.sealed, data.consumeInt(0, frame.sealed.length))));
                break;
            case 2:
                stream.set(at, new Frame(data.consumeLong(), frame.kind, frame.fileIndex, frame.chunkIndex, frame.flags,
                    frame.sealed));
                break;
            case 3:
                stream.set(at, new Frame(frame.sequence, data.consumeByte(), frame.fileIndex, frame.chunkIndex,
                    frame.flags, frame.sealed));
                break;
            case 4:
                stream.set(at, new Frame(frame.sequence, frame.kind, data.consumeInt(), frame.chunkIndex, frame.flags,
                    frame.sealed));
                break;
            case 5:
                stream.set(at, new Frame(frame.sequence, frame.kind, frame.fileIndex, data.consumeLong(), frame.flags,
                    frame.sealed));
                break;
            case 6:
                stream.set(at, new Frame(frame.sequence, frame.kind, frame.fileIndex, frame.chunkIndex,
                    data.consumeByte(), frame.sealed));
                break;
            case 7:
                stream.remove(at);
                break;
            case 8:
                stream.add(data.consumeInt(0, stream.size()), frame);
                break;
            case 9:
                Collections.swap(stream, at, data.consumeInt(0, stream.size() - 1));
                break;
            default:
                if (data.consumeBoolean())
                {
                    stream.subList(at, stream.size()).clear();
                }
                else
                {
                    stream.set(at, foreign);
                }
                break;
        }
    }

    private static Frame withSealed(final Frame frame, final byte[] sealed)
    {
        return new Frame(frame.sequence, frame.kind, frame.fileIndex, frame.chunkIndex, frame.flags, sealed);
    }

    private static List<Frame> seal(final ChunkSealer sealer)
    {
        final Random random = new Random(7);
        final List<Frame> frames = new ArrayList<>();
        for (int file = 0; file < CHUNKS_PER_FILE.length; file++)
        {
            final int chunks = CHUNKS_PER_FILE[file];
            for (int chunk = 0; chunk < chunks; chunk++)
            {
                final byte[] plain = new byte[1 + random.nextInt(48)];
                random.nextBytes(plain);
                frames.add(seal(sealer, FrameKinds.CHUNK, file, chunk,
                    chunk == chunks - 1 ? ChunkFlags.LAST : ChunkFlags.NONE, plain));
            }
            frames.add(seal(sealer, FrameKinds.END, file, 0, ChunkFlags.NONE,
                ByteBuffer.allocate(Long.BYTES).putLong(chunks).array()));
        }
        frames.add(seal(sealer, FrameKinds.DONE, 0, 0, ChunkFlags.NONE, new byte[0]));
        return List.copyOf(frames);
    }

    private static Frame seal(final ChunkSealer sealer, final byte kind, final int file, final long chunk,
        final byte flags, final byte[] plain)
    {
        final long sequence = sealer.nextSequence();
        final ByteBuffer out = ByteBuffer.allocate(plain.length + CipherSuite.TAG_LENGTH);
        sealer.seal(sequence, kind, file, chunk, flags, ByteBuffer.wrap(plain), out);
        return new Frame(sequence, kind, file, chunk, flags, out.array());
    }

    private static SessionKeys keys(final int secretSeed, final Role role)
    {
        final byte[] secret = new byte[32];
        new Random(secretSeed).nextBytes(secret);
        return SessionKeys.fromSharedSecret(secret, CONTEXT, role);
    }
}
