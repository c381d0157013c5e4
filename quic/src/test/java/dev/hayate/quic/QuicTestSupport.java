package dev.hayate.quic;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Shared helpers for the QUIC tests: backends available here, a server/client pair, exact reads.
 */
public final class QuicTestSupport
{
    static final Duration WAIT = Duration.ofSeconds(30);

    private QuicTestSupport()
    {
    }

    static Stream<QuicConfig.Backend> backends()
    {
        return NettyBackend.available() ? Stream.of(QuicConfig.Backend.NETTY, QuicConfig.Backend.KWIK) :
            Stream.of(QuicConfig.Backend.KWIK);
    }

    static List<QuicConfig.Backend> backendList()
    {
        return backends().toList();
    }

    /**
     * A connected server/client pair on loopback with a self-signed server the client trusts.
     */
    static final class Pair implements AutoCloseable
    {
        final QuicEndpoint server;
        final QuicEndpoint client;
        final QuicConnection clientConnection;
        final QuicConnection serverConnection;

        Pair(final QuicConfig.Backend backend) throws Exception
        {
            this(backend, config -> config);
        }

        Pair(final QuicConfig.Backend backend, final java.util.function.UnaryOperator<QuicConfig> tweak) throws Exception
        {
            server = QuicEndpoint.server(tweak.apply(new QuicConfig().backend(backend).bind("127.0.0.1:0")));
            // A handshake gets the same bound as every other wait: kwik's threads need it on a loaded 2-core machine.
            client = QuicEndpoint.client(tweak.apply(new QuicConfig().backend(backend)
                .trustedCaPem(server.certificateChainPem()).connectTimeout(WAIT)));
            clientConnection = client.connect(server.localAddress(), "localhost");
            serverConnection = server.accept(WAIT);
            assertNotNull(serverConnection, "server accepted no connection");
        }

        @Override
        public void close()
        {
            client.close();
            server.close();
        }
    }

    static byte[] readExactly(final QuicStream stream, final int length) throws QuicException
    {
        final byte[] data = new byte[length];
        final ByteBuffer buffer = ByteBuffer.wrap(data);
        while (buffer.hasRemaining())
        {
            final int n = stream.recv(buffer, WAIT);
            if (n == 0)
            {
                fail("timed out after " + buffer.position() + " of " + length + " bytes");
            }
            if (n < 0)
            {
                fail("end of stream after " + buffer.position() + " of " + length + " bytes");
            }
        }
        return data;
    }

    static void assertEndOfStream(final QuicStream stream) throws QuicException
    {
        assertEquals(-1, stream.recv(ByteBuffer.allocate(16), WAIT), "expected end of stream");
    }

    /**
     * A thread per task: the tests start blocking tasks that wait for each other, which the default
     * asynchronous pool may run on too few threads (on two cores with JDK 25 it deadlocked them).
     */
    public static final java.util.concurrent.ExecutorService THREADS = java.util.concurrent.Executors.newCachedThreadPool(task ->
    {
        final Thread thread = new Thread(task, "quic-test");
        thread.setDaemon(true);
        return thread;
    });

    /**
     * @param task blocking work
     * @return its future, on a thread of its own
     */
    public static java.util.concurrent.CompletableFuture<Void> runAsync(final Runnable task)
    {
        return java.util.concurrent.CompletableFuture.runAsync(task, THREADS);
    }

    /**
     * @param task blocking work
     * @param <T>  its result
     * @return its future, on a thread of its own
     */
    public static <T> java.util.concurrent.CompletableFuture<T> supplyAsync(final java.util.function.Supplier<T> task)
    {
        return java.util.concurrent.CompletableFuture.supplyAsync(task, THREADS);
    }
}
