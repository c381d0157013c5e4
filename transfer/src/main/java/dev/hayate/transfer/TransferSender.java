package dev.hayate.transfer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import dev.hayate.blocking.Clt;
import dev.hayate.core.Context;
import dev.hayate.core.HandshakeException;
import dev.hayate.core.buffer.BufferPool;
import dev.hayate.core.transport.TransportProvider;
import dev.hayate.transfer.crypto.ChecksumAlgorithm;
import dev.hayate.transfer.crypto.ChunkCompressor;
import dev.hayate.transfer.crypto.ChunkHasher;
import dev.hayate.transfer.crypto.CipherSuite;
import dev.hayate.transfer.crypto.CipherWarmup;
import dev.hayate.transfer.crypto.CodePhrase;
import dev.hayate.transfer.crypto.FileChecksum;
import dev.hayate.transfer.files.Manifest;
import dev.hayate.transfer.files.ManifestEntry;
import dev.hayate.transfer.files.SafePaths;
import dev.hayate.transfer.files.SourceFile;
import dev.hayate.transfer.crypto.ChunkFlags;
import dev.hayate.transfer.wire.Kind;
import dev.hayate.transfer.wire.TransferMessage;
import dev.hayate.transfer.wire.TransferCodec;

/**
 * Sends files and folders to a {@link TransferReceiver}: scans the paths into a manifest, dials the receiver (or,
 * with {@link Builder#listen}, waits for it to dial), pairs on the code phrase, offers the manifest, and streams every file the receiver accepted, sealed chunk by
 * chunk, resuming where the receiver already has a verified prefix.
 *
 * <pre>
 *   reader thread: read chunk ─ hash ─ LZ4 (when it pays) ─▶ [bounded queue] ─▶ caller's thread: seal into the
 *                                                                              frame ─ write
 *   control thread: waits for the receiver's error, cancel or final confirmation
 * </pre>
 *
 * Memory in flight: {@code pipelineDepth} slots of two chunk buffers each (8 MiB at the defaults) plus the
 * connection's send and receive buffers (one frame each), all from the shared {@link BufferPool}.
 *
 * <p>Thread-safety: configuration is immutable; one {@link #send} at a time per instance; {@link #cancel()} may
 * be called from any thread.
 */
public final class TransferSender
{
    private final SocketAddress to;
    private final SocketAddress listen;
    private final ListenHook hook;
    private final CodePhrase code;
    private final TransportProvider transport;
    private final Negotiated proposal;
    private final long bandwidthLimit;
    private final TransferListener listener;
    private final Duration connectTimeout;
    private final Duration consentTimeout;
    private final Duration idleTimeout;
    private final int pipelineDepth;
    private final BufferPool pool;
    private final CountDownLatch bound = new CountDownLatch(1);
    private volatile SocketAddress boundAddress;
    private volatile boolean cancelled;
    /** Closes the announcement of a listening send in the background (see {@link #awaitUnannounced}). */
    private volatile Thread unannouncing;

    private TransferSender(final Builder b)
    {
        this.to = b.to;
        this.listen = b.listen;
        this.hook = b.hook;
        if ((to == null) == (listen == null))
        {
            throw new IllegalArgumentException("give either the receiver's address or an address to listen on");
        }
        this.code = Objects.requireNonNull(b.code, "code");
        this.transport = b.transport;
        this.proposal = new Negotiated(b.cipher, b.checksum, b.compress, b.resume, b.chunkSize);
        this.bandwidthLimit = b.bandwidthLimit;
        this.listener = SerialListener.of(b.listener);
        this.connectTimeout = b.connectTimeout;
        this.consentTimeout = b.consentTimeout;
        this.idleTimeout = b.idleTimeout;
        this.pipelineDepth = b.pipelineDepth;
        this.pool = b.pool;
    }

    /** @return a builder with the defaults: TCP, AES-256-GCM, XXH64, compression and resume on, no limit. */
    public static Builder builder()
    {
        return new Builder();
    }

    /**
     * Sends, blocking until the receiver confirms every file or the transfer fails.
     *
     * @param paths files and directories; a directory is sent as a tree under its own name.
     * @return what was sent.
     * @throws TransferException with the class of failure; the receiver keeps nothing half-written.
     */
    public TransferResult send(final List<Path> paths) throws TransferException
    {
        final Manifest manifest;
        try
        {
            manifest = Manifest.scan(paths);
        }
        catch (final IOException ex)
        {
            throw failed(new TransferException(Failure.IO, "cannot read what to send: " + ex.getMessage(), false,
                ex));
        }
        return send(manifest);
    }

    /**
     * Sends what {@link Manifest#scan} found, for a caller that looked at it first (to refuse an empty or
     * colliding set of paths before a code is shown); the files are read as they are now, and one that changed
     * since the scan fails the transfer by name.
     *
     * @param manifest from {@link Manifest#scan}, which knows each entry's source file.
     * @return what was sent.
     * @throws TransferException with the class of failure; the receiver keeps nothing half-written.
     * @throws IllegalStateException if the manifest was decoded or built rather than scanned (it has no sources).
     */
    public TransferResult send(final Manifest manifest) throws TransferException
    {
        if (manifest.size() > 0)
        {
            manifest.source(0);     // throws at once for a manifest with no source files, not on the reader thread
        }
        cancelled = false;
        try
        {
            return new Run().run(manifest);
        }
        catch (final TransferException ex)
        {
            throw failed(ex);
        }
        finally
        {
            bound.countDown();
        }
    }

    /** Tells the listener how the send ended and releases whoever waits for the bound address. */
    private TransferException failed(final TransferException ex)
    {
        listener.onStage(Stage.FAILED, ex.getMessage());
        listener.onFailed(ex);
        bound.countDown();
        return ex;
    }

    /**
     * Waits until a listening sender ({@link Builder#listen}) is bound and returns its address, the one to
     * announce or give to the receiver.
     *
     * @param timeout longest wait.
     * @return the address, or null if it is not listening, failed before binding, or time ran out.
     * @throws InterruptedException if interrupted.
     */
    public SocketAddress awaitBound(final Duration timeout) throws InterruptedException
    {
        bound.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
        return boundAddress;
    }

    /**
     * Waits until the announcement of a listening send ({@link Builder#onListening}) is closed. The send closes it
     * once a receiver has paired, on a thread of its own (LAN discovery's mDNS goodbyes take up to two seconds), and
     * does not wait for it; a process that exits right after a short send calls this first, so that the goodbyes go
     * out and other machines stop listing the sender.
     *
     * @param timeout longest wait.
     * @return true if nothing is left to close (also when nothing was announced).
     * @throws InterruptedException if interrupted.
     */
    public boolean awaitUnannounced(final Duration timeout) throws InterruptedException
    {
        final Thread closing = unannouncing;
        if (closing == null)
        {
            return true;
        }
        closing.join(Math.max(1, timeout.toMillis()));
        return !closing.isAlive();
    }

    /**
     * Sends on a new thread. Cancelling the future cancels the transfer (the receiver is told).
     *
     * @param paths files and directories.
     * @return completes with the result, or exceptionally with a {@link TransferException}.
     */
    public CompletableFuture<TransferResult> sendAsync(final List<Path> paths)
    {
        return Background.run("hayate-transfer-send", () -> send(paths), this::cancel);
    }

    /** Cancels the running transfer from any thread: the receiver is told and keeps its part files for resume. */
    public void cancel()
    {
        cancelled = true;
    }

    private final class Run
    {
        private final long startNanos = System.nanoTime();
        private volatile TransferException readerFailure;
        private volatile TransferException peerFailure;
        private volatile boolean peerDone;

        TransferResult run(final Manifest manifest) throws TransferException
        {
            for (final String item : manifest.skipped())
            {
                listener.onSkipped(item);
            }
            if (manifest.size() == 0)
            {
                // Every path was left out (a lone symbolic link, an unreadable file): an empty "done" would read
                // as success.
                throw new TransferException(Failure.IO, "nothing to send" + (manifest.skipped().isEmpty() ? "" :
                    ": everything given was skipped"));
            }
            // Compiles the cipher's fast path while the receiver is reached and paired (see CipherWarmup).
            CipherWarmup.start(proposal.cipherSuite());
            final SecureRandom random = new SecureRandom();
            final Context context = new Context()
                .name("transfer-sender")
                .transportProvider(transport)
                .bufferPool(pool)
                .maxFrameLength(proposal.chunkSize() + TransferCodec.SEALED_OVERHEAD + 64)
                .connectTimeout(connectTimeout.toNanos(), TimeUnit.NANOSECONDS)
                .handshakeTimeout(idleTimeout.toNanos(), TimeUnit.NANOSECONDS);
            if (listen != null)
            {
                // The gate admits one connection: nobody else gets in while a receiver pairs or receives.
                return listenAndSend(manifest, context.maxConnections(1).conclude(), random);
            }
            context.conclude();
            // Says how long it keeps dialling: a receiver that is not listening yet looks like a hang otherwise.
            listener.onStage(Stage.CONNECTING, to + " (dialling until the receiver listens, up to " +
                connectTimeout.toSeconds() + " s)");
            final TransferProtocol[] paired = new TransferProtocol[1];
            final Clt<TransferMessage> clt;
            try
            {
                clt = Clt.connect(to, id -> paired[0] = new TransferProtocol(true, code, proposal, random, listener),
                    context);
            }
            catch (final HandshakeException ex)
            {
                throw pairingFailure(paired[0], ex);
            }
            catch (final IOException ex)
            {
                throw new TransferException(Failure.NETWORK, "cannot reach the receiver at " + to + ": " +
                    ex.getMessage(), false, ex);
            }
            return converse(manifest, clt);
        }

        /**
         * The receiver dials us (it found our announcement). Like a listening receiver, one failed pairing ends
         * the send: whoever dialled has had the one online guess this code allows.
         */
        private TransferResult listenAndSend(final Manifest manifest, final Context context, final SecureRandom random)
            throws TransferException
        {
            try (Rendezvous listening = Rendezvous.listen(listen, context,
                () -> new TransferProtocol(true, code, proposal, random, listener)))
            {
                boundAddress = listening.address();
                bound.countDown();
                listener.onStage(Stage.CONNECTING, "listening on " + boundAddress);
                final AutoCloseable announced;
                try
                {
                    announced = hook.onListening((InetSocketAddress)boundAddress);
                }
                catch (final IOException ex)
                {
                    throw new TransferException(Failure.NETWORK, "cannot announce the sender: " + ex.getMessage(),
                        false, ex);
                }
                final Clt<TransferMessage> clt;
                try
                {
                    clt = listening.acceptOne(connectTimeout.toNanos(), () -> cancelled, "receiver");
                }
                finally
                {
                    // Not waited for: the mDNS goodbyes take up to two seconds, and the receiver is waiting.
                    unannouncing = Background.close("hayate-unannounce", announced);
                }
                return converse(manifest, clt);
            }
        }

        private TransferResult converse(final Manifest manifest, final Clt<TransferMessage> clt)
            throws TransferException
        {
            return SealedLink.converse(clt, () -> cancelled, "the receiver", (link, negotiated) -> transfer(manifest,
                link));
        }

        private TransferResult transfer(final Manifest manifest, final SealedLink link) throws TransferException
        {
            listener.onStage(Stage.OFFER, Stage.offerDetail(manifest.fileCount(), manifest.totalBytes()) +
                "; waiting for the receiver's answer");
            link.sendBlob(Kind.OFFER, manifest.encode());
            final Consent consent = Consent.decode(link.recvBlob(Kind.CONSENT, Consent.maxBytes(manifest.size()),
                consentTimeout.toNanos()), manifest, proposal.chunkSize());
            if (!consent.accepted())
            {
                throw new TransferException(Failure.REJECTED, "the receiver declined: " +
                    SafePaths.printable(consent.reason()), true,
                    null);
            }
            listener.onStage(Stage.TRANSFERRING, "");

            final BlockingQueue<ChunkSlot> free = new ArrayBlockingQueue<>(pipelineDepth);
            final BlockingQueue<ChunkSlot> ready = new ArrayBlockingQueue<>(pipelineDepth + 1);
            final List<ChunkSlot> slots = new ArrayList<>();
            final byte[][] checksums = new byte[manifest.size()][];
            Thread reader = null;
            Thread control = null;
            try
            {
                for (int i = 0; i < pipelineDepth; i++)
                {
                    final ChunkSlot slot = new ChunkSlot(pool, proposal.chunkSize(), TimeUnit.SECONDS.toNanos(5));
                    slots.add(slot);
                    free.add(slot);
                }
                reader = new Thread(() -> readAll(manifest, consent, free, ready, checksums),
                    "hayate-transfer-reader");
                reader.setDaemon(true);
                reader.start();
                control = new Thread(() -> watchPeer(link), "hayate-transfer-control");
                control.setDaemon(true);
                control.start();

                final long total = manifest.totalBytes();
                long done = consent.resumedBytes(manifest, proposal.chunkSize());
                final long resumed = done;
                long paced = 0;
                final long pacingStart = System.nanoTime();
                while (true)
                {
                    final ChunkSlot slot = take(ready);
                    if (slot.type == ChunkSlot.END)
                    {
                        free.add(slot);
                        break;
                    }
                    if (slot.type == ChunkSlot.FILE_END)
                    {
                        final byte[] body = ByteBuffer.allocate(8 + slot.fileChecksum.length)
                            .putLong(slot.chunkCount).put(slot.fileChecksum).array();
                        link.sendSmall(Kind.FILE_END, slot.fileIndex, slot.chunkCount, body);
                        free.add(slot);
                        continue;
                    }
                    link.sendChunk(slot);
                    done += slot.plainLength;
                    paced += slot.payload.remaining();
                    final int fileIndex = slot.fileIndex;
                    free.add(slot);
                    listener.onProgress(done, total, fileIndex);
                    pace(pacingStart, paced);
                }
                link.sendSmall(Kind.DONE, -1, 0, new byte[0]);
                listener.onStage(Stage.VERIFYING, "");
                final long deadline = System.nanoTime() + idleTimeout.toNanos();
                while (!peerDone)
                {
                    checkFailures();
                    if (System.nanoTime() - deadline > 0)
                    {
                        throw new TransferException(Failure.TIMEOUT, "the receiver did not confirm in time");
                    }
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
                }
                checkFailures();
                final List<TransferResult.FileResult> files = new ArrayList<>();
                final List<String> directories = new ArrayList<>();
                for (int i = 0; i < manifest.size(); i++)
                {
                    final ManifestEntry entry = manifest.entry(i);
                    if (entry.isFile())
                    {
                        files.add(new TransferResult.FileResult(entry.path(), manifest.source(i), entry.size(),
                            ChecksumAlgorithm.toHex(checksums[i]), consent.resumeBytes(i, entry, proposal.chunkSize())));
                    }
                    else
                    {
                        directories.add(entry.path());
                    }
                }
                listener.onStage(Stage.DONE, "");
                return new TransferResult(List.copyOf(files), List.copyOf(directories), total, resumed,
                    link.bytesOnWire(), Duration.ofNanos(System.nanoTime() - startNanos), proposal);
            }
            finally
            {
                cancelled = cancelled || peerFailure != null || readerFailure != null || !peerDone;
                stop(reader);
                stop(control);
                for (final ChunkSlot slot : slots)
                {
                    slot.close();
                }
            }
        }

        private ChunkSlot take(final BlockingQueue<ChunkSlot> ready) throws TransferException
        {
            while (true)
            {
                checkFailures();
                try
                {
                    final ChunkSlot slot = ready.poll(100, TimeUnit.MILLISECONDS);
                    if (slot != null)
                    {
                        return slot;
                    }
                }
                catch (final InterruptedException ex)
                {
                    Thread.currentThread().interrupt();
                    throw new TransferException(Failure.CANCELLED, "interrupted");
                }
            }
        }

        private void checkFailures() throws TransferException
        {
            if (peerFailure != null)
            {
                throw peerFailure;
            }
            if (readerFailure != null)
            {
                throw readerFailure;
            }
            if (cancelled)
            {
                throw new TransferException(Failure.CANCELLED, "cancelled");
            }
        }

        private void pace(final long startNanos, final long bytes)
        {
            if (bandwidthLimit <= 0)
            {
                return;
            }
            final long due = startNanos + (long)(bytes * 1e9 / bandwidthLimit);
            long wait;
            while ((wait = due - System.nanoTime()) > 0 && !cancelled)
            {
                LockSupport.parkNanos(Math.min(wait, TimeUnit.MILLISECONDS.toNanos(100)));
            }
        }

        private void watchPeer(final SealedLink link)
        {
            try
            {
                while (!cancelled)
                {
                    final TransferMessage m = link.recv(TimeUnit.MILLISECONDS.toNanos(200));
                    if (m == null)
                    {
                        continue;
                    }
                    if (m.kind() == Kind.DONE)
                    {
                        if (link.openSmall(m) == null)
                        {
                            continue;
                        }
                        peerDone = true;
                        return;
                    }
                    throw new TransferException(Failure.PROTOCOL, "unexpected " + m + " from the receiver");
                }
            }
            catch (final TransferException ex)
            {
                if (!cancelled)
                {
                    peerFailure = ex;
                }
            }
        }

        private void readAll(final Manifest manifest, final Consent consent, final BlockingQueue<ChunkSlot> free,
            final BlockingQueue<ChunkSlot> ready, final byte[][] checksums)
        {
            final ChecksumAlgorithm algorithm = proposal.checksum();
            final ChunkHasher hasher = algorithm.newChunkHasher();
            final byte[] digest = new byte[algorithm.digestLength()];
            final int chunkSize = proposal.chunkSize();
            final ChunkCompressor compressor = proposal.compress() ? new ChunkCompressor() : null;
            try
            {
                for (int i = 0; i < manifest.size() && !cancelled; i++)
                {
                    final ManifestEntry entry = manifest.entry(i);
                    if (!entry.isFile())
                    {
                        continue;
                    }
                    final long chunks = entry.chunkCount(chunkSize);
                    final long first = consent.resumeChunks(i);
                    final FileChecksum fileChecksum = algorithm.newFileChecksum();
                    final ChunkCompressor.FileState compression = compressor == null ? null :
                        compressor.newFileState(entry.path());
                    try (SourceFile source = new SourceFile(manifest.source(i), entry))
                    {
                        for (long c = 0; c < chunks && !cancelled; c++)
                        {
                            final ChunkSlot slot = free.take().chunk(i, c);
                            final int length = (int)Math.min(chunkSize, entry.size() - c * chunkSize);
                            slot.plain.clear().limit(length);
                            final int n = source.read(slot.plain, c * chunkSize);
                            if (n != length)
                            {
                                throw new TransferException(Failure.IO, "'" + SafePaths.printable(entry.path()) + "'" +
                                    " changed while being sent (expected " + length + " bytes at offset " +
                                    c * chunkSize + ", read " + n + ")");
                            }
                            slot.plain.flip();
                            hasher.digest(slot.plain, digest, 0);
                            fileChecksum.addChunkDigest(digest, 0);
                            if (c < first)
                            {
                                // Already at the receiver: hashed for the file checksum, not sent.
                                free.add(slot);
                                continue;
                            }
                            slot.plainLength = length;
                            slot.flags = c == chunks - 1 ? ChunkFlags.LAST : 0;
                            slot.payload = slot.plain;
                            if (compression != null)
                            {
                                slot.other.clear();
                                final int packed = compressor.compress(compression, slot.plain, slot.other);
                                if (packed > 0)
                                {
                                    slot.other.limit(packed).position(0);
                                    slot.payload = slot.other;
                                    slot.flags |= ChunkFlags.COMPRESSED;
                                }
                            }
                            ready.put(slot);
                        }
                        source.checkUnchanged();
                    }
                    checksums[i] = fileChecksum.finish();
                    ready.put(free.take().fileEnd(i, chunks, checksums[i]));
                }
                ready.put(free.take().end());
            }
            catch (final TransferException ex)
            {
                readerFailure = ex;
            }
            catch (final IOException ex)
            {
                readerFailure = new TransferException(Failure.IO, ex.getMessage(), false, ex);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
            catch (final RuntimeException ex)
            {
                readerFailure = new TransferException(Failure.IO, "reading failed: " + ex, false, ex);
            }
        }
    }

    static TransferException pairingFailure(final TransferProtocol protocol, final IOException ex)
    {
        final Exception cause = protocol == null ? null : protocol.failure();
        if (cause instanceof TransferException te)
        {
            return te;
        }
        for (Throwable t = ex; t != null; t = t.getCause())
        {
            if (t instanceof TransferException te)
            {
                return te;
            }
        }
        return new TransferException(Failure.NETWORK, "pairing failed: " + ex.getMessage(), false, ex);
    }

    static void stop(final Thread thread)
    {
        if (thread == null)
        {
            return;
        }
        thread.interrupt();
        try
        {
            thread.join(TimeUnit.SECONDS.toMillis(10));
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Configures a {@link TransferSender}.
     *
     * <p>Thread-safety: none; build on one thread.
     */
    public static final class Builder extends TransferBuilder<Builder>
    {
        private SocketAddress to;
        private SocketAddress listen;
        private ListenHook hook = bound -> () -> { };
        private CipherSuite cipher = CipherSuite.AES_256_GCM;
        private ChecksumAlgorithm checksum = ChecksumAlgorithm.XXH64;
        private boolean compress = true;
        private int chunkSize = Negotiated.DEFAULT_CHUNK_SIZE;
        private long bandwidthLimit;
        private Duration connectTimeout = Duration.ofSeconds(30);
        private Duration consentTimeout = Duration.ofMinutes(10);

        private Builder()
        {
        }

        /** @param address the receiver's listening address. @return this. */
        public Builder to(final SocketAddress address)
        {
            this.to = address;
            this.listen = null;
            return this;
        }

        /**
         * Listens instead of dialling: the receiver dials this sender (after finding its LAN announcement, or
         * being given {@link TransferSender#awaitBound the bound address}). The connect timeout bounds the wait;
         * the first failed pairing ends the send.
         *
         * @param address where to listen (port 0 for an ephemeral port).
         * @return this.
         */
        public Builder listen(final SocketAddress address)
        {
            this.listen = Objects.requireNonNull(address);
            this.to = null;
            return this;
        }

        /**
         * @param onListening told the bound address of a listening sender (to announce it); its handle is closed
         *                    once a receiver paired or the send ended.
         * @return this.
         */
        public Builder onListening(final ListenHook onListening)
        {
            this.hook = Objects.requireNonNull(onListening);
            return this;
        }

        /** @param suite the AEAD. @return this. */
        public Builder cipher(final CipherSuite suite)
        {
            this.cipher = Objects.requireNonNull(suite);
            return this;
        }

        /** @param algorithm the whole-file checksum. @return this. */
        public Builder checksum(final ChecksumAlgorithm algorithm)
        {
            this.checksum = Objects.requireNonNull(algorithm);
            return this;
        }

        /** @param on LZ4 per chunk where it pays. @return this. */
        public Builder compress(final boolean on)
        {
            this.compress = on;
            return this;
        }

        /** @param bytes plaintext bytes per chunk. @return this. */
        public Builder chunkSize(final int bytes)
        {
            if (bytes < Negotiated.MIN_CHUNK_SIZE || bytes > Negotiated.MAX_CHUNK_SIZE)
            {
                throw new IllegalArgumentException("chunk size " + bytes + " outside " + Negotiated.MIN_CHUNK_SIZE +
                    ".." + Negotiated.MAX_CHUNK_SIZE);
            }
            this.chunkSize = bytes;
            return this;
        }

        /**
         * @param bytesPerSecond bytes per second on the wire, counted after compression (text that shrinks 4x
         *                       moves about 4x as much file content); 0 for no limit.
         * @return this.
         */
        public Builder bandwidthLimit(final long bytesPerSecond)
        {
            if (bytesPerSecond < 0)
            {
                throw new IllegalArgumentException("bandwidth limit " + bytesPerSecond + " < 0");
            }
            this.bandwidthLimit = bytesPerSecond;
            return this;
        }

        /** @param timeout to connect and pair. @return this. */
        public Builder connectTimeout(final Duration timeout)
        {
            this.connectTimeout = TransferBuilder.positive(timeout, "connect timeout");
            return this;
        }

        /** @param timeout how long the receiver's user may take to answer the offer. @return this. */
        public Builder consentTimeout(final Duration timeout)
        {
            this.consentTimeout = TransferBuilder.positive(timeout, "consent timeout");
            return this;
        }

        /**
         * @return the sender.
         * @throws NullPointerException if the code is missing.
         * @throws IllegalArgumentException unless exactly one of {@link #to} and {@link #listen} was given.
         */
        public TransferSender build()
        {
            return new TransferSender(this);
        }
    }
}
