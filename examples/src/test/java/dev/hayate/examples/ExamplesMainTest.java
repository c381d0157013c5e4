package dev.hayate.examples;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The command line itself, in this process: {@code gateway} on an ephemeral port on a thread, {@code trader}
 * against it, exit codes and printed output as a user sees them.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ExamplesMainTest
{
    private static final Pattern LISTENING = Pattern.compile("listening on /127\\.0\\.0\\.1:(\\d+) ");

    /**
     * Collects printed lines, from any thread.
     */
    static final class Lines extends Writer
    {
        final LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
        private final StringBuilder current = new StringBuilder();

        @Override
        public synchronized void write(final char[] buffer, final int offset, final int length)
        {
            for (int i = offset; i < offset + length; i++)
            {
                if (buffer[i] == '\n')
                {
                    lines.add(current.toString());
                    current.setLength(0);
                }
                else if (buffer[i] != '\r')
                {
                    current.append(buffer[i]);
                }
            }
        }

        @Override
        public void flush()
        {
        }

        @Override
        public void close()
        {
        }

        String await(final Pattern pattern) throws InterruptedException
        {
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (System.nanoTime() - deadline < 0)
            {
                final String line = lines.poll(100, TimeUnit.MILLISECONDS);
                if (line != null && pattern.matcher(line).find())
                {
                    return line;
                }
            }
            return null;
        }
    }

    @Test
    void shouldRunTheGatewayAndTraderCommandsEndToEnd() throws Exception
    {
        final Lines gatewayOut = new Lines();
        final StringWriter gatewayErr = new StringWriter();
        final AtomicInteger gatewayExit = new AtomicInteger(-1);
        final Thread gateway = new Thread(() -> gatewayExit.set(ExamplesMain.run(new String[] {"gateway", "--listen",
            "127.0.0.1:0", "--user", "alice:secret", "--user", "bob:hunter2", "--heartbeat-ms", "500"},
            new PrintWriter(gatewayOut, true), new PrintWriter(gatewayErr, true))), "cli-gateway");
        gateway.setDaemon(true);
        gateway.start();
        final List<String> printed = new java.util.ArrayList<>();
        try
        {
            final String listening = gatewayOut.await(LISTENING);
            assertNotNull(listening, () -> "the gateway never said where it listens: " + gatewayErr);
            final Matcher port = LISTENING.matcher(listening);
            assertTrue(port.find());
            final String address = "127.0.0.1:" + port.group(1);

            final StringWriter traderOut = new StringWriter();
            final StringWriter traderErr = new StringWriter();
            final int exit = ExamplesMain.run(new String[] {"trader", "--connect", address, "--user", "alice",
                "--password", "secret", "--orders", "500"}, new PrintWriter(traderOut, true), new PrintWriter(traderErr, true));
            final String summary = traderOut.toString();
            assertEquals(0, exit, () -> summary + traderErr);
            assertTrue(summary.contains("Hayate trader: alice -> /127.0.0.1:"), summary);
            assertTrue(summary.contains("  orders    500 sent, 500 filled"), summary);
            assertTrue(summary.contains("0 rejected, 0 unanswered, 0 duplicate, 0 foreign, 0 out of order"), summary);
            assertTrue(Pattern.compile("round trip NewOrder -> FILL \\(us\\)  p50 [0-9.]+   p90 [0-9.]+   p99 [0-9.]+   " +
                "p99\\.9 [0-9.]+   max [0-9.]+").matcher(summary).find(), summary);
            assertTrue(summary.contains("  result    OK: every order answered exactly once"), summary);

            final StringWriter rejectedOut = new StringWriter();
            final StringWriter rejectedErr = new StringWriter();
            assertEquals(2, ExamplesMain.run(new String[] {"trader", "--connect", address, "--user", "bob",
                "--password", "wrong", "--orders", "1"}, new PrintWriter(rejectedOut, true),
                new PrintWriter(rejectedErr, true)), "exit code 2 when the login is rejected");
            assertTrue(rejectedErr.toString().contains("login rejected: BAD_CREDENTIALS: unknown user or wrong password"),
                rejectedErr::toString);
            assertNotNull(gatewayOut.await(Pattern.compile("gateway: login rejected: 'bob'")));
        }
        finally
        {
            gateway.interrupt();
            gateway.join(10_000);
            gatewayOut.lines.drainTo(printed);
        }
        assertFalse(gateway.isAlive(), "the gateway command stops when its thread is interrupted");
        assertEquals(0, gatewayExit.get(), gatewayErr::toString);
        // The rejected login is counted as its handshake thread unwinds, which may be just after the stop.
        assertTrue(printed.stream().anyMatch(line -> line.matches(".* gateway: stopped: [01] failed login\\(s\\), 0 " +
            "connection\\(s\\) refused by the gate")), printed::toString);
    }

    @Test
    void shouldPrintHelpForBothCommands()
    {
        final StringWriter out = new StringWriter();
        assertEquals(0, ExamplesMain.run(new String[] {"gateway", "--help"}, new PrintWriter(out, true),
            new PrintWriter(new StringWriter(), true)));
        assertTrue(out.toString().contains("--listen=HOST:PORT") && out.toString().contains("--user=NAME:PASSWORD"),
            out::toString);
        final StringWriter traderHelp = new StringWriter();
        assertEquals(0, ExamplesMain.run(new String[] {"trader", "--help"}, new PrintWriter(traderHelp, true),
            new PrintWriter(new StringWriter(), true)));
        assertTrue(traderHelp.toString().contains("--orders") && traderHelp.toString().contains("--connect=HOST:PORT"),
            traderHelp::toString);
        final StringWriter usage = new StringWriter();
        assertEquals(2, ExamplesMain.run(new String[] {"trader", "--connect", "nonsense"},
            new PrintWriter(new StringWriter(), true), new PrintWriter(usage, true)));
        assertTrue(usage.toString().contains("expected HOST:PORT"), usage::toString);
    }
}
