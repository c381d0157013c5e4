package dev.hayate.transfer.crypto;

import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;

/**
 * Warms a cipher suite's JIT-compiled path on a background thread while a transfer connects and pairs.
 *
 * <p>Why: on JDK 17 the AES-GCM intrinsics (GHASH with PCLMULQDQ, AES-CTR) are used only from C2-compiled callers.
 * A transfer seals about a thousand 1 MiB chunks per GiB, too few calls for C2 to compile the callers soon, so
 * the first hundreds of MiB ran GHASH as interpreted Java at about 50 MB/s: measured, 2.3 of the sender's 3.1 CPU
 * seconds for a 1 GiB transfer, and all of the time of a transfer under 100 MiB. Twelve thousand small
 * operations on direct buffers (the engine's own path, {@link FrameCrypto} seal then open) get those callers
 * compiled in about 0.3 s of one thread's time, before the first chunk; JDK 25 compiles sooner and needs less.
 *
 * <p>Runs at most once per suite per JVM, on a daemon thread that holds nothing but a throwaway random key. The
 * system property {@code hayate.transfer.cipherWarmup=false} turns it off (for A/B measurements, or a JVM that
 * moves many files and warms up on its own).
 *
 * <p>Thread-safety: {@link #start} is safe from any thread.
 */
public final class CipherWarmup
{
    /** Operations of each kind; enough for C2 on JDK 17 (its tier-4 invocation threshold is 5,000). */
    static final int OPERATIONS = 12_000;
    /** Bytes per operation: four GHASH and counter blocks, so the multi-block loops run; small, because until C2 has
     *  compiled the callers every byte goes through interpreted GHASH. */
    static final int LENGTH = 64;

    private static final Set<CipherSuite> STARTED = EnumSet.noneOf(CipherSuite.class);

    private CipherWarmup()
    {
    }

    /**
     * Starts warming {@code suite} unless it was started before in this JVM.
     *
     * @param suite the suite the transfer will most likely use.
     * @return the warming thread, or null if this suite was already started or warming is turned off.
     */
    public static Thread start(final CipherSuite suite)
    {
        if (!Boolean.parseBoolean(System.getProperty("hayate.transfer.cipherWarmup", "true")))
        {
            return null;
        }
        synchronized (STARTED)
        {
            if (!STARTED.add(suite))
            {
                return null;
            }
        }
        final Thread thread = new Thread(() -> run(suite, OPERATIONS), "hayate-cipher-warmup");
        thread.setDaemon(true);
        thread.setPriority(Thread.MIN_PRIORITY);
        thread.start();
        return thread;
    }

    /**
     * Seals and opens {@code operations} frames of {@link #LENGTH} bytes on direct buffers under a throwaway key.
     *
     * @return the frames that opened intact (all of them, unless the JDK's cipher is broken).
     */
    static int run(final CipherSuite suite, final int operations)
    {
        final byte[] keyBytes = new byte[CipherSuite.KEY_LENGTH];
        new SecureRandom().nextBytes(keyBytes);
        final AeadKey key = new AeadKey(suite.keyAlgorithm(), keyBytes);
        Arrays.fill(keyBytes, (byte)0);
        final byte[] session = new byte[16];
        final FrameCrypto sealer = new FrameCrypto(suite, key, session, Role.SENDER);
        final FrameCrypto opener = new FrameCrypto(suite, key, session, Role.SENDER);
        final ByteBuffer plain = ByteBuffer.allocateDirect(LENGTH);
        final ByteBuffer sealed = ByteBuffer.allocateDirect(LENGTH + CipherSuite.TAG_LENGTH);
        final ByteBuffer opened = ByteBuffer.allocateDirect(LENGTH);
        int intact = 0;
        for (int i = 0; i < operations; i++)
        {
            plain.clear();
            sealed.clear();
            sealer.seal(i, (byte)0, 0, i, (byte)0, plain, sealed);
            sealed.flip();
            opened.clear();
            if (opener.open(i, (byte)0, 0, i, (byte)0, sealed, opened) == LENGTH)
            {
                intact++;
            }
        }
        key.destroy();
        return intact;
    }
}
