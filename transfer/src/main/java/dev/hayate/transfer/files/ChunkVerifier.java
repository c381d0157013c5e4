package dev.hayate.transfer.files;

import java.nio.ByteBuffer;

/**
 * Checks a chunk read back from a part file against the digest stored for it when it was written. Supplied by
 * the crypto layer, which knows the digest algorithm; this package treats digests as opaque bytes.
 *
 * <p>Thread-safety: called from the thread that plans a receive; implementations need not be thread-safe
 * unless shared.
 */
@FunctionalInterface
public interface ChunkVerifier
{
    /**
     * @param chunk   the chunk's bytes, from its position to its limit; the verifier may consume them.
     * @param digests an array holding the stored digest.
     * @param offset  where the digest starts in {@code digests} (its length is the plan's digest length).
     * @return whether the chunk matches the digest.
     */
    boolean matches(ByteBuffer chunk, byte[] digests, int offset);
}
