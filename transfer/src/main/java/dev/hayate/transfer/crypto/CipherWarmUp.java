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
    /** A 1 MiB seal this fast (about 1 GB/s) means the compiled path is in use. */
    private static final long FAST_NANOS = TimeUnit.MICROSECONDS.toNanos(1000);

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

    static void run(final CipherSuite suite)
    {
        final byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        final byte[] context = "hayate cipher warm-up".getBytes(StandardCharsets.US_ASCII);
        final ChunkSealer sealer = SessionKeys.fromSharedSecret(secret, context, Role.SENDER).sealer(suite);
        final ChunkOpener opener = SessionKeys.fromSharedSecret(secret, context, Role.RECEIVER).opener(suite);
        final int[] sizes = {1 << 20, (64 << 10) + 17, 1000};
        final ByteBuffer plain = ByteBuffer.allocateDirect(1 << 20);
        final ByteBuffer sealed = ByteBuffer.allocateDirect((1 << 20) + CipherSuite.TAG_LENGTH);
        final long start = System.nanoTime();
        int fastInARow = 0;
        try
        {
            while (fastInARow < 3 && System.nanoTime() - start < BUDGET_NANOS)
            {
                for (final int size : sizes)
                {
                    plain.clear().limit(size);
                    sealed.clear();
                    final long sequence = sealer.nextSequence();
                    final long before = System.nanoTime();
                    sealer.seal(sequence, FrameKinds.OFFER, 0, 0, ChunkFlags.NONE, plain, sealed);
                    final long took = System.nanoTime() - before;
                    sealed.flip();
                    plain.clear();
                    // Open in place, as the receiver does.
                    final ByteBuffer inPlace = sealed.duplicate();
                    opener.open(sequence, FrameKinds.OFFER, 0, 0, ChunkFlags.NONE, sealed, inPlace);
                    if (size == 1 << 20)
                    {
                        fastInARow = took < FAST_NANOS ? fastInARow + 1 : 0;
                    }
                }
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
