package dev.hayate.transfer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;

import dev.hayate.core.Codec;
import dev.hayate.core.Protocol;
import dev.hayate.core.Session;
import dev.hayate.core.Status;
import dev.hayate.transfer.crypto.ChunkOpener;
import dev.hayate.transfer.crypto.ChunkSealer;
import dev.hayate.transfer.crypto.CodePhrase;
import dev.hayate.transfer.crypto.PakeException;
import dev.hayate.transfer.crypto.PakeSession;
import dev.hayate.transfer.crypto.Role;
import dev.hayate.transfer.crypto.SessionKeys;
import dev.hayate.transfer.crypto.WrongCodeException;
import dev.hayate.transfer.files.SafePaths;
import dev.hayate.transfer.wire.FrameSealer;
import dev.hayate.transfer.wire.TransferCodec;
import dev.hayate.transfer.wire.TransferMessage;

/**
 * The transfer protocol on one connection. Its handshake ({@link #onConnect}) pairs the two sides before the
 * endpoint hands the connection out:
 *
 * <pre>
 *   sender                                   receiver
 *     Hello(versions, caps, choices) ──▶ ◀── Hello(versions, caps)
 *     Pake 1 (J-PAKE round 1)        ──▶ ◀── Pake 1
 *     Pake 2 (J-PAKE round 2)        ──▶ ◀── Pake 2
 *     Pake 3 (key confirmation)      ──▶ ◀── Pake 3
 *     ── keys confirmed: from here on every frame is Sealed ──
 * </pre>
 *
 * <p>Both hellos are bound into the PAKE context, so editing either (to downgrade the cipher, say) fails key
 * confirmation. A wrong code phrase fails key confirmation on both sides; each side learns only that the codes
 * differ, and an attacker in the middle has had one online guess.
 *
 * <p>Thread-safety: the handshake runs on one thread; afterwards the codec's sealer belongs to the thread that
 * sends and {@link #opener()} to the thread that receives.
 */
final class TransferProtocol implements Protocol<TransferMessage>
{
    private static final byte[] CONTEXT_LABEL = "hayate-transfer v1".getBytes(StandardCharsets.US_ASCII);

    private final boolean sender;
    private final CodePhrase code;
    private final Negotiated proposal;
    private final SecureRandom random;
    private final TransferListener listener;
    private final TransferCodec codec = new TransferCodec();

    private volatile Negotiated negotiated;
    private volatile SessionKeys keys;
    private volatile ChunkOpener opener;
    private volatile Exception failure;

    /**
     * @param sender   true on the sending side.
     * @param code     the code phrase both sides typed.
     * @param proposal the sender's choices; the receiver's acceptable range (its chunk size bound is used).
     * @param random   for the PAKE.
     * @param listener told of the pairing stages.
     */
    TransferProtocol(final boolean sender, final CodePhrase code, final Negotiated proposal,
        final SecureRandom random, final TransferListener listener)
    {
        this.sender = sender;
        this.code = code;
        this.proposal = proposal;
        this.random = random;
        this.listener = listener;
    }

    @Override
    public Codec<TransferMessage> codec()
    {
        return codec;
    }

    @Override
    public void onConnect(final Session<TransferMessage> session) throws Exception
    {
        try
        {
            pair(session);
        }
        catch (final Exception ex)
        {
            failure = ex;
            throw ex;
        }
    }

    private void pair(final Session<TransferMessage> session) throws IOException
    {
        listener.onStage(Stage.PAIRING, "");
        final TransferMessage out = new TransferMessage();
        final int myFlags = sender ? proposal.flags() : 0;
        out.hello(Negotiated.VERSION, Negotiated.VERSION, sender, Negotiated.CAPABILITIES,
            sender ? Negotiated.cipherId(proposal.cipherSuite()) : 0,
            sender ? Negotiated.checksumId(proposal.checksum()) : 0, myFlags, sender ? proposal.chunkSize() : 0);
        final byte[] myHello = canonicalHello(out);
        send(session, out);

        final TransferMessage peer = expect(session, TransferMessage.Type.HELLO, "hello");
        if (peer.fromSender() == sender)
        {
            throw new TransferException(Failure.PROTOCOL, "the peer is also a " + (sender ? "sender" : "receiver"));
        }
        if (peer.minVersion() > Negotiated.VERSION || peer.maxVersion() < Negotiated.VERSION)
        {
            abort(session, Failure.PROTOCOL, "no common protocol version: peer speaks " + peer.minVersion() + ".." +
                peer.maxVersion() + ", this side " + Negotiated.VERSION);
        }
        final byte[] peerHello = canonicalHello(peer);
        if (sender)
        {
            negotiated = proposal;
        }
        else
        {
            negotiated = accept(session, peer);
        }
        final byte[] context = context(sender ? myHello : peerHello, sender ? peerHello : myHello);

        final PakeSession pake = new PakeSession(sender ? Role.SENDER : Role.RECEIVER, code, context, random);
        try
        {
            send(session, out.pake(1, pake.round1()));
            pake.receiveRound1(expectPake(session, 1));
            send(session, out.pake(2, pake.round2()));
            pake.receiveRound2(expectPake(session, 2));
            send(session, out.pake(3, pake.confirmation()));
            keys = pake.receiveConfirmation(expectPake(session, 3));
        }
        catch (final WrongCodeException ex)
        {
            throw new TransferException(Failure.WRONG_CODE, "wrong code phrase, or someone else answered", false, ex);
        }
        catch (final PakeException ex)
        {
            throw new TransferException(Failure.PROTOCOL, "pairing failed: " + ex.getMessage(), false, ex);
        }
        final ChunkSealer sealer = keys.sealer(negotiated.cipherSuite());
        codec.sealer(new FrameSealer()
        {
            @Override
            public long nextSequence()
            {
                return sealer.nextSequence();
            }

            @Override
            public int seal(final long sequence, final byte kind, final int fileIndex, final long chunkIndex,
                final byte flags, final ByteBuffer plaintext, final ByteBuffer output)
            {
                return sealer.seal(sequence, kind, fileIndex, chunkIndex, flags, plaintext, output);
            }
        });
        opener = keys.opener(negotiated.cipherSuite());
        listener.onStage(Stage.HANDSHAKING, "keys confirmed, " + negotiated.cipherSuite() + ", " +
            negotiated.checksum());
    }

    private Negotiated accept(final Session<TransferMessage> session, final TransferMessage hello)
        throws TransferException
    {
        final var suite = Negotiated.cipherOf(hello.cipherSuite());
        final var checksum = Negotiated.checksumOf(hello.checksum());
        if (suite == null || checksum == null)
        {
            abort(session, Failure.PROTOCOL, "unsupported choice: cipher " + hello.cipherSuite() + ", checksum " +
                hello.checksum());
        }
        final int chunkSize = hello.chunkSize();
        if (chunkSize < Negotiated.MIN_CHUNK_SIZE || chunkSize > proposal.chunkSize())
        {
            abort(session, Failure.PROTOCOL, "chunk size " + chunkSize + " outside " + Negotiated.MIN_CHUNK_SIZE +
                ".." + proposal.chunkSize());
        }
        final boolean compress = (hello.helloFlags() & Negotiated.FLAG_COMPRESS) != 0;
        final boolean resume = (hello.helloFlags() & Negotiated.FLAG_RESUME) != 0 && proposal.resume();
        return new Negotiated(suite, checksum, compress, resume, chunkSize);
    }

    private static void abort(final Session<TransferMessage> session, final Failure failure, final String reason)
        throws TransferException
    {
        session.send(new TransferMessage().abort(failure.wireCode(), reason));
        throw new TransferException(failure, reason);
    }

    private static void send(final Session<TransferMessage> session, final TransferMessage message)
        throws TransferException
    {
        final Status status = session.send(message);
        if (status != Status.OK)
        {
            throw new TransferException(Failure.NETWORK, "peer gone while pairing (" + status + ")");
        }
    }

    private byte[] expectPake(final Session<TransferMessage> session, final int step) throws TransferException
    {
        final TransferMessage m = expect(session, TransferMessage.Type.PAKE, "pairing step " + step);
        if (m.step() != step)
        {
            throw new TransferException(Failure.PROTOCOL, "pairing step " + m.step() + " where " + step +
                " was due");
        }
        return m.payload();
    }

    private static TransferMessage expect(final Session<TransferMessage> session, final TransferMessage.Type type,
        final String what) throws TransferException
    {
        final TransferMessage m = session.recv();
        if (m == null)
        {
            if (session.deadline().hasExpired())
            {
                throw new TransferException(Failure.TIMEOUT, "no " + what + " from the peer in time");
            }
            throw new TransferException(Failure.NETWORK, "the peer closed the connection before its " + what);
        }
        if (m.type() == TransferMessage.Type.ABORT)
        {
            throw new TransferException(Failure.ofWireCode(m.code()), "the peer ended the pairing: " +
                SafePaths.printable(m.reason()),
                true, null);
        }
        if (m.type() != type)
        {
            throw new TransferException(Failure.PROTOCOL, "expected " + what + ", got " + m);
        }
        return m;
    }

    private static byte[] canonicalHello(final TransferMessage hello)
    {
        return ByteBuffer.allocate(16)
            .putShort((short)hello.maxVersion())
            .putShort((short)hello.minVersion())
            .put((byte)(hello.fromSender() ? 1 : 2))
            .putInt(hello.capabilities())
            .put((byte)hello.cipherSuite())
            .put((byte)hello.checksum())
            .put((byte)hello.helloFlags())
            .putInt(hello.chunkSize())
            .array();
    }

    private static byte[] context(final byte[] senderHello, final byte[] receiverHello)
    {
        final byte[] context = new byte[CONTEXT_LABEL.length + senderHello.length + receiverHello.length];
        System.arraycopy(CONTEXT_LABEL, 0, context, 0, CONTEXT_LABEL.length);
        System.arraycopy(senderHello, 0, context, CONTEXT_LABEL.length, senderHello.length);
        System.arraycopy(receiverHello, 0, context, CONTEXT_LABEL.length + senderHello.length, receiverHello.length);
        return context;
    }

    /** @return what was agreed; null before pairing completes. */
    Negotiated negotiated()
    {
        return negotiated;
    }

    /** @return the opener of the peer's sealed frames; null before pairing completes. */
    ChunkOpener opener()
    {
        return opener;
    }

    /** @return why pairing failed, or null. */
    Exception failure()
    {
        return failure;
    }

    /** Zeroes the session keys. */
    void destroyKeys()
    {
        final SessionKeys k = keys;
        if (k != null)
        {
            k.destroy();
        }
    }
}
