package dev.hayate.core.transport;

import java.io.IOException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.IntSupplier;

/**
 * Readiness multiplexer of one event loop. Selectable transports (TCP) register their channel with the
 * loop's {@link Selector}; other transports (QUIC streams, in-memory pipes) register a readiness probe
 * and call {@link #wakeup()} whenever their readiness may have changed. Both are reported through the
 * same {@link Handler}, level-triggered: a transport that is still ready is reported again on the next
 * poll.
 *
 * <p>Thread-safety: everything except {@link #wakeup()} must be called on the loop's thread.
 * {@link #wakeup()} may be called from any thread.
 */
public final class IoPoller implements AutoCloseable
{
    /** Ready to read (or to see end of stream). */
    public static final int READ = SelectionKey.OP_READ;
    /** Ready to write. */
    public static final int WRITE = SelectionKey.OP_WRITE;
    /** A connection is pending on a server. */
    public static final int ACCEPT = SelectionKey.OP_ACCEPT;

    /**
     * Receives readiness events on the loop's thread.
     */
    @FunctionalInterface
    public interface Handler
    {
        /**
         * @param attachment given at registration.
         * @param readyOps   bit set of {@link #READ}, {@link #WRITE}, {@link #ACCEPT}.
         */
        void onReady(Object attachment, int readyOps);
    }

    /**
     * One transport's registration: its interest set and its cancellation. Loop thread only.
     */
    public abstract static class Registration
    {
        final Object attachment;

        /**
         * For transports that combine registrations (a channel plus a probe of bytes they buffer).
         *
         * @param attachment handed back with every readiness event.
         */
        protected Registration(final Object attachment)
        {
            this.attachment = attachment;
        }

        /**
         * @param ops new interest set, a bit set of {@link #READ}, {@link #WRITE}, {@link #ACCEPT}.
         */
        public abstract void interestOps(int ops);

        /**
         * @return the current interest set.
         */
        public abstract int interestOps();

        /**
         * Stops reporting readiness for this transport.
         */
        public abstract void cancel();
    }

    private final Selector selector;
    private final List<ProbeRegistration> probes = new ArrayList<>();
    private final Consumer<SelectionKey> keyConsumer = this::onSelectedKey;
    private Handler currentHandler;
    private int currentReady;

    /**
     * Opens a poller with its own selector.
     *
     * @throws IOException if the selector cannot be opened.
     */
    public IoPoller() throws IOException
    {
        selector = Selector.open();
    }

    /**
     * Registers a selectable channel. Used by transports, not applications.
     *
     * @param channel    in non-blocking mode.
     * @param ops        initial interest set.
     * @param attachment handed back with events.
     * @return the registration.
     * @throws IOException if the channel is closed.
     */
    public Registration registerChannel(final SelectableChannel channel, final int ops, final Object attachment)
        throws IOException
    {
        final SelectionKey key = channel.register(selector, ops, null);
        final ChannelRegistration registration = new ChannelRegistration(key, attachment);
        key.attach(registration);
        return registration;
    }

    /**
     * Registers a transport that is not a selectable channel. It must call {@link #wakeup()} whenever its
     * readiness may have changed.
     *
     * @param readyOps   returns the operations that would make progress now.
     * @param ops        initial interest set.
     * @param attachment handed back with events.
     * @return the registration.
     */
    public Registration registerProbe(final IntSupplier readyOps, final int ops, final Object attachment)
    {
        final ProbeRegistration registration = new ProbeRegistration(readyOps, ops, attachment);
        probes.add(registration);
        return registration;
    }

    /**
     * Reports every ready registration to {@code handler}, waiting up to {@code timeoutNanos} for the first.
     *
     * @param timeoutNanos longest wait; 0 polls without waiting, negative waits until woken.
     * @param handler      receives the events.
     * @return the number of events reported.
     * @throws IOException if the selector failed.
     */
    public int poll(final long timeoutNanos, final Handler handler) throws IOException
    {
        currentHandler = handler;
        currentReady = 0;
        try
        {
            final int probed = pollProbes(handler);
            if (probed > 0 || timeoutNanos == 0)
            {
                selector.selectNow(keyConsumer);
            }
            else if (timeoutNanos < 0)
            {
                selector.select(keyConsumer);
            }
            else
            {
                selector.select(keyConsumer, Math.max(1, TimeUnit.NANOSECONDS.toMillis(timeoutNanos + 999_999)));
            }
            if (probed == 0)
            {
                currentReady += pollProbes(handler);
            }
            return currentReady + probed;
        }
        catch (final ClosedSelectorException ex)
        {
            throw new IOException("poller closed", ex);
        }
        finally
        {
            currentHandler = null;
        }
    }

    private int pollProbes(final Handler handler)
    {
        int count = 0;
        for (int i = 0; i < probes.size(); i++)
        {
            final ProbeRegistration probe = probes.get(i);
            final int ready = probe.interest & probe.readyOps.getAsInt();
            if (ready != 0)
            {
                count++;
                handler.onReady(probe.attachment, ready);
            }
        }
        return count;
    }

    private void onSelectedKey(final SelectionKey key)
    {
        if (!key.isValid())
        {
            return;
        }
        final ChannelRegistration registration = (ChannelRegistration)key.attachment();
        currentReady++;
        currentHandler.onReady(registration.attachment, key.readyOps());
    }

    /**
     * Makes a poll that is waiting return now, or the next poll return at once. Any thread.
     */
    public void wakeup()
    {
        selector.wakeup();
    }

    /**
     * @return the number of live registrations.
     */
    public int registrations()
    {
        return selector.keys().size() + probes.size();
    }

    @Override
    public void close() throws IOException
    {
        probes.clear();
        selector.close();
    }

    private static final class ChannelRegistration extends Registration
    {
        private final SelectionKey key;

        ChannelRegistration(final SelectionKey key, final Object attachment)
        {
            super(attachment);
            this.key = key;
        }

        @Override
        public void interestOps(final int ops)
        {
            if (key.isValid() && key.interestOps() != ops)
            {
                key.interestOps(ops);
            }
        }

        @Override
        public int interestOps()
        {
            return key.isValid() ? key.interestOps() : 0;
        }

        @Override
        public void cancel()
        {
            key.cancel();
        }
    }

    private final class ProbeRegistration extends Registration
    {
        private final IntSupplier readyOps;
        private int interest;

        ProbeRegistration(final IntSupplier readyOps, final int interest, final Object attachment)
        {
            super(attachment);
            this.readyOps = readyOps;
            this.interest = interest;
        }

        @Override
        public void interestOps(final int ops)
        {
            interest = ops;
        }

        @Override
        public int interestOps()
        {
            return interest;
        }

        @Override
        public void cancel()
        {
            interest = 0;
            probes.remove(this);
        }
    }
}
