package dev.hayate.transfer.crypto;

import java.nio.ByteBuffer;

import dev.hayate.transfer.crypto.ChunkIntegrityException.Violation;

/**
 * Opens the frames of one direction of a session (the peer's sending direction), in the order they were sealed,
 * and names any tampering with the stream.
 *
 * <p>The rules, applied to each frame in this order:
 * <ol>
 *     <li><b>Tag first.</b> The frame is decrypted and authenticated with the nonce and associated data rebuilt
 *     from the header fields the caller passes. A frame shorter than the tag, a changed byte of ciphertext or
 *     tag, or a changed header field (sequence, kind, file index, chunk index, flags) fails the tag:
 *     {@link Violation#TAMPERED}. Nothing below is looked at before the tag verified.</li>
 *     <li><b>Sequence.</b> The opener expects sequence numbers 0, 1, 2, … in order.
 *     <ul>
 *         <li>below the expected number: {@link Violation#REPLAYED};</li>
 *         <li>above it: the gap is recorded and {@link #GAP} is returned (the frame is not delivered: the
 *         caller must ignore {@code out}). The next call decides: if that frame carries exactly the missing
 *         number, {@link Violation#REORDERED}; any other frame, or {@link #expectEnd}/{@link #finish()}
 *         while the gap is open, {@link Violation#DROPPED};</li>
 *         <li>equal: accepted, and the expected number moves on.</li>
 *     </ul></li>
 *     <li><b>Position</b> (frames of kind {@link FrameKinds#CHUNK} only). When no file is open, a chunk with
 *     index 0 of a file whose index is above every file ended so far opens that file (or {@link #beginFile}
 *     opened one explicitly, for a resumed file that starts at a later chunk). In an open file, the chunk must
 *     carry the open file's index and the next chunk index, and no chunk may follow one flagged
 *     {@link ChunkFlags#LAST}. Anything else: {@link Violation#SPLICED}.</li>
 * </ol>
 * When a file's end arrives, the caller calls {@link #expectEnd(int, long)} with the announced chunk count: fewer
 * chunks than announced, or chunks without one flagged last, is {@link Violation#TRUNCATED}; more chunks than
 * announced or an end for another file than the open one is {@link Violation#SPLICED}. At the end of the stream
 * {@link #finish()} reports an open gap ({@code DROPPED}) or a file never ended ({@code TRUNCATED}).
 *
 * <p>After any violation the opener is dead: every later call throws the same exception. The content of
 * {@code out} is undefined when a call throws.
 *
 * <p>Thread-safety: not thread-safe; one thread (the receiving thread) opens all frames of a direction, because
 * order is the point. Decrypt on that thread, then hand plaintext to workers if needed.
 */
public final class ChunkOpener
{
    /** What {@link #open} returns for an authentic frame ahead of its turn; see the class rules. */
    public static final int GAP = -1;

    private final CipherSuite suite;
    private final AeadKey key;
    private final Role direction;
    private final FrameCrypto crypto;

    private long expectedSequence;
    private boolean gapOpen;
    private long gapSequence;
    private int gapFile;
    private long gapChunk;

    private boolean fileOpen;
    private int currentFile;
    private long nextChunk;
    private long chunksThisRun;
    private boolean lastSeen;
    private long lastEndedFile = -1;

    private ChunkIntegrityException failure;

    ChunkOpener(final CipherSuite suite, final byte[] key, final byte[] sessionId, final Role direction)
    {
        this.suite = suite;
        this.key = new AeadKey(suite.keyAlgorithm(), key);
        this.direction = direction;
        this.crypto = new FrameCrypto(suite, this.key, sessionId, direction);
    }

    /**
     * @return the suite this opener uses.
     */
    public CipherSuite suite()
    {
        return suite;
    }

    /**
     * @return the direction this opener opens (the role of the side that sealed).
     */
    public Role direction()
    {
        return direction;
    }

    /**
     * @return the sequence number the next frame must carry.
     */
    public long expectedSequence()
    {
        return expectedSequence;
    }

    /**
     * Opens one frame, with the header fields exactly as they arrived.
     *
     * @param sequence   the frame's sequence number.
     * @param kind       the frame kind.
     * @param fileIndex  the file index.
     * @param chunkIndex the chunk index.
     * @param flags      the {@link ChunkFlags} bits.
     * @param sealed     ciphertext and tag, from its position to its limit; consumed.
     * @param out        receives the plaintext at its position (which advances); it may be the same memory as
     *                   {@code sealed} starting at the same position (decryption in place).
     * @return the plaintext length, or {@link #GAP} when the frame is authentic but ahead of its turn (nothing
     *         delivered; the next call decides between reordered and dropped).
     * @throws ChunkIntegrityException  naming the violation, file and chunk.
     * @throws IllegalArgumentException when {@code out} cannot hold the plaintext (a caller bug; the opener stays
     *                                  usable).
     */
    public int open(
        final long sequence,
        final byte kind,
        final int fileIndex,
        final long chunkIndex,
        final byte flags,
        final ByteBuffer sealed,
        final ByteBuffer out) throws ChunkIntegrityException
    {
        checkAlive();
        final int sealedLength = sealed.remaining();
        if (sealedLength < CipherSuite.TAG_LENGTH)
        {
            throw fail(Violation.TAMPERED, fileIndex, chunkIndex, sequence,
                "frame of " + sealedLength + " bytes is shorter than the tag");
        }
        if (out.remaining() < sealedLength - CipherSuite.TAG_LENGTH)
        {
            throw new IllegalArgumentException("out has " + out.remaining() + " bytes left, opening needs "
                + (sealedLength - CipherSuite.TAG_LENGTH));
        }
        final int length = crypto.open(sequence, kind, fileIndex, chunkIndex, flags, sealed, out);
        if (length < 0)
        {
            throw fail(Violation.TAMPERED, fileIndex, chunkIndex, sequence, "authentication tag does not verify");
        }

        if (gapOpen)
        {
            if (sequence == expectedSequence)
            {
                throw fail(Violation.REORDERED, fileIndex, chunkIndex, sequence,
                    "arrived after sequence " + gapSequence + " (chunk " + gapChunk + " of file " + gapFile + ")");
            }
            throw fail(Violation.DROPPED, gapFile, gapChunk, gapSequence,
                "frames " + expectedSequence + " to " + (gapSequence - 1) + " never arrived");
        }
        if (sequence < expectedSequence)
        {
            throw fail(Violation.REPLAYED, fileIndex, chunkIndex, sequence,
                "sequence already seen, expected " + expectedSequence);
        }
        if (sequence > expectedSequence)
        {
            gapOpen = true;
            gapSequence = sequence;
            gapFile = fileIndex;
            gapChunk = chunkIndex;
            return GAP;
        }
        expectedSequence++;

        if (kind == FrameKinds.CHUNK)
        {
            checkPosition(fileIndex, chunkIndex, flags, sequence);
        }
        return length;
    }

    /**
     * Moves the expected sequence number forward without opening the frames in between: for a reader that joins
     * a live stream part way (a relay's late consumer) or is told that frames were skipped on purpose (a relay's
     * drop-oldest notice). The caller reports the skip to its user; skipped frames, if they still arrive, are
     * {@link Violation#REPLAYED}.
     *
     * @param sequence the number the next frame must carry; not below {@link #expectedSequence()}.
     * @throws ChunkIntegrityException  when the opener is dead.
     * @throws IllegalStateException    when a gap is open (a frame ahead of its turn is awaiting its verdict).
     * @throws IllegalArgumentException when {@code sequence} would move backwards.
     */
    public void skipTo(final long sequence) throws ChunkIntegrityException
    {
        checkAlive();
        if (gapOpen)
        {
            throw new IllegalStateException("a gap is open at sequence " + gapSequence);
        }
        if (sequence < expectedSequence)
        {
            throw new IllegalArgumentException("cannot skip back from " + expectedSequence + " to " + sequence);
        }
        expectedSequence = sequence;
    }

    /**
     * Opens a file explicitly, for a file whose chunks do not start at 0 (a resumed transfer). Not needed for a
     * file sent from its first chunk: its chunk 0 opens it.
     *
     * @param fileIndex       the file, above every file ended so far.
     * @param firstChunkIndex the first chunk that will arrive.
     * @throws ChunkIntegrityException when the opener is dead.
     * @throws IllegalStateException   when a file is still open or the file index does not move forward.
     */
    public void beginFile(final int fileIndex, final long firstChunkIndex) throws ChunkIntegrityException
    {
        checkAlive();
        if (fileOpen)
        {
            throw new IllegalStateException("file " + currentFile + " is still open");
        }
        if (fileIndex <= lastEndedFile || firstChunkIndex < 0)
        {
            throw new IllegalStateException("file " + fileIndex + " from chunk " + firstChunkIndex
                + " does not follow file " + lastEndedFile);
        }
        openFile(fileIndex, firstChunkIndex);
    }

    /**
     * Checks a file's end against what was announced; call it when the file's end frame has been opened.
     *
     * @param fileIndex  the file that ends.
     * @param chunkCount the total number of chunks the sender announced for it.
     * @throws ChunkIntegrityException {@code TRUNCATED} when chunks are missing or none was flagged last,
     *                                 {@code SPLICED} when there were more or the end is for another file,
     *                                 {@code DROPPED} when a gap is open.
     */
    public void expectEnd(final int fileIndex, final long chunkCount) throws ChunkIntegrityException
    {
        checkAlive();
        checkNoGap();
        if (!fileOpen)
        {
            if (chunkCount == 0 && fileIndex > lastEndedFile)
            {
                lastEndedFile = fileIndex;
                return;
            }
            throw fail(Violation.TRUNCATED, fileIndex, 0, -1,
                "file ended with no chunk, " + chunkCount + " announced");
        }
        if (fileIndex != currentFile)
        {
            throw fail(Violation.SPLICED, fileIndex, nextChunk, -1, "end of file " + fileIndex
                + " while file " + currentFile + " is open");
        }
        if (nextChunk < chunkCount)
        {
            throw fail(Violation.TRUNCATED, fileIndex, nextChunk, -1,
                "file ended after " + nextChunk + " chunks, " + chunkCount + " announced");
        }
        if (nextChunk > chunkCount)
        {
            throw fail(Violation.SPLICED, fileIndex, nextChunk, -1,
                nextChunk + " chunks arrived, " + chunkCount + " announced");
        }
        if (chunksThisRun > 0 && !lastSeen)
        {
            throw fail(Violation.TRUNCATED, fileIndex, nextChunk, -1, "no chunk was flagged last");
        }
        fileOpen = false;
        lastEndedFile = fileIndex;
    }

    /**
     * Checks the end of the whole stream: no gap open, no file left open.
     *
     * @throws ChunkIntegrityException {@code DROPPED} or {@code TRUNCATED}.
     */
    public void finish() throws ChunkIntegrityException
    {
        checkAlive();
        checkNoGap();
        if (fileOpen)
        {
            throw fail(Violation.TRUNCATED, currentFile, nextChunk, -1, "stream ended inside the file");
        }
    }

    /**
     * Zeroes this opener's copy of the key; every later open fails.
     */
    public void destroy()
    {
        key.destroy();
    }

    private void checkPosition(final int fileIndex, final long chunkIndex, final byte flags, final long sequence)
        throws ChunkIntegrityException
    {
        if (!fileOpen)
        {
            if (chunkIndex != 0 || fileIndex <= lastEndedFile)
            {
                throw fail(Violation.SPLICED, fileIndex, chunkIndex, sequence,
                    "no file is open and this chunk does not start a new one");
            }
            openFile(fileIndex, 0);
        }
        else if (fileIndex != currentFile || chunkIndex != nextChunk || lastSeen)
        {
            throw fail(Violation.SPLICED, fileIndex, chunkIndex, sequence,
                lastSeen ? "chunk after the last chunk of file " + currentFile
                    : "expected chunk " + nextChunk + " of file " + currentFile);
        }
        nextChunk++;
        chunksThisRun++;
        if (ChunkFlags.isSet(flags, ChunkFlags.LAST))
        {
            lastSeen = true;
        }
    }

    private void openFile(final int fileIndex, final long firstChunk)
    {
        fileOpen = true;
        currentFile = fileIndex;
        nextChunk = firstChunk;
        chunksThisRun = 0;
        lastSeen = false;
    }

    private void checkNoGap() throws ChunkIntegrityException
    {
        if (gapOpen)
        {
            throw fail(Violation.DROPPED, gapFile, gapChunk, gapSequence,
                "frames " + expectedSequence + " to " + (gapSequence - 1) + " never arrived");
        }
    }

    private void checkAlive() throws ChunkIntegrityException
    {
        if (failure != null)
        {
            throw failure;
        }
    }

    private ChunkIntegrityException fail(
        final Violation violation, final int fileIndex, final long chunkIndex, final long sequence, final String detail)
    {
        failure = new ChunkIntegrityException(violation, fileIndex, chunkIndex, sequence, detail);
        return failure;
    }
}
