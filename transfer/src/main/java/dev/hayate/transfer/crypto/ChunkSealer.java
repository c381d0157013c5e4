package dev.hayate.transfer.crypto;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Seals the frames of one direction of a session (this side's sending direction) with AEAD.
 *
 * <p>Nonce uniqueness holds by construction, not by the caller's care:
 * <ul>
 *     <li>the nonce is this direction's 4-byte constant ({@link Role#directionConstant()}) followed by the
 *     8-byte sequence number, and the two directions also use different keys;</li>
 *     <li>sequence numbers come only from {@link #nextSequence()}, which hands each number out once, counting
 *     up from 0, and refuses to go past {@link #MAX_SEQUENCE};</li>
 *     <li>sealing refuses a number that was not handed out, and refuses a number sealed before: a window of
 *     {@link #REUSE_WINDOW} slots records the highest number sealed in each slot ({@code sequence mod window}),
 *     so a number can be sealed at most once. A consequence worth knowing: a number must be sealed before the
 *     number {@code REUSE_WINDOW} above it, or it is refused too (a bounded pipeline never lags that far).</li>
 * </ul>
 *
 * <p>The associated data binds the session id, the direction, the frame kind, the flags, the file index, the
 * chunk index and the sequence number (layout in {@link FrameCrypto}), so a frame cannot be moved to another
 * session, direction, position or kind without failing its tag.
 *
 * <p>Thread-safety: {@link #nextSequence()} and the reuse check are thread-safe. {@link #seal} on this object
 * uses one cipher and is for one thread at a time; for parallel sealing give each worker thread its own
 * {@link #worker()}. Typical pipeline: one thread calls {@code nextSequence()} in frame order and hands the
 * number with the chunk to a worker, which seals it; the sending thread writes frames in sequence order (the
 * opener rejects any other order).
 */
public final class ChunkSealer
{
    /** The highest sequence number that can be handed out; past it the session must be rekeyed (a new one). */
    public static final long MAX_SEQUENCE = Long.MAX_VALUE - 1;

    /** Size of the window that detects a sequence number sealed twice. */
    public static final int REUSE_WINDOW = 4096;

    private final CipherSuite suite;
    private final AeadKey key;
    private final byte[] sessionId;
    private final Role direction;
    private final AtomicLong next;
    private final AtomicLongArray sealedInSlot = new AtomicLongArray(REUSE_WINDOW);
    private final Worker own;

    ChunkSealer(final CipherSuite suite, final byte[] key, final byte[] sessionId, final Role direction)
    {
        this(suite, key, sessionId, direction, 0);
    }

    ChunkSealer(
        final CipherSuite suite, final byte[] key, final byte[] sessionId, final Role direction, final long firstSequence)
    {
        this.suite = suite;
        this.key = new AeadKey(suite.keyAlgorithm(), key);
        this.sessionId = sessionId.clone();
        this.direction = direction;
        this.next = new AtomicLong(firstSequence);
        for (int i = 0; i < REUSE_WINDOW; i++)
        {
            sealedInSlot.set(i, -1);
        }
        this.own = new Worker();
    }

    /**
     * @return the suite this sealer uses.
     */
    public CipherSuite suite()
    {
        return suite;
    }

    /**
     * @return the direction this sealer seals for (the role of the side that sends).
     */
    public Role direction()
    {
        return direction;
    }

    /**
     * Hands out the next sequence number; each number is handed out once. Thread-safe.
     *
     * @return the number, from 0 upwards.
     * @throws IllegalStateException when {@link #MAX_SEQUENCE} has been handed out: the session is exhausted.
     */
    public long nextSequence()
    {
        while (true)
        {
            final long sequence = next.get();
            if (sequence > MAX_SEQUENCE)
            {
                throw new IllegalStateException("sequence numbers exhausted: start a new session");
            }
            if (next.compareAndSet(sequence, sequence + 1))
            {
                return sequence;
            }
        }
    }

    /**
     * @return a new worker with its own cipher, sharing this sealer's key and sequence bookkeeping. Give one to
     *         each thread that seals.
     */
    public Worker worker()
    {
        return new Worker();
    }

    /**
     * Seals one frame with this sealer's own cipher (one thread at a time; see {@link Worker#seal}).
     *
     * @param sequence   a number from {@link #nextSequence()}, not sealed before.
     * @param kind       the frame kind ({@link FrameKinds}).
     * @param fileIndex  the file the frame belongs to (0 when none).
     * @param chunkIndex the chunk's index in its file (0 when none).
     * @param flags      {@link ChunkFlags} bits.
     * @param plaintext  from its position to its limit; consumed (position moves to the limit).
     * @param out        receives ciphertext and tag at its position, which advances by the returned count.
     * @return bytes written: the plaintext length + {@link CipherSuite#TAG_LENGTH}.
     * @throws IllegalArgumentException when {@code out} is too small or the sequence was never handed out.
     * @throws IllegalStateException    when the sequence was sealed before (nonce reuse refused).
     */
    public int seal(
        final long sequence,
        final byte kind,
        final int fileIndex,
        final long chunkIndex,
        final byte flags,
        final ByteBuffer plaintext,
        final ByteBuffer out)
    {
        return own.seal(sequence, kind, fileIndex, chunkIndex, flags, plaintext, out);
    }

    /**
     * Zeroes this sealer's copy of the key; every later seal fails.
     */
    public void destroy()
    {
        key.destroy();
    }

    private void claim(final long sequence)
    {
        if (sequence < 0 || sequence >= next.get())
        {
            throw new IllegalArgumentException("sequence " + sequence + " was not handed out by nextSequence()");
        }
        final int slot = (int)(sequence & (REUSE_WINDOW - 1));
        while (true)
        {
            final long highest = sealedInSlot.get(slot);
            if (highest >= sequence)
            {
                throw new IllegalStateException("sequence " + sequence
                    + " already sealed, or sealed after a later one in its window: nonce reuse refused");
            }
            if (sealedInSlot.compareAndSet(slot, highest, sequence))
            {
                return;
            }
        }
    }

    /**
     * A sealing engine for one thread: its own cipher and buffers, the sealer's key and sequence rules.
     *
     * <p>Thread-safety: not thread-safe; one worker per thread. Workers of one sealer may run concurrently.
     */
    public final class Worker
    {
        private final FrameCrypto crypto;

        private Worker()
        {
            this.crypto = new FrameCrypto(suite, key, sessionId, direction);
        }

        /**
         * Seals one frame. The plaintext and {@code out} may be the same memory only if {@code out} starts at
         * the plaintext's position (the JDK handles that overlap).
         *
         * @param sequence   a number from {@link #nextSequence()}, not sealed before.
         * @param kind       the frame kind ({@link FrameKinds}).
         * @param fileIndex  the file the frame belongs to (0 when none).
         * @param chunkIndex the chunk's index in its file (0 when none).
         * @param flags      {@link ChunkFlags} bits.
         * @param plaintext  from its position to its limit; consumed (position moves to the limit).
         * @param out        receives ciphertext and tag at its position, which advances by the returned count.
         * @return bytes written: the plaintext length + {@link CipherSuite#TAG_LENGTH}.
         * @throws IllegalArgumentException when {@code out} is too small or the sequence was never handed out.
         * @throws IllegalStateException    when the sequence was sealed before (nonce reuse refused).
         */
        public int seal(
            final long sequence,
            final byte kind,
            final int fileIndex,
            final long chunkIndex,
            final byte flags,
            final ByteBuffer plaintext,
            final ByteBuffer out)
        {
            final int needed = plaintext.remaining() + CipherSuite.TAG_LENGTH;
            if (out.remaining() < needed)
            {
                throw new IllegalArgumentException("out has " + out.remaining() + " bytes left, sealing needs " + needed);
            }
            claim(sequence);
            return crypto.seal(sequence, kind, fileIndex, chunkIndex, flags, plaintext, out);
        }
    }
}
