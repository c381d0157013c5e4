package dev.hayate.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;

import dev.hayate.core.transport.TransportProvider;
import dev.hayate.transfer.Offer;
import dev.hayate.transfer.TransferReceiver;
import dev.hayate.transfer.crypto.CodePhrase;
import dev.hayate.transfer.files.ManifestEntry;
import dev.hayate.transfer.files.OverwritePolicy;
import dev.hayate.transfer.files.Plan;
import dev.hayate.transfer.files.SafePaths;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code hayate receive}: waits for a sender, pairs on the code phrase, shows the offer and asks before writing.
 *
 * <p>Thread-safety: a command object, run once.
 */
@Command(name = "receive", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Receive files and folders sent with 'hayate send'.", "",
        "Listens, pairs on the code phrase (one attempt: a wrong code ends the receive), shows every offered path "
            + "with its size, and asks before writing anything (unless --yes). Files are written to hidden part files "
            + "and moved into place only when their checksum matches; nothing is ever written outside the output "
            + "folder, no symbolic link is followed, and an existing file is never overwritten without --overwrite.", ""},
    footer = {"", "Exit codes: 0 done, 2 usage, 3 wrong code, 4 rejected or conflict, 5 integrity, checksum or hostile "
        + "offer, 6 file I/O, 7 network or timeout, 8 cancelled, 1 anything else."})
final class ReceiveCommand implements Callable<Integer>
{
    @Parameters(arity = "0..1", paramLabel = "CODE", description = "The sender's code phrase (default: HAYATE_CODE, "
        + "else a new one is printed for the sender to use with --code).")
    private String code;

    @Option(names = "--listen", paramLabel = "HOST:PORT", defaultValue = ":9750",
        description = "Where to wait for the sender (default ${DEFAULT-VALUE}, all interfaces).")
    private String listen;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = ".", description = "Output folder (default: here).")
    private Path out;

    @Option(names = "--yes", description = "Accept the offer without asking.")
    private boolean yes;

    @Option(names = "--overwrite", paramLabel = "refuse|rename|overwrite", defaultValue = "refuse",
        description = "Existing files: refuse the offer, save as 'name (1).ext', or replace them once the new file is "
            + "complete (default ${DEFAULT-VALUE}).")
    private String overwrite;

    @Option(names = "--resume", negatable = true, defaultValue = "true", fallbackValue = "true",
        description = "Continue from part files of an interrupted transfer (default on; --no-resume starts over).")
    private boolean resume;

    @Option(names = "--transport", paramLabel = "tcp|quic", defaultValue = "tcp",
        description = "Transport (default ${DEFAULT-VALUE}).")
    private String transport;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "600",
        description = "How long to wait for the sender (default ${DEFAULT-VALUE}).")
    private int timeoutSeconds;

    @Option(names = "--json", description = "NDJSON events on standard output instead of text.")
    private boolean json;

    @Override
    public Integer call()
    {
        final TransferConsole console = new TransferConsole(System.out, System.err, json);
        final CodePhrase phrase;
        final TransferReceiver receiver;
        TransportProvider provider = null;
        try
        {
            final String given = code != null ? code : System.getenv("HAYATE_CODE");
            phrase = given != null && !given.isBlank() ? CodePhrase.parse(given) :
                CodePhrase.generate(new SecureRandom());
            if (given == null || given.isBlank())
            {
                console.event("code", "code", TransferConsole.quote(phrase.toString()));
                console.info("code phrase: " + phrase + "   (on the sending side: hayate send PATH --to THIS_HOST:PORT " +
                    "--code " + phrase + ")");
            }
            provider = SendCommand.transportOf(transport, true);
            receiver = TransferReceiver.builder()
                .listen(Addresses.parse(listen, "0.0.0.0"))
                .code(phrase)
                .outputDir(out)
                .overwrite(policyOf(overwrite))
                .resume(resume)
                .transport(provider)
                .acceptTimeout(Duration.ofSeconds(Math.max(1, timeoutSeconds)))
                .listener(console)
                .build();
        }
        catch (final IllegalArgumentException ex)
        {
            System.err.println("hayate receive: " + ex.getMessage());
            return 2;
        }
        return CancelOnInterrupt.run(() -> receiver.receive(offer -> decide(offer, console)), receiver::cancel, console,
            true, provider);
    }

    private boolean decide(final Offer offer, final TransferConsole console)
    {
        final StringBuilder entries = new StringBuilder("[");
        for (final Plan.Item item : offer.plan().items())
        {
            final ManifestEntry e = item.entry();
            if (entries.length() > 1)
            {
                entries.append(',');
            }
            entries.append("{\"path\":").append(TransferConsole.quote(e.path())).append(",\"kind\":")
                .append(e.isFile() ? "\"file\"" : "\"directory\"").append(",\"bytes\":").append(e.size())
                .append(",\"target\":").append(TransferConsole.quote(item.targetPath()))
                .append(",\"resume_bytes\":").append(item.resumeOffset()).append('}');
        }
        console.event("offer", "entries", entries.append(']').toString(), "files", Integer.toString(offer.fileCount()),
            "directories", Integer.toString(offer.directoryCount()), "bytes", Long.toString(offer.totalBytes()));
        console.info("the sender offers " + offer.fileCount() + " files and " + offer.directoryCount() + " folders, " +
            Sizes.format(offer.totalBytes()) + " in all:");
        for (final Plan.Item item : offer.plan().items())
        {
            final ManifestEntry e = item.entry();
            String line = "  " + (e.isFile() ? String.format(Locale.ROOT, "%10s  ", Sizes.format(e.size())) :
                "    folder  ") + SafePaths.printable(e.path());
            if (item.renamed())
            {
                line += "  -> saved as " + SafePaths.printable(item.targetPath()) + " (exists)";
            }
            if (item.replaces())
            {
                line += "  (replaces the existing file)";
            }
            if (item.resumeOffset() > 0)
            {
                line += "  (resuming: " + Sizes.format(item.resumeOffset()) + " already here)";
            }
            console.info(line);
        }
        if (yes)
        {
            return true;
        }
        if (json)
        {
            console.event("declined", "reason", "\"--json without --yes cannot ask\"");
            return false;
        }
        System.err.print("accept and write to " + out.toAbsolutePath().normalize() + "? [y/N] ");
        System.err.flush();
        try
        {
            final String answer = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))
                .readLine();
            return answer != null && (answer.trim().equalsIgnoreCase("y") || answer.trim().equalsIgnoreCase("yes"));
        }
        catch (final IOException ex)
        {
            return false;
        }
    }

    static OverwritePolicy policyOf(final String name)
    {
        return switch (name.toLowerCase(Locale.ROOT))
        {
            case "refuse" -> OverwritePolicy.REFUSE;
            case "rename" -> OverwritePolicy.RENAME;
            case "overwrite" -> OverwritePolicy.OVERWRITE;
            default -> throw new IllegalArgumentException("unknown --overwrite '" + name + "' (refuse, rename, overwrite)");
        };
    }
}
