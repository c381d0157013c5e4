package dev.hayate.transfer;

import java.util.List;

import dev.hayate.transfer.files.Manifest;
import dev.hayate.transfer.files.ManifestEntry;
import dev.hayate.transfer.files.Plan;

/**
 * What a sender offers, as the receiver's user sees it before anything is written: every path, its size, the
 * totals, which targets exist (and what the overwrite policy does about them), and what can be resumed. Every
 * path has already been validated.
 *
 * <p>Thread-safety: immutable.
 */
public final class Offer
{
    private final Manifest manifest;
    private final Plan plan;

    Offer(final Manifest manifest, final Plan plan)
    {
        this.manifest = manifest;
        this.plan = plan;
    }

    /** @return every entry, files and directories, in the order they will arrive. */
    public List<ManifestEntry> entries()
    {
        return manifest.entries();
    }

    /** @return number of files. */
    public int fileCount()
    {
        return manifest.fileCount();
    }

    /** @return number of directories. */
    public int directoryCount()
    {
        return manifest.directoryCount();
    }

    /** @return bytes of file content. */
    public long totalBytes()
    {
        return manifest.totalBytes();
    }

    /** @return bytes already here in verified part files, which will not be sent again. */
    public long resumableBytes()
    {
        return plan.resumedBytes();
    }

    /** @return existing targets the policy refuses (the offer cannot be accepted while any remain). */
    public List<String> conflicts()
    {
        return plan.conflicts();
    }

    /** @return the disk plan: final target of each entry, renamed or replaced targets, resume points. */
    public Plan plan()
    {
        return plan;
    }

    @Override
    public String toString()
    {
        return "Offer(" + fileCount() + " files, " + directoryCount() + " directories, " + totalBytes() + " bytes)";
    }
}
