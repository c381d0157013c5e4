package dev.hayate.async;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.hayate.core.Codec;
import dev.hayate.core.Context;
import dev.hayate.core.Protocol;
import dev.hayate.core.ProtocolFactory;
import dev.hayate.core.buffer.BufferPool;
import dev.hayate.core.test.ByteArrayCodec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Heartbeats and a liveness rule cost a constant number of timers per connection, whatever the message rate.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TimerBoundTest
{
    private static final byte[] HEARTBEAT = {0};

    private static ProtocolFactory<byte[]> heartbeating()
    {
        return id -> new Protocol<>()
        {
            private final Codec<byte[]> codec = new ByteArrayCodec();

            @Override
            public Codec<byte[]> codec()
            {
                return codec;
            }

            @Override
            public long heartbeatIntervalNanos()
            {
                return TimeUnit.MILLISECONDS.toNanos(50);
            }

            @Override
            public byte[] heartbeat()
            {
                return HEARTBEAT;
            }

            @Override
            public boolean consumes(final byte[] received)
            {
                return received.length == 1 && received[0] == 0;
            }

            @Override
            public boolean isConnected(final long nanosSinceLastReceive)
            {
                return nanosSinceLastReceive < TimeUnit.SECONDS.toNanos(30);
            }
        };
    }

    private static void echo(final Clt<byte[]> clt)
    {
        clt.recv().thenCompose(clt::send).whenComplete((sent, failure) ->
        {
            if (failure == null)
            {
                echo(clt);
            }
        });
    }

    @Test
    void shouldKeepTheTimerWheelBoundedOverAHundredThousandMessagesWithHeartbeats() throws Exception
    {
        final BufferPool pool = new BufferPool.Context().sizeClass(64 * 1024, 16).build();
        final Context context = new Context().bufferPool(pool);
        try (AsyncRuntime runtime = new AsyncRuntime.Builder().name("timers").ioThreads(1).build();
             Svc<byte[]> svc = Svc.bind(new InetSocketAddress("127.0.0.1", 0), heartbeating(), context, runtime))
        {
            svc.onAccept(TimerBoundTest::echo);
            final Clt<byte[]> clt = Clt.connect(svc.localAddress(), heartbeating(), context, runtime)
                .get(20, TimeUnit.SECONDS);
            final int messages = 100_000;
            final int window = 500;
            long mostTimers = 0;
            for (int sent = 0; sent < messages; sent += window)
            {
                final List<CompletableFuture<byte[]>> replies = new ArrayList<>(window);
                for (int i = 0; i < window; i++)
                {
                    clt.send(new byte[] {1, (byte)i});
                    replies.add(clt.recv());
                }
                for (int i = 0; i < window; i++)
                {
                    assertArrayEquals(new byte[] {1, (byte)i}, replies.get(i).get(20, TimeUnit.SECONDS));
                }
                mostTimers = Math.max(mostTimers, runtime.timerCount());
            }
            // One duty timer per connection (two connections); receives here have no timeout.
            assertTrue(mostTimers <= 2, "timers armed at most: " + mostTimers);
            clt.close();
        }
    }
}
