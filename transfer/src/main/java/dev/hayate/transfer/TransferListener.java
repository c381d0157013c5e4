package dev.hayate.transfer;

/**
 * Told of a transfer's stages and progress, for a UI. Calls come from the transfer's own threads (one at a
 * time); keep them short, they run between chunks. Progress comes at most once per chunk.
 *
 * <p>Thread-safety: an implementation is called from one transfer thread at a time, but not always the same one.
 */
public interface TransferListener
{
    /** A listener that ignores everything. */
    TransferListener NONE = new TransferListener()
    {
    };

    /**
     * @param stage  the stage entered.
     * @param detail a short human note (the address, the file count ...), or an empty string.
     */
    default void onStage(final Stage stage, final String detail)
    {
    }

    /**
     * @param bytesDone  bytes of file content sent (or written) so far, resumed bytes included.
     * @param bytesTotal bytes of file content in the whole offer.
     * @param fileIndex  the file being moved (index in the manifest).
     */
    default void onProgress(final long bytesDone, final long bytesTotal, final int fileIndex)
    {
    }

    /**
     * An item the sender found but left out of its offer: a symbolic link (never followed), a special file, an
     * unreadable folder or a name receivers would refuse. Called once per item, after the paths are scanned and
     * before the receiver is reached, so a UI can say so before anything moves. Senders only.
     *
     * @param item the item's path and the reason, already escaped for printing
     *             ({@code "photos/latest: symbolic link (links are not followed)"}).
     */
    default void onSkipped(final String item)
    {
    }

    /**
     * @param failure what went wrong; the transfer has stopped.
     */
    default void onFailed(final TransferException failure)
    {
    }
}
