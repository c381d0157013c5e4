package dev.hayate.transfer.discovery;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Resolves mDNS service names on a thread of its own, so jmdns's single listener thread never waits for one:
 * jmdns 3.6.1's {@code requestServiceInfo} blocks its caller until the answer or a timeout (every overload without
 * an explicit timeout waits up to 6 s), and names are free to invent, so a flood of unresolvable ones would hold up
 * every other event. Answers arrive through the listener's {@code serviceResolved} as before.
 *
 * <p>Bounded: at most {@value #MAX_PENDING} names wait (more are dropped, and told by {@link #offer}'s result), a
 * name is asked once ({@value #MAX_ASKED} remembered), and each request waits at most the timeout it was given.
 *
 * <p>Thread-safety: {@link #offer} and {@link #close} from any thread.
 */
final class MdnsResolver implements AutoCloseable
{
    static final int MAX_PENDING = 64;
    static final int MAX_ASKED = 1024;
    private static final long POLL_MILLIS = 100;
    private static final System.Logger LOG = System.getLogger(MdnsResolver.class.getName());

    private final LinkedBlockingQueue<Runnable> pending = new LinkedBlockingQueue<>(MAX_PENDING);
    private final Map<String, Boolean> asked = new LinkedHashMap<>(16, 0.75f, false)
    {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(final Map.Entry<String, Boolean> eldest)
        {
            return size() > MAX_ASKED;
        }
    };
    private final Thread thread;
    private volatile boolean closed;

    MdnsResolver()
    {
        thread = new Thread(this::run, "hayate-discover-resolve");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Queues a resolution without waiting.
     *
     * @param key     names the request (asked once per key).
     * @param request the blocking request, run on the resolver's thread.
     * @return true if queued; false if asked before, the queue is full, or closed.
     */
    boolean offer(final String key, final Runnable request)
    {
        if (closed)
        {
            return false;
        }
        synchronized (asked)
        {
            if (asked.putIfAbsent(key, Boolean.TRUE) != null)
            {
                return false;
            }
        }
        if (!pending.offer(request))
        {
            // Full: forget the name, so a later announcement of it may be resolved once there is room.
            synchronized (asked)
            {
                asked.remove(key);
            }
            return false;
        }
        return true;
    }

    private void run()
    {
        while (!closed)
        {
            final Runnable request;
            try
            {
                request = pending.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
            }
            catch (final InterruptedException ex)
            {
                return;
            }
            if (request != null)
            {
                try
                {
                    request.run();
                }
                catch (final RuntimeException ex)
                {
                    LOG.log(System.Logger.Level.DEBUG, "mDNS resolution: " + ex);
                }
            }
        }
    }

    /** Stops the thread (a request under way ends by its own timeout); queued ones are dropped. */
    @Override
    public void close()
    {
        closed = true;
        pending.clear();
        thread.interrupt();
    }
}
