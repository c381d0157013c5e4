package dev.hayate.transfer.crypto;

import java.nio.ByteBuffer;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Exception;
import net.jpountz.lz4.LZ4Factory;

/**
 * Compresses chunks with LZ4 (lz4-java's fastest fast compressor), one independent block per chunk, and only
 * when it pays: a chunk must shrink by at least 1/{@value #MIN_SAVING_DIVISOR} (about 5%) or it is sent as is.
 *
 * <p>Two cheap filters keep incompressible data from costing CPU: {@link #worthTrying(String)} skips file types
 * that are compressed already, and a {@link FileState} per file stops trying after
 * {@value #MAX_CONSECUTIVE_MISSES} consecutive chunks that did not shrink enough.
 *
 * <p>Nothing is allocated per chunk. {@link #compress} never writes more than {@code dst.remaining()}; when
 * {@code dst} has at least {@link #maxCompressedLength(int)} bytes no exception is ever raised on the way.
 *
 * <p>Thread-safety: thread-safe (stateless apart from lz4-java's thread-safe compressor); one instance may serve
 * every worker. A {@link FileState} is thread-safe too, so workers compressing chunks of one file may share it.
 */
public final class ChunkCompressor
{
    /** A chunk must save at least {@code length / MIN_SAVING_DIVISOR} bytes to be sent compressed. */
    public static final int MIN_SAVING_DIVISOR = 20;

    /** After this many consecutive chunks of a file that did not shrink enough, the file is sent uncompressed. */
    public static final int MAX_CONSECUTIVE_MISSES = 2;

    private static final Set<String> COMPRESSED_EXTENSIONS = Set.of(
        "zip", "gz", "tgz", "xz", "txz", "zst", "bz2", "tbz2", "7z", "rar", "lz4", "lz", "lzma", "br", "cab", "z",
        "jpg", "jpeg", "png", "gif", "webp", "heic", "heif", "avif", "jxl",
        "mp3", "aac", "m4a", "ogg", "oga", "opus", "flac",
        "mp4", "m4v", "mkv", "mov", "avi", "webm", "wmv",
        "pdf", "docx", "xlsx", "pptx", "odt", "ods", "odp", "epub",
        "apk", "aab", "ipa", "jar", "war", "ear", "whl", "nupkg", "deb", "rpm", "dmg", "msi",
        "woff", "woff2");

    private final LZ4Compressor compressor = LZ4Factory.fastestInstance().fastCompressor();

    /**
     * @param fileName a file name or path.
     * @return false when its extension names a format that is already compressed (zip, gz, jpg, mp4, docx, …).
     */
    public boolean worthTrying(final String fileName)
    {
        final int slash = Math.max(fileName.lastIndexOf('/'), fileName.lastIndexOf('\\'));
        final int dot = fileName.lastIndexOf('.');
        if (dot <= slash + 1 || dot == fileName.length() - 1)
        {
            return true;
        }
        return !COMPRESSED_EXTENSIONS.contains(fileName.substring(dot + 1).toLowerCase(Locale.ROOT));
    }

    /**
     * @param fileName the file whose chunks will be compressed.
     * @return a fresh adaptive state for it, already off when {@link #worthTrying(String)} says so.
     */
    public FileState newFileState(final String fileName)
    {
        return new FileState(worthTrying(fileName));
    }

    /**
     * @param length a chunk length.
     * @return the largest block LZ4 can make of it (a {@code dst} this big never overflows).
     */
    public int maxCompressedLength(final int length)
    {
        return compressor.maxCompressedLength(length);
    }

    /**
     * Compresses one chunk if that saves at least 5%.
     *
     * @param src the chunk, from its position to its limit; its position moves to the limit only when
     *            compressed.
     * @param dst receives the block at its position, which advances only when compressed.
     * @return the block length, or -1 when the chunk is better sent as is (then nothing moved, and whatever
     *         was scribbled past {@code dst}'s position is meaningless).
     */
    public int compress(final ByteBuffer src, final ByteBuffer dst)
    {
        final int length = src.remaining();
        if (length == 0)
        {
            return -1;
        }
        final int worthIt = length - Math.max(1, length / MIN_SAVING_DIVISOR);
        final int bound = compressor.maxCompressedLength(length);
        final int written;
        if (dst.remaining() >= bound)
        {
            // Room for the worst case: LZ4 cannot fail, so no exception is ever raised for incompressible data.
            written = compressor.compress(src, src.position(), length, dst, dst.position(), bound);
        }
        else
        {
            final int room = Math.min(dst.remaining(), worthIt);
            if (room <= 0)
            {
                return -1;
            }
            try
            {
                written = compressor.compress(src, src.position(), length, dst, dst.position(), room);
            }
            catch (final LZ4Exception ex)
            {
                // The block did not fit in what saving 5% allows: not worth it.
                return -1;
            }
        }
        if (written > worthIt)
        {
            return -1;
        }
        src.position(src.limit());
        dst.position(dst.position() + written);
        return written;
    }

    /**
     * Compresses one chunk of a file under that file's adaptive state: once the state is off this returns -1 at
     * once, costing nothing.
     *
     * @param file the file's state.
     * @param src  the chunk, as for {@link #compress(ByteBuffer, ByteBuffer)}.
     * @param dst  the destination, as for {@link #compress(ByteBuffer, ByteBuffer)}.
     * @return the block length, or -1 when sent as is.
     */
    public int compress(final FileState file, final ByteBuffer src, final ByteBuffer dst)
    {
        if (!file.active())
        {
            file.skipped.incrementAndGet();
            return -1;
        }
        final int written = compress(src, dst);
        file.record(written >= 0);
        return written;
    }

    /**
     * Whether compression still pays for one file: on until {@value #MAX_CONSECUTIVE_MISSES} consecutive chunks
     * in a row failed to shrink by 5%, then off for the rest of the file.
     *
     * <p>Thread-safety: thread-safe; concurrent workers may share one.
     */
    public static final class FileState
    {
        private final AtomicInteger consecutiveMisses = new AtomicInteger();
        private final AtomicInteger skipped = new AtomicInteger();
        private volatile boolean active;

        private FileState(final boolean active)
        {
            this.active = active;
        }

        /**
         * @return true while chunks of this file are still tried.
         */
        public boolean active()
        {
            return active;
        }

        /**
         * @return how many chunks were passed through untried because the state was off.
         */
        public int skippedChunks()
        {
            return skipped.get();
        }

        private void record(final boolean shrank)
        {
            if (shrank)
            {
                consecutiveMisses.set(0);
            }
            else if (consecutiveMisses.incrementAndGet() >= MAX_CONSECUTIVE_MISSES)
            {
                active = false;
            }
        }
    }
}
