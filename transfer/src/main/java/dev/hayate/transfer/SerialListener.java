package dev.hayate.transfer;

/**
 * Keeps the {@link TransferListener} promise of one call at a time: a receiver's writer thread reports progress
 * while its network thread enters stages (verifying, failed), and a sender's pairing runs on the I/O loop while
 * the caller's thread reports connecting. Calls come at most once per chunk, so an uncontended lock costs nothing
 * that shows.
 *
 * <p>Thread-safety: thread-safe; every call to the wrapped listener happens under this object's lock, so each
 * call also sees what the previous one wrote.
 */
final class SerialListener implements TransferListener
{
    private final TransferListener listener;

    private SerialListener(final TransferListener listener)
    {
        this.listener = listener;
    }

    /**
     * @param listener the application's listener.
     * @return one whose calls never overlap ({@link TransferListener#NONE} as it is: it does nothing).
     */
    static TransferListener of(final TransferListener listener)
    {
        return listener == TransferListener.NONE || listener instanceof SerialListener ? listener :
            new SerialListener(listener);
    }

    @Override
    public synchronized void onStage(final Stage stage, final String detail)
    {
        listener.onStage(stage, detail);
    }

    @Override
    public synchronized void onProgress(final long bytesDone, final long bytesTotal, final int fileIndex)
    {
        listener.onProgress(bytesDone, bytesTotal, fileIndex);
    }

    @Override
    public synchronized void onSkipped(final String item)
    {
        listener.onSkipped(item);
    }

    @Override
    public synchronized void onFailed(final TransferException failure)
    {
        listener.onFailed(failure);
    }
}
