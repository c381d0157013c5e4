package dev.hayate.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import dev.hayate.core.stat.StatReader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code hayate stat}: lists the stat files of Hayate processes in a directory and prints each one's
 * counters (connections, frames and bytes in and out, back pressure, gate refusals and their reasons — per
 * address, handshakes, rate —, handshake failures and timeouts, protocol errors, dropped control messages), as
 * text or JSON.
 *
 * <p>Thread-safety: a command, run once.
 */
@Command(name = "stat", mixinStandardHelpOptions = true,
    description = "Print the counters of running Hayate processes (their hayate-<pid>.stat files).")
final class StatCommand implements Callable<Integer>
{
    @Spec
    private picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--dir", description = "Directory of the stat files (default: java.io.tmpdir, as Context's).")
    private Path directory;

    @Option(names = "--json", description = "Print JSON: an array with one object per process.")
    private boolean json;

    @Option(names = "--all", description = "Also list files left by processes that are no longer running.")
    private boolean all;

    @Override
    public Integer call()
    {
        final PrintWriter out = spec.commandLine().getOut();
        final Path dir = directory != null ? directory : StatReader.defaultDirectory();
        final List<StatReader.Snapshot> snapshots = new ArrayList<>();
        for (final StatReader.Snapshot snapshot : StatReader.list(dir))
        {
            if (all || snapshot.alive())
            {
                snapshots.add(snapshot);
            }
        }
        if (json)
        {
            printJson(out, snapshots);
        }
        else if (snapshots.isEmpty())
        {
            out.printf("no %sHayate stat files in %s%n", all ? "" : "live ", dir);
        }
        else
        {
            printText(out, snapshots);
        }
        out.flush();
        return 0;
    }

    private static void printText(final PrintWriter out, final List<StatReader.Snapshot> snapshots)
    {
        for (final StatReader.Snapshot snapshot : snapshots)
        {
            out.printf("%s  pid %d (%s), since %s%n", snapshot.file().getFileName(), snapshot.pid(),
                snapshot.alive() ? "running" : "gone", Instant.ofEpochMilli(snapshot.startEpochMs()));
            for (final Map.Entry<String, Long> counter : snapshot.values().entrySet())
            {
                out.printf("  %-26s %,20d%n", counter.getKey(), counter.getValue());
            }
        }
    }

    private static void printJson(final PrintWriter out, final List<StatReader.Snapshot> snapshots)
    {
        final StringBuilder json = new StringBuilder("[");
        for (int i = 0; i < snapshots.size(); i++)
        {
            final StatReader.Snapshot snapshot = snapshots.get(i);
            json.append(i == 0 ? "\n" : ",\n").append("  {\"file\": ").append(quote(snapshot.file().toString()))
                .append(", \"pid\": ").append(snapshot.pid())
                .append(", \"alive\": ").append(snapshot.alive())
                .append(", \"startEpochMs\": ").append(snapshot.startEpochMs())
                .append(", \"counters\": {");
            String separator = "";
            for (final Map.Entry<String, Long> counter : snapshot.values().entrySet())
            {
                json.append(separator).append(quote(counter.getKey())).append(": ").append(counter.getValue());
                separator = ", ";
            }
            json.append("}}");
        }
        out.println(json.append(snapshots.isEmpty() ? "]" : "\n]"));
    }

    private static String quote(final String text)
    {
        final StringBuilder quoted = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); i++)
        {
            final char c = text.charAt(i);
            if (c == '"' || c == '\\')
            {
                quoted.append('\\').append(c);
            }
            else if (c < 0x20)
            {
                quoted.append(String.format("\\u%04x", (int)c));
            }
            else
            {
                quoted.append(c);
            }
        }
        return quoted.append('"').toString();
    }
}
