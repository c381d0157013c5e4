package dev.hayate.transfer;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import dev.hayate.blocking.Clt;
import dev.hayate.blocking.CltRecver;
import dev.hayate.blocking.CltSender;
import dev.hayate.core.Status;
import dev.hayate.transfer.crypto.ChunkIntegrityException;
import dev.hayate.transfer.crypto.ChunkOpener;
import dev.hayate.transfer.wire.ByteBufferViews;
import dev.hayate.transfer.crypto.ChunkFlags;
import dev.hayate.transfer.files.SafePaths;
import dev.hayate.transfer.wire.Kind;
import dev.hayate.transfer.wire.TransferMessage;

/**
 * The sealed phase of one connection, shared by the sender and the receiver: sending sealed messages (a
 * multi-part blob such as the manifest, a small control message, a chunk), and receiving and opening them. A
 * sealed error or cancel from the peer surfaces as a {@link TransferException} wherever it arrives.
 *
 * <p>Thread-safety: the send methods belong to one thread and the receive methods to one (possibly other)
 * thread, like the split halves they wrap.
 */
final class SealedLink implements AutoCloseable
{
    /** How long the side that spoke last waits for the peer to hang up (see {@link #awaitPeerClose}). */
    static final long LAST_WORD_NANOS = TimeUnit.SECONDS.toNanos(2);
    /** How long one receive waits before looking at the cancel flag again. */
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final int MAX_ERROR_BYTES = 1024;

    private final CltSender<TransferMessage> out;
    private final CltRecver<TransferMessage> in;
    private final ChunkOpener opener;
    private final int chunkSize;
    private final BooleanSupplier cancelled;
    /** "the sender" or "the receiver": how the peer's errors are named to the user. */
    private final String peer;
    private final TransferMessage outgoing = new TransferMessage();
    private final ByteBufferViews receiveViews = new ByteBufferViews();
    private final ByteBuffer controlPlain;
    private long bytesOnWire;

    SealedLink(final CltSender<TransferMessage> out, final CltRecver<TransferMessage> in, final ChunkOpener opener,
        final int chunkSize, final BooleanSupplier cancelled, final String peer)
    {
        this.peer = peer;
        this.out = out;
        this.in = in;
        this.opener = opener;
        this.chunkSize = chunkSize;
        this.cancelled = cancelled;
        this.controlPlain = ByteBuffer.allocateDirect(chunkSize);
    }

    /** What one side does once paired, over the sealed link. */
    @FunctionalInterface
    interface Conversation
    {
        TransferResult run(SealedLink link, Negotiated negotiated) throws TransferException;
    }

    /**
     * Runs one side's conversation over a paired connection: a failure of this side is told to the peer, which is
     * given {@link #LAST_WORD_NANOS} to hang up (a failure the peer reported is not echoed back), and the session's
     * keys are destroyed however it ends.
     *
     * @param clt          the paired connection; closed on return.
     * @param cancelled    read while waiting for the peer.
     * @param peer         "the sender" or "the receiver", for the messages.
     * @param conversation this side's part.
     * @return what the conversation returns.
     * @throws TransferException what the conversation throws.
     */
    static TransferResult converse(final Clt<TransferMessage> clt, final BooleanSupplier cancelled, final String peer,
        final Conversation conversation) throws TransferException
    {
        final TransferProtocol protocol = (TransferProtocol)clt.connection().protocol();
        final Negotiated negotiated = protocol.negotiated();
        final Clt.Halves<TransferMessage> halves = clt.split();
        try (SealedLink link = new SealedLink(halves.sender(), halves.recver(), protocol.opener(),
            negotiated.chunkSize(), cancelled, peer))
        {
            try
            {
                return conversation.run(link, negotiated);
            }
            catch (final TransferException ex)
            {
                if (!ex.fromPeer())
                {
                    link.sendFailure(ex);
                    link.awaitPeerClose(LAST_WORD_NANOS);
                }
                throw ex;
            }
            finally
            {
                protocol.destroyKeys();
            }
        }
    }

    // ---------------------------------------------------------------- send side

    /**
     * Sends {@code blob} as parts of at most one chunk each, the last flagged {@link Flags#LAST}.
     */
    void sendBlob(final byte kind, final byte[] blob) throws TransferException
    {
        final ByteBuffer whole = ByteBuffer.wrap(blob);
        long part = 0;
        int at = 0;
        do
        {
            final int length = Math.min(chunkSize, blob.length - at);
            final boolean last = at + length == blob.length;
            whole.limit(at + length).position(at);
            send(outgoing.sealed(kind, last ? ChunkFlags.LAST : 0, -1, part++, length, whole));
            at += length;
        }
        while (at < blob.length);
    }

    /** Sends one small sealed message. */
    void sendSmall(final byte kind, final int fileIndex, final long index, final byte[] body) throws TransferException
    {
        final ByteBuffer plain = ByteBuffer.wrap(body);
        send(outgoing.sealed(kind, ChunkFlags.LAST, fileIndex, index, body.length, plain));
    }

    /** Sends one chunk of file content from the slot. */
    void sendChunk(final ChunkSlot slot) throws TransferException
    {
        send(outgoing.sealed(Kind.CHUNK, slot.flags, slot.fileIndex, slot.chunkIndex, slot.plainLength,
            slot.payload));
        bytesOnWire += slot.payload.remaining() + 64;
    }

    /** Tells the peer why this side stops; best effort, never throws. */
    void sendFailure(final TransferException failure)
    {
        try
        {
            final byte kind = failure.failure() == Failure.CANCELLED ? Kind.CANCEL : Kind.ERROR;
            sendSmall(kind, -1, 0, errorBody(failure.failure(), failure.getMessage()));
        }
        catch (final RuntimeException | TransferException ignored)
        {
            // The peer may be gone already; the local failure is what the caller reports.
        }
    }

    private void send(final TransferMessage message) throws TransferException
    {
        final Status status = out.send(message);
        if (status != Status.OK)
        {
            throw new TransferException(Failure.NETWORK, "connection lost while sending (" + status + ": " +
                in.closeDetail() + ")");
        }
    }

    long bytesOnWire()
    {
        return bytesOnWire;
    }

    // ---------------------------------------------------------------- receive side

    /**
     * Receives the next sealed message, waiting up to {@code timeoutNanos} (checking the cancel flag every 100
     * ms). Errors and cancels from the peer are opened and thrown.
     *
     * @return the message (valid until the next receive), or null on timeout.
     */
    TransferMessage recv(final long timeoutNanos) throws TransferException
    {
        final long deadline = System.nanoTime() + timeoutNanos;
        while (true)
        {
            if (cancelled.getAsBoolean())
            {
                throw new TransferException(Failure.CANCELLED, "cancelled");
            }
            final long left = deadline - System.nanoTime();
            if (left <= 0)
            {
                return null;
            }
            final TransferMessage m = in.recv(Math.min(left, POLL_NANOS), TimeUnit.NANOSECONDS);
            if (m == null)
            {
                if (in.isClosed())
                {
                    throw new TransferException(Failure.NETWORK, peer + " went away (" + in.closeReason() +
                        (in.closeDetail() == null ? "" : ": " + in.closeDetail()) + ")");
                }
                continue;
            }
            if (m.type() != TransferMessage.Type.SEALED)
            {
                throw new TransferException(Failure.PROTOCOL, "unexpected " + m + " after pairing");
            }
            if (m.kind() == Kind.ERROR || m.kind() == Kind.CANCEL)
            {
                throw peerFailure(m);
            }
            return m;
        }
    }

    /**
     * Authenticates and decrypts a received sealed message into {@code plain} at its position.
     *
     * @return the plaintext length ({@code plain}'s position is unchanged), or {@link ChunkOpener#GAP} for an
     * authentic frame ahead of its turn: nothing delivered, and the next frame opened names the violation.
     */
    int open(final TransferMessage m, final ByteBuffer plain) throws TransferException
    {
        final int plainBytes = m.bodyLength() - 16;
        if (plainBytes > plain.remaining())
        {
            throw new TransferException(Failure.INTEGRITY, Kind.name(m.kind()) + " of " + plainBytes +
                " bytes exceeds the " + plain.remaining() + " bytes allowed");
        }
        // Open in place in the receive buffer (the frame is ours until the next receive), then copy the plaintext
        // out: cheaper than the heap copy the JDK's GCM makes between two slices of one pool slab.
        final ByteBuffer sealed = receiveViews.window(m.bodyBuffer(), m.bodyOffset(), m.bodyLength());
        final ByteBuffer inPlace = receiveViews.twin();
        final int at = sealed.position();
        try
        {
            final int n = opener.open(m.sequence(), m.kind(), m.fileIndex(), m.chunkIndex(), m.flags(), sealed, inPlace);
            if (n > 0)
            {
                plain.put(plain.position(), inPlace, at, n);
            }
            return n;
        }
        catch (final ChunkIntegrityException ex)
        {
            throw new TransferException(Failure.INTEGRITY, ex.getMessage(), false, ex);
        }
    }

    /**
     * Receives a multi-part blob of {@code kind} (parts 0, 1, ... up to the one flagged LAST).
     */
    byte[] recvBlob(final byte kind, final int maxBytes, final long timeoutNanos) throws TransferException
    {
        final ByteArrayOutputStream blob = new ByteArrayOutputStream();
        long part = 0;
        while (true)
        {
            final TransferMessage m = recv(timeoutNanos);
            if (m == null)
            {
                throw new TransferException(Failure.TIMEOUT, "no " + Kind.name(kind) + " from the peer in time");
            }
            controlPlain.clear();
            final int n = open(m, controlPlain);
            if (n == ChunkOpener.GAP)
            {
                continue;
            }
            if (m.kind() != kind || m.chunkIndex() != part)
            {
                throw new TransferException(Failure.PROTOCOL, "expected part " + part + " of the " +
                    Kind.name(kind) + ", got " + m);
            }
            final boolean last = (m.flags() & ChunkFlags.LAST) != 0;
            if (blob.size() + n > maxBytes)
            {
                throw new TransferException(Failure.PROTOCOL, "the " + Kind.name(kind) + " exceeds " + maxBytes +
                    " bytes");
            }
            final byte[] bytes = new byte[n];
            controlPlain.get(0, bytes);
            blob.write(bytes, 0, n);
            part++;
            if (last)
            {
                return blob.toByteArray();
            }
        }
    }

    /**
     * Opens a small message into a fresh array (control messages only).
     *
     * @return the plaintext, or null for a frame ahead of its turn (see {@link #open}).
     */
    byte[] openSmall(final TransferMessage m) throws TransferException
    {
        controlPlain.clear();
        final int n = open(m, controlPlain);
        if (n == ChunkOpener.GAP)
        {
            return null;
        }
        final byte[] bytes = new byte[n];
        controlPlain.get(0, bytes);
        return bytes;
    }

    private TransferException peerFailure(final TransferMessage m)
    {
        try
        {
            final byte[] body = openSmall(m);
            if (body == null)
            {
                return new TransferException(Failure.INTEGRITY, "an error frame arrived ahead of its turn");
            }
            final ByteBuffer b = ByteBuffer.wrap(body);
            final int code = body.length >= 2 ? b.getShort() & 0xFFFF : 0;
            final String reason = new String(body, Math.min(2, body.length), Math.max(0, body.length - 2),
                StandardCharsets.UTF_8);
            if (m.kind() == Kind.CANCEL)
            {
                // The reason of a cancel is the peer's own "cancelled": naming who did it says everything.
                return new TransferException(Failure.CANCELLED, peer + " cancelled", true, null);
            }
            // The peer's own words: escaped, so they cannot drive the terminal they are printed on.
            return new TransferException(Failure.ofWireCode(code), peer + " stopped: " + SafePaths.printable(reason),
                true, null);
        }
        catch (final TransferException ex)
        {
            return ex;
        }
    }

    static byte[] errorBody(final Failure failure, final String reason)
    {
        String text = reason == null ? failure.name() : reason;
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        if (utf8.length > MAX_ERROR_BYTES)
        {
            text = text.substring(0, MAX_ERROR_BYTES / 4);
            utf8 = text.getBytes(StandardCharsets.UTF_8);
        }
        return ByteBuffer.allocate(2 + utf8.length).putShort((short)failure.wireCode()).put(utf8).array();
    }

    /**
     * After this side sent its last message (done, an error, a refusal): waits, bounded, for the peer to hang up
     * first. Closing at once can discard that last message on transports that drop unsent data on close (a QUIC
     * endpoint does), and the peer would see a bare disconnect instead of the reason.
     *
     * @param timeoutNanos longest wait.
     */
    void awaitPeerClose(final long timeoutNanos)
    {
        final long deadline = System.nanoTime() + timeoutNanos;
        long left;
        while (!in.isClosed() && (left = deadline - System.nanoTime()) > 0)
        {
            in.recv(Math.min(left, POLL_NANOS), TimeUnit.NANOSECONDS);
        }
    }

    /** @return the opener, for the receiver's file-position checks. */
    ChunkOpener opener()
    {
        return opener;
    }

    /** Maps an integrity violation found outside {@link #open}. */
    static TransferException integrity(final ChunkIntegrityException ex)
    {
        return new TransferException(Failure.INTEGRITY, ex.getMessage(), false, ex);
    }

    @Override
    public void close()
    {
        out.close();
        in.close();
    }
}
