package dev.hayate.transfer.files;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.zip.CRC32C;

/**
 * The receiver's disk side: plans an offer against an output folder, then creates its directories and
 * receives its files through part files.
 *
 * <h2>Part files</h2>
 * A file is written to {@code .<name>.hayate-part} beside its target (hidden), and the digest of every chunk
 * written is appended to the sidecar {@code .<name>.hayate-part.sums} (names whose part name would exceed 255
 * bytes use {@code .hayate-part-<hash>} instead). The sidecar starts with a header that identifies what the part
 * file belongs to, so the part of another file (or of another version of it) is never resumed:
 * <pre>
 *   0        4          8            12         16         24           32           36
 *   +--------+----------+------------+----------+----------+------------+------------+----------+----------+---
 *   | magic  | version  | digest     | digest   | file     | file mtime | chunk size | digest 0 | digest 1 |...
 *   | "HYS1" | int32 =1 | algorithm  | length   | size     | millis     | int32      |          |          |
 *   |        |          | id, int32  | int32    | int64    | int64      |            | digestLength bytes each
 *   +--------+----------+------------+----------+----------+------------+------------+----------+----------+---
 *   all integers little-endian
 * </pre>
 * Chunks are written before their digests. A crash (even {@code kill -9}) can leave the two of different
 * lengths, so a file resumes from {@code k = min(digests in the sidecar, whole chunks in the part file)}, and
 * chunk {@code k - 1} is read back and checked with the {@link ChunkVerifier}; a mismatch starts the file over.
 * Only the last chunk is read, not the whole file. The part file is then truncated to {@code k} chunks (it is
 * our own file, never a user's). Nothing is forced to disk per chunk (that would cap the speed); the part file is
 * forced once, in {@link IncomingFile#complete()}, before it takes the target's name. Entries of an offer whose
 * names look like part files or sidecars are conflicts under every policy.
 *
 * <h2>Modes</h2>
 * Mode bits are applied best effort, without group or other write permission (a sender cannot make anything
 * world-writable), and so that the receiving user can read its files and use its directories:
 * files get {@code (mode & 0755) | 0400}, directories {@code (mode & 0755) | 0700}.
 *
 * <p>Thread-safety: a {@code ReceiveFolder} holds no mutable state and may plan from any thread; each
 * {@link IncomingFile} is used by one thread at a time. Two folders must not receive the same offer into the same
 * directory concurrently.
 */
public final class ReceiveFolder
{
    /** Suffix of part files. */
    public static final String PART_SUFFIX = ".hayate-part";
    /** Suffix of part-file sidecars (after {@link #PART_SUFFIX}). */
    public static final String SUMS_SUFFIX = ".sums";
    static final int SUMS_MAGIC = 0x31535948;
    static final int SUMS_VERSION = 1;
    static final int SUMS_HEADER_LENGTH = 36;

    private final Path outputDir;
    private final OverwritePolicy policy;
    private final boolean resume;
    private final ChunkVerifier verifier;

    /**
     * A folder without a verifier: part files from an earlier attempt cannot be verified, so nothing is resumed
     * even when {@code resume} is true. Use the four-argument form to resume.
     *
     * @param outputDir the output folder (must exist and be a directory).
     * @param policy    what to do with existing targets.
     * @param resume    whether to resume from part files of an earlier attempt.
     */
    public ReceiveFolder(final Path outputDir, final OverwritePolicy policy, final boolean resume)
    {
        this(outputDir, policy, resume, null);
    }

    /**
     * @param outputDir the output folder (must exist and be a directory).
     * @param policy    what to do with existing targets.
     * @param resume    whether to resume from part files of an earlier attempt.
     * @param verifier  checks the last stored chunk of a part file against its digest; null resumes nothing.
     */
    public ReceiveFolder(final Path outputDir, final OverwritePolicy policy, final boolean resume,
        final ChunkVerifier verifier)
    {
        if (outputDir == null || policy == null)
        {
            throw new IllegalArgumentException("outputDir and policy are required");
        }
        this.outputDir = outputDir;
        this.policy = policy;
        this.resume = resume && verifier != null;
        this.verifier = verifier;
    }

    /**
     * @return the output folder.
     */
    public Path outputDir()
    {
        return outputDir;
    }

    /**
     * Plans an offer with digest algorithm id 0. See {@link #plan(Manifest, int, int, int)}.
     *
     * @param manifest     the offer.
     * @param chunkSize    bytes per chunk.
     * @param digestLength bytes per chunk digest.
     * @return the plan.
     * @throws IOException as {@link #plan(Manifest, int, int, int)}.
     */
    public Plan plan(final Manifest manifest, final int chunkSize, final int digestLength) throws IOException
    {
        return plan(manifest, chunkSize, 0, digestLength);
    }

    /**
     * Plans an offer without writing anything: validates every path, resolves every target (refusing symbolic
     * links under the output folder), lists the conflicts under the policy, picks renamed targets, and finds
     * and verifies resumable part files. Conflicts do not throw: they are listed in {@link Plan#conflicts()} and
     * {@link #open} refuses a plan that has any.
     *
     * @param manifest          the offer.
     * @param chunkSize         bytes per chunk (at least 1).
     * @param digestAlgorithmId identifies the digest algorithm in part-file sidecars.
     * @param digestLength      bytes per chunk digest (0 to 1024).
     * @return the plan.
     * @throws HostilePathException if a path is refused.
     * @throws TransferIOException  if the output folder is missing or not a directory, or a path passes through
     *                              a symbolic link under it (an existing non-directory in a path's way is a
     *                              conflict).
     * @throws IOException          if the disk cannot be examined.
     */
    public Plan plan(final Manifest manifest, final int chunkSize, final int digestAlgorithmId,
        final int digestLength) throws IOException
    {
        if (chunkSize < 1 || digestLength < 0 || digestLength > 1024)
        {
            throw new IllegalArgumentException("chunkSize " + chunkSize + " / digestLength " + digestLength);
        }
        try
        {
            if (!Files.readAttributes(outputDir, BasicFileAttributes.class).isDirectory())
            {
                throw new TransferIOException(outputDir.toString(), "the output folder is not a directory");
            }
        }
        catch (final IOException ex)
        {
            throw TransferIOException.of(outputDir.toString(), "cannot use the output folder", ex);
        }
        final List<Plan.Item> items = new ArrayList<>(manifest.size());
        final List<String> conflicts = new ArrayList<>();
        final Set<String> claimed = new HashSet<>();
        for (final ManifestEntry entry : manifest.entries())
        {
            claimed.add(SafePaths.collisionKey(entry.path()));
        }
        // A new name must not be one the offer needs as a directory either ("x (1)" when it also brings "x (1)/y").
        final String[] sortedKeys = policy == OverwritePolicy.RENAME ? claimed.toArray(new String[0]) : null;
        if (sortedKeys != null)
        {
            Arrays.sort(sortedKeys);
        }
        ByteBuffer verifyBuffer = null;
        for (int index = 0; index < manifest.size(); index++)
        {
            final ManifestEntry entry = manifest.entry(index);
            final String path = entry.path();
            SafePaths.validate(path);
            final int slash = path.lastIndexOf('/');
            if (hasReservedComponent(path))
            {
                conflicts.add(SafePaths.printable(path) + ": name reserved for part files");
                items.add(new Plan.Item(index, entry, path, outputDir.resolve(path), false, false, 0, 0, false));
                continue;
            }
            final String blocked = slash > 0 ? blockedAncestor(path, slash) : null;
            if (blocked != null)
            {
                conflicts.add(SafePaths.printable(path) + ": " + SafePaths.printable(blocked) +
                    " exists and is not a directory");
                items.add(new Plan.Item(index, entry, path, outputDir.resolve(path), false, false, 0, 0, false));
                continue;
            }
            final Path target = outputDir.resolve(path);
            final BasicFileAttributes existing = SafePaths.attributesOrNull(target);
            if (!entry.isFile())
            {
                if (existing != null && (existing.isSymbolicLink() || !existing.isDirectory()))
                {
                    conflicts.add(SafePaths.printable(path) + ": exists and is not a directory");
                }
                items.add(new Plan.Item(index, entry, path, target, false, false, 0, 0, existing != null));
                continue;
            }
            String targetPath = path;
            Path finalTarget = target;
            boolean renamed = false;
            boolean replaces = false;
            if (existing != null)
            {
                switch (policy)
                {
                    case REFUSE:
                        conflicts.add(SafePaths.printable(path) + ": exists");
                        break;
                    case OVERWRITE:
                        if (existing.isRegularFile())
                        {
                            replaces = true;
                        }
                        else
                        {
                            conflicts.add(SafePaths.printable(path) + ": exists and is not a regular file");
                        }
                        break;
                    case RENAME:
                        targetPath = freeName(path, slash, claimed, sortedKeys);
                        if (targetPath == null)
                        {
                            conflicts.add(SafePaths.printable(path) + ": exists and no free name was found");
                            targetPath = path;
                        }
                        else
                        {
                            finalTarget = outputDir.resolve(targetPath);
                            renamed = true;
                        }
                        break;
                    default:
                        throw new IllegalStateException("unknown policy " + policy);
                }
            }
            long resumeChunks = 0;
            if (resume && entry.size() > 0)
            {
                if (verifyBuffer == null)
                {
                    verifyBuffer = ByteBuffer.allocateDirect(chunkSize);
                }
                resumeChunks = resumableChunks(finalTarget, entry, chunkSize, digestAlgorithmId, digestLength,
                    verifyBuffer);
            }
            final long resumeOffset = Math.min(resumeChunks * chunkSize, entry.size());
            items.add(new Plan.Item(index, entry, targetPath, finalTarget, renamed, replaces, resumeChunks,
                resumeOffset, false));
        }
        return new Plan(outputDir, manifest, policy, chunkSize, digestAlgorithmId, digestLength, items, conflicts);
    }

    /**
     * Creates every directory of a plan (empty ones included), inside the output folder, creating no symbolic
     * link and following none. Call after consent, before the files.
     *
     * @param plan an accepted plan from this folder.
     * @throws ConflictException   if the plan has conflicts.
     * @throws TransferIOException if a directory cannot be created (naming it and the cause).
     */
    public void createDirectories(final Plan plan) throws IOException
    {
        checkOwnPlan(plan);
        for (final Plan.Item item : plan.items())
        {
            if (!item.entry().isFile())
            {
                SafePaths.createDirectoriesInside(outputDir, item.targetPath());
            }
        }
    }

    /**
     * Applies the directories' modes and modification times, best effort, deepest first (writing files into a
     * directory changes its time, and a read-only mode would stop those writes). Call after the last file.
     * Only directories the offer brought: one that was already there ({@link Plan.Item#existed()}, such as
     * {@code .ssh} when receiving into a home folder) keeps its mode and time, so no sender can open up a
     * private directory by naming it. A directory made by an interrupted attempt counts as already there on resume.
     *
     * @param plan the plan received.
     */
    public void finishDirectories(final Plan plan)
    {
        final List<Plan.Item> items = plan.items();
        for (int i = items.size() - 1; i >= 0; i--)
        {
            final Plan.Item item = items.get(i);
            if (!item.entry().isFile() && !item.existed())
            {
                try
                {
                    final BasicFileAttributes attributes = SafePaths.attributesOrNull(item.target());
                    if (attributes != null && attributes.isDirectory() && !attributes.isSymbolicLink())
                    {
                        applyMode(item.target(), (item.entry().mode() & 0755) | 0700);
                        Files.setLastModifiedTime(item.target(), FileTime.fromMillis(item.entry().mtimeMillis()));
                    }
                }
                catch (final IOException | RuntimeException ignored)
                {
                    // Best effort: the content is what matters; a time or mode that cannot be set is not an error.
                }
            }
        }
    }

    /**
     * Opens one file of an accepted plan for receiving: creates its parent directories if needed and its part
     * file and sidecar (or reopens them to resume, truncated to the plan's resume point).
     *
     * @param plan      an accepted plan from this folder.
     * @param fileIndex index of a FILE entry.
     * @return the incoming file; the caller must {@link IncomingFile#complete()} or
     * {@link IncomingFile#abandon(boolean)} it.
     * @throws ConflictException   if the plan has conflicts.
     * @throws TransferIOException if the part file cannot be created or reopened (naming the file and the cause).
     */
    public IncomingFile open(final Plan plan, final int fileIndex) throws IOException
    {
        checkOwnPlan(plan);
        final Plan.Item item = plan.item(fileIndex);
        if (!item.entry().isFile())
        {
            throw new IllegalArgumentException("entry " + fileIndex + " is a directory");
        }
        final String targetPath = item.targetPath();
        final int slash = targetPath.lastIndexOf('/');
        if (slash > 0)
        {
            SafePaths.createDirectoriesInside(outputDir, targetPath.substring(0, slash));
        }
        // Checked again now that the directories exist: the target itself must not be a link either.
        final Path target = SafePaths.resolveInside(outputDir, targetPath);
        return IncomingFile.open(plan, item, target, partPath(target), sumsPath(target));
    }

    /**
     * The part file of a target.
     *
     * @param target a file's target.
     * @return {@code .<name>.hayate-part} beside it (or {@code .hayate-part-<hash>} for very long names).
     */
    public static Path partPath(final Path target)
    {
        final String name = target.getFileName().toString();
        final String part = "." + name + PART_SUFFIX;
        if (SafePaths.utf8Length(part, 0, part.length()) + SUMS_SUFFIX.length() <= SafePaths.MAX_COMPONENT_BYTES)
        {
            return target.resolveSibling(part);
        }
        final CRC32C crc = new CRC32C();
        final byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
        crc.update(bytes);
        return target.resolveSibling(PART_SUFFIX + "-" + Long.toHexString(crc.getValue()) + "-" +
            Integer.toHexString(name.hashCode()));
    }

    /**
     * The sidecar of a target's part file.
     *
     * @param target a file's target.
     * @return the part file's name plus {@code .sums}.
     */
    public static Path sumsPath(final Path target)
    {
        final Path part = partPath(target);
        return part.resolveSibling(part.getFileName().toString() + SUMS_SUFFIX);
    }

    static void applyMode(final Path path, final int mode)
    {
        try
        {
            final Set<PosixFilePermission> permissions = EnumSet.noneOf(PosixFilePermission.class);
            for (final PosixFilePermission permission : PosixFilePermission.values())
            {
                if ((mode & (0400 >> permission.ordinal())) != 0)
                {
                    permissions.add(permission);
                }
            }
            Files.setPosixFilePermissions(path, permissions);
        }
        catch (final IOException | UnsupportedOperationException ignored)
        {
            // Best effort: not every file system has POSIX permissions.
        }
    }

    private void checkOwnPlan(final Plan plan) throws ConflictException
    {
        if (!plan.outputDir().equals(outputDir) || plan.policy() != policy)
        {
            throw new IllegalArgumentException("the plan was made by another ReceiveFolder");
        }
        plan.checkAccepted();
    }

    /**
     * Examines the existing ancestors of a path without following links.
     *
     * @return the first existing ancestor that is not a directory, or null when every existing one is.
     * @throws TransferIOException if an ancestor is a symbolic link: no link is ever passed through.
     */
    private String blockedAncestor(final String path, final int lastSlash) throws IOException
    {
        for (int slash = path.indexOf('/'); slash > 0 && slash <= lastSlash; slash = path.indexOf('/', slash + 1))
        {
            final String ancestor = path.substring(0, slash);
            final BasicFileAttributes attributes = SafePaths.attributesOrNull(outputDir.resolve(ancestor));
            if (attributes == null)
            {
                return null;
            }
            if (attributes.isSymbolicLink())
            {
                throw new TransferIOException(path, "refusing to follow the symbolic link " +
                    SafePaths.printable(ancestor) + " inside the output folder");
            }
            if (!attributes.isDirectory())
            {
                return ancestor;
            }
        }
        return null;
    }

    /**
     * Whether any component of the path looks like a part file or a sidecar: as a directory too, such a name would
     * stand where a part file is made (".a.hayate-part/b" beside "a"). Compared ignoring case, since on a
     * case-insensitive file system ".a.HAYATE-PART" is the part file of "a".
     */
    private static boolean hasReservedComponent(final String path)
    {
        for (final String component : path.split("/"))
        {
            final String name = component.toLowerCase(Locale.ROOT);
            if (name.endsWith(PART_SUFFIX) || name.endsWith(PART_SUFFIX + SUMS_SUFFIX) ||
                name.startsWith(PART_SUFFIX + "-"))
            {
                return true;
            }
        }
        return false;
    }

    private String freeName(final String path, final int slash, final Set<String> claimed, final String[] sortedKeys)
        throws IOException
    {
        final String name = path.substring(slash + 1);
        int dot = name.lastIndexOf('.');
        if (dot > 4 && name.regionMatches(true, dot - 4, ".tar", 0, 4))
        {
            // Keep compound archive extensions whole: x (1).tar.gz, not x.tar (1).gz.
            dot -= 4;
        }
        final String stem = dot > 0 ? name.substring(0, dot) : name;
        final String extension = dot > 0 ? name.substring(dot) : "";
        final String parent = path.substring(0, slash + 1);
        for (int n = 1; n <= 9999; n++)
        {
            final String candidate = parent + stem + " (" + n + ")" + extension;
            final String key = SafePaths.collisionKey(candidate);
            if (claimed.contains(key) || Manifest.firstKeyInside(sortedKeys, key) != null ||
                !SafePaths.isSafe(candidate))
            {
                continue;
            }
            final Path target = outputDir.resolve(candidate);
            if (SafePaths.attributesOrNull(target) == null)
            {
                claimed.add(key);
                return candidate;
            }
        }
        return null;
    }

    private long resumableChunks(final Path target, final ManifestEntry entry, final int chunkSize,
        final int digestAlgorithmId, final int digestLength, final ByteBuffer verifyBuffer) throws IOException
    {
        final Path part = partPath(target);
        final Path sums = sumsPath(target);
        final BasicFileAttributes partAttributes = SafePaths.attributesOrNull(part);
        final BasicFileAttributes sumsAttributes = SafePaths.attributesOrNull(sums);
        if (partAttributes == null || sumsAttributes == null || !partAttributes.isRegularFile() ||
            !sumsAttributes.isRegularFile() || sumsAttributes.size() < SUMS_HEADER_LENGTH)
        {
            return 0;
        }
        try (FileChannel sumsChannel = FileChannel.open(sums, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
            FileChannel partChannel = FileChannel.open(part, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS))
        {
            final ByteBuffer header = ByteBuffer.allocate(SUMS_HEADER_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
            if (IncomingFile.readFully(sumsChannel, header, 0) != SUMS_HEADER_LENGTH)
            {
                return 0;
            }
            header.flip();
            if (header.getInt(0) != SUMS_MAGIC || header.getInt(4) != SUMS_VERSION ||
                header.getInt(8) != digestAlgorithmId || header.getInt(12) != digestLength ||
                header.getLong(16) != entry.size() || header.getLong(24) != entry.mtimeMillis() ||
                header.getInt(32) != chunkSize)
            {
                return 0;
            }
            final long chunkCount = entry.chunkCount(chunkSize);
            final long digestsStored = digestLength == 0 ? chunkCount :
                (sumsChannel.size() - SUMS_HEADER_LENGTH) / digestLength;
            final long partLength = partChannel.size();
            final long partChunks = partLength >= entry.size() ? chunkCount : partLength / chunkSize;
            final long chunks = Math.min(Math.min(digestsStored, partChunks), chunkCount);
            if (chunks == 0)
            {
                return 0;
            }
            final long lastStart = (chunks - 1) * chunkSize;
            final int lastLength = (int)Math.min(chunkSize, entry.size() - lastStart);
            verifyBuffer.clear().limit(lastLength);
            if (IncomingFile.readFully(partChannel, verifyBuffer, lastStart) != lastLength)
            {
                return 0;
            }
            verifyBuffer.flip();
            final byte[] digest = new byte[digestLength];
            final ByteBuffer digestBuffer = ByteBuffer.wrap(digest);
            if (IncomingFile.readFully(sumsChannel, digestBuffer, SUMS_HEADER_LENGTH + (chunks - 1) * digestLength) !=
                digestLength)
            {
                return 0;
            }
            return verifier.matches(verifyBuffer, digest, 0) ? chunks : 0;
        }
        catch (final IOException ex)
        {
            // An unreadable part file is not resumed; starting over replaces it (or reports why it cannot).
            return 0;
        }
    }
}
