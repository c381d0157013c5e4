package dev.hayate.benchmarks.impl;

import dev.hayate.benchmarks.rig.JvmImpl;
import dev.hayate.benchmarks.rig.PingClient;
import dev.hayate.benchmarks.rig.Server;
import dev.hayate.benchmarks.rig.Sink;
import dev.hayate.benchmarks.rig.Spec;
import java.io.EOFException;
import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

/**
 * {@code nio-busy}: plain {@code java.nio} — a non-blocking {@link SocketChannel} with {@code TCP_NODELAY} and
 * direct buffers; both sides busy-spin on {@code read}/{@code write} returning 0. The fastest a plain Java socket
 * program gets, and the template for new implementations: a server side, a client side, and for throughput a
 * source and a sink, each a few lines.
 *
 * <p>Throughput: the source copies nothing per message; it writes a staging buffer holding as many whole
 * messages as fit in 64 KiB (at least one) again and again, so this is raw byte moving, the upper bound for a
 * single connection. The sink counts bytes. The receiver ends the run by closing the connection.
 * {@code nio-busy-1m} ({@link #largeBatches()}) writes and reads 1 MiB per call, as Hayate's source and sink do:
 * with small messages the cost of each system call is then spread the same way on both sides of the comparison.
 */
public final class NioBusyImpl implements JvmImpl {
    private static final int BATCH_BYTES = 64 * 1024;
    private final String name;
    private final int batchBytes;
    private final int sinkBuffer;

    /** {@code nio-busy}: 64 KiB written and up to 256 KiB read per system call. */
    public NioBusyImpl() {
        this("nio-busy", BATCH_BYTES, 256 * 1024);
    }

    private NioBusyImpl(String name, int batchBytes, int sinkBuffer) {
        this.name = name;
        this.batchBytes = batchBytes;
        this.sinkBuffer = sinkBuffer;
    }

    /**
     * @return {@code nio-busy-1m}: the same with 1 MiB written and read per system call, the size of Hayate's
     *         source's writes, so the syscall count is not what separates them (the ping-pong is nio-busy's)
     */
    public static NioBusyImpl largeBatches() {
        return new NioBusyImpl("nio-busy-1m", 1 << 20, 1 << 20);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String description() {
        return "java.nio SocketChannel, non-blocking, both sides busy-spin (TCP_NODELAY, direct buffers), "
                + (batchBytes >> 10) + " KiB written per call";
    }

    @Override
    public boolean supportsPingPong() {
        // One message in flight never fills a batch: nio-busy-1m's ping-pong would be nio-busy's again.
        return batchBytes == BATCH_BYTES;
    }

    @Override
    public boolean supportsThroughput() {
        return true;
    }

    @Override
    public Server pongServer(Spec spec) {
        return new Listener(spec, false, batchBytes);
    }

    @Override
    public PingClient pingClient(Spec spec, String address) throws IOException {
        return new Client(spec, connect(address));
    }

    @Override
    public Server throughputSource(Spec spec) {
        return new Listener(spec, true, batchBytes);
    }

    @Override
    public Sink throughputSink(Spec spec, String address) throws IOException {
        return new Receiver(connect(address), sinkBuffer);
    }

    private static SocketChannel connect(String address) throws IOException {
        SocketChannel ch = SocketChannel.open(Loopback.port(address));
        ch.configureBlocking(false);
        ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
        return ch;
    }

    /** Writes all of {@code buf}, spinning while the socket buffer is full. */
    static void writeFully(SocketChannel ch, ByteBuffer buf) throws IOException {
        while (buf.hasRemaining()) {
            if (ch.write(buf) == 0) {
                Thread.onSpinWait();
            }
        }
    }

    /**
     * Reads until {@code buf} is full, spinning while nothing is there.
     *
     * @return false on end-of-stream before the first byte
     */
    static boolean readFully(SocketChannel ch, ByteBuffer buf) throws IOException {
        while (buf.hasRemaining()) {
            int n = ch.read(buf);
            if (n < 0) {
                if (buf.position() == 0) {
                    return false;
                }
                throw new EOFException("peer closed in the middle of a message");
            }
            if (n == 0) {
                Thread.onSpinWait();
            }
        }
        return true;
    }

    /** Child side: echo (ping-pong) or source (throughput). */
    private static final class Listener implements Server {
        private final Spec spec;
        private final boolean source;
        private final int batchBytes;
        private ServerSocketChannel listener;
        private SocketChannel ch;

        Listener(Spec spec, boolean source, int batchBytes) {
            this.spec = spec;
            this.source = source;
            this.batchBytes = batchBytes;
        }

        @Override
        public String bind() throws IOException {
            listener = ServerSocketChannel.open();
            listener.bind(Loopback.ephemeral(), 1);
            return Integer.toString(listener.socket().getLocalPort());
        }

        @Override
        public void serve() throws IOException {
            ch = listener.accept();
            ch.configureBlocking(false);
            ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
            if (source) {
                send();
            } else {
                echo();
            }
        }

        private void echo() throws IOException {
            ByteBuffer buf = ByteBuffer.allocateDirect(spec.size());
            while (true) {
                buf.clear();
                if (!readFully(ch, buf)) {
                    return;
                }
                buf.flip();
                writeFully(ch, buf);
            }
        }

        private void send() throws IOException {
            int perBatch = Math.max(1, batchBytes / spec.size());
            ByteBuffer batch = ByteBuffer.allocateDirect(perBatch * spec.size());
            byte[] payload = Loopback.payload(spec.size());
            for (int i = 0; i < perBatch; i++) {
                batch.put(payload);
            }
            long deadline = System.nanoTime() + spec.sendNanos();
            try {
                while (System.nanoTime() - deadline < 0) {
                    batch.clear();
                    writeFully(ch, batch);
                }
            } catch (IOException receiverClosed) {
                // the normal end: the receiver has measured enough and closed the connection
            }
            ch.close();
        }

        @Override
        public void close() throws IOException {
            if (ch != null) {
                ch.close();
            }
            if (listener != null) {
                listener.close();
            }
        }
    }

    /** Parent side of the ping-pong. */
    private static final class Client implements PingClient {
        private final SocketChannel ch;
        private final ByteBuffer tx;
        private final ByteBuffer rx;

        Client(Spec spec, SocketChannel ch) {
            this.ch = ch;
            tx = ByteBuffer.allocateDirect(spec.size());
            tx.put(Loopback.payload(spec.size()));
            rx = ByteBuffer.allocateDirect(spec.size());
        }

        @Override
        public void roundTrip() throws IOException {
            tx.clear();
            writeFully(ch, tx);
            rx.clear();
            if (!readFully(ch, rx)) {
                throw new EOFException("server closed");
            }
        }

        @Override
        public void close() throws IOException {
            ch.close();
        }
    }

    /** Parent side of the throughput test: counts bytes. */
    private static final class Receiver implements Sink {
        private final SocketChannel ch;
        private final ByteBuffer buf;

        Receiver(SocketChannel ch, int sinkBuffer) {
            this.ch = ch;
            this.buf = ByteBuffer.allocateDirect(sinkBuffer);
        }

        @Override
        public long receive() throws IOException {
            while (true) {
                buf.clear();
                int n = ch.read(buf);
                if (n != 0) {
                    return n;
                }
                Thread.onSpinWait();
            }
        }

        @Override
        public void close() throws IOException {
            ch.close();
        }
    }
}
