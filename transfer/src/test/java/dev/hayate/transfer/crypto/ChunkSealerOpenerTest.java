package dev.hayate.transfer.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import dev.hayate.transfer.crypto.ChunkIntegrityException.Violation;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

class ChunkSealerOpenerTest
{
    private static final byte[] CONTEXT = "test-context".getBytes(StandardCharsets.US_ASCII);

    /** A frame as the wire would carry it: header fields plus sealed bytes. */
    private static final class Frame
    {
        final long sequence;
        final byte kind;
        final int fileIndex;
        final long chunkIndex;
        final byte flags;
        final byte[] sealed;

        Frame(final long sequence, final byte kind, final int fileIndex, final long chunkIndex, final byte flags,
            final byte[] sealed)
        {
            this.sequence = sequence;
            this.kind = kind;
            this.fileIndex = fileIndex;
            this.chunkIndex = chunkIndex;
            this.flags = flags;
            this.sealed = sealed;
        }

        Frame withSealed(final byte[] other)
        {
            return new Frame(sequence, kind, fileIndex, chunkIndex, flags, other);
        }
    }

    private final SessionKeys senderKeys;
    private final SessionKeys receiverKeys;

    ChunkSealerOpenerTest()
    {
        final byte[] secret = new byte[32];
        new Random(1).nextBytes(secret);
        senderKeys = SessionKeys.fromSharedSecret(secret, CONTEXT, Role.SENDER);
        receiverKeys = SessionKeys.fromSharedSecret(secret, CONTEXT, Role.RECEIVER);
    }

    @ParameterizedTest
    @EnumSource(CipherSuite.class)
    void shouldRoundTripHeapAndDirectBuffers(final CipherSuite suite) throws Exception
    {
        final ChunkSealer sealer = senderKeys.sealer(suite);
        final ChunkOpener opener = receiverKeys.opener(suite);
        final Random random = new Random(3);
        for (int i = 0; i < 20; i++)
        {
            final byte[] plain = new byte[random.nextInt(70_000)];
            random.nextBytes(plain);
            final boolean direct = i % 2 == 0;
            final ByteBuffer in = direct ? ByteBuffer.allocateDirect(plain.length) : ByteBuffer.allocate(plain.length);
            in.put(plain).flip();
            final ByteBuffer sealed = direct
                ? ByteBuffer.allocateDirect(plain.length + 16) : ByteBuffer.allocate(plain.length + 16);
            final long sequence = sealer.nextSequence();
            final byte flags = i == 19 ? ChunkFlags.LAST : ChunkFlags.NONE;
            assertEquals(plain.length + CipherSuite.TAG_LENGTH,
                sealer.seal(sequence, FrameKinds.CHUNK, 0, i, flags, in, sealed));
            assertEquals(plain.length + 16, sealed.position());
            sealed.flip();
            // Decrypt in place: out is the same memory as the sealed bytes.
            final ByteBuffer out = sealed.duplicate();
            assertEquals(plain.length, opener.open(sequence, FrameKinds.CHUNK, 0, i, flags, sealed, out));
            out.flip();
            final byte[] back = new byte[out.remaining()];
            out.get(back);
            assertArrayEquals(plain, back);
        }
        opener.expectEnd(0, 20);
        opener.finish();
    }

    @ParameterizedTest
    @EnumSource(CipherSuite.class)
    void shouldReportTamperedDirectBuffer(final CipherSuite suite) throws Exception
    {
        final ChunkSealer sealer = senderKeys.sealer(suite);
        final ByteBuffer in = ByteBuffer.allocateDirect(4096);
        final ByteBuffer sealed = ByteBuffer.allocateDirect(4096 + 16);
        sealer.seal(sealer.nextSequence(), FrameKinds.CHUNK, 0, 0, ChunkFlags.LAST, in, sealed);
        sealed.flip();
        sealed.put(100, (byte)(sealed.get(100) ^ 4));
        final ChunkOpener opener = receiverKeys.opener(suite);
        final ChunkIntegrityException ex = assertThrows(ChunkIntegrityException.class,
            () -> opener.open(0, FrameKinds.CHUNK, 0, 0, ChunkFlags.LAST, sealed, ByteBuffer.allocateDirect(4096)));
        assertEquals(Violation.TAMPERED, ex.violation());
    }

    @Test
    void shouldSealOnWorkerThreadsAndOpenInOrder() throws Exception
    {
        final ChunkSealer sealer = senderKeys.sealer(CipherSuite.AES_256_GCM);
        final ChunkOpener opener = receiverKeys.opener(CipherSuite.AES_256_GCM);
        final int chunks = 64;
        final ExecutorService pool = Executors.newFixedThreadPool(2);
        try
        {
            final ThreadLocal<ChunkSealer.Worker> workers = ThreadLocal.withInitial(sealer::worker);
            final List<Future<Frame>> futures = new ArrayList<>();
            for (int i = 0; i < chunks; i++)
            {
                final long sequence = sealer.nextSequence();
                final long chunk = i;
                final byte flags = i == chunks - 1 ? ChunkFlags.LAST : ChunkFlags.NONE;
                futures.add(pool.submit(() ->
                {
                    final ByteBuffer out = ByteBuffer.allocate(1024 + 16);
                    workers.get().seal(sequence, FrameKinds.CHUNK, 3, chunk, flags, ByteBuffer.wrap(payload(chunk)), out);
                    return new Frame(sequence, FrameKinds.CHUNK, 3, chunk, flags, out.array());
                }));
            }
            for (final Future<Frame> future : futures)
            {
                final Frame frame = future.get(30, TimeUnit.SECONDS);
                final ByteBuffer out = ByteBuffer.allocate(1024);
                open(opener, frame, out);
                assertArrayEquals(payload(frame.chunkIndex), out.array());
            }
            opener.expectEnd(3, chunks);
            opener.finish();
        }
        finally
        {
            pool.shutdownNow();
            assertTrue(pool.awaitTermination(30, TimeUnit.SECONDS));
        }
    }

    @ParameterizedTest
    @EnumSource(CipherSuite.class)
    void shouldReportTamperedCiphertextTagAndHeader(final CipherSuite suite) throws Exception
    {
        final List<Frame> frames = sealFile(senderKeys.sealer(suite), 0, 3);
        final Frame first = frames.get(0);

        final byte[] body = first.sealed.clone();
        body[5] ^= 1;
        assertViolation(Violation.TAMPERED, receiverKeys.opener(suite), first.withSealed(body));

        final byte[] tag = first.sealed.clone();
        tag[tag.length - 1] ^= (byte)0x80;
        assertViolation(Violation.TAMPERED, receiverKeys.opener(suite), first.withSealed(tag));

        assertViolation(Violation.TAMPERED, receiverKeys.opener(suite),
            new Frame(first.sequence, first.kind, first.fileIndex, first.chunkIndex, ChunkFlags.LAST, first.sealed));
        assertViolation(Violation.TAMPERED, receiverKeys.opener(suite),
            new Frame(first.sequence, first.kind, 1, first.chunkIndex, first.flags, first.sealed));
        assertViolation(Violation.TAMPERED, receiverKeys.opener(suite),
            new Frame(first.sequence, first.kind, first.fileIndex, 1, first.flags, first.sealed));
        assertViolation(Violation.TAMPERED, receiverKeys.opener(suite),
            new Frame(first.sequence, FrameKinds.END, first.fileIndex, first.chunkIndex, first.flags, first.sealed));
        assertViolation(Violation.TAMPERED, receiverKeys.opener(suite),
            new Frame(1, first.kind, first.fileIndex, first.chunkIndex, first.flags, first.sealed));
        assertViolation(Violation.TAMPERED, receiverKeys.opener(suite),
            first.withSealed(Arrays.copyOf(first.sealed, 10)));
        assertViolation(Violation.TAMPERED, receiverKeys.opener(suite),
            first.withSealed(Arrays.copyOf(first.sealed, first.sealed.length - 1)));
    }

    // The frame replayed right after itself: with ChaCha20 this once crashed the JDK cipher (same key and nonce twice
    // in a row) instead of being named a replay; found by ChunkOpenerFuzzTest.
    @ParameterizedTest
    @EnumSource(CipherSuite.class)
    void shouldReportReplayedFrame(final CipherSuite suite) throws Exception
    {
        final List<Frame> frames = sealFile(senderKeys.sealer(suite), 0, 3);
        final ChunkOpener opener = receiverKeys.opener(suite);
        open(opener, frames.get(0), ByteBuffer.allocate(1024));
        open(opener, frames.get(1), ByteBuffer.allocate(1024));
        final ChunkIntegrityException ex = assertViolation(Violation.REPLAYED, opener, frames.get(1));
        assertTrue(ex.getMessage().contains("chunk 1 of file 0"), ex.getMessage());
        // Dead afterwards, even for the right next frame.
        assertThrows(ChunkIntegrityException.class, () -> open(opener, frames.get(2), ByteBuffer.allocate(1024)));
    }

    @Test
    void shouldReportSwappedFramesAsReordered() throws Exception
    {
        final List<Frame> frames = sealFile(senderKeys.sealer(CipherSuite.AES_256_GCM), 0, 4);
        final ChunkOpener opener = receiverKeys.opener(CipherSuite.AES_256_GCM);
        open(opener, frames.get(0), ByteBuffer.allocate(1024));
        assertEquals(ChunkOpener.GAP, open(opener, frames.get(2), ByteBuffer.allocate(1024)));
        assertViolation(Violation.REORDERED, opener, frames.get(1));
    }

    @Test
    void shouldReportMissingFrameAsDropped() throws Exception
    {
        final List<Frame> frames = sealFile(senderKeys.sealer(CipherSuite.AES_256_GCM), 0, 4);
        final ChunkOpener opener = receiverKeys.opener(CipherSuite.AES_256_GCM);
        open(opener, frames.get(0), ByteBuffer.allocate(1024));
        assertEquals(ChunkOpener.GAP, open(opener, frames.get(2), ByteBuffer.allocate(1024)));
        final ChunkIntegrityException ex = assertViolation(Violation.DROPPED, opener, frames.get(3));
        assertTrue(ex.getMessage().contains("chunk 2 of file 0"), ex.getMessage());
    }

    @Test
    void shouldReportDroppedLastFrameAtEndOfFile() throws Exception
    {
        final ChunkSealer sealer = senderKeys.sealer(CipherSuite.AES_256_GCM);
        final List<Frame> frames = sealFile(sealer, 0, 3);
        final ChunkOpener opener = receiverKeys.opener(CipherSuite.AES_256_GCM);
        open(opener, frames.get(0), ByteBuffer.allocate(1024));
        open(opener, frames.get(1), ByteBuffer.allocate(1024));
        final Frame end = sealEnd(sealer, 0);
        assertEquals(ChunkOpener.GAP, open(opener, end, ByteBuffer.allocate(1024)));
        final ChunkIntegrityException ex = assertThrows(ChunkIntegrityException.class, () -> opener.expectEnd(0, 3));
        assertEquals(Violation.DROPPED, ex.violation());
    }

    @Test
    void shouldReportFileThatEndsEarlyAsTruncated() throws Exception
    {
        final ChunkSealer sealer = senderKeys.sealer(CipherSuite.AES_256_GCM);
        // The sender (or an attacker re-sealing nothing) stops after two of five chunks, then sends END.
        final List<Frame> frames = sealFile(sealer, 0, 2);
        final ChunkOpener opener = receiverKeys.opener(CipherSuite.AES_256_GCM);
        for (final Frame frame : frames)
        {
            open(opener, frame, ByteBuffer.allocate(1024));
        }
        open(opener, sealEnd(sealer, 0), ByteBuffer.allocate(1024));
        final ChunkIntegrityException ex = assertThrows(ChunkIntegrityException.class, () -> opener.expectEnd(0, 5));
        assertEquals(Violation.TRUNCATED, ex.violation());
        assertEquals(0, ex.fileIndex());
        assertEquals(2, ex.chunkIndex());
    }

    @Test
    void shouldReportFileWithoutLastFlagAsTruncated() throws Exception
    {
        final ChunkSealer sealer = senderKeys.sealer(CipherSuite.AES_256_GCM);
        final ChunkOpener opener = receiverKeys.opener(CipherSuite.AES_256_GCM);
        for (int i = 0; i < 2; i++)
        {
            open(opener, sealChunk(sealer, 0, i, ChunkFlags.NONE), ByteBuffer.allocate(1024));
        }
        final ChunkIntegrityException ex = assertThrows(ChunkIntegrityException.class, () -> opener.expectEnd(0, 2));
        assertEquals(Violation.TRUNCATED, ex.violation());
    }

    @Test
    void shouldReportStreamEndingInsideAFileAsTruncated() throws Exception
    {
        final ChunkSealer sealer = senderKeys.sealer(CipherSuite.AES_256_GCM);
        final ChunkOpener opener = receiverKeys.opener(CipherSuite.AES_256_GCM);
        open(opener, sealChunk(sealer, 0, 0, ChunkFlags.NONE), ByteBuffer.allocate(1024));
        final ChunkIntegrityException ex = assertThrows(ChunkIntegrityException.class, opener::finish);
        assertEquals(Violation.TRUNCATED, ex.violation());
    }

    @Test
    void shouldReportChunkOfFile2InsideFile1AsSpliced() throws Exception
    {
        // The sender seals file 1 chunk 0, then (sequence still consistent) a chunk of file 2.
        final ChunkSealer sealer = senderKeys.sealer(CipherSuite.AES_256_GCM);
        final Frame file1Chunk0 = sealChunk(sealer, 1, 0, ChunkFlags.NONE);
        final Frame file2Chunk1 = sealChunk(sealer, 2, 1, ChunkFlags.NONE);
        final ChunkOpener opener = receiverKeys.opener(CipherSuite.AES_256_GCM);
        open(opener, file1Chunk0, ByteBuffer.allocate(1024));
        final ChunkIntegrityException ex = assertViolation(Violation.SPLICED, opener, file2Chunk1);
        assertTrue(ex.getMessage().contains("chunk 1 of file 2"), ex.getMessage());
        assertTrue(ex.getMessage().contains("expected chunk 1 of file 1"), ex.getMessage());
    }

    @Test
    void shouldReportSkippedChunkIndexAndChunkAfterLastAsSpliced() throws Exception
    {
        final ChunkSealer sealer = senderKeys.sealer(CipherSuite.AES_256_GCM);
        final ChunkOpener opener = receiverKeys.opener(CipherSuite.AES_256_GCM);
        open(opener, sealChunk(sealer, 0, 0, ChunkFlags.NONE), ByteBuffer.allocate(1024));
        assertViolation(Violation.SPLICED, opener, sealChunk(sealer, 0, 2, ChunkFlags.NONE));

        final ChunkSealer sealer2 = senderKeys.sealer(CipherSuite.AES_256_GCM);
        final ChunkOpener opener2 = receiverKeys.opener(CipherSuite.AES_256_GCM);
        open(opener2, sealChunk(sealer2, 0, 0, ChunkFlags.LAST), ByteBuffer.allocate(1024));
        assertViolation(Violation.SPLICED, opener2, sealChunk(sealer2, 0, 1, ChunkFlags.NONE));

        // A file index that goes backwards after its end.
        final ChunkSealer sealer3 = senderKeys.sealer(CipherSuite.AES_256_GCM);
        final ChunkOpener opener3 = receiverKeys.opener(CipherSuite.AES_256_GCM);
        open(opener3, sealChunk(sealer3, 4, 0, ChunkFlags.LAST), ByteBuffer.allocate(1024));
        opener3.expectEnd(4, 1);
        assertViolation(Violation.SPLICED, opener3, sealChunk(sealer3, 4, 0, ChunkFlags.LAST));
    }

    @Test
    void shouldFollowSeveralFilesIncludingAResumedAndAnEmptyOne() throws Exception
    {
        final ChunkSealer sealer = senderKeys.sealer(CipherSuite.CHACHA20_POLY1305);
        final ChunkOpener opener = receiverKeys.opener(CipherSuite.CHACHA20_POLY1305);
        for (final Frame frame : sealFile(sealer, 0, 3))
        {
            open(opener, frame, ByteBuffer.allocate(1024));
        }
        opener.expectEnd(0, 3);
        opener.expectEnd(1, 0);
        opener.beginFile(2, 5);
        open(opener, sealChunk(sealer, 2, 5, ChunkFlags.NONE), ByteBuffer.allocate(1024));
        open(opener, sealChunk(sealer, 2, 6, ChunkFlags.LAST), ByteBuffer.allocate(1024));
        opener.expectEnd(2, 7);
        opener.finish();
    }

    @Test
    void shouldNotOpenAFrameInTheOtherDirection() throws Exception
    {
        final ChunkSealer senderSealer = senderKeys.sealer(CipherSuite.AES_256_GCM);
        final ChunkSealer receiverSealer = receiverKeys.sealer(CipherSuite.AES_256_GCM);
        final Frame fromSender = sealChunk(senderSealer, 0, 0, ChunkFlags.LAST);
        final Frame fromReceiver = sealChunk(receiverSealer, 0, 0, ChunkFlags.LAST);
        assertNotEquals(ChecksumAlgorithm.toHex(fromSender.sealed), ChecksumAlgorithm.toHex(fromReceiver.sealed));

        // Reflected back at its sealer: the sender's opener expects the receiver's key.
        assertViolation(Violation.TAMPERED, senderKeys.opener(CipherSuite.AES_256_GCM), fromSender);
        assertViolation(Violation.TAMPERED, receiverKeys.opener(CipherSuite.AES_256_GCM), fromReceiver);
        open(receiverKeys.opener(CipherSuite.AES_256_GCM), fromSender, ByteBuffer.allocate(1024));
        open(senderKeys.opener(CipherSuite.AES_256_GCM), fromReceiver, ByteBuffer.allocate(1024));
    }

    @Test
    void shouldNotOpenAFrameOfAnotherSession() throws Exception
    {
        final byte[] otherSecret = new byte[32];
        final SessionKeys other = SessionKeys.fromSharedSecret(otherSecret, CONTEXT, Role.RECEIVER);
        final Frame frame = sealChunk(senderKeys.sealer(CipherSuite.AES_256_GCM), 0, 0, ChunkFlags.LAST);
        assertViolation(Violation.TAMPERED, other.opener(CipherSuite.AES_256_GCM), frame);
        final SessionKeys otherContext = SessionKeys.fromSharedSecret(
            sameSecret(), "other".getBytes(StandardCharsets.US_ASCII), Role.RECEIVER);
        assertViolation(Violation.TAMPERED, otherContext.opener(CipherSuite.AES_256_GCM), frame);
    }

    @Test
    void shouldHandOutEachSequenceOnceAndRefuseReuse()
    {
        final ChunkSealer sealer = senderKeys.sealer(CipherSuite.AES_256_GCM);
        final Set<Long> seen = new HashSet<>();
        for (int i = 0; i < 10_000; i++)
        {
            assertTrue(seen.add(sealer.nextSequence()));
        }
        final ChunkSealer.Worker worker = sealer.worker();
        final ByteBuffer out = ByteBuffer.allocate(64);
        sealer.seal(5, FrameKinds.CHUNK, 0, 0, ChunkFlags.NONE, ByteBuffer.allocate(8), out);
        out.clear();
        assertThrows(IllegalStateException.class,
            () -> worker.seal(5, FrameKinds.CHUNK, 0, 0, ChunkFlags.NONE, ByteBuffer.allocate(8), out));
        assertThrows(IllegalStateException.class,
            () -> sealer.seal(5, FrameKinds.CHUNK, 0, 1, ChunkFlags.NONE, ByteBuffer.allocate(8), out));
        // Never handed out.
        assertThrows(IllegalArgumentException.class,
            () -> sealer.seal(10_000, FrameKinds.CHUNK, 0, 0, ChunkFlags.NONE, ByteBuffer.allocate(8), out));
        assertThrows(IllegalArgumentException.class,
            () -> sealer.seal(-1, FrameKinds.CHUNK, 0, 0, ChunkFlags.NONE, ByteBuffer.allocate(8), out));
        // Sealed after the number a window later in the same slot: refused as well.
        sealer.seal(5 + ChunkSealer.REUSE_WINDOW, FrameKinds.CHUNK, 0, 0, ChunkFlags.NONE, ByteBuffer.allocate(8), out);
        out.clear();
        assertThrows(IllegalStateException.class,
            () -> sealer.seal(5, FrameKinds.CHUNK, 0, 0, ChunkFlags.NONE, ByteBuffer.allocate(8), out));
    }

    @Test
    void shouldReportRandomFramesAsTamperedAndNothingElse()
    {
        final long seed = System.nanoTime();
        final Random random = new Random(seed);
        for (int i = 0; i < 2000; i++)
        {
            final byte[] sealed = new byte[random.nextInt(200)];
            random.nextBytes(sealed);
            final ChunkOpener opener =
                receiverKeys.opener(i % 2 == 0 ? CipherSuite.AES_256_GCM : CipherSuite.CHACHA20_POLY1305);
            final Frame frame = new Frame(random.nextLong(), (byte)random.nextInt(), random.nextInt(), random.nextLong(),
                (byte)random.nextInt(), sealed);
            final ChunkIntegrityException ex = assertThrows(ChunkIntegrityException.class,
                () -> open(opener, frame, ByteBuffer.allocate(Math.max(0, sealed.length))), "seed " + seed);
            assertEquals(Violation.TAMPERED, ex.violation(), "seed " + seed);
        }
    }

    @Test
    void shouldHandOutDistinctSequencesToConcurrentCallers() throws Exception
    {
        final ChunkSealer sealer = senderKeys.sealer(CipherSuite.AES_256_GCM);
        final ExecutorService pool = Executors.newFixedThreadPool(2);
        try
        {
            final List<Future<long[]>> futures = new ArrayList<>();
            for (int t = 0; t < 2; t++)
            {
                futures.add(pool.submit(() ->
                {
                    final long[] got = new long[50_000];
                    for (int i = 0; i < got.length; i++)
                    {
                        got[i] = sealer.nextSequence();
                    }
                    return got;
                }));
            }
            final Set<Long> all = new HashSet<>();
            for (final Future<long[]> future : futures)
            {
                for (final long sequence : future.get(30, TimeUnit.SECONDS))
                {
                    assertTrue(all.add(sequence));
                }
            }
            assertEquals(100_000, all.size());
        }
        finally
        {
            pool.shutdownNow();
            assertTrue(pool.awaitTermination(30, TimeUnit.SECONDS));
        }
    }

    @Test
    void shouldRefuseSequenceOverflow()
    {
        final ChunkSealer sealer = new ChunkSealer(CipherSuite.AES_256_GCM, new byte[32], new byte[16], Role.SENDER,
            ChunkSealer.MAX_SEQUENCE - 1);
        assertEquals(ChunkSealer.MAX_SEQUENCE - 1, sealer.nextSequence());
        assertEquals(ChunkSealer.MAX_SEQUENCE, sealer.nextSequence());
        assertThrows(IllegalStateException.class, sealer::nextSequence);
        assertThrows(IllegalStateException.class, sealer::nextSequence);
        final ByteBuffer out = ByteBuffer.allocate(64);
        assertEquals(24, sealer.seal(ChunkSealer.MAX_SEQUENCE, FrameKinds.CHUNK, 0, 0, ChunkFlags.NONE,
            ByteBuffer.allocate(8), out));
    }

    @Test
    void shouldRefuseOutputBufferThatIsTooSmallWithoutConsumingAnything()
    {
        final ChunkSealer sealer = senderKeys.sealer(CipherSuite.AES_256_GCM);
        final long sequence = sealer.nextSequence();
        final ByteBuffer in = ByteBuffer.allocate(100);
        assertThrows(IllegalArgumentException.class,
            () -> sealer.seal(sequence, FrameKinds.CHUNK, 0, 0, ChunkFlags.NONE, in, ByteBuffer.allocate(115)));
        assertEquals(0, in.position());
        assertEquals(116, sealer.seal(sequence, FrameKinds.CHUNK, 0, 0, ChunkFlags.NONE, in, ByteBuffer.allocate(116)));
    }

    @Test
    void shouldDeriveTheSameSessionIdOnBothSidesAndRefuseUseAfterDestroy()
    {
        assertArrayEquals(senderKeys.sessionId(), receiverKeys.sessionId());
        final SessionKeys keys = SessionKeys.fromSharedSecret(sameSecret(), CONTEXT, Role.SENDER);
        keys.destroy();
        assertThrows(IllegalStateException.class, () -> keys.sealer(CipherSuite.AES_256_GCM));
        assertThrows(IllegalArgumentException.class,
            () -> SessionKeys.fromSharedSecret(new byte[31], CONTEXT, Role.SENDER));
    }

    private static byte[] sameSecret()
    {
        final byte[] secret = new byte[32];
        new Random(1).nextBytes(secret);
        return secret;
    }

    private static byte[] payload(final long chunk)
    {
        final byte[] bytes = new byte[1024];
        new Random(chunk).nextBytes(bytes);
        return bytes;
    }

    private static List<Frame> sealFile(final ChunkSealer sealer, final int fileIndex, final int chunks)
    {
        final List<Frame> frames = new ArrayList<>();
        for (int i = 0; i < chunks; i++)
        {
            frames.add(sealChunk(sealer, fileIndex, i, i == chunks - 1 ? ChunkFlags.LAST : ChunkFlags.NONE));
        }
        return frames;
    }

    @Test
    void shouldStartALateReaderWhereItIsToldAndCallWhatCameBeforeReplayed() throws Exception
    {
        final ChunkSealer sealer = senderKeys.sealer(CipherSuite.AES_256_GCM);
        final ChunkOpener opener = receiverKeys.opener(CipherSuite.AES_256_GCM);
        final List<Frame> frames = new ArrayList<>();
        for (int i = 0; i < 5; i++)
        {
            frames.add(sealEnd(sealer, 0));
        }
        opener.skipTo(3);
        assertEquals(8, open(opener, frames.get(3), ByteBuffer.allocate(64)));
        assertThrows(IllegalArgumentException.class, () -> opener.skipTo(1));
        assertViolation(Violation.REPLAYED, opener, frames.get(2));
    }

    private static Frame sealChunk(final ChunkSealer sealer, final int fileIndex, final long chunk, final byte flags)
    {
        final long sequence = sealer.nextSequence();
        final ByteBuffer out = ByteBuffer.allocate(1024 + 16);
        sealer.seal(sequence, FrameKinds.CHUNK, fileIndex, chunk, flags, ByteBuffer.wrap(payload(chunk)), out);
        return new Frame(sequence, FrameKinds.CHUNK, fileIndex, chunk, flags, out.array());
    }

    private static Frame sealEnd(final ChunkSealer sealer, final int fileIndex)
    {
        final long sequence = sealer.nextSequence();
        final ByteBuffer out = ByteBuffer.allocate(8 + 16);
        sealer.seal(sequence, FrameKinds.END, fileIndex, 0, ChunkFlags.NONE, ByteBuffer.allocate(8), out);
        return new Frame(sequence, FrameKinds.END, fileIndex, 0, ChunkFlags.NONE, out.array());
    }

    private static int open(final ChunkOpener opener, final Frame frame, final ByteBuffer out)
        throws ChunkIntegrityException
    {
        return opener.open(frame.sequence, frame.kind, frame.fileIndex, frame.chunkIndex, frame.flags,
            ByteBuffer.wrap(frame.sealed), out);
    }

    private static ChunkIntegrityException assertViolation(
        final Violation expected, final ChunkOpener opener, final Frame frame)
    {
        final ChunkIntegrityException ex = assertThrows(ChunkIntegrityException.class,
            () -> open(opener, frame, ByteBuffer.allocate(frame.sealed.length)));
        assertEquals(expected, ex.violation(), ex.getMessage());
        return ex;
    }
}
