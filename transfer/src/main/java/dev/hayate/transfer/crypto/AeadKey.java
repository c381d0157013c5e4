package dev.hayate.transfer.crypto;

import java.util.Arrays;

import javax.crypto.SecretKey;

/**
 * A raw AEAD key that, unlike {@code SecretKeySpec} on JDK 17, can be destroyed: {@link #destroy()} zeroes the
 * bytes. The JDK cipher keeps its own expanded copy while initialised; that copy is beyond our reach.
 *
 * <p>Thread-safety: reads are safe from any thread; destroy only when no cipher uses the key any more.
 */
final class AeadKey implements SecretKey
{
    private static final long serialVersionUID = 1L;

    private final String algorithm;
    private final byte[] key;
    private volatile boolean destroyed;

    AeadKey(final String algorithm, final byte[] key)
    {
        this.algorithm = algorithm;
        this.key = key.clone();
    }

    @Override
    public String getAlgorithm()
    {
        return algorithm;
    }

    @Override
    public String getFormat()
    {
        return "RAW";
    }

    @Override
    public byte[] getEncoded()
    {
        if (destroyed)
        {
            throw new IllegalStateException("key destroyed");
        }
        return key.clone();
    }

    @Override
    public void destroy()
    {
        Arrays.fill(key, (byte)0);
        destroyed = true;
    }

    @Override
    public boolean isDestroyed()
    {
        return destroyed;
    }
}
