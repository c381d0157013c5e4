package dev.hayate.relay;

import java.nio.ByteBuffer;
import java.util.Arrays;

import dev.hayate.transfer.crypto.ChunkIntegrityException;
import dev.hayate.transfer.crypto.ChunkOpener;
import dev.hayate.transfer.crypto.ChunkSealer;
import dev.hayate.transfer.crypto.CipherSuite;
import dev.hayate.transfer.crypto.Role;
import dev.hayate.transfer.crypto.SessionKeys;

/**
 * The control frames of one connection, sealed with its transport keys (from the handshake's X25519 secret, see
 * {@link RelayCrypto}): transfer's {@link ChunkSealer} one way and {@link ChunkOpener} the other, so a control
 * frame that is forged, changed, replayed, reordered or dropped by someone on the network is named.
 *
 * <p>Thread-safety: {@link #seal} on the sending thread, {@link #open} on the receiving thread.
 */
final class ControlChannel
{
    private final ChunkSealer sealer;
    private final ChunkOpener opener;

    ControlChannel(final byte[] sharedSecret, final byte[] transcript, final Role role)
    {
        final SessionKeys keys = SessionKeys.fromSharedSecret(sharedSecret, transcript, role);
        Arrays.fill(sharedSecret, (byte)0);
        this.sealer = keys.sealer(CipherSuite.AES_256_GCM);
        this.opener = keys.opener(CipherSuite.AES_256_GCM);
        keys.destroy();
    }

    /**
     * @param control to seal.
     * @return a new CONTROL message carrying it (a fresh instance, so it may wait in a queue until sent).
     */
    RelayMessage seal(final Control control)
    {
        final byte[] plain = control.toBytes();
        final byte[] sealed = new byte[plain.length + CipherSuite.TAG_LENGTH];
        final long sequence = sealer.nextSequence();
        sealer.seal(sequence, RelayMessage.KIND_CONTROL, 0, 0, (byte)0, ByteBuffer.wrap(plain), ByteBuffer.wrap(sealed));
        final RelayMessage m = new RelayMessage();
        m.type = RelayMessage.Type.CONTROL;
        m.sequence = sequence;
        m.body.wrap(sealed);
        m.bodyOffset = 0;
        m.bodyLength = sealed.length;
        return m;
    }

    /**
     * @param m a received CONTROL message.
     * @return its control.
     * @throws ChunkIntegrityException naming how the control stream was tampered with.
     */
    Control open(final RelayMessage m) throws ChunkIntegrityException
    {
        final byte[] sealed = new byte[m.bodyLength];
        m.body.getBytes(m.bodyOffset, sealed, 0, m.bodyLength);
        final ByteBuffer out = ByteBuffer.allocate(Math.max(0, sealed.length - CipherSuite.TAG_LENGTH));
        final int length = opener.open(m.sequence, RelayMessage.KIND_CONTROL, 0, 0, (byte)0, ByteBuffer.wrap(sealed),
            out);
        if (length == ChunkOpener.GAP)
        {
            // Controls are never skipped on purpose: the next one decides between reordered and dropped.
            return null;
        }
        out.flip();
        return Control.fromBytes(out);
    }
}
