package dev.hayate.core.transport;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * One direction of an in-memory connection: a bounded byte ring with a writer end and a reader end.
 *
 * <p>Thread-safety: safe for one writer and one reader on different threads; waiting uses the monitor.
 */
final class InMemoryPipe
{
    private final byte[] ring;
    private final CopyOnWriteArrayList<Runnable> listeners = new CopyOnWriteArrayList<>();
    private int head;
    private int size;
    private boolean writerClosed;
    private boolean readerClosed;

    InMemoryPipe(final int capacity)
    {
        ring = new byte[capacity];
    }

    int read(final ByteBuffer dst, final int maxBytes) throws IOException
    {
        final int count;
        synchronized (this)
        {
            if (readerClosed)
            {
                throw new ClosedChannelException();
            }
            if (size == 0)
            {
                return writerClosed ? -1 : 0;
            }
            count = Math.min(Math.min(size, dst.remaining()), maxBytes);
            for (int i = 0; i < count; i++)
            {
                dst.put(ring[(head + i) % ring.length]);
            }
            head = (head + count) % ring.length;
            size -= count;
            notifyAll();
        }
        signal();
        return count;
    }

    int write(final ByteBuffer src, final int maxBytes) throws IOException
    {
        final int count;
        synchronized (this)
        {
            if (writerClosed)
            {
                throw new ClosedChannelException();
            }
            if (readerClosed)
            {
                throw new IOException("Broken pipe: the peer closed the connection");
            }
            count = Math.min(Math.min(ring.length - size, src.remaining()), maxBytes);
            for (int i = 0; i < count; i++)
            {
                ring[(head + size + i) % ring.length] = src.get();
            }
            size += count;
            notifyAll();
        }
        if (count > 0)
        {
            signal();
        }
        return count;
    }

    synchronized boolean isReadable()
    {
        return size > 0 || writerClosed || readerClosed;
    }

    synchronized boolean isWritable()
    {
        return size < ring.length || readerClosed || writerClosed;
    }

    boolean awaitReadable(final long timeoutNanos) throws IOException
    {
        return await(true, timeoutNanos);
    }

    boolean awaitWritable(final long timeoutNanos) throws IOException
    {
        return await(false, timeoutNanos);
    }

    private synchronized boolean await(final boolean readable, final long timeoutNanos) throws IOException
    {
        final long deadline = System.nanoTime() + timeoutNanos;
        while (true)
        {
            if (readable ? readerClosed : writerClosed)
            {
                throw new ClosedChannelException();
            }
            if (readable ? isReadable() : isWritable())
            {
                return true;
            }
            final long left = deadline - System.nanoTime();
            if (left <= 0)
            {
                return false;
            }
            try
            {
                wait(Math.max(1, left / 1_000_000), 0);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("interrupted while waiting on an in-memory pipe");
            }
        }
    }

    void closeWriter()
    {
        synchronized (this)
        {
            writerClosed = true;
            notifyAll();
        }
        signal();
    }

    void closeReader()
    {
        synchronized (this)
        {
            readerClosed = true;
            size = 0;
            notifyAll();
        }
        signal();
    }

    void addListener(final Runnable listener)
    {
        listeners.add(listener);
    }

    void removeListener(final Runnable listener)
    {
        listeners.remove(listener);
    }

    private void signal()
    {
        for (final Runnable listener : listeners)
        {
            listener.run();
        }
    }
}
