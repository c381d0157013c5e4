package dev.hayate.transfer.files;

/**
 * What a receiver does when an offered file's target already exists. Whatever the policy, an existing
 * directory is reused (the offer's files go into it, each under its own policy), and no policy ever deletes a
 * directory, replaces a non-directory with a directory, or follows a symbolic link.
 *
 * <p>Thread-safety: immutable.
 */
public enum OverwritePolicy
{
    /**
     * The default: any existing file (or link, or other non-directory) at a file's target, or a non-directory
     * where a directory is needed, makes the whole offer fail before anything is written, with the list of
     * conflicts ({@link Plan#conflicts()}).
     */
    REFUSE,
    /**
     * A file whose target exists is received as {@code name (1).ext}, {@code name (2).ext}, ... (the first
     * name free on disk and not used by another entry of the offer; the extension is what follows the last
     * dot, or {@code .tar.<x>} for compressed archives, and a name starting with its only dot has none). Directories are merged, not renamed: an existing
     * directory is reused and the files inside it are renamed one by one when they conflict.
     */
    RENAME,
    /**
     * An existing regular file is replaced, only with the user's consent (which the caller gives by choosing
     * this policy). The new content goes to a part file and replaces the old file atomically in
     * {@link IncomingFile#complete()}: until then the old content is intact, and it is never truncated.
     */
    OVERWRITE
}
