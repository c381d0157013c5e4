package dev.hayate.relay;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

import dev.hayate.core.Connection;
import dev.hayate.core.Context;
import dev.hayate.core.transport.IoPoller;
import dev.hayate.core.transport.Transport;
import dev.hayate.core.transport.TransportProvider;
import dev.hayate.core.transport.TransportServer;
import dev.hayate.transfer.crypto.ChunkIntegrityException;
import dev.hayate.transfer.crypto.CodePhrase;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * A {@link TransportProvider} whose connections are byte pipes through a relay: {@link #bind} joins a pipe session
 * as one end and its server accepts once the other end has joined; {@link #connect} joins as the other end and
 * returns once paired. The addresses the engine passes are ignored: both ends meet at the relay by session id. So a
 * transfer runs unchanged through a relay when the two machines cannot reach each other, with its own PAKE and
 * sealing end to end; the relay sees only ciphertext.
 *
 * <p>Session id for a transfer ({@link #forCode}): {@code HMAC-SHA256("hayate/relay/v1 transfer", number)[0..16]}
 * of the code phrase's number only. The words never reach the relay, not even hashed, so it cannot guess them
 * offline; its one chance is an online PAKE guess, like anyone's. (Mixing the words in would give the id more than
 * a thousand values, but the relay could then test word lists against it offline: the number alone it stays.) Two
 * transfers with the same number at once on one relay collide: the third end is refused and the user picks another
 * code. Pipe sessions have ids of their own at the relay, apart from producers' sessions.
 *
 * <p>A relay closes an end that waits longer than its idle-session timeout for the other; an end still waiting
 * here (a bound server not yet accepted, a connect within its timeout) then joins again, so either side may start
 * long before the other.
 *
 * <p>Thread-safety: safe for concurrent use; each connection is its own relay connection.
 */
public final class RelayTransportProvider implements TransportProvider
{
    private static final long WAIT_SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    private static final byte[] TRANSFER_KEY = "hayate/relay/v1 transfer".getBytes(StandardCharsets.US_ASCII);

    private final SocketAddress relay;
    private final byte[] sessionId;
    private final Context context;
    private final byte[] relayKey;

    /**
     * @param relay     the relay's address.
     * @param sessionId the 16-byte pipe session id both ends use.
     * @param context   the relay connections' engine configuration (not the transfer's).
     * @param relayKey  the relay's identity key to insist on, or {@code null}.
     */
    public RelayTransportProvider(final SocketAddress relay, final byte[] sessionId, final Context context,
        final byte[] relayKey)
    {
        if (sessionId.length != RelayCrypto.SESSION_ID_LENGTH)
        {
            throw new IllegalArgumentException("a session id is 16 bytes, got " + sessionId.length);
        }
        this.relay = relay;
        this.sessionId = sessionId.clone();
        this.context = context;
        this.relayKey = relayKey == null ? null : relayKey.clone();
    }

    /**
     * @param relay   the relay's address.
     * @param code    the transfer's code phrase; only its number is used (see the class comment).
     * @param context the relay connections' engine configuration.
     * @return the provider both sides of the transfer use.
     */
    public static RelayTransportProvider forCode(final SocketAddress relay, final CodePhrase code, final Context context)
    {
        return new RelayTransportProvider(relay, sessionIdForCode(code), context, null);
    }

    /**
     * @param code a transfer's code phrase.
     * @return its pipe session id: a keyed hash of its number only.
     */
    public static byte[] sessionIdForCode(final CodePhrase code)
    {
        final HMac mac = new HMac(new SHA256Digest());
        mac.init(new KeyParameter(TRANSFER_KEY));
        final byte[] number = ("transfer " + code.number()).getBytes(StandardCharsets.US_ASCII);
        mac.update(number, 0, number.length);
        final byte[] out = new byte[mac.getMacSize()];
        mac.doFinal(out, 0);
        return Arrays.copyOf(out, RelayCrypto.SESSION_ID_LENGTH);
    }

    private End join() throws IOException
    {
        final RelayClientConfig config = new RelayClientConfig().relay(relay).sessionId(sessionId).context(context)
            .pipe(true);
        if (relayKey != null)
        {
            config.relayKey(relayKey);
        }
        final RelayConnect connect = new RelayConnect(config);
        final dev.hayate.blocking.Clt<RelayMessage> clt = connect.run(protocols ->
            dev.hayate.blocking.Clt.connect(relay, protocols, context));
        return new End(clt.connection(), connect.protocol(),
            context.maxFrameLength() - RelayCodec.DATA_FRAME_OVERHEAD);
    }

    @Override
    public Transport connect(final SocketAddress remote, final long timeoutNanos) throws IOException
    {
        final long deadline = System.nanoTime() + Math.max(0, timeoutNanos);
        while (true)
        {
            final End end = join();
            try
            {
                if (end.awaitPeer(deadline - System.nanoTime()))
                {
                    return end.transport();
                }
            }
            catch (final IOException ex)
            {
                // The relay closed the waiting end (its idle timeout): join again while time is left.
                if (!end.connection.isClosed() || deadline - System.nanoTime() <= 0)
                {
                    throw ex;
                }
                continue;
            }
            end.connection.close();
            throw new IOException("no other end joined the relay session within " +
                TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms");
        }
    }

    @Override
    public TransportServer bind(final SocketAddress local) throws IOException
    {
        return new PipeServer(this, join());
    }

    @Override
    public String name()
    {
        return "relay";
    }

    @Override
    public String toString()
    {
        return "RelayTransportProvider(" + relay + ')';
    }

    /** A joined pipe end, before its transport is handed out. */
    private static final class End
    {
        final Connection<RelayMessage> connection;
        final ClientProtocol protocol;
        final int maxChunk;
        boolean paired;

        End(final Connection<RelayMessage> connection, final ClientProtocol protocol, final int maxChunk)
        {
            this.connection = connection;
            this.protocol = protocol;
            this.maxChunk = maxChunk;
        }

        // Before pairing only control frames can arrive (the relay reads neither end until both are there).
        boolean awaitPeer(final long timeoutNanos) throws IOException
        {
            final long deadline = System.nanoTime() + Math.max(0, timeoutNanos);
            while (!paired)
            {
                final RelayMessage m = connection.tryRecv();
                if (m != null)
                {
                    if (m.type != RelayMessage.Type.CONTROL)
                    {
                        throw new IOException("unexpected " + m + " before the other end joined");
                    }
                    try
                    {
                        final Control control = protocol.openControl(m);
                        paired = control != null && control.type() == Control.PRODUCER_JOINED;
                    }
                    catch (final ChunkIntegrityException ex)
                    {
                        throw new IOException("a control frame from the relay was tampered with", ex);
                    }
                    continue;
                }
                if (connection.isClosed())
                {
                    throw new IOException("the relay closed the pipe: " + connection.closeDetail());
                }
                final long left = deadline - System.nanoTime();
                if (left <= 0)
                {
                    return false;
                }
                connection.transport().awaitReadable(Math.min(left, WAIT_SLICE_NANOS));
            }
            return true;
        }

        Transport transport()
        {
            return new RelayPipeTransport(connection, protocol, maxChunk);
        }
    }

    /** Accepts once: the other end of the pipe. */
    private static final class PipeServer implements TransportServer
    {
        private final RelayTransportProvider provider;
        private volatile End end;
        private boolean handedOut;
        private volatile boolean open = true;

        PipeServer(final RelayTransportProvider provider, final End end)
        {
            this.provider = provider;
            this.end = end;
        }

        // Waits for the other end; if the relay closed this one for waiting too long, joins again (once per call).
        private boolean awaitPeer(final long timeoutNanos) throws IOException
        {
            final End waiting = end;
            try
            {
                return waiting.paired || waiting.awaitPeer(timeoutNanos);
            }
            catch (final IOException ex)
            {
                if (!open || !waiting.connection.isClosed())
                {
                    throw ex;
                }
                final End again = provider.join();
                end = again;
                if (!open)
                {
                    // Closed while joining: the new end is nobody's to close but ours.
                    again.connection.close();
                    throw new IOException("closed");
                }
                return false;
            }
        }

        @Override
        public Transport accept() throws IOException
        {
            if (handedOut || !awaitPeer(0))
            {
                return null;
            }
            handedOut = true;
            return end.transport();
        }

        @Override
        public boolean awaitAcceptable(final long timeoutNanos) throws IOException
        {
            if (!open)
            {
                throw new IOException("closed");
            }
            if (handedOut)
            {
                if (timeoutNanos > 0)
                {
                    java.util.concurrent.locks.LockSupport.parkNanos(timeoutNanos);
                }
                return false;
            }
            return awaitPeer(timeoutNanos);
        }

        @Override
        public IoPoller.Registration register(final IoPoller poller, final Object attachment) throws IOException
        {
            throw new IOException("a relay pipe serves the waiting faces only (blocking, nonblocking)");
        }

        @Override
        public SocketAddress localAddress()
        {
            return end.connection.transport().localAddress();
        }

        @Override
        public boolean isOpen()
        {
            return open;
        }

        @Override
        public void close()
        {
            open = false;
            if (!handedOut)
            {
                end.connection.close();
            }
        }
    }
}
