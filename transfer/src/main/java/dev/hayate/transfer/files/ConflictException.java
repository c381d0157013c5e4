package dev.hayate.transfer.files;

import java.util.List;

/**
 * An offer cannot be received under the chosen {@link OverwritePolicy}: the listed targets exist (or are
 * reserved). Raised before anything is written.
 *
 * <p>Thread-safety: immutable.
 */
public final class ConflictException extends TransferIOException
{
    private static final long serialVersionUID = 1L;

    private final transient List<String> conflicts;

    /**
     * @param conflicts one line per conflict: the relative path and why.
     */
    public ConflictException(final List<String> conflicts)
    {
        super("output folder", "the offer conflicts with " +
            conflicts.size() + " existing item" + (conflicts.size() == 1 ? "" : "s") + " in the output folder: " +
            String.join("; ", conflicts));
        this.conflicts = List.copyOf(conflicts);
    }

    /**
     * @return the conflicts, one line each (already escaped for printing).
     */
    public List<String> conflicts()
    {
        return conflicts;
    }
}
