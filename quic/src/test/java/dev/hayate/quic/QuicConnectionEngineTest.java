package dev.hayate.quic;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.hayate.core.Callback;
import dev.hayate.core.Codec;
import dev.hayate.core.ConId;
import dev.hayate.core.Connection;
import dev.hayate.core.Context;
import dev.hayate.core.ProtocolFactory;
import dev.hayate.core.Status;
import dev.hayate.core.transport.Transport;
import dev.hayate.core.transport.TransportServer;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The core connection engine (SOFH framing, buffers, codec) over a QUIC transport, as a {@code Clt} and
 * the {@code Clt} a {@code Svc} makes would run it: messages of many sizes echoed and checked.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class QuicConnectionEngineTest
{
    private static final long WAIT = TimeUnit.SECONDS.toNanos(10);

    /** ASCII strings, length-delimited by the frame. */
    static final class TextCodec implements Codec<String>
    {
        @Override
        public int encode(final String message, final MutableDirectBuffer buffer, final int offset, final int capacity)
        {
            final byte[] bytes = message.getBytes(StandardCharsets.US_ASCII);
            buffer.putBytes(offset, bytes);
            return bytes.length;
        }

        @Override
        public String decode(final DirectBuffer buffer, final int offset, final int length)
        {
            final byte[] bytes = new byte[length];
            buffer.getBytes(offset, bytes);
            return new String(bytes, StandardCharsets.US_ASCII);
        }
    }

    static String message(final int i)
    {
        return "m" + i + "-" + "x".repeat((i * 37) % 9000);
    }

    static void send(final Connection<String> connection, final String message) throws Exception
    {
        final long deadline = System.nanoTime() + WAIT;
        Status status;
        while ((status = connection.trySend(message)) == Status.BACK_PRESSURED)
        {
            connection.transport().awaitWritable(TimeUnit.MILLISECONDS.toNanos(50));
            connection.flush();
            assertTrue(System.nanoTime() - deadline < 0, "send stalled");
        }
        assertEquals(Status.OK, status);
        while (connection.hasPendingSend())
        {
            connection.transport().awaitWritable(TimeUnit.MILLISECONDS.toNanos(50));
            connection.flush();
            assertTrue(System.nanoTime() - deadline < 0, "flush stalled");
        }
    }

    static String recv(final Connection<String> connection) throws Exception
    {
        final long deadline = System.nanoTime() + WAIT;
        while (true)
        {
            final String message = connection.tryRecv();
            if (message != null)
            {
                return message;
            }
            assertTrue(!connection.isClosed(), "closed: " + connection.closeReason() + " " + connection.closeDetail());
            connection.transport().awaitReadable(TimeUnit.MILLISECONDS.toNanos(50));
            assertTrue(System.nanoTime() - deadline < 0, "recv stalled");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.hayate.quic.QuicTestSupport#backends")
    void shouldEchoFramedMessagesThroughTheConnectionEngine(final QuicConfig.Backend backend) throws Exception
    {
        final QuicTransportProvider serverSide = QuicTransportProvider.server(new QuicConfig().backend(backend));
        try (TransportServer server = serverSide.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
             QuicTransportProvider clientSide = QuicTransportProvider.client(new QuicConfig().backend(backend)
                 .trustedCaPem(QuicTransportProvider.certificateChainPem(server))))
        {
            final ProtocolFactory<String> protocols = ProtocolFactory.of(TextCodec::new);
            final int count = 2000;
            final CompletableFuture<Integer> svc = QuicTestSupport.supplyAsync(() ->
            {
                try
                {
                    assertTrue(server.awaitAcceptable(WAIT));
                    final Transport accepted = server.accept();
                    assertNotNull(accepted);
                    try (Connection<String> connection = new Connection<>(ConId.Role.ACCEPTOR, accepted, protocols,
                        Callback.none(), new Context().name("svc")))
                    {
                        for (int i = 0; i < count; i++)
                        {
                            send(connection, recv(connection));
                        }
                        return count;
                    }
                }
                catch (final Exception ex)
                {
                    throw new IllegalStateException(ex);
                }
            });
            final Transport transport = clientSide.connect(server.localAddress(), WAIT);
            try (Connection<String> clt = new Connection<>(ConId.Role.INITIATOR, transport, protocols, Callback.none(),
                new Context().name("clt")))
            {
                final CompletableFuture<Void> sender = QuicTestSupport.runAsync(() ->
                {
                    try
                    {
                        for (int i = 0; i < count; i++)
                        {
                            send(clt, message(i));
                        }
                    }
                    catch (final Exception ex)
                    {
                        throw new IllegalStateException(ex);
                    }
                });
                for (int i = 0; i < count; i++)
                {
                    assertEquals(message(i), recv(clt));
                }
                sender.get(30, TimeUnit.SECONDS);
                assertEquals(count, clt.messagesReceived());
            }
            assertEquals(count, svc.get(30, TimeUnit.SECONDS));
        }
    }
}
