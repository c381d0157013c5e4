package dev.hayate.quic;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static dev.hayate.quic.QuicTestSupport.WAIT;
import static dev.hayate.quic.QuicTestSupport.assertEndOfStream;
import static dev.hayate.quic.QuicTestSupport.readExactly;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class QuicEndpointTest
{
    @ParameterizedTest
    @MethodSource("dev.hayate.quic.QuicTestSupport#backends")
    void shouldHandshakeWithSelfSignedServerAndEchoOnOneStream(final QuicConfig.Backend backend) throws Exception
    {
        try (QuicTestSupport.Pair pair = new QuicTestSupport.Pair(backend))
        {
            final QuicStream stream = pair.clientConnection.openStream();
            stream.send("hello".getBytes(StandardCharsets.US_ASCII));
            final QuicStream accepted = pair.serverConnection.acceptStream(WAIT);
            assertNotNull(accepted, "no stream accepted");
            assertArrayEquals("hello".getBytes(StandardCharsets.US_ASCII), readExactly(accepted, 5));
            accepted.send("world".getBytes(StandardCharsets.US_ASCII));
            accepted.finish();
            assertArrayEquals("world".getBytes(StandardCharsets.US_ASCII), readExactly(stream, 5));
            assertEndOfStream(stream);
            stream.finish();
            assertEndOfStream(accepted);
            assertTrue(pair.clientConnection.observe().smoothedRttNanos() >= 0);
            assertEquals(pair.server.localAddress(), pair.clientConnection.observe().peerAddress());
            System.out.println(backend + " rtt " + pair.clientConnection.observe().smoothedRttNanos() +
                " stats " + pair.clientConnection.observe());
            assertEquals(Duration.ofSeconds(30), new QuicConfig().idleTimeout());
        }
    }
}
