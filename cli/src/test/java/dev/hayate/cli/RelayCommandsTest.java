package dev.hayate.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.hayate.core.Status;
import dev.hayate.relay.ProducerKey;
import dev.hayate.relay.RelayClientConfig;
import dev.hayate.relay.RelayContext;
import dev.hayate.relay.RelayCrypto;
import dev.hayate.relay.RelayProducer;
import dev.hayate.relay.RelayServer;
import dev.hayate.relay.RelayStats;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code hayate subscribe} against a relay and a producer of the library, in-process; {@code relay} and
 * {@code publish} refuse missing options.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RelayCommandsTest
{
    private static int run(final StringWriter out, final StringWriter err, final String... args)
    {
        final CommandLine commandLine = Main.commandLine();
        commandLine.setOut(new PrintWriter(out));
        commandLine.setErr(new PrintWriter(err));
        return commandLine.execute(args);
    }

    @Test
    void shouldPrintEveryBroadcastLineAndExitWhenTheProducerEndsItsStream() throws Exception
    {
        try (RelayServer relay = RelayServer.bind(new RelayContext().listen(new InetSocketAddress("127.0.0.1", 0)))
            .start())
        {
            final ProducerKey key = ProducerKey.generate();
            final byte[] secret = RelayCrypto.newSecret();
            final InetSocketAddress address = (InetSocketAddress)relay.localAddress();
            final StringWriter out = new StringWriter();
            final StringWriter err = new StringWriter();
            final CompletableFuture<Integer> subscribing = CompletableFuture.supplyAsync(() -> run(out, err,
                "subscribe", "--relay", "127.0.0.1:" + address.getPort(), "--session",
                HexFormat.of().formatHex(key.sessionId()), "--secret", HexFormat.of().formatHex(secret)));
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (relay.stats().get(RelayStats.Counter.CONSUMERS) == 0 && System.nanoTime() - deadline < 0)
            {
                Thread.sleep(10);
            }
            try (RelayProducer producer = RelayProducer.blocking(new RelayClientConfig().relay(address)
                .producerKey(key).secret(secret)))
            {
                for (final String line : new String[] {"first", "second"})
                {
                    final byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
                    assertEquals(Status.OK, producer.broadcast(bytes, 0, bytes.length));
                }
            }
            assertEquals(0, subscribing.get(30, TimeUnit.SECONDS), err::toString);
            assertEquals("first" + System.lineSeparator() + "second" + System.lineSeparator(), out.toString());
            assertTrue(err.toString().contains("ended its stream"), err.toString());
        }
    }

    @Test
    void shouldRequireTheAddresses()
    {
        assertEquals(2, run(new StringWriter(), new StringWriter(), "relay"));
        assertEquals(2, run(new StringWriter(), new StringWriter(), "publish"));
        assertEquals(2, run(new StringWriter(), new StringWriter(), "subscribe", "--relay", "127.0.0.1:1"));
    }
}
