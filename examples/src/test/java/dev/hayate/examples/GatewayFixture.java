package dev.hayate.examples;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * A gateway on an ephemeral loopback port with the test users, its events collected, started on its own thread
 * (or driven by the test), and closed with the test.
 */
final class GatewayFixture implements AutoCloseable
{
    static final String ALICE = "alice";
    static final String BOB = "bob";
    static final String CAROL = "carol";
    static final String PASSWORD = "secret";

    final ConcurrentLinkedQueue<String> events;
    final Gateway gateway;

    private GatewayFixture(final Gateway gateway, final ConcurrentLinkedQueue<String> events)
    {
        this.gateway = gateway;
        this.events = events;
    }

    /**
     * @param tuning changes to the default test configuration.
     * @param start  true to serve on the gateway's own thread, false to let the test call {@code doWork}.
     * @return the fixture.
     * @throws IOException if it cannot bind.
     */
    static GatewayFixture create(final Consumer<Gateway.Config> tuning, final boolean start) throws IOException
    {
        final ConcurrentLinkedQueue<String> events = new ConcurrentLinkedQueue<>();
        final Gateway.Config config = new Gateway.Config()
            .listen(new InetSocketAddress("127.0.0.1", 0))
            .user(ALICE, PASSWORD)
            .user(BOB, PASSWORD)
            .user(CAROL, PASSWORD)
            .heartbeatIntervalMs(1_000)
            .loginTimeoutMs(2_000)
            .events(line ->
            {
                events.add(line);
                if (Boolean.getBoolean("hayate.examples.printEvents"))
                {
                    System.out.println("gateway: " + line);
                }
            });
        tuning.accept(config);
        final GatewayFixture fixture = new GatewayFixture(new Gateway(config), events);
        if (start)
        {
            fixture.gateway.start();
        }
        return fixture;
    }

    static GatewayFixture started() throws IOException
    {
        return create(config -> { }, true);
    }

    InetSocketAddress address()
    {
        return (InetSocketAddress)gateway.localAddress();
    }

    TraderSession.Config trader(final String user)
    {
        return new TraderSession.Config().gateway(address()).username(user).password(PASSWORD)
            .heartbeatIntervalMs(1_000).connectTimeoutMs(5_000).loginTimeoutMs(5_000);
    }

    /**
     * Waits for an event line.
     *
     * @param what      matches the line.
     * @param timeoutMs bound.
     * @return the line.
     */
    String awaitEvent(final Predicate<String> what, final long timeoutMs)
    {
        return awaitEvent(what, 1, timeoutMs);
    }

    /**
     * Waits for the {@code nth} event that matches, for a step that happens more than once in a test (a second
     * disconnect of the same user, say).
     *
     * @param what      matches the lines.
     * @param nth       how many matching lines to wait for, 1 for the first.
     * @param timeoutMs bound.
     * @return the nth matching line.
     */
    String awaitEvent(final Predicate<String> what, final int nth, final long timeoutMs)
    {
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (System.nanoTime() - deadline < 0)
        {
            int seen = 0;
            for (final String line : events)
            {
                if (what.test(line) && ++seen == nth)
                {
                    return line;
                }
            }
            sleep(5);
        }
        return fail("no " + (nth == 1 ? "such gateway event" : nth + " such gateway events") + " within " +
            timeoutMs + " ms; events: " + List.copyOf(events));
    }

    static void awaitTrue(final BooleanSupplier condition, final long timeoutMs, final String what)
    {
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() - deadline >= 0)
            {
                fail("timed out after " + timeoutMs + " ms waiting for " + what);
            }
            sleep(2);
        }
    }

    static void sleep(final long millis)
    {
        try
        {
            Thread.sleep(millis);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", ex);
        }
    }

    @Override
    public void close()
    {
        gateway.close();
    }
}
