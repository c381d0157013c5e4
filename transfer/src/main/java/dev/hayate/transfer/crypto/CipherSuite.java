package dev.hayate.transfer.crypto;

import java.security.GeneralSecurityException;
import java.security.spec.AlgorithmParameterSpec;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;

/**
 * The AEAD used to seal frames, both from the JDK's providers: 32-byte key, 12-byte nonce, 16-byte tag.
 * AES-256-GCM is the default (AES-NI makes it several GB/s); ChaCha20-Poly1305 is for machines without AES
 * hardware (slow on JDK 17, fast from JDK 21 on).
 *
 * <p>Thread-safety: immutable; the {@link Cipher}s it makes are not thread-safe.
 */
public enum CipherSuite
{
    /** AES-256 in Galois/Counter mode. */
    AES_256_GCM("AES/GCM/NoPadding", "AES"),

    /** ChaCha20 with the Poly1305 authenticator (RFC 8439). */
    CHACHA20_POLY1305("ChaCha20-Poly1305", "ChaCha20");

    /** Key length in bytes. */
    public static final int KEY_LENGTH = 32;

    /** Nonce length in bytes. */
    public static final int NONCE_LENGTH = 12;

    /** Authentication tag length in bytes: what sealing adds to a plaintext. */
    public static final int TAG_LENGTH = 16;

    private final String transformation;
    private final String keyAlgorithm;

    CipherSuite(final String transformation, final String keyAlgorithm)
    {
        this.transformation = transformation;
        this.keyAlgorithm = keyAlgorithm;
    }

    /**
     * @return the JCA transformation name.
     */
    public String transformation()
    {
        return transformation;
    }

    /**
     * @return the JCA key algorithm name.
     */
    public String keyAlgorithm()
    {
        return keyAlgorithm;
    }

    /**
     * @return a new, uninitialised cipher of this suite.
     * @throws IllegalStateException when the JDK has no provider for it.
     */
    public Cipher newCipher()
    {
        try
        {
            return Cipher.getInstance(transformation);
        }
        catch (final GeneralSecurityException ex)
        {
            throw new IllegalStateException(transformation + " is not available in this JDK", ex);
        }
    }

    /**
     * The JDK offers no way to re-initialise a cipher with a new nonce without a new parameter object, so this
     * is the one small allocation per sealed or opened frame.
     *
     * @param nonce the 12-byte nonce; the spec copies it.
     * @return the parameter spec for one operation.
     */
    AlgorithmParameterSpec parameters(final byte[] nonce)
    {
        return this == AES_256_GCM ? new GCMParameterSpec(TAG_LENGTH * 8, nonce) : new IvParameterSpec(nonce);
    }
}
