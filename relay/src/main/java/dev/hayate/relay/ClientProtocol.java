package dev.hayate.relay;

import java.io.IOException;
import java.util.Arrays;

import dev.hayate.core.Codec;
import dev.hayate.core.Protocol;
import dev.hayate.core.Session;
import dev.hayate.core.Status;
import dev.hayate.transfer.crypto.ChunkIntegrityException;
import dev.hayate.transfer.crypto.Role;
import org.bouncycastle.crypto.params.X25519PrivateKeyParameters;

/**
 * A client's side of the relay protocol: the handshake in {@link #onConnect} (Hello → Welcome → Proof → the relay's
 * sealed JOINED or REFUSED), then the connection's {@link ControlChannel}. One per connection.
 *
 * <p>Thread-safety: the handshake runs on the connecting thread; afterwards {@link #openControl} on the receiving
 * thread.
 */
final class ClientProtocol implements Protocol<RelayMessage>
{
    private final RelayCodec codec = new RelayCodec();
    private final RelayClientConfig config;
    private final byte[] epoch;
    private ControlChannel controls;
    private Control joined;
    private byte[] relayIdentity;

    ClientProtocol(final RelayClientConfig config, final byte[] epoch)
    {
        this.config = config;
        this.epoch = epoch;
    }

    @Override
    public Codec<RelayMessage> codec()
    {
        return codec;
    }

    RelayCodec relayCodec()
    {
        return codec;
    }

    @Override
    public void onConnect(final Session<RelayMessage> session) throws Exception
    {
        final boolean producer = config.producerKey() != null;
        final X25519PrivateKeyParameters ephemeral = RelayCrypto.newEphemeral();
        final RelayMessage hello = new RelayMessage();
        hello.type = RelayMessage.Type.HELLO;
        hello.producer = producer;
        hello.pipe = config.pipe();
        hello.policy = producer ? config.policy().ordinal() : 0;
        System.arraycopy(config.sessionId(), 0, hello.sessionId, 0, RelayCrypto.SESSION_ID_LENGTH);
        System.arraycopy(RelayCrypto.publicKey(ephemeral), 0, hello.ephemeralKey, 0, RelayCrypto.KEY_LENGTH);
        if (producer)
        {
            System.arraycopy(config.producerKey().publicKey(), 0, hello.producerKey, 0, RelayCrypto.KEY_LENGTH);
            System.arraycopy(epoch, 0, hello.epoch, 0, RelayCrypto.EPOCH_LENGTH);
        }
        expectSent(session.send(hello));

        final RelayMessage welcome = expect(session.recv(), RelayMessage.Type.WELCOME);
        final byte[] relayEphemeral = welcome.ephemeralKey.clone();
        final byte[] identity = welcome.identityKey.clone();
        final byte[] relaySignature = welcome.signature.clone();
        final byte[] transcript = RelayCrypto.transcript(hello, relayEphemeral, identity);
        if (!RelayCrypto.verify(identity, RelayCrypto.relayProofInput(transcript), relaySignature))
        {
            throw new IOException("the relay's signature over the handshake does not verify");
        }
        if (config.relayKey() != null && !Arrays.equals(config.relayKey(), identity))
        {
            throw new IOException("the relay's identity key is not the pinned one: " + ProducerKey.hex(identity));
        }
        relayIdentity = identity;
        controls = new ControlChannel(RelayCrypto.agree(ephemeral, relayEphemeral), transcript, Role.SENDER);

        final RelayMessage proof = new RelayMessage();
        proof.type = RelayMessage.Type.PROOF;
        if (producer)
        {
            final byte[] signature = RelayCrypto.sign(config.producerKey().privateKey(),
                RelayCrypto.producerProofInput(transcript, relaySignature));
            System.arraycopy(signature, 0, proof.signature, 0, RelayCrypto.SIGNATURE_LENGTH);
        }
        expectSent(session.send(proof));

        final Control first = openControl(expect(session.recv(), RelayMessage.Type.CONTROL));
        if (first == null || first.type() == Control.REFUSED)
        {
            throw new RelayRefusedException(first == null ? RefusalReason.CLOSING : RefusalReason.of(first.a()));
        }
        if (first.type() != Control.JOINED)
        {
            throw new IOException("expected JOINED from the relay, got control type " + first.type());
        }
        joined = first;
    }

    private static void expectSent(final Status status) throws IOException
    {
        if (status != Status.OK)
        {
            throw new IOException("handshake send: " + status);
        }
    }

    private static RelayMessage expect(final RelayMessage m, final RelayMessage.Type type) throws IOException
    {
        if (m == null)
        {
            throw new IOException("the relay closed or went silent during the handshake");
        }
        if (m.type != type)
        {
            throw new IOException("expected " + type + " from the relay, got " + m.type);
        }
        return m;
    }

    Control openControl(final RelayMessage m) throws ChunkIntegrityException
    {
        return controls.open(m);
    }

    Control joined()
    {
        return joined;
    }

    byte[] relayIdentity()
    {
        return relayIdentity.clone();
    }
}
