package dev.hayate.transfer.files;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One file being received into its part file (see {@link ReceiveFolder} for the layout). Chunks are appended in
 * order with {@link #write}; {@link #complete()} moves the finished file into place atomically; until then the
 * target does not exist (or, under OVERWRITE, still holds the old content).
 *
 * <pre>{@code
 * try (IncomingFile file = folder.open(plan, index))
 * {
 *     for (long c = file.resumeChunks(); c < chunkCount; c++)
 *     {
 *         // receive, open and check chunk c into the direct buffer `chunk`, digest it into `digest`
 *         file.write(chunk, digest, 0);
 *     }
 *     // check the whole-file checksum (file.storedDigests() covers the resumed chunks), then:
 *     file.complete();
 * }   // close() without complete() keeps the part file for a later resume
 * }</pre>
 *
 * <p>Thread-safety: not thread-safe; one thread at a time.
 */
public final class IncomingFile implements AutoCloseable
{
    private final Plan.Item item;
    private final Path target;
    private final Path part;
    private final Path sums;
    private final boolean replace;
    private final int chunkSize;
    private final int digestLength;
    private final long chunkCount;
    private final long resumeChunks;
    private final ByteBuffer digestBuffer;
    private final byte[] storedDigests;
    /**
     * Every this many bytes written, the part file's dirty pages are handed to the disk in the background, so the
     * final {@code fsync} of {@link #complete()} has little left to do: without it the kernel keeps a whole large
     * file dirty in memory (its background writeback starts at a share of RAM) and the receiver waits seconds
     * after the last byte.
     */
    static final long WRITEBACK_BYTES = 64L << 20;
    private static final ExecutorService WRITEBACK = Executors.newSingleThreadExecutor(r ->
    {
        final Thread thread = new Thread(r, "hayate-writeback");
        thread.setDaemon(true);
        return thread;
    });

    private final AtomicBoolean writebackPending = new AtomicBoolean();
    private long writtenSinceWriteback;
    private FileChannel partChannel;
    private FileChannel sumsChannel;
    private long position;
    private long chunkIndex;
    private boolean finished;

    private IncomingFile(final Plan plan, final Plan.Item item, final Path target, final Path part, final Path sums,
        final FileChannel partChannel, final FileChannel sumsChannel, final byte[] storedDigests)
    {
        this.item = item;
        this.target = target;
        this.part = part;
        this.sums = sums;
        this.replace = item.replaces();
        this.chunkSize = plan.chunkSize();
        this.digestLength = plan.digestLength();
        this.chunkCount = item.entry().chunkCount(plan.chunkSize());
        this.resumeChunks = item.resumeChunks();
        this.digestBuffer = ByteBuffer.allocateDirect(Math.max(1, plan.digestLength()));
        this.storedDigests = storedDigests;
        this.partChannel = partChannel;
        this.sumsChannel = sumsChannel;
        this.position = item.resumeOffset();
        this.chunkIndex = item.resumeChunks();
    }

    static IncomingFile open(final Plan plan, final Plan.Item item, final Path target, final Path part,
        final Path sums) throws IOException
    {
        final String name = item.targetPath();
        FileChannel partChannel = null;
        FileChannel sumsChannel = null;
        try
        {
            final byte[] stored;
            if (item.resumeChunks() > 0)
            {
                partChannel = FileChannel.open(part, StandardOpenOption.READ, StandardOpenOption.WRITE,
                    LinkOption.NOFOLLOW_LINKS);
                sumsChannel = FileChannel.open(sums, StandardOpenOption.READ, StandardOpenOption.WRITE,
                    LinkOption.NOFOLLOW_LINKS);
                final long digestBytes = item.resumeChunks() * plan.digestLength();
                if (digestBytes > Integer.MAX_VALUE - 8 || partChannel.size() < item.resumeOffset() ||
                    sumsChannel.size() < ReceiveFolder.SUMS_HEADER_LENGTH + digestBytes)
                {
                    throw new TransferIOException(name, "the part file changed since the transfer was planned");
                }
                partChannel.truncate(item.resumeOffset());
                sumsChannel.truncate(ReceiveFolder.SUMS_HEADER_LENGTH + digestBytes);
                stored = new byte[(int)digestBytes];
                if (readFully(sumsChannel, ByteBuffer.wrap(stored), ReceiveFolder.SUMS_HEADER_LENGTH) != stored.length)
                {
                    throw new TransferIOException(name, "the part file's sidecar is shorter than planned");
                }
            }
            else
            {
                // A part file left over (or not resumable) is ours to replace; deleting a link removes the link.
                Files.deleteIfExists(part);
                Files.deleteIfExists(sums);
                partChannel = create(part);
                sumsChannel = create(sums);
                final ByteBuffer header = ByteBuffer.allocate(ReceiveFolder.SUMS_HEADER_LENGTH)
                    .order(ByteOrder.LITTLE_ENDIAN)
                    .putInt(ReceiveFolder.SUMS_MAGIC)
                    .putInt(ReceiveFolder.SUMS_VERSION)
                    .putInt(plan.digestAlgorithmId())
                    .putInt(plan.digestLength())
                    .putLong(item.entry().size())
                    .putLong(item.entry().mtimeMillis())
                    .putInt(plan.chunkSize());
                header.flip();
                writeFully(sumsChannel, header, 0);
                stored = new byte[0];
            }
            return new IncomingFile(plan, item, target, part, sums, partChannel, sumsChannel, stored);
        }
        catch (final IOException ex)
        {
            closeQuietly(partChannel);
            closeQuietly(sumsChannel);
            throw TransferIOException.of(name, "cannot open the part file", ex);
        }
    }

    /**
     * @return the relative path of the target (after renaming).
     */
    public String path()
    {
        return item.targetPath();
    }

    /**
     * @return the manifest entry being received.
     */
    public ManifestEntry entry()
    {
        return item.entry();
    }

    /**
     * @return where the file will appear on {@link #complete()}.
     */
    public Path target()
    {
        return target;
    }

    /**
     * @return the part file being written.
     */
    public Path partFile()
    {
        return part;
    }

    /**
     * @return bytes already on disk when opened (the first byte the sender must send).
     */
    public long resumeOffset()
    {
        return item.resumeOffset();
    }

    /**
     * @return chunks already on disk when opened (the first chunk index the sender must send).
     */
    public long resumeChunks()
    {
        return resumeChunks;
    }

    /**
     * The digests of the chunks that were already on disk when opened, {@code resumeChunks() * digestLength}
     * bytes, for the whole-file checksum. Not copied: do not modify.
     *
     * @return the stored digests.
     */
    public byte[] storedDigests()
    {
        return storedDigests;
    }

    /**
     * @return the index of the next chunk expected.
     */
    public long nextChunk()
    {
        return chunkIndex;
    }

    /**
     * @return bytes of the file on disk so far.
     */
    public long position()
    {
        return position;
    }

    /**
     * Appends the next chunk at its position with positional writes, then its digest to the sidecar. Allocates
     * nothing. The chunk must be exactly {@code chunkSize} bytes, except the file's last chunk, which holds the
     * rest of the file.
     *
     * @param data         the chunk, from its position to its limit (consumed: its position moves to its limit).
     * @param digest       array holding the chunk's digest.
     * @param digestOffset where the digest starts in {@code digest} ({@code digestLength} bytes).
     * @throws TransferIOException if the chunk is one too many or has the wrong length (the peer sent more or
     *                             other data than its manifest announced), or if the disk write fails (disk full,
     *                             ...): the message names the file and the cause.
     */
    public void write(final ByteBuffer data, final byte[] digest, final int digestOffset) throws IOException
    {
        checkOpen();
        if (chunkIndex >= chunkCount)
        {
            throw new TransferIOException(item.targetPath(), "more data than the announced " + item.entry().size() +
                " bytes");
        }
        final int expected = (int)Math.min(chunkSize, item.entry().size() - position);
        if (data.remaining() != expected)
        {
            throw new TransferIOException(item.targetPath(), "chunk " + chunkIndex + " has " + data.remaining() +
                " bytes; " + expected + " expected");
        }
        try
        {
            writeFully(partChannel, data, position);
            if (digestLength > 0)
            {
                digestBuffer.clear();
                digestBuffer.put(digest, digestOffset, digestLength).flip();
                writeFully(sumsChannel, digestBuffer, ReceiveFolder.SUMS_HEADER_LENGTH + chunkIndex * digestLength);
            }
        }
        catch (final IOException ex)
        {
            throw TransferIOException.of(item.targetPath(), "cannot write", ex);
        }
        position += expected;
        chunkIndex++;
        writtenSinceWriteback += expected;
        if (writtenSinceWriteback >= WRITEBACK_BYTES)
        {
            writtenSinceWriteback = 0;
            startWriteback();
        }
    }

    private void startWriteback()
    {
        final FileChannel channel = partChannel;
        if (!writebackPending.compareAndSet(false, true))
        {
            return;
        }
        try
        {
            WRITEBACK.execute(() ->
            {
                try
                {
                    channel.force(false);
                }
                catch (final IOException | RuntimeException ignored)
                {
                    // Only an early start: complete() forces the file and reports any failure.
                }
                finally
                {
                    writebackPending.set(false);
                }
            });
        }
        catch (final RejectedExecutionException ex)
        {
            writebackPending.set(false);
        }
    }

    /**
     * Finishes the file: forces it to disk, applies its mode and modification time, and moves the part file to
     * the target atomically (replacing an existing file only under OVERWRITE; otherwise a target that appeared
     * meanwhile is not touched and the part file is kept), then deletes the sidecar. Call only after the
     * whole-file checksum matched.
     *
     * @return the target.
     * @throws TransferIOException if chunks are missing or a step fails (the target is then untouched).
     */
    public Path complete() throws IOException
    {
        checkOpen();
        if (chunkIndex != chunkCount)
        {
            throw new TransferIOException(item.targetPath(), "incomplete: " + chunkIndex + " of " + chunkCount +
                " chunks received");
        }
        try
        {
            partChannel.force(true);
            partChannel.close();
            partChannel = null;
            sumsChannel.close();
            sumsChannel = null;
            ReceiveFolder.applyMode(part, (item.entry().mode() & 0755) | 0400);
            Files.setLastModifiedTime(part, FileTime.fromMillis(item.entry().mtimeMillis()));
            moveIntoPlace();
            finished = true;
        }
        catch (final IOException ex)
        {
            abandon(true);
            throw TransferIOException.of(item.targetPath(), "cannot complete", ex);
        }
        try
        {
            Files.deleteIfExists(sums);
        }
        catch (final IOException ignored)
        {
            // The file is in place and complete; a leftover hidden sidecar without its part file is never resumed.
        }
        return target;
    }

    /**
     * Stops receiving this file. The target is never touched.
     *
     * @param keepForResume true keeps the part file and sidecar so a later attempt can resume; false deletes them.
     */
    public void abandon(final boolean keepForResume)
    {
        closeQuietly(partChannel);
        closeQuietly(sumsChannel);
        partChannel = null;
        sumsChannel = null;
        if (!finished)
        {
            finished = true;
            if (!keepForResume)
            {
                try
                {
                    Files.deleteIfExists(part);
                    Files.deleteIfExists(sums);
                }
                catch (final IOException ignored)
                {
                    // Nothing is presented as complete either way; a leftover hidden part file is harmless.
                }
            }
        }
    }

    /**
     * Same as {@code abandon(true)} when the file was neither completed nor abandoned; otherwise nothing.
     */
    @Override
    public void close()
    {
        abandon(true);
    }

    static int readFully(final FileChannel channel, final ByteBuffer dst, final long position) throws IOException
    {
        int total = 0;
        while (dst.hasRemaining())
        {
            final int read = channel.read(dst, position + total);
            if (read < 0)
            {
                break;
            }
            total += read;
        }
        return total;
    }

    private static void writeFully(final FileChannel channel, final ByteBuffer src, final long position)
        throws IOException
    {
        long at = position;
        while (src.hasRemaining())
        {
            at += channel.write(src, at);
        }
    }

    private static FileChannel create(final Path path) throws IOException
    {
        final FileAttribute<?> ownerOnly = PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(
            "rw-------"));
        try
        {
            // Half-written content is private to the receiving user until complete() applies the real mode.
            return FileChannel.open(path, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS), ownerOnly);
        }
        catch (final UnsupportedOperationException ex)
        {
            return FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
        }
    }

    private void moveIntoPlace() throws IOException
    {
        if (replace)
        {
            // rename(2): the old file stays whole until the new one takes its name in one step.
            Files.move(part, target, StandardCopyOption.ATOMIC_MOVE);
            return;
        }
        try
        {
            // link(2) never replaces: if the target appeared meanwhile, it fails and nothing is touched.
            Files.createLink(target, part);
        }
        catch (final FileAlreadyExistsException ex)
        {
            throw new TransferIOException(item.targetPath(), "appeared in the output folder while receiving; " +
                "it was not replaced (the received data is kept in " + part.getFileName() + ")");
        }
        catch (final UnsupportedOperationException | FileSystemException ex)
        {
            // No hard links here (FAT, some network file systems): check, then rename, which leaves a tiny window.
            if (SafePaths.attributesOrNull(target) != null)
            {
                throw new TransferIOException(item.targetPath(), "appeared in the output folder while receiving; " +
                    "it was not replaced", ex);
            }
            try
            {
                Files.move(part, target, StandardCopyOption.ATOMIC_MOVE);
            }
            catch (final AtomicMoveNotSupportedException notAtomic)
            {
                throw TransferIOException.of(item.targetPath(), "cannot move into place atomically", notAtomic);
            }
            return;
        }
        try
        {
            Files.delete(part);
        }
        catch (final IOException ignored)
        {
            // The target is complete; the leftover hidden link to it is replaced by the next open of this name.
        }
    }

    private void checkOpen()
    {
        if (finished)
        {
            throw new IllegalStateException(item.targetPath() + " is already completed or abandoned");
        }
    }

    private static void closeQuietly(final FileChannel channel)
    {
        if (channel != null)
        {
            try
            {
                channel.close();
            }
            catch (final IOException ignored)
            {
                // Closing after a failure: the first failure is the one reported.
            }
        }
    }
}
