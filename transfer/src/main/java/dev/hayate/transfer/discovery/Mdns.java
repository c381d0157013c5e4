package dev.hayate.transfer.discovery;

import java.io.IOException;
import java.net.InetAddress;
import java.security.SecureRandom;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import javax.jmdns.JmDNS;

/**
 * What announcing and discovering share about jmdns: the TXT key, opening one instance per address, and a bounded
 * close.
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

    /** What to do with each instance once it is open and kept. */
    @FunctionalInterface
    interface Use
    {
        void accept(JmDNS jmdns) throws IOException;
    }

    /**
     * Opens one instance per address (each under a fresh anonymous host name), keeps it in {@code open} unless
     * {@code closed} turned true meanwhile (then closes it and stops), and hands it to {@code use}. An address
     * that fails is logged and skipped: mDNS is one of two ways to be found.
     *
     * @param addresses where to open an instance.
     * @param closed    read before each address and under the lock of {@code open}.
     * @param open      the instances kept, guarded by itself; closed later with {@link #closeAll}.
     * @param use       register a service or add a listener.
     * @param log       where a failing address is reported.
     */
    static void openEach(final List<InetAddress> addresses, final BooleanSupplier closed, final List<JmDNS> open,
        final Use use, final System.Logger log)
    {
        final SecureRandom random = new SecureRandom();
        for (final InetAddress address : addresses)
        {
            if (closed.getAsBoolean())
            {
                return;
            }
            try
            {
                final JmDNS jmdns = JmDNS.create(address, Lan.anonymousHostName(random));
                synchronized (open)
                {
                    if (closed.getAsBoolean())
                    {
                        closeQuietly(jmdns);
                        return;
                    }
                    open.add(jmdns);
                }
                use.accept(jmdns);
            }
            catch (final IOException | RuntimeException ex)
            {
                log.log(System.Logger.Level.DEBUG, "mDNS on " + address + ": " + ex);
            }
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
