package dev.hayate.benchmarks.jmh;

import dev.hayate.core.transport.IoPoller;
import dev.hayate.core.transport.Transport;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;

/**
 * One end of an in-JVM byte loop for single-threaded microbenchmarks: what one end writes, the other reads.
 * Copies into a fixed direct buffer and allocates nothing, so {@code -prof gc} sees only the code under test.
 * Not thread-safe; never waits.
 */
final class LoopTransport implements Transport {
    private final ByteBuffer inbound;
    private LoopTransport peer;
    private boolean open = true;

    private LoopTransport(int capacity) {
        inbound = ByteBuffer.allocateDirect(capacity);
    }

    /**
     * @param capacity bytes each direction holds
     * @return the two ends, connected
     */
    static LoopTransport[] pair(int capacity) {
        LoopTransport a = new LoopTransport(capacity);
        LoopTransport b = new LoopTransport(capacity);
        a.peer = b;
        b.peer = a;
        return new LoopTransport[] {a, b};
    }

    @Override
    public int read(ByteBuffer dst) {
        inbound.flip();
        int count = Math.min(inbound.remaining(), dst.remaining());
        if (count == 0) {
            inbound.compact();
            return open ? 0 : -1;
        }
        int limit = inbound.limit();
        inbound.limit(inbound.position() + count);
        dst.put(inbound);
        inbound.limit(limit);
        inbound.compact();
        return count;
    }

    @Override
    public int write(ByteBuffer src) {
        ByteBuffer target = peer.inbound;
        int count = Math.min(target.remaining(), src.remaining());
        int limit = src.limit();
        src.limit(src.position() + count);
        target.put(src);
        src.limit(limit);
        return count;
    }

    @Override
    public boolean awaitReadable(long timeoutNanos) {
        return inbound.position() > 0;
    }

    @Override
    public boolean awaitWritable(long timeoutNanos) {
        return peer.inbound.hasRemaining();
    }

    @Override
    public IoPoller.Registration register(IoPoller poller, Object attachment) {
        return poller.registerProbe(() -> (inbound.position() > 0 ? IoPoller.READ : 0) | IoPoller.WRITE, 0, attachment);
    }

    @Override
    public SocketAddress localAddress() {
        return new InetSocketAddress(0);
    }

    @Override
    public SocketAddress remoteAddress() {
        return new InetSocketAddress(0);
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public void close() {
        open = false;
        peer.open = false;
    }
}
