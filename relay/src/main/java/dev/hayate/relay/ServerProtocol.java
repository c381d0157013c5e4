package dev.hayate.relay;

import java.io.IOException;
import java.util.Arrays;

import dev.hayate.core.Codec;
import dev.hayate.core.Protocol;
import dev.hayate.core.Session;
import dev.hayate.core.Status;
import dev.hayate.transfer.crypto.Role;
import org.bouncycastle.crypto.params.X25519PrivateKeyParameters;

/**
 * The relay's side of one client connection: the handshake in {@link #onConnect} (run on a handshake thread, so a
 * slow client holds up nobody) learns who the client is and checks a producer's credential; admission to a
 * session happens afterwards on the relay's thread. One per connection.
 *
 * <p>Thread-safety: the handshake on its thread, then only the relay's thread.
 */
final class ServerProtocol implements Protocol<RelayMessage>
{
    private final RelayCodec codec = new RelayCodec();
    private final ProducerKey identity;
    private final RelayStats stats;

    boolean producer;
    boolean pipe;
    SlowConsumerPolicy policy = SlowConsumerPolicy.DISCONNECT;
    final byte[] sessionId = new byte[RelayCrypto.SESSION_ID_LENGTH];
    final byte[] epoch = new byte[RelayCrypto.EPOCH_LENGTH];
    ControlChannel controls;

    ServerProtocol(final ProducerKey identity, final RelayStats stats)
    {
        this.identity = identity;
        this.stats = stats;
    }

    @Override
    public Codec<RelayMessage> codec()
    {
        return codec;
    }

    @Override
    public void onConnect(final Session<RelayMessage> session) throws Exception
    {
        try
        {
            handshake(session);
        }
        catch (final Exception ex)
        {
            // Three causes an operator tells apart: a credential refused (someone tried to be a producer), time
            // (slow or silent clients, maybe a slowloris), anything else (garbage, a wrong version, an early close).
            stats.increment(ex instanceof CredentialRefused ? RelayStats.Counter.REFUSED_PROOFS :
                session.deadline().hasExpired() ? RelayStats.Counter.HANDSHAKE_TIMEOUTS :
                RelayStats.Counter.HANDSHAKES_MALFORMED);
            throw ex;
        }
    }

    private void handshake(final Session<RelayMessage> session) throws Exception
    {
        final RelayMessage received = session.recv();
        if (received == null || received.type != RelayMessage.Type.HELLO)
        {
            throw new IOException("expected HELLO, got " + received);
        }
        if (received.version != RelayMessage.VERSION)
        {
            throw new IOException("unsupported relay protocol version " + received.version);
        }
        // The codec reuses its holder on the next receive: keep what the transcript and the proof need.
        final RelayMessage hello = new RelayMessage();
        hello.producer = received.producer;
        hello.pipe = received.pipe;
        hello.policy = received.policy;
        System.arraycopy(received.sessionId, 0, hello.sessionId, 0, hello.sessionId.length);
        System.arraycopy(received.ephemeralKey, 0, hello.ephemeralKey, 0, hello.ephemeralKey.length);
        System.arraycopy(received.producerKey, 0, hello.producerKey, 0, hello.producerKey.length);
        System.arraycopy(received.epoch, 0, hello.epoch, 0, hello.epoch.length);
        if (hello.producer && !Arrays.equals(RelayCrypto.sessionIdOf(hello.producerKey), hello.sessionId))
        {
            throw new CredentialRefused("the producer key does not belong to this session");
        }
        policy = SlowConsumerPolicy.of(hello.policy);

        final X25519PrivateKeyParameters ephemeral = RelayCrypto.newEphemeral();
        final byte[] ephemeralPublic = RelayCrypto.publicKey(ephemeral);
        final byte[] identityPublic = identity.publicKey();
        final byte[] transcript = RelayCrypto.transcript(hello, ephemeralPublic, identityPublic);
        final byte[] signature = RelayCrypto.sign(identity.privateKey(), RelayCrypto.relayProofInput(transcript));
        final RelayMessage welcome = new RelayMessage();
        welcome.type = RelayMessage.Type.WELCOME;
        System.arraycopy(ephemeralPublic, 0, welcome.ephemeralKey, 0, RelayCrypto.KEY_LENGTH);
        System.arraycopy(identityPublic, 0, welcome.identityKey, 0, RelayCrypto.KEY_LENGTH);
        System.arraycopy(signature, 0, welcome.signature, 0, RelayCrypto.SIGNATURE_LENGTH);
        if (session.send(welcome) != Status.OK)
        {
            throw new IOException("could not send WELCOME");
        }
        controls = new ControlChannel(RelayCrypto.agree(ephemeral, hello.ephemeralKey), transcript, Role.RECEIVER);

        final RelayMessage proof = session.recv();
        if (proof == null || proof.type != RelayMessage.Type.PROOF)
        {
            throw new IOException("expected PROOF, got " + proof);
        }
        if (hello.producer && !RelayCrypto.verify(hello.producerKey,
            RelayCrypto.producerProofInput(transcript, signature), proof.signature))
        {
            throw new CredentialRefused("the producer's signature does not verify");
        }
        producer = hello.producer;
        pipe = hello.pipe;
        System.arraycopy(hello.sessionId, 0, sessionId, 0, sessionId.length);
        System.arraycopy(hello.epoch, 0, epoch, 0, epoch.length);
    }

    /** A producer credential that did not prove itself: counted apart from malformed handshakes. */
    private static final class CredentialRefused extends IOException
    {
        private static final long serialVersionUID = 1L;

        CredentialRefused(final String message)
        {
            super(message);
        }
    }
}
