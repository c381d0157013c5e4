package dev.hayate.core.transport.tls;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

import dev.hayate.core.transport.IoPoller;

/**
 * One thread per TLS server that finishes the handshakes of accepted connections, all on one poller, so a
 * client's first write never waits for the service to read its side (as over TCP, where the kernel answers),
 * the certificate work stays off the service's own threads, and a peer that never finishes is closed at the
 * handshake timeout. A connection leaves the driver as soon as its handshake ends; its owner may advance it
 * too meanwhile (the transport's locks keep them apart). Handshake reads stop at record boundaries, so no
 * application byte is taken out of the socket here.
 *
 * <p>Thread-safety: {@link #add} and {@link #close} from any thread; the rest runs on the driver's thread.
 */
final class HandshakeDriver implements Runnable, AutoCloseable
{
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final ConcurrentLinkedQueue<TlsTransport> arrivals = new ConcurrentLinkedQueue<>();
    private final List<Pending> pending = new ArrayList<>();
    private final IoPoller poller;
    private final Thread thread;
    private volatile boolean closed;

    private static final class Pending
    {
        final TlsTransport transport;
        final IoPoller.Registration registration;

        Pending(final TlsTransport transport, final IoPoller.Registration registration)
        {
            this.transport = transport;
            this.registration = registration;
        }
    }

    HandshakeDriver(final String name) throws IOException
    {
        poller = new IoPoller();
        thread = new Thread(this, name);
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * @param transport accepted, in its handshake.
     */
    void add(final TlsTransport transport)
    {
        arrivals.add(transport);
        poller.wakeup();
    }

    @Override
    public void run()
    {
        try
        {
            while (!closed)
            {
                TlsTransport arrived;
                while ((arrived = arrivals.poll()) != null)
                {
                    admit(arrived);
                }
                poller.poll(POLL_NANOS, this::onReady);
                expire(System.nanoTime());
            }
        }
        catch (final IOException ex)
        {
            // The poller failed: hand every handshake back to its owner, who still advances it.
        }
        finally
        {
            for (final Pending each : pending)
            {
                each.registration.cancel();
            }
            pending.clear();
            try
            {
                poller.close();
            }
            catch (final IOException ex)
            {
                // Closing anyway.
            }
        }
    }

    private void admit(final TlsTransport transport)
    {
        try
        {
            if (transport.advanceHandshake() || !transport.isOpen())
            {
                return;
            }
            final IoPoller.Registration registration = transport.registerForHandshake(poller);
            registration.interestOps(transport.handshakeInterest());
            pending.add(new Pending(transport, registration));
        }
        catch (final IOException ex)
        {
            transport.abortHandshake(ex);
        }
    }

    private void onReady(final Object attachment, final int readyOps)
    {
        for (int i = 0; i < pending.size(); i++)
        {
            final Pending each = pending.get(i);
            if (each.transport == attachment)
            {
                try
                {
                    if (each.transport.advanceHandshake() || !each.transport.isOpen())
                    {
                        remove(i);
                    }
                    else
                    {
                        each.registration.interestOps(each.transport.handshakeInterest());
                    }
                }
                catch (final IOException ex)
                {
                    remove(i);
                    each.transport.abortHandshake(ex);
                }
                return;
            }
        }
    }

    private void expire(final long nowNanos)
    {
        for (int i = pending.size() - 1; i >= 0; i--)
        {
            final Pending each = pending.get(i);
            if (!each.transport.isHandshaking() || !each.transport.isOpen())
            {
                remove(i);
            }
            else if (each.transport.handshakeExpired(nowNanos))
            {
                remove(i);
                each.transport.abortHandshake(new SocketTimeoutException("TLS handshake with " +
                    each.transport.remoteAddress() + " not finished within the handshake timeout"));
            }
        }
    }

    private void remove(final int index)
    {
        pending.get(index).registration.cancel();
        pending.remove(index);
    }

    @Override
    public void close()
    {
        closed = true;
        poller.wakeup();
    }
}
