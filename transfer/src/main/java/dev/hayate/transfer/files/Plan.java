package dev.hayate.transfer.files;

import java.nio.file.Path;
import java.util.List;

/**
 * What a {@link ReceiveFolder} will do with an offer, computed before any byte is written: the final target of
 * every entry (after renaming), the conflicts under the policy, and where each file resumes.
 *
 * <p>Thread-safety: immutable; safe from any thread.
 */
public final class Plan
{
    /**
     * The plan for one manifest entry.
     *
     * <p>Thread-safety: immutable.
     *
     * @param index        entry index in the manifest.
     * @param entry        the manifest entry.
     * @param targetPath   relative path of the target (differs from the entry's path when renamed).
     * @param target       the target on disk.
     * @param renamed      whether the target was renamed because the entry's own target exists.
     * @param replaces     whether an existing file will be replaced (OVERWRITE).
     * @param resumeChunks chunks already on disk in a verified part file (0: start from the beginning).
     * @param resumeOffset bytes already on disk: {@code min(resumeChunks * chunkSize, size)}.
     * @param existed      for a directory entry, whether the directory was already there when planned: its mode
     *                     and time are then the receiving user's and are left as they are.
     */
    public record Item(int index, ManifestEntry entry, String targetPath, Path target, boolean renamed,
        boolean replaces, long resumeChunks, long resumeOffset, boolean existed)
    {
    }

    private final Path outputDir;
    private final Manifest manifest;
    private final OverwritePolicy policy;
    private final int chunkSize;
    private final int digestAlgorithmId;
    private final int digestLength;
    private final List<Item> items;
    private final List<String> conflicts;

    Plan(final Path outputDir, final Manifest manifest, final OverwritePolicy policy, final int chunkSize,
        final int digestAlgorithmId, final int digestLength, final List<Item> items, final List<String> conflicts)
    {
        this.outputDir = outputDir;
        this.manifest = manifest;
        this.policy = policy;
        this.chunkSize = chunkSize;
        this.digestAlgorithmId = digestAlgorithmId;
        this.digestLength = digestLength;
        this.items = List.copyOf(items);
        this.conflicts = List.copyOf(conflicts);
    }

    /**
     * @return the output folder.
     */
    public Path outputDir()
    {
        return outputDir;
    }

    /**
     * @return the manifest planned.
     */
    public Manifest manifest()
    {
        return manifest;
    }

    /**
     * @return the overwrite policy.
     */
    public OverwritePolicy policy()
    {
        return policy;
    }

    /**
     * @return bytes per chunk.
     */
    public int chunkSize()
    {
        return chunkSize;
    }

    /**
     * @return the digest algorithm's identifier, recorded in part-file sidecars.
     */
    public int digestAlgorithmId()
    {
        return digestAlgorithmId;
    }

    /**
     * @return bytes per chunk digest.
     */
    public int digestLength()
    {
        return digestLength;
    }

    /**
     * @return one item per manifest entry, in manifest order.
     */
    public List<Item> items()
    {
        return items;
    }

    /**
     * @param index entry index.
     * @return its item.
     */
    public Item item(final int index)
    {
        return items.get(index);
    }

    /**
     * @param index entry index.
     * @return the target on disk.
     */
    public Path target(final int index)
    {
        return items.get(index).target();
    }

    /**
     * @param index entry index.
     * @return chunks of that file already on disk (0 to start over).
     */
    public long resumeChunks(final int index)
    {
        return items.get(index).resumeChunks();
    }

    /**
     * @param index entry index.
     * @return bytes of that file already on disk.
     */
    public long resumeOffset(final int index)
    {
        return items.get(index).resumeOffset();
    }

    /**
     * @return bytes of the whole offer already on disk (resumed).
     */
    public long resumedBytes()
    {
        long total = 0;
        for (final Item item : items)
        {
            total += item.resumeOffset();
        }
        return total;
    }

    /**
     * What prevents this offer from being received, one line each: the relative path (escaped) and why.
     *
     * @return the conflicts; empty when the offer may proceed.
     */
    public List<String> conflicts()
    {
        return conflicts;
    }

    /**
     * @return whether there is at least one conflict.
     */
    public boolean isRefused()
    {
        return !conflicts.isEmpty();
    }

    /**
     * @throws ConflictException listing the conflicts, if there are any.
     */
    public void checkAccepted() throws ConflictException
    {
        if (!conflicts.isEmpty())
        {
            throw new ConflictException(conflicts);
        }
    }

    @Override
    public String toString()
    {
        return "Plan{" + manifest + ", " + policy + ", conflicts=" + conflicts.size() + ", resumed=" + resumedBytes() +
            " bytes}";
    }
}
