package dev.hayate.cli;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;

import dev.hayate.transfer.Failure;
import dev.hayate.transfer.Stage;
import dev.hayate.transfer.TransferException;
import dev.hayate.transfer.TransferListener;
import dev.hayate.transfer.TransferResult;
import dev.hayate.transfer.files.SafePaths;

/**
 * What {@code send} and {@code receive} show: a progress bar with rate and ETA on a terminal, a plain line a
 * second otherwise, or NDJSON events with {@code --json}. Human text goes to standard error, so standard output
 * stays clean for JSON (and, later, for received text). File names are printed with control and bidi characters
 * escaped, so a hostile name cannot rewrite the terminal.
 *
 * <p>Thread-safety: called by one transfer thread at a time (the listener contract); the progress fields are
 * only touched there.
 */
final class TransferConsole implements TransferListener
{
    /** {@link System#nanoTime()} may be negative: no time of it can serve as "not yet". */
    private static final long NOT_YET = Long.MIN_VALUE;

    private final PrintStream human;
    private final PrintStream json;
    private final boolean jsonMode;
    private final boolean terminal;
    private final long startNanos = System.nanoTime();
    /** When content began to move (the TRANSFERRING stage): rates and the ETA count from here, not from the wait
     *  for the peer, the pairing or the person answering the offer. Volatile: {@link #done} reads it on the
     *  command's thread. */
    private volatile long transferStartNanos = NOT_YET;
    private long lastDrawNanos;
    private long firstBytes = -1;
    private boolean barDrawn;
    /** A receiver that keeps part files for resume: a failure after content moved says so. */
    private boolean resumesFromPartFiles;

    TransferConsole(final PrintStream out, final PrintStream err, final boolean jsonMode)
    {
        this.human = err;
        this.json = out;
        this.jsonMode = jsonMode;
        // The bar is drawn on stderr: that is the stream that must be a terminal.
        this.terminal = err == System.err && Terminals.isTerminal(Terminals.STDERR) && !jsonMode;
    }

    /** For {@code receive}: part files of a failed transfer stay and the next one resumes from them. */
    void resumesFromPartFiles(final boolean resumes)
    {
        this.resumesFromPartFiles = resumes;
    }

    void info(final String line)
    {
        if (!jsonMode)
        {
            endBar();
            human.println(line);
        }
    }

    void event(final String name, final String... keyValues)
    {
        if (!jsonMode)
        {
            return;
        }
        final StringBuilder b = new StringBuilder("{\"event\":").append(quote(name));
        for (int i = 0; i + 1 < keyValues.length; i += 2)
        {
            b.append(',').append(quote(keyValues[i])).append(':').append(keyValues[i + 1]);
        }
        json.println(b.append('}'));
        json.flush();
    }

    @Override
    public void onStage(final Stage stage, final String detail)
    {
        if (stage == Stage.TRANSFERRING)
        {
            transferStartNanos = System.nanoTime();
        }
        event("stage", "stage", quote(stage.name().toLowerCase(Locale.ROOT)), "detail", quote(detail));
        if (jsonMode || stage == Stage.FAILED || stage == Stage.DONE)
        {
            return;
        }
        // A detail can carry a peer's words (why a candidate sender failed to pair), which nothing has checked:
        // escaped like file names, so no peer can move the cursor or rewrite the lines on this terminal.
        final String shown = SafePaths.printableMessage(detail);
        final String text = switch (stage)
        {
            case CONNECTING -> "connecting: " + shown;
            case PAIRING -> "pairing on the code phrase...";
            case HANDSHAKING -> "paired: " + shown;
            case OFFER -> "offer: " + shown;
            case TRANSFERRING -> "transferring...";
            case VERIFYING -> "verifying checksums...";
            default -> stage.name();
        };
        info(text);
    }

    @Override
    public void onSkipped(final String item)
    {
        event("skipped", "item", quote(item));
        info("  skipped  " + item);
    }

    /** "1 file", "2 files": counts in the lines people read. */
    static String count(final long n, final String noun)
    {
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    @Override
    public void onProgress(final long bytesDone, final long bytesTotal, final int fileIndex)
    {
        final long now = System.nanoTime();
        if (firstBytes < 0)
        {
            firstBytes = bytesDone;
            lastDrawNanos = now;
        }
        final long interval = terminal ? 100_000_000L : 1_000_000_000L;
        if (now - lastDrawNanos < interval && bytesDone < bytesTotal)
        {
            return;
        }
        lastDrawNanos = now;
        final double seconds = Math.max(1e-3, (now - transferStart()) / 1e9);
        final double rate = (bytesDone - firstBytes) / seconds;
        final long eta = rate > 0 ? (long)((bytesTotal - bytesDone) / rate) : -1;
        if (jsonMode)
        {
            event("progress", "bytes", Long.toString(bytesDone), "total", Long.toString(bytesTotal),
                "file", Integer.toString(fileIndex), "bytes_per_s", Long.toString((long)rate));
            return;
        }
        final int percent = bytesTotal == 0 ? 100 : (int)(bytesDone * 100 / bytesTotal);
        // The first report only sets where counting starts (resumed bytes, the first chunk): no rate is known yet.
        final String rateText = bytesDone > firstBytes ? "  " + Sizes.format((long)rate) + "/s" : "";
        final String etaText = bytesDone >= bytesTotal ? "0 s" : eta < 0 ? "?" : eta + " s";
        final String numbers = String.format(Locale.ROOT, "%3d%% %s / %s%s  ETA %s", percent,
            Sizes.format(bytesDone), Sizes.format(bytesTotal), rateText, etaText);
        if (terminal)
        {
            final int width = 24;
            final int filled = bytesTotal == 0 ? width : (int)(bytesDone * width / bytesTotal);
            human.print("\r[" + "#".repeat(filled) + " ".repeat(width - filled) + "] " + numbers + "   ");
            human.flush();
            barDrawn = true;
        }
        else
        {
            human.println(numbers);
        }
    }

    private void endBar()
    {
        if (barDrawn)
        {
            human.println();
            barDrawn = false;
        }
    }

    private long transferStart()
    {
        final long start = transferStartNanos;
        return start != NOT_YET ? start : startNanos;
    }

    void done(final TransferResult result, final boolean receiving)
    {
        final double seconds = result.elapsed().toNanos() / 1e9;
        // The content's own time and rate; the total (connecting, pairing, answering the offer) is shown beside it.
        final double transferSeconds = Math.max(1e-3, (System.nanoTime() - transferStart()) / 1e9);
        final long moved = result.bytes() - result.bytesResumed();
        if (jsonMode)
        {
            final StringBuilder files = new StringBuilder("[");
            for (final TransferResult.FileResult f : result.files())
            {
                if (files.length() > 1)
                {
                    files.append(',');
                }
                files.append("{\"path\":").append(quote(f.path())).append(",\"bytes\":").append(f.size())
                    .append(",\"checksum\":").append(quote(f.checksum())).append(",\"resumed\":").append(f.resumed())
                    .append(",\"location\":").append(quote(f.location().toString())).append('}');
            }
            files.append(']');
            event("done", "files", files.toString(), "directories", Integer.toString(result.directories().size()),
                "bytes", Long.toString(result.bytes()), "bytes_resumed", Long.toString(result.bytesResumed()),
                "seconds", String.format(Locale.ROOT, "%.3f", seconds),
                "mb_per_s", String.format(Locale.ROOT, "%.1f", result.bytesPerSecond() / 1e6),
                "transfer_seconds", String.format(Locale.ROOT, "%.3f", transferSeconds),
                "transfer_mb_per_s", String.format(Locale.ROOT, "%.1f", moved / transferSeconds / 1e6),
                "checksum", quote(result.negotiated().checksum().name().toLowerCase(Locale.ROOT)));
            return;
        }
        endBar();
        final List<TransferResult.FileResult> files = result.files();
        for (final TransferResult.FileResult f : files)
        {
            human.println("  " + (receiving ? "received " : "sent     ") + SafePaths.printable(f.path()) + "  " +
                Sizes.format(f.size()) + "  " + result.negotiated().checksum().name().toLowerCase(Locale.ROOT) +
                " " + f.checksum() + (f.resumed() > 0 ? "  (resumed " + Sizes.format(f.resumed()) + ")" : ""));
        }
        // The rate is of what moved; say how much of the total was already there, or the numbers do not add up.
        final String resumed = result.bytesResumed() > 0 ? " (" + Sizes.format(result.bytesResumed()) +
            " of it resumed)" : "";
        human.println(String.format(Locale.ROOT, "done: %s, %s, %s%s in %.2f s (%s/s), %.2f s in all, "
            + "every checksum matched", count(files.size(), "file"), count(result.directories().size(), "folder"),
            Sizes.format(result.bytes()), resumed, transferSeconds, Sizes.format((long)(moved / transferSeconds)),
            seconds));
    }

    int failed(final TransferException ex)
    {
        if (jsonMode)
        {
            event("failed", "failure", quote(ex.failure().name().toLowerCase(Locale.ROOT)), "message",
                quote(ex.getMessage()), "exit", Integer.toString(ex.failure().exitCode()));
        }
        else
        {
            endBar();
            // Cancelled here (Ctrl-C): the person who pressed it needs no reason.
            human.println(ex.failure() == Failure.CANCELLED && !ex.fromPeer() ? "cancelled" :
                "failed (" + ex.failure().name().toLowerCase(Locale.ROOT).replace('_', ' ') + "): " +
                SafePaths.printableMessage(String.valueOf(ex.getMessage())));
            if (ex.failure() == Failure.CONFLICT && !ex.fromPeer())
            {
                human.println("--overwrite rename keeps both (saving 'name (1).ext'); --overwrite overwrite replaces "
                    + "them once each new file is complete");
            }
            // A checksum mismatch discards that file's part; after any other failure the authentic chunks stay.
            if (resumesFromPartFiles && transferStartNanos != NOT_YET && ex.failure() != Failure.CHECKSUM_MISMATCH)
            {
                human.println("what arrived is kept in hidden part files: receiving the same files again resumes "
                    + "from there");
            }
        }
        return ex.failure().exitCode();
    }

    static String quote(final String s)
    {
        final StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++)
        {
            final char c = s.charAt(i);
            switch (c)
            {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default ->
                {
                    if (c < 0x20 || (c >= 0x7f && c < 0xa0) || (c >= 0x202a && c <= 0x202e) ||
                        (c >= 0x2066 && c <= 0x2069))
                    {
                        b.append(String.format(Locale.ROOT, "\\u%04x", (int)c));
                    }
                    else
                    {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }
}
