package dev.hayate.transfer.discovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.hayate.transfer.crypto.CodePhrase;

/**
 * The bounds of discovery under a flood of forged announcements and unresolvable mDNS names: memory stays bounded
 * and the sender looked for is still found.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DiscoveryBoundsTest
{
    private static final Duration WAIT = Duration.ofSeconds(20);

    @Test
    void shouldStillHandOutTheGenuineSenderAfterAFloodOfForgedAnnouncements() throws Exception
    {
        final CodePhrase code = CodePhrase.parse("7-amber-falcon-river");
        final SecureRandom random = new SecureRandom();
        try (Discovery discovery = Discovery.start(LoopbackDiscoveryTest.udpOnly(), code, Announcement.TCP);
            DatagramSocket spoofer = new DatagramSocket(0, InetAddress.getLoopbackAddress()))
        {
            final SocketAddress target = new InetSocketAddress(InetAddress.getLoopbackAddress(),
                discovery.udpAddress().getPort());
            // More forged announcements than the table holds, each distinct (fresh salt, other numbers, ports).
            final int forged = Discovery.MAX_SIGHTINGS + 144;
            for (int i = 0; i < forged; i++)
            {
                final CodePhrase other = CodePhrase.parse((100 + i % 800) + "-amber-falcon-river");
                final byte[] bytes = Announcement.create(other, Announcement.TCP, 1000 + i, random).encode();
                spoofer.send(new DatagramPacket(bytes, bytes.length, target));
                if (i % 32 == 31)
                {
                    // Paced, so the kernel's receive buffer does not drop what the flood is meant to deliver.
                    Thread.sleep(5);
                }
            }
            final byte[] genuine = Announcement.create(code, Announcement.TCP, 4242, random).encode();
            spoofer.send(new DatagramPacket(genuine, genuine.length, target));
            final SocketAddress found = discovery.next(WAIT);
            assertEquals(new InetSocketAddress(InetAddress.getLoopbackAddress(), 4242), found);
            assertTrue(discovery.sightings().size() <= Discovery.MAX_SIGHTINGS_PER_SOURCE + 1,
                "one source filled " + discovery.sightings().size() + " entries");
        }
    }

    @Test
    void shouldResolveMdnsNamesWithoutEverWaitingOnTheCallersThread() throws Exception
    {
        final CountDownLatch stuck = new CountDownLatch(1);
        final CountDownLatch released = new CountDownLatch(1);
        final AtomicInteger resolved = new AtomicInteger();
        try (MdnsResolver resolver = new MdnsResolver())
        {
            // The first name never resolves until released; jmdns's listener thread (here, the test's) goes on.
            assertTrue(resolver.offer("stuck", () ->
            {
                stuck.countDown();
                try
                {
                    released.await(WAIT.toSeconds(), TimeUnit.SECONDS);
                }
                catch (final InterruptedException ex)
                {
                    Thread.currentThread().interrupt();
                }
            }));
            assertTrue(stuck.await(WAIT.toSeconds(), TimeUnit.SECONDS));
            int queued = 0;
            for (int i = 0; i < 10 * MdnsResolver.MAX_PENDING; i++)
            {
                if (resolver.offer("name " + i, resolved::incrementAndGet))
                {
                    queued++;
                }
            }
            assertEquals(MdnsResolver.MAX_PENDING, queued, "the queue is bounded");
            assertFalse(resolver.offer("name 0", resolved::incrementAndGet), "a name is asked once");
            released.countDown();
            final long deadline = System.nanoTime() + WAIT.toNanos();
            while (resolved.get() < queued && System.nanoTime() - deadline < 0)
            {
                Thread.sleep(10);
            }
            assertEquals(queued, resolved.get());
            // A name dropped while the queue was full is asked when it is announced again.
            assertTrue(resolver.offer("name " + (10 * MdnsResolver.MAX_PENDING - 1), resolved::incrementAndGet));
        }
    }
}
