package dev.hayate.examples;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.Iterator;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import dev.hayate.core.stat.Counters;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static dev.hayate.examples.GatewayFixture.ALICE;
import static dev.hayate.examples.GatewayFixture.BOB;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Slow loris: one address holds 300 connections open without ever logging in, and opens a new one whenever the
 * gateway closes one (refused at the gate, or dropped at the login timeout). Real traders from another address
 * still log in and trade, because the gate limits what one address may hold and how many of its connections may be
 * logging in at once. Every loopback client is 127.0.0.1; the attacker binds 127.0.0.2.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SlowLorisTest
{
    private static final String ATTACKER = "127.0.0.2";
    private static final int IDLE_CONNECTIONS = 300;
    private static final int PER_ADDRESS = 16;
    private static final int LOGINS_PER_ADDRESS = 8;

    private GatewayFixture fixture;
    private IdleFlood flood;

    @AfterEach
    void tearDown() throws Exception
    {
        if (flood != null)
        {
            flood.close();
        }
        if (fixture != null)
        {
            fixture.close();
        }
    }

    @Test
    void shouldLetARealTraderLogInAndTradeWhileThreeHundredIdleConnectionsKeepReconnecting() throws Exception
    {
        fixture = GatewayFixture.create(config -> config.maxConnectionsPerAddress(PER_ADDRESS)
            .maxLoginsPerAddress(LOGINS_PER_ADDRESS).connectionsPerSecondPerAddress(200).loginTimeoutMs(1_000), true);
        flood = IdleFlood.start(fixture.address(), IDLE_CONNECTIONS);
        // The gate is under siege before the trader arrives: some refused, some held until the login timeout.
        GatewayFixture.awaitTrue(() -> flood.reconnects() >= IDLE_CONNECTIONS && fixture.gateway.refusedConnections() >
            IDLE_CONNECTIONS, 30_000, "the idle flood to be refused and to reconnect");

        try (BackgroundTrader bob = BackgroundTrader.start(fixture.trader(BOB)))
        {
            bob.awaitFilled(50);
            final long reconnectsBefore = flood.reconnects();
            try (TestTrader alice = new TestTrader(fixture.trader(ALICE)))
            {
                alice.limit(1, 10, dev.hayate.codec.orderentry.sbe.TimeInForce.DAY);
                alice.await(2);
            }
            bob.awaitFilled(bob.filled() + 50);
            GatewayFixture.awaitTrue(() -> flood.reconnects() > reconnectsBefore, 10_000,
                "the flood to go on reconnecting while the traders trade");
            final int held = fixture.gateway.connectionsFrom(InetAddress.getByName(ATTACKER));
            assertTrue(held <= PER_ADDRESS, "the attacker holds at most its share: " + held);
            assertTrue(bob.finish() >= 100);
            System.out.println("slow loris: " + flood.reconnects() + " reconnects, " +
                fixture.gateway.refusedConnections() + " refused, " + fixture.gateway.failedLogins() +
                " dropped at the login timeout, attacker held " + held + " connection(s)");
        }
        // The traders may finish before the first idle connection has waited out its 1 s login timeout: wait for it.
        GatewayFixture.awaitTrue(() -> fixture.events.stream().anyMatch(line -> line.startsWith("dropped /" + ATTACKER)
            && line.contains("no Login within the login timeout")), 10_000,
            "idle connections to be dropped at the login timeout");
        flood.close();
        GatewayFixture.awaitTrue(() -> fixture.gateway.connectionCount() == 0, 10_000, "every connection gone");
        assertEquals(0, fixture.gateway.connectionsFrom(InetAddress.getByName(ATTACKER)));
        final Counters counters = fixture.gateway.context().counters();
        assertTrue(counters.counter(dev.hayate.core.stat.Stat.REFUSED_HANDSHAKES).get() +
            counters.counter(dev.hayate.core.stat.Stat.REFUSED_PER_ADDRESS).get() +
            counters.counter(dev.hayate.core.stat.Stat.REFUSED_RATE).get() > 0, "refusals counted by reason");
    }

    /**
     * Holds {@code count} connections from {@link #ATTACKER} that never send a byte, and replaces each one the
     * gateway closes, on one thread of its own.
     */
    static final class IdleFlood implements AutoCloseable
    {
        private final InetSocketAddress target;
        private final Selector selector;
        private final Thread thread;
        private final AtomicLong reconnects = new AtomicLong();
        private final ByteBuffer sink = ByteBuffer.allocate(256);
        private volatile boolean stop;
        private volatile Throwable failure;

        private IdleFlood(final InetSocketAddress target) throws IOException
        {
            this.target = target;
            this.selector = Selector.open();
            this.thread = new Thread(this::run, "slow-loris");
            this.thread.setDaemon(true);
        }

        static IdleFlood start(final InetSocketAddress target, final int count) throws IOException
        {
            final IdleFlood flood = new IdleFlood(target);
            for (int i = 0; i < count; i++)
            {
                flood.open();
            }
            flood.thread.start();
            return flood;
        }

        long reconnects()
        {
            if (failure != null)
            {
                throw new AssertionError("the flood failed", failure);
            }
            return reconnects.get();
        }

        private void open() throws IOException
        {
            final SocketChannel channel = SocketChannel.open();
            channel.configureBlocking(false);
            channel.bind(new InetSocketAddress(ATTACKER, 0));
            channel.connect(target);
            channel.register(selector, SelectionKey.OP_CONNECT);
        }

        private void run()
        {
            try
            {
                while (!stop)
                {
                    selector.select(100);
                    int replaced = 0;
                    final Iterator<SelectionKey> ready = selector.selectedKeys().iterator();
                    while (ready.hasNext())
                    {
                        final SelectionKey key = ready.next();
                        ready.remove();
                        if (!isAlive(key))
                        {
                            key.channel().close();
                            open();
                            reconnects.incrementAndGet();
                            replaced++;
                        }
                    }
                    if (replaced > 0)
                    {
                        // Hostile, not a CPU burner: the machine running this test has two cores.
                        Thread.sleep(1);
                    }
                }
            }
            catch (final Exception ex)
            {
                failure = ex;
            }
        }

        private boolean isAlive(final SelectionKey key)
        {
            final SocketChannel channel = (SocketChannel)key.channel();
            try
            {
                if (key.isConnectable())
                {
                    channel.finishConnect();
                    key.interestOps(SelectionKey.OP_READ);
                    return true;
                }
                sink.clear();
                return channel.read(sink) >= 0;
            }
            catch (final IOException ex)
            {
                return false;
            }
        }

        @Override
        public void close() throws IOException
        {
            if (!selector.isOpen())
            {
                return;
            }
            stop = true;
            try
            {
                thread.join(10_000);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
            for (final SelectionKey key : selector.keys())
            {
                key.channel().close();
            }
            selector.close();
        }
    }
}
