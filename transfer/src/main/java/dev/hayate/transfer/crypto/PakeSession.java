package dev.hayate.transfer.crypto;

import java.lang.reflect.Constructor;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;

import org.bouncycastle.crypto.CryptoException;
import org.bouncycastle.crypto.agreement.ecjpake.ECJPAKECurve;
import org.bouncycastle.crypto.agreement.ecjpake.ECJPAKECurves;
import org.bouncycastle.crypto.agreement.ecjpake.ECJPAKEParticipant;
import org.bouncycastle.crypto.agreement.ecjpake.ECJPAKERound1Payload;
import org.bouncycastle.crypto.agreement.ecjpake.ECJPAKERound2Payload;
import org.bouncycastle.crypto.agreement.ecjpake.ECSchnorrZKP;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.util.BigIntegers;

/**
 * One side of a password-authenticated key exchange on a {@link CodePhrase}: EC J-PAKE (bouncycastle, NIST
 * P-256, SHA-256) followed by key confirmation, transport-free: each step returns or takes the bytes the caller
 * carries in its own frames.
 *
 * <pre>{@code
 * PakeSession pake = new PakeSession(Role.SENDER, code, context, random);
 * send(pake.round1());        pake.receiveRound1(recv());
 * send(pake.round2());        pake.receiveRound2(recv());
 * send(pake.confirmation());  SessionKeys keys = pake.receiveConfirmation(recv()); // WrongCodeException
 * }</pre>
 * The calls must come in exactly that order on each side (both sides send before they receive in each round).
 * Any receive that fails, and any receive out of order, throws {@link PakeException} and kills the session.
 *
 * <p>Payloads (all lengths in bytes; every field is a 1-byte length then the bytes; points in SEC1 encoding,
 * compressed when this class writes them, at most 65 bytes; scalars unsigned big-endian, 1 to 32 bytes):
 * <pre>
 *   round 1:      0x01 | g^x1 | g^x2 | ZKP(x1).V | ZKP(x1).r | ZKP(x2).V | ZKP(x2).r   (at most {@value #MAX_ROUND1_LENGTH})
 *   round 2:      0x02 | A | ZKP(x2*s).V | ZKP(x2*s).r                                 (at most {@value #MAX_ROUND2_LENGTH})
 *   confirmation: 0x03 | HMAC-SHA256 tag (32 bytes, no length prefix)                  (exactly {@value #CONFIRMATION_LENGTH})
 * </pre>
 * Participant ids are implied by the roles ({@link Role#participantId()}) and never travel.
 *
 * <p>Keys: the transcript hash is {@code th = SHA-256(label | context | round1(SENDER) | round1(RECEIVER) |
 * round2(SENDER) | round2(RECEIVER))}, each field prefixed with its 4-byte length, in that fixed order whoever
 * calls first. With {@code k} the 32-byte J-PAKE keying material, each side's confirmation key is
 * {@code HKDF(k, th, "confirm <role>")} and its confirmation {@code HMAC(confirmKey, "confirm <role>" | th)}.
 * The session keys ({@link SessionKeys}) come from {@code HKDF(k, th, …)} and are created only after the peer's
 * confirmation verified: before that nothing secret leaves this object. {@code k} and the confirmation keys are
 * zeroed as soon as they are used; the J-PAKE private scalars live in bouncycastle's immutable
 * {@code BigInteger}s, which cannot be zeroed.
 *
 * <p>Bouncycastle offers no public way to rebuild a received zero-knowledge proof ({@code ECSchnorrZKP}'s
 * constructor is package-private), so this class calls that constructor reflectively; that works with
 * bouncycastle on the class path (how Hayate ships).
 *
 * <p>Thread-safety: not thread-safe; one handshake thread drives a session.
 */
public final class PakeSession
{
    /** Upper bound of {@link #round1()} and of what {@link #receiveRound1} accepts. */
    public static final int MAX_ROUND1_LENGTH = 1 + 4 * (1 + 65) + 2 * (1 + 32);

    /** Upper bound of {@link #round2()} and of what {@link #receiveRound2} accepts. */
    public static final int MAX_ROUND2_LENGTH = 1 + 2 * (1 + 65) + (1 + 32);

    /** Exact length of {@link #confirmation()} and of what {@link #receiveConfirmation} accepts. */
    public static final int CONFIRMATION_LENGTH = 1 + 32;

    private static final byte TYPE_ROUND1 = 1;
    private static final byte TYPE_ROUND2 = 2;
    private static final byte TYPE_CONFIRMATION = 3;
    private static final int MAX_POINT_LENGTH = 65;
    private static final int MAX_SCALAR_LENGTH = 32;
    private static final int KEY_MATERIAL_LENGTH = 32;
    private static final byte[] TRANSCRIPT_LABEL = SessionKeys.label("transcript");

    private static final ECJPAKECurve CURVE = ECJPAKECurves.NIST_P256;
    private static final Constructor<ECSchnorrZKP> ZKP_CONSTRUCTOR = zkpConstructor();

    private enum State
    {
        NEW, ROUND1_SENT, ROUND1_RECEIVED, ROUND2_SENT, ROUND2_RECEIVED, CONFIRMATION_SENT, DONE, FAILED
    }

    private final Role role;
    private final byte[] context;
    private final ECJPAKEParticipant participant;
    private State state = State.NEW;

    private byte[] ownRound1;
    private byte[] peerRound1;
    private byte[] ownRound2;
    private byte[] peerRound2;
    private byte[] transcriptHash;
    private byte[] keyMaterial;

    /**
     * @param role    this side's role; the peer must take the other one.
     * @param code    the code phrase both people typed.
     * @param context what both sides agreed on in their hello (protocol name, version, capabilities): bound into
     *                the transcript, so a downgraded or altered hello makes confirmation fail. Copied.
     * @param random  randomness for the J-PAKE scalars.
     */
    public PakeSession(final Role role, final CodePhrase code, final byte[] context, final SecureRandom random)
    {
        this.role = Objects.requireNonNull(role, "role");
        Objects.requireNonNull(code, "code");
        this.context = Objects.requireNonNull(context, "context").clone();
        Objects.requireNonNull(random, "random");
        final byte[] secret = code.secret();
        final char[] password = new char[secret.length];
        for (int i = 0; i < secret.length; i++)
        {
            password[i] = (char)(secret[i] & 0xFF);
        }
        try
        {
            this.participant = new ECJPAKEParticipant(role.participantId(), password, CURVE, new SHA256Digest(), random);
        }
        finally
        {
            // The participant keeps its own copy (and zeroes it once the keying material is calculated).
            Arrays.fill(secret, (byte)0);
            Arrays.fill(password, '\0');
        }
    }

    /**
     * @return this side's role.
     */
    public Role role()
    {
        return role;
    }

    /**
     * @return this side's round 1 payload, at most {@link #MAX_ROUND1_LENGTH} bytes.
     * @throws IllegalStateException when not the first call.
     */
    public byte[] round1()
    {
        expectOwnStep(State.NEW, "round1()");
        final ECJPAKERound1Payload payload = participant.createRound1PayloadToSend();
        final Writer writer = new Writer(MAX_ROUND1_LENGTH, TYPE_ROUND1);
        writer.point(payload.getGx1());
        writer.point(payload.getGx2());
        writer.point(payload.getKnowledgeProofForX1().getV());
        writer.scalar(payload.getKnowledgeProofForX1().getr());
        writer.point(payload.getKnowledgeProofForX2().getV());
        writer.scalar(payload.getKnowledgeProofForX2().getr());
        ownRound1 = writer.toArray();
        state = State.ROUND1_SENT;
        return ownRound1.clone();
    }

    /**
     * @param peer the peer's round 1 payload.
     * @throws PakeException when it is malformed, oversized, out of order or its proofs do not verify.
     */
    public void receiveRound1(final byte[] peer) throws PakeException
    {
        expectPeerStep(State.ROUND1_SENT, "round 1");
        try
        {
            final Reader reader = new Reader(peer, MAX_ROUND1_LENGTH, TYPE_ROUND1, "round 1");
            final ECPoint gx1 = reader.point();
            final ECPoint gx2 = reader.point();
            final ECSchnorrZKP zkp1 = zkp(reader.point(), reader.scalar());
            final ECSchnorrZKP zkp2 = zkp(reader.point(), reader.scalar());
            reader.end();
            participant.validateRound1PayloadReceived(
                new ECJPAKERound1Payload(role.peer().participantId(), gx1, gx2, zkp1, zkp2));
            peerRound1 = peer.clone();
            state = State.ROUND1_RECEIVED;
        }
        catch (final PakeException ex)
        {
            throw failed(ex);
        }
        catch (final CryptoException | RuntimeException ex)
        {
            throw failed(new PakeException("peer's round 1 does not verify: " + ex.getMessage(), ex));
        }
    }

    /**
     * @return this side's round 2 payload, at most {@link #MAX_ROUND2_LENGTH} bytes.
     * @throws IllegalStateException when the peer's round 1 has not been received.
     */
    public byte[] round2()
    {
        expectOwnStep(State.ROUND1_RECEIVED, "round2()");
        final ECJPAKERound2Payload payload = participant.createRound2PayloadToSend();
        final Writer writer = new Writer(MAX_ROUND2_LENGTH, TYPE_ROUND2);
        writer.point(payload.getA());
        writer.point(payload.getKnowledgeProofForX2s().getV());
        writer.scalar(payload.getKnowledgeProofForX2s().getr());
        ownRound2 = writer.toArray();
        state = State.ROUND2_SENT;
        return ownRound2.clone();
    }

    /**
     * @param peer the peer's round 2 payload.
     * @throws PakeException when it is malformed, oversized, out of order or its proof does not verify.
     */
    public void receiveRound2(final byte[] peer) throws PakeException
    {
        expectPeerStep(State.ROUND2_SENT, "round 2");
        try
        {
            final Reader reader = new Reader(peer, MAX_ROUND2_LENGTH, TYPE_ROUND2, "round 2");
            final ECPoint a = reader.point();
            final ECSchnorrZKP zkp = zkp(reader.point(), reader.scalar());
            reader.end();
            participant.validateRound2PayloadReceived(new ECJPAKERound2Payload(role.peer().participantId(), a, zkp));
            peerRound2 = peer.clone();
            state = State.ROUND2_RECEIVED;
        }
        catch (final PakeException ex)
        {
            throw failed(ex);
        }
        catch (final CryptoException | RuntimeException ex)
        {
            throw failed(new PakeException("peer's round 2 does not verify: " + ex.getMessage(), ex));
        }
    }

    /**
     * Computes the shared keying material and this side's key confirmation.
     *
     * @return the confirmation payload, {@link #CONFIRMATION_LENGTH} bytes.
     * @throws IllegalStateException when the peer's round 2 has not been received.
     */
    public byte[] confirmation()
    {
        expectOwnStep(State.ROUND2_RECEIVED, "confirmation()");
        final BigInteger material = participant.calculateKeyingMaterial();
        keyMaterial = BigIntegers.asUnsignedByteArray(KEY_MATERIAL_LENGTH, material);
        transcriptHash = transcriptHash();
        final byte[] out = new byte[CONFIRMATION_LENGTH];
        out[0] = TYPE_CONFIRMATION;
        confirmationTag(role, out, 1);
        state = State.CONFIRMATION_SENT;
        return out;
    }

    /**
     * Verifies the peer's key confirmation and, only if it matches, releases the session keys.
     *
     * @param peer the peer's confirmation payload.
     * @return the session keys.
     * @throws WrongCodeException when the tag does not match: a different code phrase or another peer.
     * @throws PakeException      when the payload is malformed or out of order.
     */
    public SessionKeys receiveConfirmation(final byte[] peer) throws PakeException
    {
        expectPeerStep(State.CONFIRMATION_SENT, "confirmation");
        try
        {
            if (peer == null || peer.length != CONFIRMATION_LENGTH || peer[0] != TYPE_CONFIRMATION)
            {
                throw failed(new PakeException("peer's confirmation is malformed: expected "
                    + CONFIRMATION_LENGTH + " bytes of type " + TYPE_CONFIRMATION));
            }
            final byte[] expected = new byte[CONFIRMATION_LENGTH];
            expected[0] = TYPE_CONFIRMATION;
            confirmationTag(role.peer(), expected, 1);
            if (!org.bouncycastle.util.Arrays.constantTimeAreEqual(expected, peer))
            {
                throw failed(new WrongCodeException());
            }
            final SessionKeys keys = SessionKeys.derive(keyMaterial, transcriptHash, role);
            state = State.DONE;
            return keys;
        }
        finally
        {
            wipe();
        }
    }

    /**
     * Abandons the session and zeroes what it holds; every later call fails.
     */
    public void destroy()
    {
        state = State.FAILED;
        wipe();
    }

    private void confirmationTag(final Role of, final byte[] out, final int offset)
    {
        final byte[] label = SessionKeys.label("confirm " + of.participantId());
        final byte[] confirmKey = SessionKeys.hkdf(keyMaterial, transcriptHash, label, 32);
        try
        {
            final HMac mac = new HMac(new SHA256Digest());
            mac.init(new KeyParameter(confirmKey));
            mac.update(label, 0, label.length);
            mac.update(transcriptHash, 0, transcriptHash.length);
            mac.doFinal(out, offset);
        }
        finally
        {
            Arrays.fill(confirmKey, (byte)0);
        }
    }

    private byte[] transcriptHash()
    {
        final boolean sender = role == Role.SENDER;
        final SHA256Digest digest = new SHA256Digest();
        digest.update(TRANSCRIPT_LABEL, 0, TRANSCRIPT_LABEL.length);
        SessionKeys.updateWithLength(digest, context);
        SessionKeys.updateWithLength(digest, sender ? ownRound1 : peerRound1);
        SessionKeys.updateWithLength(digest, sender ? peerRound1 : ownRound1);
        SessionKeys.updateWithLength(digest, sender ? ownRound2 : peerRound2);
        SessionKeys.updateWithLength(digest, sender ? peerRound2 : ownRound2);
        final byte[] hash = new byte[digest.getDigestSize()];
        digest.doFinal(hash, 0);
        return hash;
    }

    private void wipe()
    {
        if (keyMaterial != null)
        {
            Arrays.fill(keyMaterial, (byte)0);
            keyMaterial = null;
        }
    }

    private void expectOwnStep(final State expected, final String step)
    {
        if (state != expected)
        {
            throw new IllegalStateException(step + " called out of order (session state " + state + ")");
        }
    }

    private void expectPeerStep(final State expected, final String step) throws PakeException
    {
        if (state != expected)
        {
            final State was = state;
            throw failed(new PakeException("peer's " + step + " arrived out of order (session state " + was + ")"));
        }
    }

    private <E extends PakeException> E failed(final E ex)
    {
        state = State.FAILED;
        wipe();
        return ex;
    }

    private static ECSchnorrZKP zkp(final ECPoint v, final BigInteger r) throws PakeException
    {
        try
        {
            return ZKP_CONSTRUCTOR.newInstance(v, r);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new PakeException("cannot rebuild the peer's proof", ex);
        }
    }

    private static Constructor<ECSchnorrZKP> zkpConstructor()
    {
        try
        {
            final Constructor<ECSchnorrZKP> constructor =
                ECSchnorrZKP.class.getDeclaredConstructor(ECPoint.class, BigInteger.class);
            constructor.setAccessible(true);
            return constructor;
        }
        catch (final ReflectiveOperationException | RuntimeException ex)
        {
            throw new IllegalStateException("bouncycastle's ECSchnorrZKP constructor is not reachable", ex);
        }
    }

    /** Builds a payload: a type byte, then length-prefixed fields. */
    private static final class Writer
    {
        private final byte[] buffer;
        private int length;

        Writer(final int capacity, final byte type)
        {
            buffer = new byte[capacity];
            buffer[length++] = type;
        }

        void point(final ECPoint point)
        {
            field(point.getEncoded(true));
        }

        void scalar(final BigInteger value)
        {
            field(BigIntegers.asUnsignedByteArray(value));
        }

        private void field(final byte[] bytes)
        {
            buffer[length++] = (byte)bytes.length;
            System.arraycopy(bytes, 0, buffer, length, bytes.length);
            length += bytes.length;
        }

        byte[] toArray()
        {
            return Arrays.copyOf(buffer, length);
        }
    }

    /** Reads a payload from untrusted bytes, checking every length before it is used. */
    private static final class Reader
    {
        private final byte[] data;
        private final String what;
        private int position;

        Reader(final byte[] data, final int maxLength, final byte type, final String what) throws PakeException
        {
            this.what = what;
            if (data == null || data.length < 1)
            {
                throw new PakeException("peer's " + what + " is empty");
            }
            if (data.length > maxLength)
            {
                throw new PakeException("peer's " + what + " is " + data.length + " bytes, at most " + maxLength
                    + " allowed");
            }
            if (data[0] != type)
            {
                throw new PakeException("peer's " + what + " has type " + data[0] + ", expected " + type);
            }
            this.data = data;
            this.position = 1;
        }

        ECPoint point() throws PakeException
        {
            final byte[] bytes = field(MAX_POINT_LENGTH, "point");
            try
            {
                return CURVE.getCurve().decodePoint(bytes);
            }
            catch (final RuntimeException ex)
            {
                throw new PakeException("peer's " + what + " holds an invalid curve point", ex);
            }
        }

        BigInteger scalar() throws PakeException
        {
            return new BigInteger(1, field(MAX_SCALAR_LENGTH, "scalar"));
        }

        void end() throws PakeException
        {
            if (position != data.length)
            {
                throw new PakeException("peer's " + what + " has " + (data.length - position) + " trailing bytes");
            }
        }

        private byte[] field(final int maxLength, final String kind) throws PakeException
        {
            if (position >= data.length)
            {
                throw new PakeException("peer's " + what + " is truncated before a " + kind);
            }
            final int length = data[position++] & 0xFF;
            if (length == 0 || length > maxLength)
            {
                throw new PakeException("peer's " + what + " has a " + kind + " of " + length + " bytes, 1 to "
                    + maxLength + " allowed");
            }
            if (length > data.length - position)
            {
                throw new PakeException("peer's " + what + " is truncated inside a " + kind);
            }
            final byte[] bytes = Arrays.copyOfRange(data, position, position + length);
            position += length;
            return bytes;
        }
    }
}
