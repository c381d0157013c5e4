package dev.hayate.transfer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.hayate.blocking.Clt;
import dev.hayate.core.Context;
import dev.hayate.core.buffer.BufferPool;
import dev.hayate.core.transport.TransportProvider;
import dev.hayate.transfer.crypto.ChecksumAlgorithm;
import dev.hayate.transfer.crypto.ChunkIntegrityException;
import dev.hayate.transfer.crypto.ChunkOpener;
import dev.hayate.transfer.crypto.ChunkDecompressor;
import dev.hayate.transfer.crypto.CipherSuite;
import dev.hayate.transfer.crypto.CipherWarmup;
import dev.hayate.transfer.crypto.ChunkHasher;
import dev.hayate.transfer.crypto.CodePhrase;
import dev.hayate.transfer.crypto.FileChecksum;
import dev.hayate.transfer.files.IncomingFile;
import dev.hayate.transfer.files.Manifest;
import dev.hayate.transfer.files.ManifestEntry;
import dev.hayate.transfer.files.ManifestException;
import dev.hayate.transfer.files.OverwritePolicy;
import dev.hayate.transfer.files.Plan;
import dev.hayate.transfer.files.ReceiveFolder;
import dev.hayate.transfer.files.SafePaths;
import dev.hayate.transfer.crypto.ChunkFlags;
import dev.hayate.transfer.wire.Kind;
import dev.hayate.transfer.wire.TransferCodec;
import dev.hayate.transfer.wire.TransferMessage;

/**
 * Receives files and folders from a {@link TransferSender}: listens, pairs on the code phrase (one attempt: a
 * wrong code ends the receive, so nobody can guess online) — or, with {@link Builder#dial}, dials the senders a
 * {@link SenderSource} finds, skipping any that fail to pair, until one pairs — validates the offered manifest,
 * asks for consent, then writes each file to a part file beside its target and moves it into place only when its whole-file
 * checksum matches the sender's.
 *
 * <pre>
 *   caller's thread: receive frame ─ check its place ─ open (AEAD) into a pooled buffer ─▶ [bounded queue]
 *   writer thread:   LZ4 decompress ─ hash ─ write at the next offset of the part file ─ verify ─ move into place
 * </pre>
 *
 * Memory in flight: {@code pipelineDepth} slots of two chunk buffers each plus the connection's two frame
 * buffers, all from the shared {@link BufferPool}. Nothing is sized from a length the peer sends: the manifest's
 * sizes are bounded by the frame length of each chunk.
 *
 * <p>Thread-safety: configuration is immutable; one {@link #receive} at a time per instance; {@link #cancel()}
 * may be called from any thread.
 */
public final class TransferReceiver
{
    private static final int MAX_MANIFEST_BYTES = 64 << 20;
    /** A dialling receiver gives up after this many senders failed to pair with its code. */
    static final int MAX_WRONG_SENDERS = 16;
    /** How much longer a dialling receiver looks after a sender answered with other words. */
    private static final long WRONG_CODE_GRACE_NANOS = TimeUnit.SECONDS.toNanos(15);
    /** How long a dialling receiver tries one candidate before it moves on to the next. */
    private static final long DIAL_TIMEOUT_SECONDS = 10;

    private final SocketAddress listen;
    private final SenderSource source;
    private final CodePhrase code;
    private final TransportProvider transport;
    private final Path outputDir;
    private final OverwritePolicy policy;
    private final boolean resume;
    private final int maxChunkSize;
    private final TransferListener listener;
    private final Duration acceptTimeout;
    private final Duration idleTimeout;
    private final int pipelineDepth;
    private final BufferPool pool;
    private final Manifest.Limits limits;
    private final CountDownLatch bound = new CountDownLatch(1);
    private volatile SocketAddress boundAddress;
    private volatile boolean cancelled;

    private TransferReceiver(final Builder b)
    {
        this.listen = b.listen;
        this.source = b.source;
        if ((listen == null) == (source == null))
        {
            throw new IllegalArgumentException("give either an address to listen on or senders to dial");
        }
        this.code = Objects.requireNonNull(b.code, "code");
        this.transport = b.transport;
        this.outputDir = Objects.requireNonNull(b.outputDir, "output folder");
        this.policy = b.policy;
        this.resume = b.resume;
        this.maxChunkSize = b.maxChunkSize;
        this.listener = SerialListener.of(b.listener);
        this.acceptTimeout = b.acceptTimeout;
        this.idleTimeout = b.idleTimeout;
        this.pipelineDepth = b.pipelineDepth;
        this.pool = b.pool;
        this.limits = b.limits;
    }

    /** @return a builder with the defaults: TCP, refuse to overwrite, resume on. */
    public static Builder builder()
    {
        return new Builder();
    }

    /**
     * Waits for a sender, pairs, asks {@code consent}, and receives.
     *
     * @param consent decides on the offer.
     * @return what was received; every file listed is in place and matched its checksum.
     * @throws TransferException with the class of failure; nothing half-written is presented as complete.
     */
    public TransferResult receive(final ConsentCallback consent) throws TransferException
    {
        cancelled = false;
        try
        {
            return new Run().run(consent);
        }
        catch (final TransferException ex)
        {
            listener.onStage(Stage.FAILED, ex.getMessage());
            listener.onFailed(ex);
            throw ex;
        }
        finally
        {
            bound.countDown();
        }
    }

    /**
     * Receives on a new thread. Cancelling the future cancels the transfer (the sender is told).
     *
     * @param consent decides on the offer (called on the receiving thread).
     * @return completes with the result, or exceptionally with a {@link TransferException}.
     */
    public CompletableFuture<TransferResult> receiveAsync(final ConsentCallback consent)
    {
        return Background.run("hayate-transfer-receive", () -> receive(consent), this::cancel);
    }

    /**
     * Waits until the receiver listens (for an ephemeral port) and returns the bound address.
     *
     * @param timeout longest wait.
     * @return the address, or null if it failed before binding or time ran out.
     * @throws InterruptedException if interrupted.
     */
    public SocketAddress awaitBound(final Duration timeout) throws InterruptedException
    {
        bound.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
        return boundAddress;
    }

    /** Cancels the running receive from any thread: the sender is told, part files stay for resume. */
    public void cancel()
    {
        cancelled = true;
    }

    private final class Run
    {
        private final long startNanos = System.nanoTime();
        private volatile TransferException writerFailure;
        private volatile boolean writerDone;
        private volatile boolean drainAndStop;

        TransferResult run(final ConsentCallback consent) throws TransferException
        {
            if (!Files.isDirectory(outputDir))
            {
                throw new TransferException(Failure.IO, "output folder " + outputDir +
                    (Files.exists(outputDir, LinkOption.NOFOLLOW_LINKS) ? " is not a directory" : " does not exist"));
            }
            // The receiver's side of negotiation: only its largest chunk and whether it resumes are read.
            final Negotiated receiving = new Negotiated(CipherSuite.AES_256_GCM,
                ChecksumAlgorithm.XXH64, true, resume, maxChunkSize);
            // AES-256-GCM is every sender's default: compile its fast path while the sender is found and paired.
            CipherWarmup.start(receiving.cipherSuite());
            final SecureRandom random = new SecureRandom();
            if (source != null)
            {
                return dial(consent, receiving, random);
            }
            final Context context = context(receiving).maxConnections(1).conclude();
            try (Rendezvous listening = Rendezvous.listen(listen, context,
                () -> new TransferProtocol(false, code, receiving, random, listener)))
            {
                boundAddress = listening.address();
                bound.countDown();
                listener.onStage(Stage.CONNECTING, "listening on " + boundAddress);
                return converse(listening.acceptOne(acceptTimeout.toNanos(), () -> cancelled, "sender"), consent);
            }
        }

        /**
         * Dials each sender the source offers until one pairs. A candidate with another code (a spoofed
         * announcement, or another sender that drew the same number) fails the PAKE and is skipped: its one guess
         * is spent, ours is not ended, and we keep looking until the accept timeout.
         */
        private TransferResult dial(final ConsentCallback consent, final Negotiated receiving,
            final SecureRandom random) throws TransferException
        {
            long deadline = System.nanoTime() + acceptTimeout.toNanos();
            int wrongCodes = 0;
            bound.countDown();
            listener.onStage(Stage.CONNECTING, "looking for the sender");
            boolean sourceClosing = false;
            try
            {
                while (true)
                {
                    if (cancelled)
                    {
                        throw new TransferException(Failure.CANCELLED, "cancelled while looking for the sender");
                    }
                    final long left = deadline - System.nanoTime();
                    if (left <= 0)
                    {
                        if (wrongCodes > 0)
                        {
                            // Most often the code was mistyped: say so, with the exit status of a wrong code.
                            throw new TransferException(Failure.WRONG_CODE, "no sender paired; " + wrongCodes +
                                (wrongCodes == 1 ? " sender" : " senders") + " with this number answered with " +
                                "other words: check the code for a typo (a sender stops after one wrong code, so " +
                                "ask for a new one)");
                        }
                        throw new TransferException(Failure.TIMEOUT, "no sender paired within " +
                            acceptTimeout.toSeconds() + " s");
                    }
                    final SocketAddress candidate;
                    try
                    {
                        candidate = source.next(Duration.ofNanos(Math.min(left, TimeUnit.MILLISECONDS.toNanos(200))));
                    }
                    catch (final InterruptedException ex)
                    {
                        Thread.currentThread().interrupt();
                        throw new TransferException(Failure.CANCELLED, "interrupted");
                    }
                    if (candidate == null)
                    {
                        continue;
                    }
                    listener.onStage(Stage.CONNECTING, "trying " + candidate);
                    // One candidate gets at most DIAL_TIMEOUT_SECONDS, and never more than the receive has left.
                    final long dialNanos = Math.max(TimeUnit.MILLISECONDS.toNanos(1), Math.min(
                        TimeUnit.SECONDS.toNanos(DIAL_TIMEOUT_SECONDS), deadline - System.nanoTime()));
                    final Context context = context(receiving).connectTimeout(dialNanos, TimeUnit.NANOSECONDS)
                        .conclude();
                    final TransferProtocol[] paired = new TransferProtocol[1];
                    final Clt<TransferMessage> clt;
                    try
                    {
                        clt = Clt.connect(candidate, id -> paired[0] = new TransferProtocol(false, code, receiving,
                            random, listener), context);
                    }
                    catch (final IOException ex)
                    {
                        final TransferException why = TransferSender.pairingFailure(paired[0], ex);
                        final String reason = why.failure() == Failure.WRONG_CODE ?
                            "wrong code, or someone else answered" : why.getMessage();
                        if (why.failure() == Failure.WRONG_CODE)
                        {
                            // The sender that drew this number has stopped (one guess per code): another with the
                            // same number is unlikely, so the search goes on only briefly before saying why.
                            deadline = Math.min(deadline, System.nanoTime() + WRONG_CODE_GRACE_NANOS);
                        }
                        listener.onStage(Stage.CONNECTING, candidate + ": " + reason + "; still looking");
                        if (why.failure() == Failure.WRONG_CODE && ++wrongCodes >= MAX_WRONG_SENDERS)
                        {
                            // Each spoofed announcement is one online guess at the words: cap them per receive.
                            throw new TransferException(Failure.WRONG_CODE, MAX_WRONG_SENDERS + " senders answered " +
                                "with another code; giving up", false, ex);
                        }
                        continue;
                    }
                    // Paired: stop looking now, not after the transfer, and without waiting for it (closing
                    // discovery's mDNS takes up to two seconds).
                    sourceClosing = true;
                    Background.close("hayate-discovery-close", source);
                    return converse(clt, consent);
                }
            }
            finally
            {
                if (!sourceClosing)
                {
                    source.close();
                }
            }
        }

        /**
         * Refuses an offer that cannot fit before anything is asked or written (as magic-wormhole does), rather than
         * filling the disk and failing part-way. Sparse files may need less; a file system that cannot tell its
         * free space is not checked.
         */
        private void checkSpace(final long needed) throws TransferException
        {
            final long free;
            try
            {
                free = Files.getFileStore(outputDir).getUsableSpace();
            }
            catch (final IOException | SecurityException ex)
            {
                return;
            }
            if (needed > free)
            {
                throw new TransferException(Failure.IO, "not enough space in " + SafePaths.printable(
                    outputDir.toAbsolutePath().toString()) + ": the offer needs " + needed + " bytes, " + free +
                    " are free");
            }
        }

        private Context context(final Negotiated receiving)
        {
            return new Context()
                .name("transfer-receiver")
                .transportProvider(transport)
                .bufferPool(pool)
                .maxFrameLength(receiving.chunkSize() + TransferCodec.SEALED_OVERHEAD + 64)
                .handshakeTimeout(idleTimeout.toNanos(), TimeUnit.NANOSECONDS);
        }

        private TransferResult converse(final Clt<TransferMessage> clt, final ConsentCallback consent)
            throws TransferException
        {
            return SealedLink.converse(clt, () -> cancelled, "the sender",
                (link, negotiated) -> transfer(link, negotiated, consent));
        }

        private TransferResult transfer(final SealedLink link, final Negotiated negotiated,
            final ConsentCallback consent) throws TransferException
        {
            final int chunkSize = negotiated.chunkSize();
            final byte[] blob = link.recvBlob(Kind.OFFER, MAX_MANIFEST_BYTES, idleTimeout.toNanos());
            final Manifest manifest;
            final Plan plan;
            final ReceiveFolder folder;
            final ChecksumAlgorithm algorithm = negotiated.checksum();
            try
            {
                manifest = Manifest.decode(blob, 0, blob.length, limits);
                folder = new ReceiveFolder(outputDir, policy, resume && negotiated.resume(),
                    (chunk, digests, offset) -> verifyChunk(algorithm, chunk, digests, offset));
                plan = folder.plan(manifest, chunkSize, Negotiated.checksumId(algorithm), algorithm.digestLength());
            }
            catch (final ManifestException ex)
            {
                throw new TransferException(Failure.HOSTILE_MANIFEST, "refused the offer: " + ex.getMessage(),
                    false, ex);
            }
            catch (final InvalidPathException ex)
            {
                // A name every platform's rules allow but this file system does not (':' or '?' on Windows).
                throw new TransferException(Failure.HOSTILE_MANIFEST, "refused the offer: " +
                    SafePaths.printable(ex.getInput()) + " is not a valid name here", false, ex);
            }
            catch (final IOException ex)
            {
                throw new TransferException(Failure.IO, ex.getMessage(), false, ex);
            }
            final Offer offer = new Offer(manifest, plan);
            listener.onStage(Stage.OFFER, Stage.offerDetail(offer.fileCount(), offer.totalBytes()));
            if (plan.isRefused())
            {
                throw new TransferException(Failure.CONFLICT, "already exists (refusing to overwrite): " +
                    String.join(", ", plan.conflicts().stream().map(SafePaths::printable).toList()));
            }
            checkSpace(manifest.totalBytes() - plan.resumedBytes());
            final boolean accepted = consent.accept(offer);
            if (cancelled)
            {
                // Cancelled while the question was open (Ctrl-C at a prompt): the sender hears a cancel, not a
                // refusal or a lost connection.
                throw new TransferException(Failure.CANCELLED, "cancelled");
            }
            if (!accepted)
            {
                link.sendBlob(Kind.CONSENT, Consent.reject("declined by the receiver", manifest.size()).encode());
                throw new TransferException(Failure.REJECTED, "declined");
            }
            final long[] resumeChunks = new long[manifest.size()];
            for (int i = 0; i < manifest.size(); i++)
            {
                resumeChunks[i] = manifest.entry(i).isFile() ? plan.resumeChunks(i) : 0;
            }
            try
            {
                folder.createDirectories(plan);
            }
            catch (final IOException ex)
            {
                throw new TransferException(Failure.IO, ex.getMessage(), false, ex);
            }
            link.sendBlob(Kind.CONSENT, Consent.accept(resumeChunks).encode());
            listener.onStage(Stage.TRANSFERRING, "");

            final BlockingQueue<ChunkSlot> free = new ArrayBlockingQueue<>(pipelineDepth);
            final BlockingQueue<ChunkSlot> ready = new ArrayBlockingQueue<>(pipelineDepth + 1);
            final List<ChunkSlot> slots = new ArrayList<>();
            final TransferResult.FileResult[] results = new TransferResult.FileResult[manifest.size()];
            Thread writer = null;
            try
            {
                for (int i = 0; i < pipelineDepth; i++)
                {
                    final ChunkSlot slot = new ChunkSlot(pool, chunkSize, TimeUnit.SECONDS.toNanos(5));
                    slots.add(slot);
                    free.add(slot);
                }
                writer = new Thread(() -> writeAll(folder, plan, manifest, negotiated, free, ready, results),
                    "hayate-transfer-writer");
                writer.setDaemon(true);
                writer.start();

                int file = nextFile(manifest, -1);
                long chunk = file < 0 ? 0 : beginFile(link, plan, file);
                while (true)
                {
                    checkWriter();
                    final TransferMessage m = link.recv(idleTimeout.toNanos());
                    if (m == null)
                    {
                        throw new TransferException(Failure.TIMEOUT, "the sender went silent for " +
                            idleTimeout.toSeconds() + " s");
                    }
                    final byte kind = m.kind();
                    if (kind == Kind.CHUNK)
                    {
                        // Open first: the tag, the sequence and the position are checked before anything else.
                        final ChunkSlot slot = take(free);
                        slot.plain.clear();
                        final int n = link.open(m, slot.plain);
                        if (n == ChunkOpener.GAP)
                        {
                            free.add(slot);
                            continue;
                        }
                        if (file < 0 || m.fileIndex() != file || m.chunkIndex() != chunk)
                        {
                            free.add(slot);
                            throw new TransferException(Failure.INTEGRITY, "spliced: chunk " + m.chunkIndex() +
                                " of entry " + m.fileIndex() + " where " + (file < 0 ? "the end" : "chunk " + chunk +
                                " of entry " + file) + " was due");
                        }
                        final ManifestEntry entry = manifest.entry(file);
                        slot.chunk(file, chunk);
                        slot.plain.limit(n).position(0);
                        slot.flags = m.flags();
                        slot.plainLength = (int)Math.min(chunkSize, entry.size() - chunk * chunkSize);
                        slot.payload = slot.plain;
                        put(ready, slot);
                        chunk++;
                        continue;
                    }
                    final byte[] body = link.openSmall(m);
                    if (body == null)
                    {
                        continue;
                    }
                    if (kind == Kind.DONE)
                    {
                        try
                        {
                            link.opener().finish();
                        }
                        catch (final ChunkIntegrityException ex)
                        {
                            throw SealedLink.integrity(ex);
                        }
                        if (file >= 0)
                        {
                            throw new TransferException(Failure.INTEGRITY, "truncated: the sender finished before " +
                                SafePaths.printable(manifest.entry(file).path()));
                        }
                        put(ready, take(free).end());
                        break;
                    }
                    if (kind != Kind.FILE_END)
                    {
                        throw new TransferException(Failure.PROTOCOL, "unexpected " + m);
                    }
                    if (file < 0 || m.fileIndex() != file)
                    {
                        throw new TransferException(Failure.INTEGRITY, "spliced: end of entry " + m.fileIndex() +
                            " where " + (file < 0 ? "the end" : "entry " + file) + " was due");
                    }
                    final ManifestEntry entry = manifest.entry(file);
                    final long chunks = entry.chunkCount(chunkSize);
                    if (body.length != 8 + algorithm.digestLength() || ByteBuffer.wrap(body).getLong() != chunks)
                    {
                        throw new TransferException(Failure.PROTOCOL, "malformed end of " +
                            SafePaths.printable(entry.path()));
                    }
                    try
                    {
                        link.opener().expectEnd(file, chunks);
                    }
                    catch (final ChunkIntegrityException ex)
                    {
                        throw SealedLink.integrity(ex);
                    }
                    put(ready, take(free).fileEnd(file, chunks, Arrays.copyOfRange(body, 8, body.length)));
                    file = nextFile(manifest, file);
                    chunk = file < 0 ? 0 : beginFile(link, plan, file);
                }
                // VERIFYING comes from the writer, after its last progress report (see writeAll).
                final long deadline = System.nanoTime() + idleTimeout.toNanos();
                while (!writerDone)
                {
                    checkWriter();
                    if (cancelled)
                    {
                        throw new TransferException(Failure.CANCELLED, "cancelled");
                    }
                    if (System.nanoTime() - deadline > 0)
                    {
                        throw new TransferException(Failure.TIMEOUT, "writing the last file took too long");
                    }
                    java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
                }
                checkWriter();
                folder.finishDirectories(plan);
                link.sendSmall(Kind.DONE, -1, 0, new byte[0]);
                link.awaitPeerClose(SealedLink.LAST_WORD_NANOS);
                final List<TransferResult.FileResult> files = new ArrayList<>();
                final List<String> directories = new ArrayList<>();
                for (int i = 0; i < manifest.size(); i++)
                {
                    if (manifest.entry(i).isFile())
                    {
                        files.add(results[i]);
                    }
                    else
                    {
                        directories.add(manifest.entry(i).path());
                    }
                }
                listener.onStage(Stage.DONE, "");
                return new TransferResult(List.copyOf(files), List.copyOf(directories), manifest.totalBytes(),
                    plan.resumedBytes(), 0, Duration.ofNanos(System.nanoTime() - startNanos), negotiated);
            }
            finally
            {
                if (writer != null && !writerDone)
                {
                    // Every chunk already queued was authenticated: let the writer put it in the part file (so a
                    // resume need not fetch it again), then stop.
                    drainAndStop = true;
                    try
                    {
                        writer.join(TimeUnit.SECONDS.toMillis(10));
                    }
                    catch (final InterruptedException ex)
                    {
                        Thread.currentThread().interrupt();
                    }
                }
                TransferSender.stop(writer);
                for (final ChunkSlot slot : slots)
                {
                    slot.close();
                }
            }
        }

        private void checkWriter() throws TransferException
        {
            if (writerFailure != null)
            {
                throw writerFailure;
            }
        }

        private ChunkSlot take(final BlockingQueue<ChunkSlot> queue) throws TransferException
        {
            while (true)
            {
                checkWriter();
                if (cancelled)
                {
                    throw new TransferException(Failure.CANCELLED, "cancelled");
                }
                try
                {
                    final ChunkSlot slot = queue.poll(100, TimeUnit.MILLISECONDS);
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

        private void put(final BlockingQueue<ChunkSlot> queue, final ChunkSlot slot) throws TransferException
        {
            // The ready queue holds one more than there are slots, so this never waits.
            if (!queue.offer(slot))
            {
                throw new IllegalStateException("pipeline queue full");
            }
        }

        private void writeAll(final ReceiveFolder folder, final Plan plan, final Manifest manifest,
            final Negotiated negotiated, final BlockingQueue<ChunkSlot> free, final BlockingQueue<ChunkSlot> ready,
            final TransferResult.FileResult[] results)
        {
            final ChecksumAlgorithm algorithm = negotiated.checksum();
            final ChunkHasher hasher = algorithm.newChunkHasher();
            final ChunkDecompressor decompressor = new ChunkDecompressor();
            final byte[] digest = new byte[algorithm.digestLength()];
            final int chunkSize = negotiated.chunkSize();
            final long total = manifest.totalBytes();
            long done = plan.resumedBytes();
            int lastFile = -1;
            for (int i = 0; i < manifest.size(); i++)
            {
                lastFile = manifest.entry(i).isFile() ? i : lastFile;
            }
            IncomingFile incoming = null;
            FileChecksum fileChecksum = null;
            try
            {
                while (true)
                {
                    final ChunkSlot slot = ready.poll(100, TimeUnit.MILLISECONDS);
                    if (slot == null)
                    {
                        if (drainAndStop)
                        {
                            return;
                        }
                        continue;
                    }
                    if (slot.type == ChunkSlot.END)
                    {
                        free.add(slot);
                        if (lastFile < 0)
                        {
                            listener.onStage(Stage.VERIFYING, "");
                        }
                        writerDone = true;
                        return;
                    }
                    if (incoming == null)
                    {
                        incoming = folder.open(plan, slot.fileIndex);
                        fileChecksum = algorithm.newFileChecksum();
                        final byte[] stored = incoming.storedDigests();
                        for (int at = 0; at + digest.length <= stored.length; at += digest.length)
                        {
                            fileChecksum.addChunkDigest(stored, at);
                        }
                    }
                    if (slot.type == ChunkSlot.CHUNK)
                    {
                        ByteBuffer data = slot.plain;
                        if ((slot.flags & ChunkFlags.COMPRESSED) != 0)
                        {
                            slot.other.clear();
                            decompressor.decompress(slot.plain, slot.other, slot.plainLength, chunkSize);
                            slot.other.limit(slot.plainLength).position(0);
                            data = slot.other;
                        }
                        else if (data.remaining() != slot.plainLength)
                        {
                            throw new TransferException(Failure.INTEGRITY, "chunk " + slot.chunkIndex + " of " +
                                SafePaths.printable(incoming.path()) + " has " + data.remaining() + " bytes, " +
                                slot.plainLength + " expected");
                        }
                        hasher.digest(data, digest, 0);
                        fileChecksum.addChunkDigest(digest, 0);
                        incoming.write(data, digest, 0);
                        done += slot.plainLength;
                        final int fileIndex = slot.fileIndex;
                        free.add(slot);
                        listener.onProgress(done, total, fileIndex);
                        continue;
                    }
                    // FILE_END: compare, then move into place.
                    final byte[] mine = fileChecksum.finish();
                    final byte[] theirs = slot.fileChecksum;
                    final int fileIndex = slot.fileIndex;
                    free.add(slot);
                    if (fileIndex == lastFile)
                    {
                        // Every byte is written and reported: only this last comparison is left.
                        listener.onStage(Stage.VERIFYING, "");
                    }
                    if (!java.security.MessageDigest.isEqual(mine, theirs))
                    {
                        final String path = incoming.path();
                        incoming.abandon(false);
                        incoming = null;
                        throw new TransferException(Failure.CHECKSUM_MISMATCH, "checksum mismatch for " +
                            SafePaths.printable(path) + ": sender " + ChecksumAlgorithm.toHex(theirs) + ", received " +
                            ChecksumAlgorithm.toHex(mine) + "; the file was not kept");
                    }
                    final Path target = incoming.complete();
                    final ManifestEntry entry = manifest.entry(fileIndex);
                    results[fileIndex] = new TransferResult.FileResult(entry.path(), target, entry.size(),
                        ChecksumAlgorithm.toHex(mine), incoming.resumeOffset());
                    incoming = null;
                }
            }
            catch (final TransferException ex)
            {
                writerFailure = ex;
            }
            catch (final IOException ex)
            {
                writerFailure = new TransferException(Failure.IO, ex.getMessage(), false, ex);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
            catch (final RuntimeException ex)
            {
                writerFailure = new TransferException(Failure.INTEGRITY, "chunk rejected: " + ex.getMessage(),
                    false, ex);
            }
            finally
            {
                if (incoming != null)
                {
                    incoming.abandon(resume && negotiated.resume());
                }
            }
        }
    }

    /** Tells the opener where a file starts (a resumed file starts after its verified chunks). */
    private static long beginFile(final SealedLink link, final Plan plan, final int file) throws TransferException
    {
        final long first = plan.resumeChunks(file);
        if (first > 0)
        {
            try
            {
                link.opener().beginFile(file, first);
            }
            catch (final ChunkIntegrityException ex)
            {
                throw SealedLink.integrity(ex);
            }
        }
        return first;
    }

    private static int nextFile(final Manifest manifest, final int after)
    {
        for (int i = after + 1; i < manifest.size(); i++)
        {
            if (manifest.entry(i).isFile())
            {
                return i;
            }
        }
        return -1;
    }

    private static boolean verifyChunk(final ChecksumAlgorithm algorithm, final ByteBuffer chunk, final byte[] digests,
        final int offset)
    {
        final byte[] digest = new byte[algorithm.digestLength()];
        algorithm.newChunkHasher().digest(chunk, digest, 0);
        return Arrays.equals(digest, 0, digest.length, digests, offset, offset + digest.length);
    }

    /**
     * Configures a {@link TransferReceiver}.
     *
     * <p>Thread-safety: none; build on one thread.
     */
    public static final class Builder extends TransferBuilder<Builder>
    {
        private SocketAddress listen = new InetSocketAddress("127.0.0.1", 0);
        private SenderSource source;
        private Path outputDir;
        private OverwritePolicy policy = OverwritePolicy.REFUSE;
        private int maxChunkSize = Negotiated.MAX_CHUNK_SIZE;
        private Duration acceptTimeout = Duration.ofMinutes(10);
        private Manifest.Limits limits = Manifest.Limits.DEFAULT;

        private Builder()
        {
        }

        /** @param address where to listen (port 0 for an ephemeral port). @return this. */
        public Builder listen(final SocketAddress address)
        {
            this.listen = Objects.requireNonNull(address);
            this.source = null;
            return this;
        }

        /**
         * Dials instead of listening: the sender listens and announces itself, this receiver tries each sender the
         * source offers until one pairs (a wrong code skips to the next) or the accept timeout ends. The source is
         * closed when the receive ends.
         *
         * @param senders where to find senders, for example LAN discovery.
         * @return this.
         */
        public Builder dial(final SenderSource senders)
        {
            this.source = Objects.requireNonNull(senders);
            this.listen = null;
            return this;
        }

        /** @param folder where files go; must exist. @return this. */
        public Builder outputDir(final Path folder)
        {
            // Absolute and normalized: a relative folder such as "." made every incoming path look like it
            // climbed out of it ("parent reference '..'") when the two were compared.
            this.outputDir = folder == null ? null : folder.toAbsolutePath().normalize();
            return this;
        }

        /** @param overwrite what to do with existing targets (REFUSE by default). @return this. */
        public Builder overwrite(final OverwritePolicy overwrite)
        {
            this.policy = Objects.requireNonNull(overwrite);
            return this;
        }

        /** @param timeout how long to wait for a sender. @return this. */
        public Builder acceptTimeout(final Duration timeout)
        {
            this.acceptTimeout = TransferBuilder.positive(timeout, "accept timeout");
            return this;
        }

        /** @param manifestLimits bounds on the offered manifest. @return this. */
        public Builder manifestLimits(final Manifest.Limits manifestLimits)
        {
            this.limits = Objects.requireNonNull(manifestLimits);
            return this;
        }

        /** @return the receiver. @throws NullPointerException if the code or the output folder is missing. */
        public TransferReceiver build()
        {
            return new TransferReceiver(this);
        }
    }
}
