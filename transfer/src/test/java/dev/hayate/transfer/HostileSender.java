package dev.hayate.transfer;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;

import dev.hayate.blocking.Clt;
import dev.hayate.core.Context;
import dev.hayate.transfer.crypto.ChecksumAlgorithm;
import dev.hayate.transfer.crypto.CipherSuite;
import dev.hayate.transfer.crypto.CodePhrase;
import dev.hayate.transfer.wire.Kind;
import dev.hayate.transfer.wire.TransferCodec;
import dev.hayate.transfer.wire.TransferMessage;

/**
 * A sender that pairs correctly and then offers whatever manifest bytes a test gives it: the lower-level API
 * (protocol, sealed link) used the way a hostile peer would.
 */
final class HostileSender implements AutoCloseable
{
    private final SealedLink link;

    HostileSender(final SocketAddress to, final CodePhrase code) throws IOException
    {
        this(to, code, null);
    }

    /** @param transport the provider to dial with, {@code null} for TCP (the relay's tests pass a relay pipe). */
    HostileSender(final SocketAddress to, final CodePhrase code,
        final dev.hayate.core.transport.TransportProvider transport) throws IOException
    {
        final Negotiated choices = new Negotiated(CipherSuite.AES_256_GCM, ChecksumAlgorithm.XXH64, false, false,
            Negotiated.DEFAULT_CHUNK_SIZE);
        final TransferProtocol[] protocol = new TransferProtocol[1];
        final Context context = new Context()
            .maxFrameLength(Negotiated.DEFAULT_CHUNK_SIZE + TransferCodec.SEALED_OVERHEAD + 64)
            .connectTimeout(20, TimeUnit.SECONDS)
            .handshakeTimeout(20, TimeUnit.SECONDS);
        if (transport != null)
        {
            context.transportProvider(transport);
        }
        context.conclude();
        final Clt<TransferMessage> clt = Clt.connect(to, id -> protocol[0] =
            new TransferProtocol(true, code, choices, new SecureRandom(), TransferListener.NONE), context);
        final Clt.Halves<TransferMessage> halves = clt.split();
        link = new SealedLink(halves.sender(), halves.recver(), protocol[0].opener(), Negotiated.DEFAULT_CHUNK_SIZE,
            () -> false, "the receiver");
    }

    /** Offers raw manifest bytes. */
    void offer(final byte[] manifest) throws TransferException
    {
        link.sendBlob(Kind.OFFER, manifest);
    }

    /** Waits for the receiver's answer; a refusal arrives as the receiver's error. */
    TransferException awaitRefusal() throws TransferException
    {
        try
        {
            link.recvBlob(Kind.CONSENT, 1 << 20, TimeUnit.SECONDS.toNanos(30));
            return null;
        }
        catch (final TransferException ex)
        {
            return ex;
        }
    }

    /**
     * One manifest entry in the manifest's wire form (see {@code Manifest}): kind, mode, size, mtime, path.
     */
    static byte[] manifest(final Object... kindAndPath)
    {
        final ByteBuffer b = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0x314D5948).putInt(kindAndPath.length / 2);
        for (int i = 0; i < kindAndPath.length; i += 2)
        {
            final boolean file = (Boolean)kindAndPath[i];
            final byte[] path = ((String)kindAndPath[i + 1]).getBytes(StandardCharsets.UTF_8);
            b.put((byte)(file ? 0 : 1)).putShort((short)0644).putLong(file ? 5 : 0).putLong(0)
                .putShort((short)path.length).put(path);
        }
        final byte[] bytes = new byte[b.position()];
        b.flip().get(bytes);
        return bytes;
    }

    @Override
    public void close()
    {
        link.close();
    }
}
