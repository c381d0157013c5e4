package dev.hayate.relay;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicReference;

import dev.hayate.core.HandshakeException;
import dev.hayate.core.ProtocolFactory;
import dev.hayate.transfer.crypto.ChunkSealer;
import dev.hayate.transfer.crypto.CipherSuite;
import dev.hayate.transfer.crypto.Role;
import dev.hayate.transfer.crypto.SessionKeys;

/**
 * What connecting to a relay shares across the faces: the protocol factory (remembering the protocol it made),
 * the producer's data sealer, and turning a refused handshake into a {@link RelayRefusedException}.
 *
 * <p>Thread-safety: one per connection attempt.
 */
final class RelayConnect
{
    /** A connection step of a face. */
    @FunctionalInterface
    interface Step<C>
    {
        C connect(ProtocolFactory<RelayMessage> protocols) throws IOException;
    }

    final RelayClientConfig config;
    final byte[] epoch;
    private final AtomicReference<ClientProtocol> made = new AtomicReference<>();

    RelayConnect(final RelayClientConfig config)
    {
        this.config = config.conclude();
        this.epoch = config.producerKey() != null ? RelayCrypto.newEpoch() : new byte[RelayCrypto.EPOCH_LENGTH];
    }

    ProtocolFactory<RelayMessage> protocols()
    {
        return id ->
        {
            final ClientProtocol protocol = new ClientProtocol(config, epoch);
            made.set(protocol);
            return protocol;
        };
    }

    ClientProtocol protocol()
    {
        return made.get();
    }

    /**
     * Installs the producer's end-to-end sealer in the connection's codec.
     */
    void installSealer()
    {
        final SessionKeys keys = RelayCrypto.dataKeys(config.secret(), config.sessionId(), epoch, Role.SENDER);
        final ChunkSealer sealer = keys.sealer(CipherSuite.AES_256_GCM);
        keys.destroy();
        protocol().relayCodec().dataSealer(sealer);
    }

    static IOException unwrap(final Throwable failure)
    {
        Throwable cause = failure;
        while (cause != null)
        {
            if (cause instanceof RelayRefusedException refused)
            {
                return new RelayRefusedException(refused.reason());
            }
            cause = cause.getCause();
        }
        return failure instanceof IOException io ? io : new IOException(failure);
    }

    <C> C run(final Step<C> step) throws IOException
    {
        try
        {
            return step.connect(protocols());
        }
        catch (final HandshakeException ex)
        {
            throw unwrap(ex);
        }
    }
}
