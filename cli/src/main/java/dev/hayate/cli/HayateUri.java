package dev.hayate.cli;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import dev.hayate.transfer.discovery.Discovery;

/**
 * The {@code hayate:} URI a QR code holds: {@code hayate:7-amber-falcon-river} or, when the showing side listens
 * at a known address, {@code hayate:7-amber-falcon-river?to=192.0.2.10:41234} (IPv6 in brackets). Whoever scans
 * it dials {@code to}; without it, LAN discovery finds the sender.
 *
 * <p>Thread-safety: immutable.
 *
 * @param code the code phrase as typed.
 * @param to   the address to dial, or null.
 */
record HayateUri(String code, String to)
{
    private static final String SCHEME = "hayate:";

    /**
     * @param code    the code phrase.
     * @param address where the showing side listens, or null.
     * @return the URI.
     */
    static String format(final String code, final InetSocketAddress address)
    {
        if (address == null)
        {
            return SCHEME + code;
        }
        final String host = address.getAddress() != null ? address.getAddress().getHostAddress() :
            address.getHostString();
        final String h = host.contains(":") ? "[" + host.replaceFirst("%.*$", "") + "]" : host;
        return SCHEME + code + "?to=" + h + ":" + address.getPort();
    }

    /**
     * @param text a code phrase, or a {@code hayate:} URI.
     * @return the code and the address to dial (null when absent); a plain code comes back as it is.
     * @throws IllegalArgumentException if a {@code hayate:} URI has another query than {@code to=}.
     */
    static HayateUri parse(final String text)
    {
        if (!text.regionMatches(true, 0, SCHEME, 0, SCHEME.length()))
        {
            return new HayateUri(text, null);
        }
        final String rest = text.substring(SCHEME.length()).replaceFirst("^//", "");
        final int q = rest.indexOf('?');
        if (q < 0)
        {
            return new HayateUri(rest, null);
        }
        final String query = rest.substring(q + 1);
        if (!query.startsWith("to=") || query.length() == 3)
        {
            throw new IllegalArgumentException("unknown hayate: URI query '" + query + "' (expected to=HOST:PORT)");
        }
        return new HayateUri(rest.substring(0, q), query.substring(3));
    }

    /**
     * @param port the listening port.
     * @return the first LAN IPv4 address (else any LAN address) with the port, the place a scanning phone would
     *         dial; null if the host has no LAN address.
     */
    static InetSocketAddress lanAddress(final int port)
    {
        final List<InetAddress> lan = new ArrayList<>(Discovery.lanAddresses());
        lan.sort(Comparator.comparing(a -> a instanceof Inet4Address ? 0 : 1));
        return lan.isEmpty() ? null : new InetSocketAddress(lan.get(0), port);
    }
}
