package dev.hayate.benchmarks.impl;

import dev.hayate.benchmarks.rig.JvmFlags;
import dev.hayate.benchmarks.rig.JvmImpl;
import dev.hayate.benchmarks.rig.PingClient;
import dev.hayate.benchmarks.rig.Server;
import dev.hayate.benchmarks.rig.Spec;
import io.aeron.Aeron;
import io.aeron.ExclusivePublication;
import io.aeron.FragmentAssembler;
import io.aeron.Image;
import io.aeron.Publication;
import io.aeron.Subscription;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import io.aeron.logbuffer.FragmentHandler;
import java.io.EOFException;
import java.io.IOException;
import java.net.DatagramSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.agrona.CloseHelper;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.BusySpinIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.YieldingIdleStrategy;

/**
 * {@code aeron-udp} and {@code aeron-ipc}: Aeron 1.50 with one embedded media driver, configured for a 2-core
 * machine.
 *
 * <p>Configuration (both): the child (pong) JVM launches one {@link MediaDriver} in a fresh directory under
 * {@code /dev/shm}; the parent (ping) JVM connects its Aeron client to that same driver, as two processes on one
 * host share one driver in a normal Aeron deployment. {@link ThreadingMode#SHARED}: conductor, sender and receiver
 * are one driver thread. Term buffers 64 KiB (larger only when a message needs it: 8 × size, a power of two).
 * One {@link ExclusivePublication} and one {@link Subscription} per direction, streams 1001 (ping) and 1002
 * (pong), messages reassembled with a {@link FragmentAssembler}.
 * <ul>
 *   <li>{@code aeron-ipc}: channels {@code aeron:ipc}. The driver is off the data path, so it idles with a
 *       {@link BackoffIdleStrategy} (spin, yield, then park 1 µs–1 ms), and ping and pong busy-spin, one per
 *       core.</li>
 *   <li>{@code aeron-udp}: channels {@code aeron:udp?endpoint=127.0.0.1:PORT} (two ports). Every message passes
 *       through the driver thread (sender, then receiver), so three threads share two cores: ping, pong and the
 *       driver all wait with a {@link YieldingIdleStrategy}. Measured side by side on the loaded 2-core machine
 *       (20k round trips, p50): all yielding ≈ 35–39 µs; driver backing off to park ≈ 360–640 µs (a parked
 *       driver waits for the scheduler); ping/pong busy-spinning with any driver strategy collapsed (runs timed
 *       out).</li>
 * </ul>
 */
public final class AeronImpl implements JvmImpl {
    private static final int PING_STREAM = 1001;
    private static final int PONG_STREAM = 1002;
    private static final int MIN_TERM = 64 * 1024;
    private static final int MAX_MESSAGE = 16 * 1024 * 1024;

    private final boolean udp;

    /**
     * @param udp UDP on loopback through the driver; otherwise IPC (shared memory)
     */
    public AeronImpl(boolean udp) {
        this.udp = udp;
    }

    @Override
    public String name() {
        return udp ? "aeron-udp" : "aeron-ipc";
    }

    @Override
    public String description() {
        return udp
                ? "Aeron UDP on loopback, one shared embedded driver (SHARED), driver and ping/pong yield"
                : "Aeron IPC (shared memory), one shared embedded driver (SHARED, backoff idle), ping/pong spin";
    }

    @Override
    public String unavailableReason() {
        return JvmFlags.miscExported() ? null
                : "this JVM lacks " + JvmFlags.ADD_EXPORTS + " " + JvmFlags.MISC_EXPORT + " (agrona needs it)";
    }

    private IdleStrategy appIdle() {
        return udp ? new YieldingIdleStrategy() : new BusySpinIdleStrategy();
    }

    private IdleStrategy driverIdle() {
        return udp
                ? new YieldingIdleStrategy()
                : new BackoffIdleStrategy(10, 10, TimeUnit.MICROSECONDS.toNanos(1), TimeUnit.MILLISECONDS.toNanos(1));
    }

    /**
     * @param size bytes per message
     * @return the term length that carries a message of that size (Aeron's maximum message is a term / 8)
     */
    static int termLength(int size) {
        if (size > MAX_MESSAGE) {
            throw new IllegalArgumentException("Aeron messages are at most " + MAX_MESSAGE + " bytes here");
        }
        long need = Math.max(MIN_TERM, 8L * size);
        return (int) Long.highestOneBit(need - 1) << 1;
    }

    private String channel(int port, int termLength) {
        return udp
                ? "aeron:udp?endpoint=127.0.0.1:" + port + "|term-length=" + termLength
                : "aeron:ipc?term-length=" + termLength;
    }

    @Override
    public Server pongServer(Spec spec) {
        return new Pong(spec);
    }

    @Override
    public PingClient pingClient(Spec spec, String address) throws IOException, InterruptedException {
        return new Ping(spec, address);
    }

    private static void awaitConnected(Publication pub, Subscription sub, long timeoutNanos)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeoutNanos;
        while (!(pub.isConnected() && sub.isConnected())) {
            if (System.nanoTime() - deadline > 0) {
                throw new IOException("Aeron publication/subscription did not connect");
            }
            Thread.sleep(1);
        }
    }

    /**
     * Child side: launches the driver and echoes. Address: {@code pingPort:pongPort:termLength:aeronDir}.
     */
    private final class Pong implements Server {
        private final Spec spec;
        private final IdleStrategy idle = appIdle();
        private Path dir;
        private MediaDriver driver;
        private Aeron aeron;
        private Subscription sub;
        private ExclusivePublication pub;
        private boolean stop;

        Pong(Spec spec) {
            this.spec = spec;
        }

        @Override
        public String bind() throws IOException {
            int term = termLength(spec.size());
            Path shm = Path.of("/dev/shm");
            dir = Files.isDirectory(shm) && Files.isWritable(shm)
                    ? Files.createTempDirectory(shm, "hayate-bench-aeron-")
                    : Files.createTempDirectory("hayate-bench-aeron-");
            MediaDriver.Context ctx = new MediaDriver.Context()
                    .dirDeleteOnStart(true)
                    .dirDeleteOnShutdown(true)
                    .threadingMode(ThreadingMode.SHARED)
                    .sharedIdleStrategy(driverIdle())
                    .publicationTermBufferLength(term)
                    .ipcTermBufferLength(term)
                    .spiesSimulateConnection(false)
                    .publicationLingerTimeoutNs(TimeUnit.MILLISECONDS.toNanos(100));
            ctx.aeronDirectoryName(dir.toString());
            driver = MediaDriver.launch(ctx);
            aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(driver.aeronDirectoryName()));
            int pingPort = 0;
            int pongPort = 0;
            if (udp) {
                try (DatagramSocket a = new DatagramSocket(Loopback.ephemeral());
                     DatagramSocket b = new DatagramSocket(Loopback.ephemeral())) {
                    pingPort = a.getLocalPort();
                    pongPort = b.getLocalPort();
                }
            }
            sub = aeron.addSubscription(channel(pingPort, term), PING_STREAM);
            pub = aeron.addExclusivePublication(channel(pongPort, term), PONG_STREAM);
            return pingPort + ":" + pongPort + ":" + term + ":" + driver.aeronDirectoryName();
        }

        @Override
        public void serve() throws IOException, InterruptedException {
            while (sub.imageCount() == 0) {
                Thread.sleep(1);
            }
            Image image = sub.imageAtIndex(0);
            FragmentAssembler echo = new FragmentAssembler((buffer, offset, length, header) -> {
                long r;
                while ((r = pub.offer(buffer, offset, length)) < 0) {
                    if (r == Publication.CLOSED || r == Publication.NOT_CONNECTED
                            || r == Publication.MAX_POSITION_EXCEEDED) {
                        stop = true;
                        return;
                    }
                    idle.idle();
                }
            });
            while (!stop) {
                int n = image.poll(echo, 1);
                if (n == 0) {
                    if (image.isEndOfStream() || image.isClosed()) {
                        return;
                    }
                }
                idle.idle(n);
            }
        }

        @Override
        public void close() {
            CloseHelper.closeAll(pub, sub, aeron, driver);
            if (dir != null) {
                try {
                    Files.deleteIfExists(dir);
                } catch (IOException ignored) {
                    // the driver deletes its own files; the folder may already be gone
                }
            }
        }
    }

    /** Parent side: an Aeron client of the child's driver. */
    private final class Ping implements PingClient {
        private final Aeron aeron;
        private final ExclusivePublication pub;
        private final Subscription sub;
        private final UnsafeBuffer tx;
        private final IdleStrategy idle = appIdle();
        private final FragmentHandler onPong;
        private boolean received;

        Ping(Spec spec, String address) throws IOException, InterruptedException {
            String[] parts = address.split(":", 4);
            int pingPort = Integer.parseInt(parts[0]);
            int pongPort = Integer.parseInt(parts[1]);
            int term = Integer.parseInt(parts[2]);
            aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(parts[3])
                    .errorHandler(e -> System.err.println("aeron client: " + e)));
            try {
                pub = aeron.addExclusivePublication(channel(pingPort, term), PING_STREAM);
                sub = aeron.addSubscription(channel(pongPort, term), PONG_STREAM);
                awaitConnected(pub, sub, TimeUnit.SECONDS.toNanos(10));
            } catch (IOException | InterruptedException | RuntimeException e) {
                aeron.close();
                throw e;
            }
            tx = new UnsafeBuffer(new byte[spec.size()]);
            tx.putBytes(0, Loopback.payload(spec.size()));
            onPong = new FragmentAssembler((buffer, offset, length, header) -> received = true);
        }

        @Override
        public void roundTrip() throws IOException {
            long r;
            while ((r = pub.offer(tx, 0, tx.capacity())) < 0) {
                if (r == Publication.CLOSED || r == Publication.NOT_CONNECTED
                        || r == Publication.MAX_POSITION_EXCEEDED) {
                    throw new EOFException("Aeron publication " + Publication.errorString(r));
                }
                idle.idle();
            }
            received = false;
            Thread self = Thread.currentThread();
            while (!received) {
                int n = sub.poll(onPong, 1);
                if (n == 0 && (sub.imageCount() == 0 || self.isInterrupted())) {
                    throw new EOFException("the pong side went away");
                }
                idle.idle(n);
            }
        }

        @Override
        public void close() {
            // Aeron retries a close interrupted by the rig's timeout forever: close uninterrupted, then restore.
            boolean interrupted = Thread.interrupted();
            try {
                CloseHelper.closeAll(pub, sub, aeron);
            } finally {
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }
}
