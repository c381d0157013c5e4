package dev.hayate.transfer.wire;

import java.nio.ByteBuffer;

/**
 * Seals one frame's plaintext for the codec: the seam between the wire codec and the session keys.
 *
 * <p>Thread-safety: called on the thread that holds the connection's send half.
 */
public interface FrameSealer
{
    /** Bytes a seal adds to its plaintext (the AEAD tag). */
    int TAG_LENGTH = 16;

    /**
     * Hands out the next sequence number of this direction; never twice.
     *
     * @return the sequence number, which is also the nonce's counter.
     */
    long nextSequence();

    /**
     * Seals {@code plaintext} (position to limit; position unchanged) into {@code out} at its position.
     *
     * @param sequence   from {@link #nextSequence()}.
     * @param kind       bound into the associated data.
     * @param fileIndex  bound into the associated data.
     * @param chunkIndex bound into the associated data.
     * @param flags      bound into the associated data.
     * @param plaintext  bytes to seal.
     * @param out        where ciphertext and tag go.
     * @return bytes written: plaintext length plus {@link #TAG_LENGTH}.
     */
    int seal(long sequence, byte kind, int fileIndex, long chunkIndex, byte flags, ByteBuffer plaintext,
        ByteBuffer out);
}
