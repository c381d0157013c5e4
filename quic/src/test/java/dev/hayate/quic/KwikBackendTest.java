package dev.hayate.quic;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tech.kwik.core.cc.CongestionController;
import tech.kwik.core.frame.AckFrame;
import tech.kwik.core.frame.PingFrame;
import tech.kwik.core.impl.Role;
import tech.kwik.core.impl.Version;
import tech.kwik.core.log.NullLogger;
import tech.kwik.core.log.NullQLog;
import tech.kwik.core.packet.PacketInfo;
import tech.kwik.core.packet.QuicPacket;
import tech.kwik.core.packet.ShortHeaderPacket;
import tech.kwik.core.recovery.LossDetector;
import tech.kwik.core.recovery.RecoveryManager;
import tech.kwik.core.recovery.RttEstimator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The kwik backend against kwik's own failure modes: the loss detector's assertion that fires when a loopback RTT
 * rounds to 0 ms, and a connection kwik drops after an internal error without telling anyone.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class KwikBackendTest
{
    @Test
    void shouldDetectLossInsteadOfFailingAnAssertionWhenTheRttRoundsToZero()
    {
        // Every use of kwik goes through KwikBackend, which is initialized first; so is it here.
        assertNotNull(KwikBackend.KICKS);
        final Clock clock = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
        final Instant now = clock.instant();
        final RttEstimator rtt = new RttEstimator(new NullLogger());
        // A first sample under a millisecond, as loopback gives: the smoothed RTT is 0 and stays 0 while the
        // samples are 3 ms or less, so kwik 0.10.9's loss delay (9/8 of the RTT in whole ms) is 0.
        rtt.addSample(now, now, 0);
        assertEquals(0, rtt.getSmoothedRtt());
        final CongestionController congestion = new Uncongested();
        final RecoveryManager recovery = new RecoveryManager(clock, Role.Server, rtt, congestion, null, new NullLogger());
        try
        {
            final LossDetector detector = new LossDetector(clock, recovery, rtt, congestion, () -> { }, new NullQLog());
            final List<QuicPacket> lost = new ArrayList<>();
            detector.packetSent(ping(0), now.minusMillis(1), lost::add);
            detector.packetSent(ping(1), now, lost::add);

            // With kwik's assertions on (surefire runs with -ea), this threw AssertionError (lossDelay > 0); on a
            // server connection's receiver thread that dropped the whole connection.
            detector.onAckReceived(new AckFrame(1), now);

            assertEquals(1, lost.size(), "the older packet is declared lost");
            assertEquals(0, lost.get(0).getPacketNumber());
        }
        finally
        {
            recovery.stopRecovery();
        }
    }

    @Test
    void shouldTellTheServerSideAtTheIdleTimeoutWhenNothingMoves() throws Exception
    {
        // Both ends idle after one byte: by QUIC's rules the connection ends at the idle timeout, and the server
        // side must be told (by kwik's own timer, or by the watchdog's backstop when kwik loses the event).
        final Duration idle = Duration.ofSeconds(1);
        try (QuicEndpoint server = QuicEndpoint.server(new QuicConfig().backend(QuicConfig.Backend.KWIK)
            .bind("127.0.0.1:0").idleTimeout(idle)))
        {
            final List<QuicConnection> accepted = new java.util.concurrent.CopyOnWriteArrayList<>();
            server.acceptListener(accepted::add);
            final QuicEndpoint client = QuicEndpoint.client(new QuicConfig().backend(QuicConfig.Backend.KWIK)
                .idleTimeout(idle).trustedCaPem(server.certificateChainPem()));
            final QuicConnection connection = client.connect(server.localAddress(), "localhost", QuicTestSupport.WAIT);
            final QuicStream stream = connection.openStream();
            stream.send(new byte[] {1});
            final long deadline = System.nanoTime() + QuicTestSupport.WAIT.toNanos();
            while (accepted.isEmpty() && System.nanoTime() - deadline < 0)
            {
                Thread.sleep(10);
            }
            assertEquals(1, accepted.size(), "accepted");
            final QuicConnection serverSide = accepted.get(0);
            while (!serverSide.isClosed() && System.nanoTime() - deadline < 0)
            {
                Thread.sleep(10);
            }
            client.close();
            assertTrue(serverSide.isClosed(), "the server kept a connection whose peer went silent");
            // Either end's idle timer may fire first: the server's own (idle), or the client's, whose kwik then
            // tells the server with a CONNECTION_CLOSE (closed by peer); both end the server side in time.
            final String why = serverSide.observe().lastError().getMessage();
            assertTrue(why.contains("idle") || why.contains("closed by peer"), why);
        }
    }

    @Test
    void shouldCloseBothEndsPromptlyWhenKwikDropsAServerConnectionAfterAnInternalError() throws Exception
    {
        // Far beyond every wait below: only an explicit close can end the client's connection in time.
        final Duration idle = Duration.ofSeconds(300);
        try (QuicEndpoint server = QuicEndpoint.server(new QuicConfig().backend(QuicConfig.Backend.KWIK)
                .bind("127.0.0.1:0").idleTimeout(idle));
            QuicEndpoint client = QuicEndpoint.client(new QuicConfig().backend(QuicConfig.Backend.KWIK)
                .idleTimeout(idle).trustedCaPem(server.certificateChainPem())))
        {
            final List<QuicConnection> accepted = new java.util.concurrent.CopyOnWriteArrayList<>();
            // Runs on kwik's receiver thread of the new connection; kwik treats anything thrown there as fatal.
            server.acceptListener(connection ->
            {
                accepted.add(connection);
                throw new IllegalStateException("injected failure on kwik's receiver thread");
            });
            final QuicConnection connection;
            try
            {
                connection = client.connect(server.localAddress(), "localhost", QuicTestSupport.WAIT);
            }
            catch (final QuicException ex)
            {
                // The abort overtook the end of the handshake: refused, which is not a stall either.
                return;
            }
            final long deadline = System.nanoTime() + QuicTestSupport.WAIT.toNanos();
            while (!connection.isClosed() && System.nanoTime() - deadline < 0)
            {
                Thread.sleep(10);
            }
            assertTrue(connection.isClosed(), "the client was not told that the server dropped the connection");
            assertEquals(1, accepted.size());
            final QuicConnection serverSide = accepted.get(0);
            assertTrue(serverSide.isClosed());
            assertEquals(QuicException.Kind.INTERNAL, serverSide.observe().lastError().kind());
            assertTrue(serverSide.observe().lastError().getMessage().contains("injected failure"),
                serverSide.observe().lastError().getMessage());
        }
    }

    /**
     * Congestion control out of the way: the packets here were never encoded, so they have no size.
     */
    private static final class Uncongested implements CongestionController
    {
        @Override
        public void registerInFlight(final QuicPacket packet)
        {
        }

        @Override
        public void registerAcked(final List<? extends PacketInfo> acknowledged)
        {
        }

        @Override
        public void registerLost(final List<? extends PacketInfo> lost)
        {
        }

        @Override
        public boolean canSend(final int bytes)
        {
            return true;
        }

        @Override
        public long getBytesInFlight()
        {
            return 0;
        }

        @Override
        public long getWindowSize()
        {
            return Long.MAX_VALUE;
        }

        @Override
        public void reset()
        {
        }

        @Override
        public void discard(final List<? extends PacketInfo> discarded)
        {
        }

        @Override
        public long remainingCwnd()
        {
            return Long.MAX_VALUE;
        }
    }

    private static QuicPacket ping(final long packetNumber)
    {
        final QuicPacket packet = new ShortHeaderPacket(Version.QUIC_version_1, new byte[8], new PingFrame());
        packet.setPacketNumber(packetNumber);
        return packet;
    }
}
