package dev.hayate.relay;

import java.util.Arrays;

import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;

/**
 * A producer's credential: an Ed25519 key pair. The session id is derived from its public key
 * ({@link RelayCrypto#sessionIdOf}), so the relay needs no configuration to know who may publish to a session:
 * it holds only the session id (a hash of the public key) and checks a signature over each handshake's fresh
 * transcript. A consumer knows the session id and the data secret, never this key, so it cannot publish.
 *
 * <p>Thread-safety: immutable.
 */
public final class ProducerKey
{
    private final Ed25519PrivateKeyParameters privateKey;
    private final byte[] publicKey;

    private ProducerKey(final Ed25519PrivateKeyParameters privateKey)
    {
        this.privateKey = privateKey;
        this.publicKey = privateKey.generatePublicKey().getEncoded();
    }

    // Halves that need not match: how the tests pose as a producer whose public key they know but not its secret.
    private ProducerKey(final Ed25519PrivateKeyParameters privateKey, final byte[] publicKey)
    {
        this.privateKey = privateKey;
        this.publicKey = publicKey.clone();
    }

    static ProducerKey mismatched(final byte[] publicKey, final ProducerKey signer)
    {
        return new ProducerKey(signer.privateKey, publicKey);
    }

    /**
     * @return a new random key.
     */
    public static ProducerKey generate()
    {
        return new ProducerKey(new Ed25519PrivateKeyParameters(RelayCrypto.RANDOM));
    }

    /**
     * @param seed the 32-byte private key (as {@link #seed()} returned it); not kept.
     * @return the key.
     */
    public static ProducerKey fromSeed(final byte[] seed)
    {
        if (seed.length != 32)
        {
            throw new IllegalArgumentException("an Ed25519 seed is 32 bytes, got " + seed.length);
        }
        return new ProducerKey(new Ed25519PrivateKeyParameters(seed, 0));
    }

    /**
     * @return the 32-byte private key, to store; a copy.
     */
    public byte[] seed()
    {
        return privateKey.getEncoded();
    }

    /**
     * @return the 32-byte public key; a copy.
     */
    public byte[] publicKey()
    {
        return publicKey.clone();
    }

    /**
     * @return the session id this key publishes to: what consumers are given.
     */
    public byte[] sessionId()
    {
        return RelayCrypto.sessionIdOf(publicKey);
    }

    Ed25519PrivateKeyParameters privateKey()
    {
        return privateKey;
    }

    @Override
    public String toString()
    {
        return "ProducerKey(session " + hex(sessionId()) + ')';
    }

    static String hex(final byte[] bytes)
    {
        final StringBuilder out = new StringBuilder(bytes.length * 2);
        for (final byte b : bytes)
        {
            out.append(Character.forDigit((b >> 4) & 0xF, 16)).append(Character.forDigit(b & 0xF, 16));
        }
        return out.toString();
    }

    static byte[] unhex(final String text)
    {
        if (text.length() % 2 != 0)
        {
            throw new IllegalArgumentException("odd number of hex digits");
        }
        final byte[] out = new byte[text.length() / 2];
        for (int i = 0; i < out.length; i++)
        {
            final int hi = Character.digit(text.charAt(2 * i), 16);
            final int lo = Character.digit(text.charAt(2 * i + 1), 16);
            if (hi < 0 || lo < 0)
            {
                throw new IllegalArgumentException("not a hex digit in " + text);
            }
            out[i] = (byte)(hi << 4 | lo);
        }
        return out;
    }

    @Override
    public boolean equals(final Object other)
    {
        return other instanceof ProducerKey key && Arrays.equals(publicKey, key.publicKey);
    }

    @Override
    public int hashCode()
    {
        return Arrays.hashCode(publicKey);
    }
}
