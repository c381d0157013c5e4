package dev.hayate.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import dev.hayate.core.stat.Counters;
import dev.hayate.core.stat.Stat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The {@code hayate} subcommands run in-process, as {@link Main} runs them, with their output captured.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class CliCommandsTest
{
    @TempDir
    Path dir;

    private record Run(int exitCode, String out, String err)
    {
    }

    private static Run run(final String... args)
    {
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        final CommandLine commandLine = Main.commandLine();
        commandLine.setOut(new PrintWriter(out));
        commandLine.setErr(new PrintWriter(err));
        final int exitCode = commandLine.execute(args);
        return new Run(exitCode, out.toString(), err.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"nonblocking", "blocking", "async"})
    void shouldRunTheDemoAndCheckEveryReport(final String flavour)
    {
        final Run run = run("demo", "--flavour", flavour, "--count", "200", "--warmup", "100");
        assertEquals(0, run.exitCode(), () -> run.out() + run.err());
        assertTrue(run.out().contains("every report matched its order"), run.out());
        assertTrue(run.out().contains("round trip (us)"), run.out());
        assertTrue(run.out().contains("200 NewOrder -> 200 ExecutionReport"), run.out());
    }

    @Test
    void shouldRejectAnUnknownDemoFlavour()
    {
        final Run run = run("demo", "--flavour", "telepathy", "--count", "1", "--warmup", "0");
        assertEquals(2, run.exitCode(), run.out());
        assertTrue(run.err().contains("--flavour must be nonblocking, blocking or async"), run.err());
    }

    @Test
    void shouldPrintTheCountersOfEveryLiveStatFile()
    {
        final Counters counters = Counters.mapped(dir.resolve("hayate-" + ProcessHandle.current().pid() + ".stat"));
        counters.increment(Stat.FRAMES_IN);
        counters.counter(Stat.BYTES_IN).getAndAdd(1234);
        counters.increment(Stat.REFUSED);
        try
        {
            final Run text = run("stat", "--dir", dir.toString());
            assertEquals(0, text.exitCode(), text.err());
            assertTrue(text.out().contains("pid " + ProcessHandle.current().pid() + " (running)"), text.out());
            assertTrue(text.out().matches("(?s).*frames in\\s+1\\n.*"), text.out());
            assertTrue(text.out().matches("(?s).*bytes in\\s+1,234\\n.*"), text.out());
            assertTrue(text.out().matches("(?s).*refused by the gate\\s+1\\n.*"), text.out());

            final Run json = run("stat", "--dir", dir.toString(), "--json");
            assertEquals(0, json.exitCode(), json.err());
            assertTrue(json.out().trim().startsWith("[") && json.out().trim().endsWith("]"), json.out());
            assertTrue(json.out().contains("\"pid\": " + ProcessHandle.current().pid()), json.out());
            assertTrue(json.out().contains("\"frames in\": 1,"), json.out());
            assertTrue(json.out().contains("\"bytes in\": 1234,"), json.out());
            assertTrue(json.out().contains("\"control messages dropped\": 0"), json.out());
            assertTrue(json.out().contains("\"refused: rate\": 0"), json.out());
        }
        finally
        {
            counters.close();
        }
        final Run none = run("stat", "--dir", dir.toString());
        assertTrue(none.out().contains("no live Hayate stat files"), none.out());
        assertEquals("[]", run("stat", "--dir", dir.toString(), "--json").out().trim());
    }

    @Test
    void shouldListAStatFileLeftByAProcessThatIsGoneOnlyWhenAskedForAll() throws Exception
    {
        final Path file = dir.resolve("hayate-stale.stat");
        final Counters counters = Counters.mapped(file);
        try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(file,
            java.nio.file.StandardOpenOption.WRITE))
        {
            // A pid no process has: Linux caps pids at 2^22.
            channel.write(java.nio.ByteBuffer.allocate(8).order(java.nio.ByteOrder.nativeOrder())
                .putLong(0, Long.MAX_VALUE), 8);
        }
        assertTrue(run("stat", "--dir", dir.toString()).out().contains("no live Hayate stat files"));
        final Run all = run("stat", "--dir", dir.toString(), "--all");
        assertTrue(all.out().contains("hayate-stale.stat  pid " + Long.MAX_VALUE + " (gone)"), all.out());
        counters.close();
    }
}
