package dev.hayate.benchmarks.impl;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/**
 * 127.0.0.1: the only address this rig listens on or connects to.
 */
public final class Loopback {
    /** 127.0.0.1. */
    public static final InetAddress ADDRESS;

    static {
        try {
            ADDRESS = InetAddress.getByAddress("localhost", new byte[] {127, 0, 0, 1});
        } catch (UnknownHostException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private Loopback() {
    }

    /**
     * @return 127.0.0.1 with port 0 (an ephemeral port is chosen when binding)
     */
    public static InetSocketAddress ephemeral() {
        return new InetSocketAddress(ADDRESS, 0);
    }

    /**
     * @param address a port number, as printed by a TCP server side
     * @return 127.0.0.1 at that port
     */
    public static InetSocketAddress port(String address) {
        return new InetSocketAddress(ADDRESS, Integer.parseInt(address.trim()));
    }

    /**
     * @param size bytes
     * @return a payload of that size with a recognisable pattern
     */
    public static byte[] payload(int size) {
        byte[] b = new byte[size];
        for (int i = 0; i < size; i++) {
            b[i] = (byte) ('a' + i % 26);
        }
        return b;
    }
}
