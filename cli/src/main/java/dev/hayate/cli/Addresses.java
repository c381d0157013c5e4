package dev.hayate.cli;

import java.net.InetSocketAddress;

/**
 * {@code HOST:PORT}, {@code [v6]:PORT} or {@code :PORT} (all interfaces) as an address.
 *
 * <p>Thread-safety: stateless.
 */
final class Addresses
{
    private Addresses()
    {
    }

    /**
     * @param text         the address.
     * @param defaultHost  host when the text is {@code :PORT} or a bare port.
     * @return the resolved address.
     * @throws IllegalArgumentException if it does not parse.
     */
    static InetSocketAddress parse(final String text, final String defaultHost)
    {
        final String t = text.trim();
        final int colon = t.lastIndexOf(':');
        final String host;
        final String port;
        if (colon < 0)
        {
            host = defaultHost;
            port = t;
        }
        else
        {
            final String h = t.substring(0, colon);
            host = h.isEmpty() ? defaultHost : h.startsWith("[") && h.endsWith("]") ? h.substring(1, h.length() - 1) : h;
            port = t.substring(colon + 1);
        }
        final int number;
        try
        {
            number = Integer.parseInt(port);
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException("not HOST:PORT: '" + text + "'");
        }
        if (number < 0 || number > 65535)
        {
            throw new IllegalArgumentException("port out of range in '" + text + "'");
        }
        final InetSocketAddress address = new InetSocketAddress(host, number);
        if (address.isUnresolved())
        {
            throw new IllegalArgumentException("cannot resolve host '" + host + "'");
        }
        return address;
    }
}
