package dev.hayate.transfer.discovery;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.jmdns.JmDNS;

/**
 * What announcing and discovering share about jmdns: the TXT key and a bounded close.
 *
 * <p>Thread-safety: stateless.
 */
final class Mdns
{
    /** The TXT record key holding the announcement in hex. */
    static final String TXT_KEY = "a";

    private Mdns()
    {
    }

    /** Closes each instance on a daemon thread and waits at most two seconds in all (goodbyes can take longer). */
    static void closeAll(final List<JmDNS> instances)
    {
        if (instances.isEmpty())
        {
            return;
        }
        final Thread closer = new Thread(() ->
        {
            for (final JmDNS jmdns : instances)
            {
                closeQuietly(jmdns);
            }
        }, "hayate-mdns-close");
        closer.setDaemon(true);
        closer.start();
        try
        {
            closer.join(TimeUnit.SECONDS.toMillis(2));
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }

    static void closeQuietly(final JmDNS jmdns)
    {
        try
        {
            jmdns.unregisterAllServices();
            jmdns.close();
        }
        catch (final IOException | RuntimeException ex)
        {
            // Closing: the records expire on their own.
        }
    }
}
