package dev.hayate.transfer.files;

/**
 * One file or directory of a {@link Manifest}.
 *
 * <p>Thread-safety: immutable.
 *
 * @param path        relative, {@code /}-separated path as sent (NFC by convention, not normalised here).
 * @param kind        file or directory.
 * @param size        bytes of a file; 0 for a directory.
 * @param mode        POSIX permission bits, 0 to 0777 (0644 for files and 0755 for directories where the
 *                    sender's file system has no POSIX permissions).
 * @param mtimeMillis last modification time, milliseconds since the epoch.
 */
public record ManifestEntry(String path, Kind kind, long size, int mode, long mtimeMillis)
{
    /** Default mode of a file where POSIX permissions are unavailable. */
    public static final int DEFAULT_FILE_MODE = 0644;
    /** Default mode of a directory where POSIX permissions are unavailable. */
    public static final int DEFAULT_DIRECTORY_MODE = 0755;

    /** What an entry is. */
    public enum Kind
    {
        /** A regular file. */
        FILE,
        /** A directory (possibly empty). */
        DIRECTORY
    }

    /**
     * Checks the invariants that do not depend on the path's content (see {@link SafePaths} for that).
     */
    public ManifestEntry
    {
        if (path == null || kind == null)
        {
            throw new IllegalArgumentException("path and kind are required");
        }
        if (size < 0 || (kind == Kind.DIRECTORY && size != 0))
        {
            throw new IllegalArgumentException("bad size " + size + " for " + kind + " " + SafePaths.printable(path));
        }
        if (mode < 0 || mode > 0777)
        {
            throw new IllegalArgumentException("mode " + Integer.toOctalString(mode) + " outside 0..0777");
        }
    }

    /**
     * @return whether this is a regular file.
     */
    public boolean isFile()
    {
        return kind == Kind.FILE;
    }

    /**
     * Number of chunks this entry is sent in: 0 for a directory or an empty file, else size / chunkSize
     * rounded up (long arithmetic: files over 2 GiB and 4 GiB are ordinary).
     *
     * @param chunkSize bytes per chunk, at least 1.
     * @return the chunk count.
     */
    public long chunkCount(final int chunkSize)
    {
        if (chunkSize <= 0)
        {
            throw new IllegalArgumentException("chunkSize " + chunkSize + " must be positive");
        }
        return size / chunkSize + (size % chunkSize == 0 ? 0 : 1);
    }
}
