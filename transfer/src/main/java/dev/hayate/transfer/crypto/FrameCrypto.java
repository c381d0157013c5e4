package dev.hayate.transfer.crypto;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;

/**
 * One cipher with its reusable nonce and associated-data buffers: the per-thread engine behind
 * {@link ChunkSealer.Worker} and {@link ChunkOpener}.
 *
 * <p>Nonce (12 bytes, big-endian):
 * <pre>
 *  0          4                               12
 *  +----------+-------------------------------+
 *  | direction| sequence                      |
 *  +----------+-------------------------------+
 * </pre>
 * Associated data (42 bytes, big-endian):
 * <pre>
 *  0                16         20   21    22         26                34               42
 *  +----------------+----------+----+-----+----------+-----------------+----------------+
 *  | session id     | direction|kind|flags| file idx | chunk index     | sequence       |
 *  +----------------+----------+----+-----+----------+-----------------+----------------+
 * </pre>
 *
 * <p>Allocation: the JDK allocates about 1 KB per operation whatever we do (a new parameter spec per nonce and,
 * inside the provider, fresh GCM/Poly1305 engine state per initialisation). On JDK 17 and 25 the
 * ChaCha20-Poly1305 provider also copies a direct buffer's whole input into a new array on every call, so for
 * that suite direct buffers are staged through two reusable heap arrays here instead (the copies cost little
 * next to the cipher). AES-GCM takes direct buffers as they are (about 3 KB per 64 KiB chunk and 14 KB per MiB on
 * JDK 17, 2 KB on JDK 25, against about 1 KB for heap buffers).
 *
 * <p>Thread-safety: not thread-safe; one instance per thread.
 */
final class FrameCrypto
{
    static final int AD_LENGTH = 42;

    private final CipherSuite suite;
    private final AeadKey key;
    private final Cipher cipher;
    private final byte[] nonce = new byte[CipherSuite.NONCE_LENGTH];
    private final ByteBuffer nonceView = ByteBuffer.wrap(nonce);
    private final byte[] ad = new byte[AD_LENGTH];
    private final ByteBuffer adView = ByteBuffer.wrap(ad);
    private final int direction;
    private final boolean stageDirect;
    private byte[] stageIn = new byte[0];
    private byte[] stageOut = new byte[0];
    private boolean opened;
    private long lastOpenedSequence;

    FrameCrypto(final CipherSuite suite, final AeadKey key, final byte[] sessionId, final Role direction)
    {
        this.suite = suite;
        this.key = key;
        this.cipher = suite.newCipher();
        this.direction = direction.directionConstant();
        System.arraycopy(sessionId, 0, ad, 0, sessionId.length);
        adView.putInt(16, this.direction);
        nonceView.putInt(0, this.direction);
        this.stageDirect = suite == CipherSuite.CHACHA20_POLY1305;
    }

    int seal(
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
        prepare(sequence, kind, fileIndex, chunkIndex, flags);
        try
        {
            cipher.init(Cipher.ENCRYPT_MODE, key, suite.parameters(nonce));
            cipher.updateAAD(ad, 0, AD_LENGTH);
            if (stageDirect && (plaintext.isDirect() || out.isDirect()))
            {
                return staged(plaintext, out, needed);
            }
            return cipher.doFinal(plaintext, out);
        }
        catch (final GeneralSecurityException ex)
        {
            throw new IllegalStateException("sealing failed", ex);
        }
    }

    /**
     * @return the plaintext length, or -1 when the tag does not verify.
     */
    int open(
        final long sequence,
        final byte kind,
        final int fileIndex,
        final long chunkIndex,
        final byte flags,
        final ByteBuffer sealed,
        final ByteBuffer out)
    {
        prepare(sequence, kind, fileIndex, chunkIndex, flags);
        try
        {
            if (suite == CipherSuite.CHACHA20_POLY1305 && opened && sequence == lastOpenedSequence)
            {
                // The JDK's ChaCha20 refuses two initialisations in a row with one key and nonce, even to decrypt. A
                // replayed frame asks for exactly that, and must be named a replay by the opener, not crash the
                // cipher: initialise once with another nonce in between (only ever on a repeated sequence).
                final byte[] other = nonce.clone();
                other[0] ^= (byte)0xFF;
                cipher.init(Cipher.DECRYPT_MODE, key, suite.parameters(other));
            }
            cipher.init(Cipher.DECRYPT_MODE, key, suite.parameters(nonce));
            opened = true;
            lastOpenedSequence = sequence;
            cipher.updateAAD(ad, 0, AD_LENGTH);
            if (stageDirect && (sealed.isDirect() || out.isDirect()))
            {
                return staged(sealed, out, sealed.remaining());
            }
            return cipher.doFinal(sealed, out);
        }
        catch (final AEADBadTagException ex)
        {
            return -1;
        }
        catch (final GeneralSecurityException ex)
        {
            throw new IllegalStateException("opening failed", ex);
        }
    }

    private int staged(final ByteBuffer in, final ByteBuffer out, final int outLength) throws GeneralSecurityException
    {
        final int length = in.remaining();
        if (stageIn.length < length)
        {
            stageIn = new byte[length];
        }
        if (stageOut.length < outLength)
        {
            stageOut = new byte[outLength];
        }
        in.get(stageIn, 0, length);
        final int written = cipher.doFinal(stageIn, 0, length, stageOut, 0);
        out.put(stageOut, 0, written);
        return written;
    }

    private void prepare(final long sequence, final byte kind, final int fileIndex, final long chunkIndex, final byte flags)
    {
        nonceView.putLong(4, sequence);
        ad[20] = kind;
        ad[21] = flags;
        adView.putInt(22, fileIndex);
        adView.putLong(26, chunkIndex);
        adView.putLong(34, sequence);
    }
}
