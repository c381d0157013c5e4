package dev.hayate.transfer.crypto;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.HKDFParameters;

/**
 * The keys of one confirmed session, from this side's point of view: a key per direction and a public session id.
 *
 * <p>Key schedule (HKDF-SHA256, RFC 5869), from input keying material {@code ikm} and a salt:
 * <pre>
 *   key sender→receiver = HKDF(ikm, salt, "hayate/transfer/v1 key sender-to-receiver", 32)
 *   key receiver→sender = HKDF(ikm, salt, "hayate/transfer/v1 key receiver-to-sender", 32)
 *   session id          = HKDF(ikm, salt, "hayate/transfer/v1 session id", 16)
 * </pre>
 * After a PAKE, {@code ikm} is the J-PAKE keying material and the salt the SHA-256 of the transcript (see
 * {@link PakeSession}); for {@link #fromSharedSecret} {@code ikm} is the given secret and the salt the SHA-256
 * of the context.
 *
 * <p>Thread-safety: the accessors are safe from any thread; {@link #destroy()} only once no sealer or opener
 * is being created. Sealers and openers hold their own copies of their key and have their own destroy.
 */
public final class SessionKeys
{
    /** Length of {@link #sessionId()}. */
    public static final int SESSION_ID_LENGTH = 16;

    static final String LABEL_PREFIX = "hayate/transfer/v1 ";
    private static final byte[] LABEL_SENDER_TO_RECEIVER = label("key sender-to-receiver");
    private static final byte[] LABEL_RECEIVER_TO_SENDER = label("key receiver-to-sender");
    private static final byte[] LABEL_SESSION_ID = label("session id");
    private static final byte[] SHARED_SECRET_DOMAIN = label("shared secret");

    private final Role role;
    private final byte[] sessionId;
    private final byte[] senderToReceiver;
    private final byte[] receiverToSender;
    private volatile boolean destroyed;

    private SessionKeys(final Role role, final byte[] sessionId, final byte[] senderToReceiver, final byte[] receiverToSender)
    {
        this.role = role;
        this.sessionId = sessionId;
        this.senderToReceiver = senderToReceiver;
        this.receiverToSender = receiverToSender;
    }

    /**
     * Keys for applications that bring their own shared secret (the relay), with the same schedule as after a
     * PAKE. Both sides must pass the same secret and context and opposite roles.
     *
     * @param secret32 a uniformly random 32-byte secret; not kept (the caller still owns and zeroes it).
     * @param context  what both sides agreed on (protocol name, version, capabilities); bound into every key.
     * @param role     this side's role.
     * @return the keys.
     */
    public static SessionKeys fromSharedSecret(final byte[] secret32, final byte[] context, final Role role)
    {
        Objects.requireNonNull(secret32, "secret32");
        Objects.requireNonNull(context, "context");
        Objects.requireNonNull(role, "role");
        if (secret32.length != 32)
        {
            throw new IllegalArgumentException("shared secret must be 32 bytes, got " + secret32.length);
        }
        final SHA256Digest digest = new SHA256Digest();
        digest.update(SHARED_SECRET_DOMAIN, 0, SHARED_SECRET_DOMAIN.length);
        updateWithLength(digest, context);
        final byte[] salt = new byte[digest.getDigestSize()];
        digest.doFinal(salt, 0);
        return derive(secret32, salt, role);
    }

    static SessionKeys derive(final byte[] ikm, final byte[] salt, final Role role)
    {
        return new SessionKeys(
            role,
            hkdf(ikm, salt, LABEL_SESSION_ID, SESSION_ID_LENGTH),
            hkdf(ikm, salt, LABEL_SENDER_TO_RECEIVER, CipherSuite.KEY_LENGTH),
            hkdf(ikm, salt, LABEL_RECEIVER_TO_SENDER, CipherSuite.KEY_LENGTH));
    }

    static byte[] hkdf(final byte[] ikm, final byte[] salt, final byte[] info, final int length)
    {
        final HKDFBytesGenerator hkdf = new HKDFBytesGenerator(new SHA256Digest());
        hkdf.init(new HKDFParameters(ikm, salt, info));
        final byte[] out = new byte[length];
        hkdf.generateBytes(out, 0, length);
        return out;
    }

    static byte[] label(final String name)
    {
        return (LABEL_PREFIX + name).getBytes(StandardCharsets.US_ASCII);
    }

    static void updateWithLength(final SHA256Digest digest, final byte[] field)
    {
        final int length = field.length;
        digest.update((byte)(length >>> 24));
        digest.update((byte)(length >>> 16));
        digest.update((byte)(length >>> 8));
        digest.update((byte)length);
        digest.update(field, 0, length);
    }

    /**
     * @return this side's role.
     */
    public Role role()
    {
        return role;
    }

    /**
     * @return the 16-byte session id, the same on both sides; not secret (the relay keys sessions by it). A copy.
     */
    public byte[] sessionId()
    {
        return sessionId.clone();
    }

    /**
     * @param suite the AEAD to use.
     * @return a new sealer for this side's sending direction.
     * @throws IllegalStateException when destroyed.
     */
    public ChunkSealer sealer(final CipherSuite suite)
    {
        return new ChunkSealer(suite, keyOf(role), sessionId, role);
    }

    /**
     * @param suite the AEAD the peer seals with.
     * @return a new opener for the peer's sending direction.
     * @throws IllegalStateException when destroyed.
     */
    public ChunkOpener opener(final CipherSuite suite)
    {
        return new ChunkOpener(suite, keyOf(role.peer()), sessionId, role.peer());
    }

    /**
     * Zeroes both direction keys. Sealers and openers made before keep their own copies until their own
     * {@code destroy()}.
     */
    public void destroy()
    {
        destroyed = true;
        Arrays.fill(senderToReceiver, (byte)0);
        Arrays.fill(receiverToSender, (byte)0);
    }

    private byte[] keyOf(final Role sender)
    {
        if (destroyed)
        {
            throw new IllegalStateException("session keys destroyed");
        }
        return sender == Role.SENDER ? senderToReceiver : receiverToSender;
    }
}
