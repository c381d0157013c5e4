package dev.hayate.relay;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;

import dev.hayate.transfer.crypto.Role;
import dev.hayate.transfer.crypto.SessionKeys;
import org.bouncycastle.crypto.agreement.X25519Agreement;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.params.X25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.X25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/**
 * The relay's key schedule, on bouncycastle's X25519 and Ed25519 and transfer's {@link SessionKeys} (HKDF-SHA256),
 * so there is one AEAD, one HKDF and one sealing discipline in the code base.
 *
 * <pre>
 *   session id     = SHA-256("hayate/relay/v1 session" ‖ producer's Ed25519 public key)[0..16]
 *   transcript     = "hayate/relay/v1" ‖ role ‖ policy ‖ session id ‖ client X25519 ‖ producer key ‖ epoch
 *                    ‖ relay X25519 ‖ relay identity key
 *   relay proof    = Ed25519(relay identity, transcript ‖ "relay")
 *   producer proof = Ed25519(producer key, transcript ‖ relay proof ‖ "producer")
 *   transport keys = SessionKeys.fromSharedSecret(X25519(client, relay), transcript, client SENDER / relay RECEIVER)
 *   data keys      = SessionKeys.fromSharedSecret(application secret, "hayate/relay/v1 data" ‖ session id ‖ epoch,
 *                    producer SENDER / consumer RECEIVER)
 * </pre>
 *
 * <p>Thread-safety: stateless; safe from any thread.
 */
public final class RelayCrypto
{
    /** Length of a session id. */
    public static final int SESSION_ID_LENGTH = 16;
    /** Length of a stream epoch. */
    public static final int EPOCH_LENGTH = 16;
    /** Length of an X25519 or Ed25519 public key. */
    public static final int KEY_LENGTH = 32;
    /** Length of an Ed25519 signature. */
    public static final int SIGNATURE_LENGTH = 64;
    /** Length of an application secret. */
    public static final int SECRET_LENGTH = 32;

    static final SecureRandom RANDOM = new SecureRandom();
    private static final byte[] SESSION_LABEL = "hayate/relay/v1 session".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] TRANSCRIPT_LABEL = "hayate/relay/v1".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DATA_LABEL = "hayate/relay/v1 data".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] RELAY_LABEL = "relay".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] PRODUCER_LABEL = "producer".getBytes(StandardCharsets.US_ASCII);

    private RelayCrypto()
    {
    }

    /**
     * @param producerPublicKey a producer's Ed25519 public key.
     * @return the session id the key may publish to.
     */
    public static byte[] sessionIdOf(final byte[] producerPublicKey)
    {
        final SHA256Digest digest = new SHA256Digest();
        digest.update(SESSION_LABEL, 0, SESSION_LABEL.length);
        digest.update(producerPublicKey, 0, producerPublicKey.length);
        final byte[] hash = new byte[digest.getDigestSize()];
        digest.doFinal(hash, 0);
        return Arrays.copyOf(hash, SESSION_ID_LENGTH);
    }

    /**
     * @return a fresh random 32-byte application secret, to share with the consumers out of band.
     */
    public static byte[] newSecret()
    {
        final byte[] secret = new byte[SECRET_LENGTH];
        RANDOM.nextBytes(secret);
        return secret;
    }

    static byte[] newEpoch()
    {
        final byte[] epoch = new byte[EPOCH_LENGTH];
        RANDOM.nextBytes(epoch);
        return epoch;
    }

    static SessionKeys dataKeys(final byte[] secret, final byte[] sessionId, final byte[] epoch, final Role role)
    {
        final byte[] context = new byte[DATA_LABEL.length + sessionId.length + epoch.length];
        System.arraycopy(DATA_LABEL, 0, context, 0, DATA_LABEL.length);
        System.arraycopy(sessionId, 0, context, DATA_LABEL.length, sessionId.length);
        System.arraycopy(epoch, 0, context, DATA_LABEL.length + sessionId.length, epoch.length);
        return SessionKeys.fromSharedSecret(secret, context, role);
    }

    static byte[] transcript(final RelayMessage hello, final byte[] relayEphemeral, final byte[] relayIdentity)
    {
        final byte[] t = new byte[TRANSCRIPT_LABEL.length + 2 + SESSION_ID_LENGTH + KEY_LENGTH * 4 + EPOCH_LENGTH];
        int at = 0;
        System.arraycopy(TRANSCRIPT_LABEL, 0, t, at, TRANSCRIPT_LABEL.length);
        at += TRANSCRIPT_LABEL.length;
        t[at++] = (byte)(hello.producer ? 1 : hello.pipe ? 3 : 2);
        t[at++] = (byte)hello.policy;
        at = put(t, at, hello.sessionId);
        at = put(t, at, hello.ephemeralKey);
        at = put(t, at, hello.producerKey);
        at = put(t, at, hello.epoch);
        at = put(t, at, relayEphemeral);
        put(t, at, relayIdentity);
        return t;
    }

    private static int put(final byte[] to, final int at, final byte[] field)
    {
        System.arraycopy(field, 0, to, at, field.length);
        return at + field.length;
    }

    static byte[] relayProofInput(final byte[] transcript)
    {
        return concat(transcript, RELAY_LABEL);
    }

    static byte[] producerProofInput(final byte[] transcript, final byte[] relaySignature)
    {
        return concat(concat(transcript, relaySignature), PRODUCER_LABEL);
    }

    private static byte[] concat(final byte[] a, final byte[] b)
    {
        final byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    static X25519PrivateKeyParameters newEphemeral()
    {
        return new X25519PrivateKeyParameters(RANDOM);
    }

    static byte[] publicKey(final X25519PrivateKeyParameters key)
    {
        return key.generatePublicKey().getEncoded();
    }

    /**
     * @return the X25519 shared secret; throws if the peer's key is a low-order point (an all-zero result).
     */
    static byte[] agree(final X25519PrivateKeyParameters mine, final byte[] theirs)
    {
        final X25519Agreement agreement = new X25519Agreement();
        agreement.init(mine);
        final byte[] shared = new byte[agreement.getAgreementSize()];
        agreement.calculateAgreement(new X25519PublicKeyParameters(theirs, 0), shared, 0);
        return shared;
    }

    static byte[] sign(final Ed25519PrivateKeyParameters key, final byte[] message)
    {
        final Ed25519Signer signer = new Ed25519Signer();
        signer.init(true, key);
        signer.update(message, 0, message.length);
        return signer.generateSignature();
    }

    static boolean verify(final byte[] publicKey, final byte[] message, final byte[] signature)
    {
        try
        {
            final Ed25519Signer verifier = new Ed25519Signer();
            verifier.init(false, new Ed25519PublicKeyParameters(publicKey, 0));
            verifier.update(message, 0, message.length);
            return verifier.verifySignature(signature);
        }
        catch (final IllegalArgumentException notAPoint)
        {
            return false;
        }
    }
}
