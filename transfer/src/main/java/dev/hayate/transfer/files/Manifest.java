package dev.hayate.transfer.files;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The list of files and directories offered by a sender, shown to the receiver before any content moves.
 *
 * <h2>Wire form (all integers little-endian)</h2>
 * <pre>
 *   0        4          8
 *   +--------+----------+-----------+-----------+-----
 *   | magic  | count    | entry 0   | entry 1   | ...      exactly count entries, no trailing bytes
 *   | "HYM1" | int32    |           |           |
 *   +--------+----------+-----------+-----------+-----
 *
 *   entry (21 + n bytes):
 *   0      1       3          11             19        21
 *   +------+-------+----------+--------------+---------+----------------+
 *   | kind | mode  | size     | mtimeMillis  | n       | path           |
 *   | u8   | u16   | int64    | int64        | u16     | n bytes UTF-8  |
 *   | 0=F  | 0-777 | 0 if dir | ms, epoch    | 1..4096 | '/'-separated  |
 *   | 1=D  | octal |          |              |         |                |
 *   +------+-------+----------+--------------+---------+----------------+
 * </pre>
 *
 * <p>{@link #decode} trusts nothing: the count is checked against {@link Limits#maxEntries()} and against
 * the bytes present before anything is allocated, every field is range-checked, the UTF-8 must be well
 * formed, every path must pass {@link SafePaths#validate(String)}, the total size must stay within
 * {@link Limits#maxTotalBytes()}, and no two entries may collide.
 *
 * <h2>Collision rule</h2>
 * Two entries collide when their paths are equal after NFC normalisation and case folding
 * ({@link SafePaths#collisionKey(String)}): the same path twice, {@code A.txt} beside {@code a.txt}, or
 * {@code é} composed beside {@code é} decomposed. An entry also collides with a FILE entry that is one of its
 * ancestors ({@code a} as a file and {@code a/b}). Both cases are refused, whatever the receiver's file system,
 * so the outcome never depends on the platform.
 *
 * <p>Thread-safety: immutable; safe from any thread.
 */
public final class Manifest
{
    /** The magic and version of the wire form: "HYM1". */
    public static final int MAGIC = 0x314D5948;
    /** Bytes before the first entry. */
    public static final int HEADER_LENGTH = 8;
    /** Bytes of an entry before its path. */
    public static final int ENTRY_HEADER_LENGTH = 21;

    /**
     * Bounds on a decoded manifest.
     *
     * <p>Thread-safety: immutable.
     *
     * @param maxEntries    most entries accepted.
     * @param maxPathBytes  longest path accepted, bytes of UTF-8 (never more than 4096).
     * @param maxTotalBytes largest sum of file sizes accepted.
     */
    public record Limits(int maxEntries, int maxPathBytes, long maxTotalBytes)
    {
        /** One million entries, 4096-byte paths, no bound on the total size. */
        public static final Limits DEFAULT = new Limits(1_000_000, SafePaths.MAX_PATH_BYTES, Long.MAX_VALUE);

        /**
         * Checks the bounds.
         */
        public Limits
        {
            if (maxEntries < 0 || maxPathBytes < 1 || maxPathBytes > SafePaths.MAX_PATH_BYTES || maxTotalBytes < 0)
            {
                throw new IllegalArgumentException("bad limits: " + maxEntries + ", " + maxPathBytes + ", " +
                    maxTotalBytes);
            }
        }
    }

    /**
     * Path order with the separator below every other character, so a directory's contents follow it
     * contiguously ({@code a/}, {@code a/x}, {@code a.txt}).
     */
    private static final Comparator<ManifestEntry> TREE_ORDER = (left, right) ->
    {
        final String a = left.path();
        final String b = right.path();
        final int common = Math.min(a.length(), b.length());
        for (int i = 0; i < common; i++)
        {
            final char x = a.charAt(i) == '/' ? 0 : a.charAt(i);
            final char y = b.charAt(i) == '/' ? 0 : b.charAt(i);
            if (x != y)
            {
                return x - y;
            }
        }
        return a.length() - b.length();
    };

    private final List<ManifestEntry> entries;
    private final Path[] sources;
    private final List<String> skipped;
    private final int fileCount;
    private final long totalBytes;

    private Manifest(final List<ManifestEntry> entries, final Path[] sources, final List<String> skipped)
    {
        this.entries = List.copyOf(entries);
        this.sources = sources;
        this.skipped = List.copyOf(skipped);
        int files = 0;
        long bytes = 0;
        for (final ManifestEntry entry : this.entries)
        {
            if (entry.isFile())
            {
                files++;
                bytes = Math.addExact(bytes, entry.size());
            }
        }
        this.fileCount = files;
        this.totalBytes = bytes;
    }

    /**
     * Makes a manifest from entries (no sources), checking every path and the collision rule.
     *
     * @param entries the entries, in transfer order.
     * @return the manifest.
     * @throws ManifestException if a path is hostile, two entries collide, or the sizes overflow a long.
     */
    public static Manifest of(final List<ManifestEntry> entries) throws ManifestException
    {
        long total = 0;
        for (final ManifestEntry entry : entries)
        {
            SafePaths.validate(entry.path());
            total += entry.size();
            if (total < 0)
            {
                throw new ManifestException("the manifest totals more than " + Long.MAX_VALUE + " bytes");
            }
        }
        checkCollisions(entries);
        return new Manifest(entries, null, List.of());
    }

    /**
     * Scans files and directories to send. A file root becomes one entry under its name; a directory root
     * becomes a tree under its own name ({@code photos/2024/a.jpg}), empty directories included. Symbolic
     * links are never followed: they, special files (devices, pipes, sockets), unreadable directories and
     * names receivers would refuse are left out and listed in {@link #skipped()} with the reason. Entries are
     * sorted by path, component by component (a directory comes right before its contents).
     *
     * @param roots the files and directories named by the user.
     * @return the manifest, with {@link #source(int)} set for every file.
     * @throws ManifestException   if two roots share a name (or names that collide), or a root's name is refused.
     * @throws TransferIOException if a root cannot be read.
     */
    public static Manifest scan(final List<Path> roots) throws IOException
    {
        final List<ManifestEntry> entries = new ArrayList<>();
        final Map<ManifestEntry, Path> sourceOf = new HashMap<>();
        final List<String> skipped = new ArrayList<>();
        final Map<String, Path> rootNames = new HashMap<>();
        for (final Path root : roots)
        {
            final Path absolute = root.toAbsolutePath().normalize();
            final Path name = absolute.getFileName();
            if (name == null)
            {
                throw new ManifestException("cannot send " + SafePaths.printable(root.toString()) +
                    ": it has no name (a file system root)");
            }
            final String rootName = name.toString();
            try
            {
                SafePaths.validate(rootName);
            }
            catch (final HostilePathException ex)
            {
                throw new ManifestException("cannot send " + SafePaths.printable(root.toString()) +
                    ": receivers refuse its name (" + ex.problem().description() + ")", ex);
            }
            final Path previous = rootNames.putIfAbsent(SafePaths.collisionKey(rootName), absolute);
            if (previous != null)
            {
                throw new ManifestException("two items to send would have the same name \"" +
                    SafePaths.printable(rootName) + "\": " + SafePaths.printable(previous.toString()) + " and " +
                    SafePaths.printable(absolute.toString()) + "; send them separately or rename one");
            }
            scanRoot(absolute, rootName, entries, sourceOf, skipped);
        }
        entries.sort(TREE_ORDER);
        final Path[] sources = new Path[entries.size()];
        for (int i = 0; i < sources.length; i++)
        {
            sources[i] = sourceOf.get(entries.get(i));
        }
        checkCollisions(entries);
        return new Manifest(entries, sources, skipped);
    }

    /**
     * Decodes and validates a manifest from untrusted bytes.
     *
     * @param buffer the bytes.
     * @param offset where the manifest starts.
     * @param length its length.
     * @param limits the receiver's bounds.
     * @return the manifest (without sources).
     * @throws ManifestException if anything is malformed, out of bounds, hostile or colliding.
     */
    public static Manifest decode(final DirectBuffer buffer, final int offset, final int length, final Limits limits)
        throws ManifestException
    {
        if (offset < 0 || length < 0 || (long)offset + length > buffer.capacity())
        {
            throw new ManifestException("manifest region [" + offset + ", +" + length + ") outside a buffer of " +
                buffer.capacity() + " bytes");
        }
        if (length < HEADER_LENGTH)
        {
            throw new ManifestException("manifest truncated: " + length + " bytes, header needs " + HEADER_LENGTH);
        }
        if (buffer.getInt(offset, ByteOrder.LITTLE_ENDIAN) != MAGIC)
        {
            throw new ManifestException("not a manifest (bad magic or unsupported version)");
        }
        final int count = buffer.getInt(offset + 4, ByteOrder.LITTLE_ENDIAN);
        if (count < 0 || count > limits.maxEntries())
        {
            throw new ManifestException("manifest has " + Integer.toUnsignedString(count) + " entries; the limit is " +
                limits.maxEntries());
        }
        final int end = offset + length;
        if ((long)count * (ENTRY_HEADER_LENGTH + 1) > length - HEADER_LENGTH)
        {
            throw new ManifestException("manifest truncated: " + count + " entries cannot fit in " + length + " bytes");
        }
        final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
        final byte[] pathBytes = new byte[limits.maxPathBytes()];
        final List<ManifestEntry> entries = new ArrayList<>(count);
        long total = 0;
        int position = offset + HEADER_LENGTH;
        for (int i = 0; i < count; i++)
        {
            if (end - position < ENTRY_HEADER_LENGTH)
            {
                throw new ManifestException("manifest truncated in entry " + i);
            }
            final int kindCode = buffer.getByte(position) & 0xFF;
            final int mode = buffer.getShort(position + 1, ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
            final long size = buffer.getLong(position + 3, ByteOrder.LITTLE_ENDIAN);
            final long mtime = buffer.getLong(position + 11, ByteOrder.LITTLE_ENDIAN);
            final int pathLength = buffer.getShort(position + 19, ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
            position += ENTRY_HEADER_LENGTH;
            if (kindCode > 1)
            {
                throw new ManifestException("entry " + i + ": unknown kind " + kindCode);
            }
            final ManifestEntry.Kind kind = kindCode == 0 ? ManifestEntry.Kind.FILE : ManifestEntry.Kind.DIRECTORY;
            if (mode > 0777)
            {
                throw new ManifestException("entry " + i + ": mode " + Integer.toOctalString(mode) + " outside 0..0777");
            }
            if (size < 0 || (kind == ManifestEntry.Kind.DIRECTORY && size != 0))
            {
                throw new ManifestException("entry " + i + ": bad size " + size + " for a " + kind);
            }
            if (pathLength == 0 || pathLength > limits.maxPathBytes())
            {
                throw new ManifestException("entry " + i + ": path of " + pathLength + " bytes (limit " +
                    limits.maxPathBytes() + ")");
            }
            if (end - position < pathLength)
            {
                throw new ManifestException("manifest truncated in the path of entry " + i);
            }
            buffer.getBytes(position, pathBytes, 0, pathLength);
            position += pathLength;
            final String path;
            try
            {
                path = utf8.decode(ByteBuffer.wrap(pathBytes, 0, pathLength)).toString();
            }
            catch (final CharacterCodingException ex)
            {
                throw new ManifestException("entry " + i + ": path is not valid UTF-8", ex);
            }
            SafePaths.validate(path);
            if (kind == ManifestEntry.Kind.FILE)
            {
                total += size;
                if (total < 0 || total > limits.maxTotalBytes())
                {
                    throw new ManifestException("manifest totals more than " + limits.maxTotalBytes() + " bytes");
                }
            }
            entries.add(new ManifestEntry(path, kind, size, mode, mtime));
        }
        if (position != end)
        {
            throw new ManifestException("manifest has " + (end - position) + " trailing bytes");
        }
        checkCollisions(entries);
        return new Manifest(entries, null, List.of());
    }

    /**
     * Decodes and validates a manifest from untrusted bytes.
     *
     * @param bytes  the bytes.
     * @param offset where the manifest starts.
     * @param length its length.
     * @param limits the receiver's bounds.
     * @return the manifest (without sources).
     * @throws ManifestException if anything is malformed, out of bounds, hostile or colliding.
     */
    public static Manifest decode(final byte[] bytes, final int offset, final int length, final Limits limits)
        throws ManifestException
    {
        return decode(new UnsafeBuffer(bytes), offset, length, limits);
    }

    /**
     * Encodes the wire form (see the class comment).
     *
     * @return a new array holding the manifest.
     */
    public byte[] encode()
    {
        final byte[][] paths = new byte[entries.size()][];
        int length = HEADER_LENGTH;
        for (int i = 0; i < paths.length; i++)
        {
            paths[i] = entries.get(i).path().getBytes(StandardCharsets.UTF_8);
            length = Math.addExact(length, ENTRY_HEADER_LENGTH + paths[i].length);
        }
        final byte[] bytes = new byte[length];
        final UnsafeBuffer buffer = new UnsafeBuffer(bytes);
        buffer.putInt(0, MAGIC, ByteOrder.LITTLE_ENDIAN);
        buffer.putInt(4, paths.length, ByteOrder.LITTLE_ENDIAN);
        int position = HEADER_LENGTH;
        for (int i = 0; i < paths.length; i++)
        {
            final ManifestEntry entry = entries.get(i);
            buffer.putByte(position, (byte)(entry.isFile() ? 0 : 1));
            buffer.putShort(position + 1, (short)entry.mode(), ByteOrder.LITTLE_ENDIAN);
            buffer.putLong(position + 3, entry.size(), ByteOrder.LITTLE_ENDIAN);
            buffer.putLong(position + 11, entry.mtimeMillis(), ByteOrder.LITTLE_ENDIAN);
            buffer.putShort(position + 19, (short)paths[i].length, ByteOrder.LITTLE_ENDIAN);
            buffer.putBytes(position + ENTRY_HEADER_LENGTH, paths[i]);
            position += ENTRY_HEADER_LENGTH + paths[i].length;
        }
        return bytes;
    }

    /**
     * @return the entries, in transfer order (unmodifiable).
     */
    public List<ManifestEntry> entries()
    {
        return entries;
    }

    /**
     * @param index entry index.
     * @return the entry.
     */
    public ManifestEntry entry(final int index)
    {
        return entries.get(index);
    }

    /**
     * @return number of entries (files and directories).
     */
    public int size()
    {
        return entries.size();
    }

    /**
     * @return number of FILE entries.
     */
    public int fileCount()
    {
        return fileCount;
    }

    /**
     * @return number of DIRECTORY entries.
     */
    public int directoryCount()
    {
        return entries.size() - fileCount;
    }

    /**
     * @return sum of the sizes of all files.
     */
    public long totalBytes()
    {
        return totalBytes;
    }

    /**
     * @param index     entry index.
     * @param chunkSize bytes per chunk.
     * @return number of chunks of that entry (0 for a directory or an empty file).
     */
    public long chunkCount(final int index, final int chunkSize)
    {
        return entries.get(index).chunkCount(chunkSize);
    }

    /**
     * The local file a FILE entry was scanned from (the sender's side only; not part of the wire form).
     *
     * @param index entry index.
     * @return the source path, or null for a directory.
     * @throws IllegalStateException if this manifest was decoded or built, not scanned.
     */
    public Path source(final int index)
    {
        if (sources == null)
        {
            throw new IllegalStateException("this manifest was not scanned: it has no sources");
        }
        return sources[index];
    }

    /**
     * What {@link #scan(List)} left out, one line each: the path and the reason.
     *
     * @return the skipped items (empty for a decoded manifest).
     */
    public List<String> skipped()
    {
        return skipped;
    }

    @Override
    public String toString()
    {
        return "Manifest{" + fileCount + " files, " + directoryCount() + " directories, " + totalBytes + " bytes}";
    }

    static void checkCollisions(final List<ManifestEntry> entries) throws ManifestException
    {
        final Map<String, ManifestEntry> byKey = new HashMap<>(entries.size() * 2);
        final String[] keys = new String[entries.size()];
        for (int i = 0; i < keys.length; i++)
        {
            final ManifestEntry entry = entries.get(i);
            keys[i] = SafePaths.collisionKey(entry.path());
            final ManifestEntry previous = byKey.putIfAbsent(keys[i], entry);
            if (previous != null)
            {
                throw new ManifestException(previous.path().equals(entry.path()) ?
                    "the manifest lists \"" + SafePaths.printable(entry.path()) + "\" twice" :
                    "the manifest lists \"" + SafePaths.printable(previous.path()) + "\" and \"" +
                    SafePaths.printable(entry.path()) + "\", which differ only in case or Unicode normalisation");
            }
        }
        // A file may not be the parent of another entry. Looking up every ancestor of every path costs
        // O(depth x length) per entry, minutes for a hostile offer of deep 4 KiB paths; instead, with the keys
        // sorted, the first key at or after "file/" starts with it if any key does: O(n log n) comparisons.
        final String[] sorted = keys.clone();
        Arrays.sort(sorted);
        for (int i = 0; i < keys.length; i++)
        {
            if (!entries.get(i).isFile())
            {
                continue;
            }
            final String inside = firstKeyInside(sorted, keys[i]);
            if (inside != null)
            {
                throw new ManifestException("the manifest lists \"" + SafePaths.printable(entries.get(i).path()) +
                    "\" as a file and also \"" + SafePaths.printable(byKey.get(inside).path()) + "\" inside it");
            }
        }
    }

    /**
     * @param sortedKeys collision keys, sorted.
     * @param key        a collision key.
     * @return a key of {@code sortedKeys} below {@code key} as a directory, or null if there is none.
     */
    static String firstKeyInside(final String[] sortedKeys, final String key)
    {
        final String inside = key + "/";
        int at = Arrays.binarySearch(sortedKeys, inside);
        if (at < 0)
        {
            at = -at - 1;
        }
        return at < sortedKeys.length && sortedKeys[at].startsWith(inside) ? sortedKeys[at] : null;
    }

    private static void scanRoot(final Path root, final String rootName, final List<ManifestEntry> entries,
        final Map<ManifestEntry, Path> sourceOf, final List<String> skipped) throws IOException
    {
        final BasicFileAttributes rootAttributes;
        try
        {
            rootAttributes = Files.readAttributes(root, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        }
        catch (final IOException ex)
        {
            throw TransferIOException.of(root.toString(), "cannot read", ex);
        }
        if (!rootAttributes.isDirectory())
        {
            addIfPlain(root, rootName, rootAttributes, entries, sourceOf, skipped);
            return;
        }
        Files.walkFileTree(root, Set.of(), Integer.MAX_VALUE, new SimpleFileVisitor<>()
        {
            @Override
            public FileVisitResult preVisitDirectory(final Path dir, final BasicFileAttributes attributes)
            {
                final String path = relative(root, rootName, dir);
                if (path == null)
                {
                    skipped.add(SafePaths.printable(dir.toString()) + ": name refused by receivers");
                    return FileVisitResult.SKIP_SUBTREE;
                }
                entries.add(new ManifestEntry(path, ManifestEntry.Kind.DIRECTORY, 0,
                    modeOf(dir, ManifestEntry.DEFAULT_DIRECTORY_MODE), attributes.lastModifiedTime().toMillis()));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(final Path file, final BasicFileAttributes attributes)
            {
                final String path = relative(root, rootName, file);
                if (path == null)
                {
                    skipped.add(SafePaths.printable(file.toString()) + ": name refused by receivers");
                }
                else
                {
                    addIfPlain(file, path, attributes, entries, sourceOf, skipped);
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(final Path file, final IOException ex)
            {
                final String path = relative(root, rootName, file);
                skipped.add(SafePaths.printable(path == null ? file.toString() : path) + ": cannot read (" +
                    TransferIOException.describe(ex) + ")");
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private static void addIfPlain(final Path file, final String path, final BasicFileAttributes attributes,
        final List<ManifestEntry> entries, final Map<ManifestEntry, Path> sourceOf, final List<String> skipped)
    {
        if (attributes.isSymbolicLink())
        {
            skipped.add(SafePaths.printable(path) + ": symbolic link (links are not followed)");
        }
        else if (!attributes.isRegularFile())
        {
            skipped.add(SafePaths.printable(path) + ": special file (device, pipe or socket)");
        }
        else if (!Files.isReadable(file))
        {
            // Found now, not after the receiver accepted: a file that cannot be opened would end the transfer.
            skipped.add(SafePaths.printable(path) + ": cannot read (permission denied)");
        }
        else
        {
            final ManifestEntry entry = new ManifestEntry(path, ManifestEntry.Kind.FILE, attributes.size(),
                modeOf(file, ManifestEntry.DEFAULT_FILE_MODE), attributes.lastModifiedTime().toMillis());
            entries.add(entry);
            sourceOf.put(entry, file);
        }
    }

    private static String relative(final Path root, final String rootName, final Path path)
    {
        final StringBuilder joined = new StringBuilder(rootName);
        for (final Path component : root.relativize(path))
        {
            final String name = component.toString();
            if (!name.isEmpty())
            {
                joined.append('/').append(name);
            }
        }
        final String result = joined.toString();
        return SafePaths.isSafe(result) ? result : null;
    }

    private static int modeOf(final Path path, final int fallback)
    {
        try
        {
            final Set<PosixFilePermission> permissions = Files.readAttributes(path, PosixFileAttributes.class,
                LinkOption.NOFOLLOW_LINKS).permissions();
            int mode = 0;
            for (final PosixFilePermission permission : permissions)
            {
                // PosixFilePermission is declared from OWNER_READ (0400) down to OTHERS_EXECUTE (0001).
                mode |= 0400 >> permission.ordinal();
            }
            return mode;
        }
        catch (final UnsupportedOperationException | IOException ex)
        {
            return fallback;
        }
    }
}
