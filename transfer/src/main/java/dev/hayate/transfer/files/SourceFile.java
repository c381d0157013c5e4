package dev.hayate.transfer.files;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One file being sent: positional reads of whole chunks, bounded by the size announced in the manifest, and a
 * check that the file did not change while it was read.
 *
 * <p>Thread-safety: {@link #read} may be called from several threads at once (positional reads do not share a
 * position); {@link #close()} must not race with them.
 */
public final class SourceFile implements AutoCloseable
{
    private final Path path;
    private final ManifestEntry entry;
    private final FileChannel channel;

    /**
     * Opens a file for reading without following a symbolic link.
     *
     * @param path  the local file.
     * @param entry its manifest entry (the size and time it was scanned with).
     * @throws TransferIOException if it cannot be opened (naming it and the cause).
     */
    public SourceFile(final Path path, final ManifestEntry entry) throws IOException
    {
        if (!entry.isFile())
        {
            throw new IllegalArgumentException(entry.path() + " is not a file");
        }
        this.path = path;
        this.entry = entry;
        try
        {
            this.channel = FileChannel.open(path, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
        }
        catch (final IOException ex)
        {
            throw TransferIOException.of(entry.path(), "cannot open", ex);
        }
    }

    /**
     * Opens the source of a FILE entry of a scanned manifest.
     *
     * @param manifest a manifest from {@link Manifest#scan}.
     * @param index    index of a FILE entry.
     * @return the open source file.
     * @throws TransferIOException if it cannot be opened.
     */
    public static SourceFile open(final Manifest manifest, final int index) throws IOException
    {
        return new SourceFile(manifest.source(index), manifest.entry(index));
    }

    /**
     * @return the manifest entry.
     */
    public ManifestEntry entry()
    {
        return entry;
    }

    /**
     * @return the local file.
     */
    public Path path()
    {
        return path;
    }

    /**
     * Reads from {@code position} into {@code dst} until it is full, the file ends, or the size announced in the
     * manifest is reached (a file that grew never sends more than announced).
     *
     * @param dst      destination, filled from its position; its limit is left alone.
     * @param position file offset (long: files over 4 GiB are ordinary).
     * @return bytes read; less than {@code dst.remaining()} only at the end of the file or of the announced size.
     * @throws TransferIOException if reading fails.
     */
    public int read(final ByteBuffer dst, final long position) throws IOException
    {
        final long available = entry.size() - position;
        if (available <= 0)
        {
            return 0;
        }
        final int limit = dst.limit();
        if (dst.remaining() > available)
        {
            dst.limit(dst.position() + (int)available);
        }
        try
        {
            return IncomingFile.readFully(channel, dst, position);
        }
        catch (final IOException ex)
        {
            throw TransferIOException.of(entry.path(), "cannot read", ex);
        }
        finally
        {
            dst.limit(limit);
        }
    }

    /**
     * Reads chunk {@code chunkIndex} whole into {@code dst} (from its position).
     *
     * @param dst        destination with room for the chunk.
     * @param chunkIndex the chunk.
     * @param chunkSize  bytes per chunk.
     * @return the chunk's length.
     * @throws FileChangedException if the file ended early (it shrank since it was scanned).
     * @throws TransferIOException  if reading fails.
     */
    public int readChunk(final ByteBuffer dst, final long chunkIndex, final int chunkSize) throws IOException
    {
        final long start = chunkIndex * chunkSize;
        if (chunkIndex < 0 || chunkIndex >= entry.chunkCount(chunkSize))
        {
            throw new IllegalArgumentException("chunk " + chunkIndex + " outside " + entry.path());
        }
        final int expected = (int)Math.min(chunkSize, entry.size() - start);
        if (dst.remaining() < expected)
        {
            throw new IllegalArgumentException("buffer has " + dst.remaining() + " bytes free; chunk needs " + expected);
        }
        final int read = read(dst, start);
        if (read != expected)
        {
            throw new FileChangedException(entry.path(), "it ended at " + (start + read) + " bytes; " +
                entry.size() + " were announced");
        }
        return read;
    }

    /**
     * Checks that the file still has the size and modification time it was scanned with. The sender calls this
     * at the end of the file, before sending its checksum.
     *
     * @throws FileChangedException if the size or the time differ.
     * @throws TransferIOException  if the file cannot be examined.
     */
    public void checkUnchanged() throws IOException
    {
        final long size;
        final long mtime;
        try
        {
            size = channel.size();
            mtime = Files.getLastModifiedTime(path, LinkOption.NOFOLLOW_LINKS).toMillis();
        }
        catch (final IOException ex)
        {
            throw TransferIOException.of(entry.path(), "cannot examine", ex);
        }
        if (size != entry.size())
        {
            throw new FileChangedException(entry.path(), "size " + entry.size() + " became " + size);
        }
        if (mtime != entry.mtimeMillis())
        {
            throw new FileChangedException(entry.path(), "modified at " + mtime + " ms instead of " +
                entry.mtimeMillis());
        }
    }

    /**
     * Closes the file.
     */
    @Override
    public void close() throws IOException
    {
        channel.close();
    }
}
