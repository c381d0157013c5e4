package dev.hayate.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import org.junit.jupiter.api.Test;

class ContextTest
{
    private static String refusal(final UnaryOperator<Context> setting)
    {
        return assertThrows(IllegalArgumentException.class, () -> setting.apply(new Context()).conclude()).getMessage();
    }

    @Test
    void shouldRefuseNegativeOrZeroTimeoutsWhenConcluded()
    {
        assertTrue(refusal(c -> c.connectTimeout(-1, TimeUnit.SECONDS)).contains("connect timeout"));
        assertTrue(refusal(c -> c.connectTimeout(0, TimeUnit.SECONDS)).contains("connect timeout"));
        assertTrue(refusal(c -> c.connectRetryInterval(-5, TimeUnit.MILLISECONDS)).contains("retry interval"));
        assertTrue(refusal(c -> c.handshakeTimeout(-1, TimeUnit.SECONDS)).contains("handshake timeout"));
        assertTrue(refusal(c -> c.bufferLeaseTimeout(-1, TimeUnit.SECONDS)).contains("lease timeout"));
        assertTrue(refusal(c -> c.lingerTimeout(-1, TimeUnit.SECONDS)).contains("linger timeout"));
    }

    @Test
    void shouldRefuseBuffersSmallerThanAFrame()
    {
        assertTrue(refusal(c -> c.maxFrameLength(1 << 20).receiveBufferCapacity(64 << 10)).contains("maxFrameLength"));
    }

    @Test
    void shouldRefuseLimitsBelowOneAndAnAddressTableSmallerThanTheGate()
    {
        assertThrows(IllegalArgumentException.class, () -> new Context().maxConnectionsPerAddress(0));
        assertThrows(IllegalArgumentException.class, () -> new Context().maxHandshakes(0));
        assertThrows(IllegalArgumentException.class, () -> new Context().maxHandshakesPerAddress(-1));
        assertThrows(IllegalArgumentException.class, () -> new Context().connectionRatePerAddress(-1, 1,
            TimeUnit.SECONDS));
        assertThrows(IllegalArgumentException.class, () -> new Context().connectionRatePerAddress(5, 0,
            TimeUnit.SECONDS));
        assertTrue(refusal(c -> c.maxConnections(100).addressTableCapacity(99)).contains("address table"));
        assertTrue(refusal(c -> c.connectionRatePerAddress(10, 5, TimeUnit.NANOSECONDS)).contains("nanosecond"));
    }

    @Test
    void shouldDeriveThePerAddressLimitsFromTheGateWhenUnset()
    {
        final Context context = new Context().maxConnections(50).conclude();
        assertEquals(50, context.maxHandshakes());
        assertEquals(50, context.maxConnectionsPerAddress());
        assertEquals(50, context.maxHandshakesPerAddress());
        assertEquals(0, context.connectionRateBurst());
        assertEquals(1024, context.addressTableCapacity());
        assertEquals(7, new Context().maxHandshakes(7).conclude().maxHandshakesPerAddress());
    }

    @Test
    void shouldAcceptTheDefaultsAndRefuseChangesOnceConcluded()
    {
        final Context context = new Context().conclude();
        assertEquals(Context.DEFAULT_MAX_FRAME_LENGTH, context.receiveBufferCapacity());
        assertThrows(IllegalStateException.class, () -> context.connectTimeout(1, TimeUnit.SECONDS));
    }
}
