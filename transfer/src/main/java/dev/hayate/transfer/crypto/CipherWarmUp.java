package dev.hayate.transfer.crypto;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Gets the JIT to compile the AEAD path before the first chunk needs it. On JDK 17 the JDK's AES-GCM runs its
 * GHASH as plain interpreted Java (tens of MB/s) until the JIT compiles it and switches to the carry-less multiply
 * intrinsic; measured in a fresh JVM on a busy 2-core machine, that took 8-12 s of a 1 GiB transfer. Pairing,
 * scanning and waiting for the user's consent leave a spare core idle, so a transfer starts this on a
 * low-priority daemon thread as early as it can: it seals and opens throwaway frames (random key, nothing kept)
 * of the sizes a transfer uses, and stops as soon as a 1 MiB seal runs at full speed, or after a few seconds.
 *
 * <p>Thread-safety: thread-safe; the warm-up runs at most once per JVM and cipher suite.
 */
public final class CipherWarmUp
{
    private static final AtomicBoolean[] STARTED = {new AtomicBoolean(), new AtomicBoolean()};
    private static final long BUDGET_NANOS = TimeUnit.SECONDS.toNanos(6);
    /** A 1 MiB seal and open this fast (about 1 GB/s) means the compiled path is in use. */
    private static final long FAST_NANOS = TimeUnit.MICROSECONDS.toNanos(2000);
    private static final int SMALL_FRAMES_PER_ROUND = 2000;

    private CipherWarmUp()
    {
    }

    /**
     * Starts the warm-up for {@code suite} unless it ran already in this JVM; returns at once.
     *
     * @param suite the cipher suite the transfer will use.
     */
    public static void start(final CipherSuite suite)
    {
        if (!STARTED[suite.ordinal()].compareAndSet(false, true))
        {
            return;
        }
        final Thread thread = new Thread(() -> run(suite), "hayate-cipher-warmup");
        thread.setDaemon(true);
        thread.setPriority(Thread.MIN_PRIORITY);
        thread.start();
    }

    private static void roundTrip(final ChunkSealer sealer, final ChunkOpener opener, final ByteBuffer plain,
        final ByteBuffer sealed, final int size) throws ChunkIntegrityException
    {
        plain.clear().limit(size);
        sealed.clear();
        final long sequence = sealer.nextSequence();
        sealer.seal(sequence, FrameKinds.OFFER, 0, 0, ChunkFlags.NONE, plain, sealed);
        sealed.flip();
        // Open in place, as the receiver does.
        opener.open(sequence, FrameKinds.OFFER, 0, 0, ChunkFlags.NONE, sealed, sealed.duplicate());
    }

    static void run(final CipherSuite suite)
    {
        final byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        final byte[] context = "hayate cipher warm-up".getBytes(StandardCharsets.US_ASCII);
        final ChunkSealer sealer = SessionKeys.fromSharedSecret(secret, context, Role.SENDER).sealer(suite);
        final ChunkOpener opener = SessionKeys.fromSharedSecret(secret, context, Role.RECEIVER).opener(suite);
        final ByteBuffer plain = ByteBuffer.allocateDirect(1 << 20);
        final ByteBuffer sealed = ByteBuffer.allocateDirect((1 << 20) + CipherSuite.TAG_LENGTH);
        final long start = System.nanoTime();
        int fastInARow = 0;
        try
        {
            // The JIT compiles on call counts, not bytes: rounds of many small frames reach the compile thresholds
            // of the cipher's methods (and so its intrinsics) at a fraction of the CPU that large frames would
            // cost while still interpreted; each round ends with one full-size frame, timed, to see whether the
            // fast path is in use yet.
            while (fastInARow < 2 && System.nanoTime() - start < BUDGET_NANOS)
            {
                for (int i = 0; i < SMALL_FRAMES_PER_ROUND; i++)
                {
                    roundTrip(sealer, opener, plain, sealed, (i & 7) == 0 ? 8192 + (i & 4095) : 64 + (i & 1023));
                }
                final long before = System.nanoTime();
                roundTrip(sealer, opener, plain, sealed, 1 << 20);
                fastInARow = System.nanoTime() - before < FAST_NANOS ? fastInARow + 1 : 0;
            }
        }
        catch (final ChunkIntegrityException | RuntimeException ex)
        {
            // A warm-up that fails only leaves the JIT to warm up on real data, as it would have anyway.
        }
        finally
        {
            sealer.destroy();
            opener.destroy();
            java.util.Arrays.fill(secret, (byte)0);
        }
    }
}
