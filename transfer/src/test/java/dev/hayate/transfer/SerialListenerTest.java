package dev.hayate.transfer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

/** The listener promise "one call at a time" holds when a writer and a network thread report at once. */
class SerialListenerTest
{
    private static final int CALLS = 5_000;

    @Test
    void shouldNeverLetTwoThreadsIntoTheListenerAtOnce() throws Exception
    {
        final AtomicInteger inside = new AtomicInteger();
        final AtomicInteger overlaps = new AtomicInteger();
        final AtomicInteger calls = new AtomicInteger();
        final TransferListener counting = new TransferListener()
        {
            private void enter()
            {
                if (inside.incrementAndGet() != 1)
                {
                    overlaps.incrementAndGet();
                }
                // Gives the other thread the chance to come in, even when both share one core.
                Thread.yield();
                calls.incrementAndGet();
                inside.decrementAndGet();
            }

            @Override
            public void onStage(final Stage stage, final String detail)
            {
                enter();
            }

            @Override
            public void onProgress(final long bytesDone, final long bytesTotal, final int fileIndex)
            {
                enter();
            }
        };
        final TransferListener serial = SerialListener.of(counting);
        final CountDownLatch start = new CountDownLatch(1);
        final Thread writer = new Thread(() -> run(start, () -> serial.onProgress(1, 2, 0)), "writer");
        final Thread network = new Thread(() -> run(start, () -> serial.onStage(Stage.VERIFYING, "")), "network");
        writer.start();
        network.start();
        start.countDown();
        writer.join(TimeUnit.SECONDS.toMillis(60));
        network.join(TimeUnit.SECONDS.toMillis(60));
        assertEquals(2 * CALLS, calls.get(), "every call reached the listener");
        assertEquals(0, overlaps.get(), "no call overlapped another");
    }

    @Test
    void shouldWrapOnlyOnce()
    {
        assertSame(TransferListener.NONE, SerialListener.of(TransferListener.NONE));
        final TransferListener once = SerialListener.of(new TransferListener()
        {
        });
        assertTrue(once instanceof SerialListener);
        assertSame(once, SerialListener.of(once));
    }

    private static void run(final CountDownLatch start, final Runnable call)
    {
        try
        {
            start.await();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return;
        }
        for (int i = 0; i < CALLS; i++)
        {
            call.run();
        }
    }
}
