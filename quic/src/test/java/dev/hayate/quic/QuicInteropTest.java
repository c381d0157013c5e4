package dev.hayate.quic;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static dev.hayate.quic.QuicTestSupport.WAIT;
import static dev.hayate.quic.QuicTestSupport.assertEndOfStream;
import static dev.hayate.quic.QuicTestSupport.readExactly;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * Both backends speak standard QUIC: a kwik client talks to a Netty server and the other way round, and
 * every backend works over IPv6 loopback.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class QuicInteropTest
{
    private static final byte[] PING = "ping".getBytes(StandardCharsets.US_ASCII);

    private static void exchange(final QuicConfig.Backend serverBackend, final QuicConfig.Backend clientBackend,
        final String bind) throws Exception
    {
        try (QuicEndpoint server = QuicEndpoint.server(new QuicConfig().backend(serverBackend).bind(bind));
             QuicEndpoint client = QuicEndpoint.client(new QuicConfig().backend(clientBackend)
                 .trustedCaPem(server.certificateChainPem())))
        {
            final InetSocketAddress address = server.localAddress();
            final QuicConnection connection = client.connect(address, "localhost");
            final QuicConnection accepted = server.accept(WAIT);
            assertNotNull(accepted);
            final QuicStream stream = connection.openStream();
            stream.send(PING);
            stream.finish();
            final QuicStream peer = accepted.acceptStream(WAIT);
            assertArrayEquals(PING, readExactly(peer, PING.length));
            assertEndOfStream(peer);
            peer.send(PING);
            peer.finish();
            assertArrayEquals(PING, readExactly(stream, PING.length));
            assertEndOfStream(stream);
            assertEquals(address.getAddress(), connection.peerAddress().getAddress());
            connection.disconnect(3, "interop done");
        }
    }

    @Test
    void shouldConnectKwikClientToNettyServerAndBack() throws Exception
    {
        Assumptions.assumeTrue(NettyBackend.available(), "Netty's native QUIC codec is not available here");
        exchange(QuicConfig.Backend.NETTY, QuicConfig.Backend.KWIK, "127.0.0.1:0");
        exchange(QuicConfig.Backend.KWIK, QuicConfig.Backend.NETTY, "127.0.0.1:0");
    }

    @ParameterizedTest
    @MethodSource("dev.hayate.quic.QuicTestSupport#backends")
    void shouldWorkOverIpv6Loopback(final QuicConfig.Backend backend) throws Exception
    {
        exchange(backend, backend, "[::1]:0");
    }
}
