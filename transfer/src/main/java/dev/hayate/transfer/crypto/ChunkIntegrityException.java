package dev.hayate.transfer.crypto;

/**
 * A sealed frame stream was tampered with: the {@link Violation} says how, the message names the file and chunk.
 * The {@link ChunkOpener} that threw it is dead afterwards (every later call throws it again); the transfer must
 * be aborted.
 *
 * <p>Thread-safety: immutable.
 */
public final class ChunkIntegrityException extends Exception
{
    private static final long serialVersionUID = 1L;

    /**
     * What went wrong. The rules that pick each one are in {@link ChunkOpener}.
     */
    public enum Violation
    {
        /** The tag did not verify: ciphertext, tag or a header field was changed, or the frame was cut short. */
        TAMPERED,
        /** An authentic frame arrived again (its sequence number is below the expected one). */
        REPLAYED,
        /** Two authentic frames arrived swapped: a frame ahead of its turn, then the missing one. */
        REORDERED,
        /** An authentic frame never arrived: a frame ahead of its turn was not followed by the missing one. */
        DROPPED,
        /** A file ended with fewer chunks than announced, or without a chunk flagged last. */
        TRUNCATED,
        /** An authentic chunk sits at the wrong position: another file, or not the next chunk of this file. */
        SPLICED
    }

    private final Violation violation;
    private final int fileIndex;
    private final long chunkIndex;
    private final long sequence;

    /**
     * @param violation  what went wrong.
     * @param fileIndex  the file named by the offending frame (or the file being checked).
     * @param chunkIndex the chunk named by the offending frame (or the count reached).
     * @param sequence   the offending frame's sequence number, -1 when the check was not about one frame.
     * @param detail     the specifics, for a person.
     */
    public ChunkIntegrityException(
        final Violation violation, final int fileIndex, final long chunkIndex, final long sequence, final String detail)
    {
        super(violation + " at chunk " + chunkIndex + " of file " + fileIndex
            + (sequence >= 0 ? " (sequence " + sequence + ")" : "") + ": " + detail);
        this.violation = violation;
        this.fileIndex = fileIndex;
        this.chunkIndex = chunkIndex;
        this.sequence = sequence;
    }

    /**
     * @return what went wrong.
     */
    public Violation violation()
    {
        return violation;
    }

    /**
     * @return the file index the failure is about.
     */
    public int fileIndex()
    {
        return fileIndex;
    }

    /**
     * @return the chunk index the failure is about.
     */
    public long chunkIndex()
    {
        return chunkIndex;
    }

    /**
     * @return the offending frame's sequence number, or -1 when the check was not about one frame.
     */
    public long sequence()
    {
        return sequence;
    }
}
