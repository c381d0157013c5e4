package dev.hayate.quic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The event contract when a stream ends at the moment its connection closes, without a backend: the two reports
 * come from two threads, and every opened stream's STREAM_CLOSED must precede DISCONNECTED, exactly once.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class QuicEventOrderTest
{
    @Test
    void shouldReportAStreamThatEndsWhileItsConnectionClosesOnceAndBeforeDisconnected() throws Exception
    {
        final QuicConfig config = new QuicConfig();
        for (int round = 0; round < 2_000; round++)
        {
            final QuicConnection connection = new QuicConnection(config, true);
            final QuicStream stream = new QuicStream(connection, 0, true, config);
            connection.onLocalStream(stream);
            stream.deliverFin();
            final CountDownLatch start = new CountDownLatch(1);
            final Thread finisher = new Thread(() ->
            {
                try
                {
                    start.await();
                }
                catch (final InterruptedException ex)
                {
                    return;
                }
                stream.finSent();
            });
            finisher.start();
            start.countDown();
            connection.onClosed(new QuicException(QuicException.Kind.CONNECTION_CLOSED, 5, "bye", null));
            finisher.join(TimeUnit.SECONDS.toMillis(10));
            assertTrue(!finisher.isAlive(), "the finishing thread ended");

            final List<QuicEvent.Type> types = new ArrayList<>();
            QuicEvent event;
            while ((event = connection.pollEvent(Duration.ZERO)) != null)
            {
                types.add(event.type());
            }
            assertEquals(List.of(QuicEvent.Type.STREAM_OPENED, QuicEvent.Type.STREAM_CLOSED,
                QuicEvent.Type.DISCONNECTED), types, "round " + round);
        }
    }
}
