package dev.hayate.transfer.files;

/**
 * A source file changed (size or modification time) while it was being sent, so what was sent may be a mix
 * of two versions; the transfer of that file must not be presented as complete.
 *
 * <p>Thread-safety: immutable.
 */
public final class FileChangedException extends TransferIOException
{
    private static final long serialVersionUID = 1L;

    /**
     * @param file    the file, as shown to the user.
     * @param message what changed.
     */
    public FileChangedException(final String file, final String message)
    {
        super(file, "changed while it was being sent (" + message + ")");
    }
}
