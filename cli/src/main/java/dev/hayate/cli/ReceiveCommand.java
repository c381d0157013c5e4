package dev.hayate.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

import dev.hayate.core.Context;
import dev.hayate.core.transport.TransportProvider;
import dev.hayate.relay.RelayTransportProvider;
import dev.hayate.transfer.Offer;
import dev.hayate.transfer.SenderSource;
import dev.hayate.transfer.TransferReceiver;
import dev.hayate.transfer.TransferResult;
import dev.hayate.transfer.discovery.Discovery;
import dev.hayate.transfer.crypto.CodePhrase;
import dev.hayate.transfer.files.ManifestEntry;
import dev.hayate.transfer.files.OverwritePolicy;
import dev.hayate.transfer.files.Plan;
import dev.hayate.transfer.files.SafePaths;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code hayate receive}: finds the sender on the LAN (or waits for it, or dials it), pairs on the code phrase, shows
 * the offer and asks before writing; text and --stdout go to standard output.
 *
 * <p>Thread-safety: a command object, run once.
 */
@Command(name = "receive", mixinStandardHelpOptions = true, sortOptions = false,
    headerHeading = "NAME%n  hayate-receive - ", header = "receive what 'hayate send' offers, by code phrase",
    synopsisHeading = "%nSYNOPSIS%n  ", descriptionHeading = "%nDESCRIPTION%n", parameterListHeading = "%nARGUMENTS%n",
    optionListHeading = "%nOPTIONS%n", footerHeading = "%n",
    description = {
        "Finds the sender that printed CODE on the LAN (UDP broadcast and mDNS), dials it and pairs on the code. "
            + "A sender that answers with another code (someone spoofing the announcement) is reported as 'wrong "
            + "code, or someone else answered' and skipped: the search goes on until --timeout. With --listen the "
            + "receiver waits for 'hayate send --to' instead; with --to (or a hayate: URI from a QR code) it dials "
            + "that address.",
        "",
        "Every offered path is shown with its size, and nothing is written before you accept (unless --yes). "
            + "Files are written to hidden part files and moved into place only when their checksum matches; nothing "
            + "is ever written outside the output folder, no symbolic link is followed, and an existing file is "
            + "never overwritten without --overwrite. Ctrl-C cancels: the sender is told, part files stay, and the "
            + "same command resumes. A text sent with --text is printed on standard output."},
    footer = {"EXAMPLES",
        "  hayate receive 7-amber-falcon-river              find the sender on the LAN",
        "  hayate receive 7-amber-falcon-river --stdout >x  content to standard output",
        "  hayate receive 'hayate:7-amber-falcon-river?to=192.0.2.10:41234'",
        "  hayate receive --listen :9750                    wait for 'send --to'",
        "",
        "EXIT STATUS",
        "  0 done, 2 usage, 3 wrong code, 4 rejected or conflict, 5 integrity, checksum",
        "  or hostile offer, 6 file I/O, 7 network, protocol error or timeout,",
        "  8 cancelled by the sender (Ctrl-C here exits 130), 1 other."})
final class ReceiveCommand implements Callable<Integer>
{
    @Parameters(arity = "0..1", paramLabel = "CODE", description = "The sender's code phrase, or a hayate: URI "
        + "(default: HAYATE_CODE; with --listen and no code, a new one is printed for the sender's --code).")
    private String code;

    @Option(names = "--listen", paramLabel = "HOST:PORT",
        description = "Wait for 'hayate send --to' here (':PORT' for all interfaces) instead of finding the sender.")
    private String listen;

    @Option(names = "--to", paramLabel = "HOST:PORT", description = "Dial the sender at this address instead of "
        + "finding it on the LAN.")
    private String to;

    @Option(names = "--relay", paramLabel = "HOST:PORT", description = "Meet the sender at this relay (the sender's "
        + "--relay), for when the two machines cannot reach each other. Needs the code.")
    private String relay;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = ".",
        description = "Output folder (default: here); made if missing, and removed again if nothing arrives.")
    private Path out;

    @Option(names = "--stdout", description = "Write the received files' contents to standard output (in manifest "
        + "order) instead of keeping them.")
    private boolean stdout;

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
        description = "How long to look or wait for the sender (default ${DEFAULT-VALUE}).")
    private int timeoutSeconds;

    @Option(names = "--no-qr", description = "Do not draw the QR code when this side prints a new code.")
    private boolean noQr;

    @Option(names = "--json", description = "NDJSON events on standard output instead of text.")
    private boolean json;

    @Mixin
    private DiscoveryOptions discovery;

    /** Set by Ctrl-C (the shutdown hook's thread), read by the question's wait. */
    private volatile boolean interrupted;

    @Override
    public Integer call()
    {
        final TransferConsole console = new TransferConsole(System.out, System.err, json);
        if (stdout && json)
        {
            System.err.println("hayate receive: --stdout and --json both want standard output: choose one");
            return 2;
        }
        final CodePhrase phrase;
        final TransferReceiver receiver;
        final Path folder;
        Path createdOut = null;
        TransportProvider provider = null;
        try
        {
            final String given = code != null ? code : System.getenv("HAYATE_CODE");
            final HayateUri uri = given == null || given.isBlank() ? null : HayateUri.parse(given.trim());
            final String dial = to != null ? to : uri == null ? null : uri.to();
            if (relay != null && (uri == null || listen != null || dial != null || !transport.equals("tcp")))
            {
                System.err.println("hayate receive: --relay needs the code, and excludes --listen, --to (or a URI with "
                    + "an address) and --transport quic");
                return 2;
            }
            if (uri == null && listen == null)
            {
                System.err.println("hayate receive: give the code the sender printed (hayate receive CODE), or " +
                    "--listen HOST:PORT to print a code and wait for 'hayate send --to'");
                return 2;
            }
            if (listen != null && dial != null)
            {
                System.err.println("hayate receive: --listen and --to (or a URI with an address) exclude each other");
                return 2;
            }
            if (timeoutSeconds <= 0)
            {
                System.err.println("hayate receive: --timeout must be a positive number of seconds");
                return 2;
            }
            phrase = uri != null ? CodePhrase.parse(uri.code()) : CodePhrase.generate(new SecureRandom());
            folder = stdout ? Files.createTempDirectory("hayate-receive") : out;
            if (!stdout)
            {
                // Made (and checked) before anyone is found or paired: a folder we cannot write to is the user's to
                // fix now, not a failure after the offer. Removed again below if nothing ends up in it.
                try
                {
                    createdOut = Folders.createMissing(outDir());
                }
                catch (final IOException ex)
                {
                    System.err.println("hayate receive: " + SafePaths.printableMessage(ex.getMessage()) +
                        "; choose another folder with --out");
                    return 6;
                }
                if (!Files.isDirectory(out) || !Files.isWritable(out))
                {
                    System.err.println("hayate receive: cannot write to " + SafePaths.printable(
                        outDir().toString()) + (Files.isDirectory(out) ?
                        " (permission denied)" : " (not a folder)") + "; choose another folder with --out");
                    if (createdOut != null)
                    {
                        Folders.removeIfEmpty(outDir(), createdOut);
                    }
                    return 6;
                }
            }
            provider = relay != null
                ? RelayTransportProvider.forCode(Addresses.parse(relay, "127.0.0.1"), phrase, new Context())
                : SendCommand.transportOf(transport, listen != null);
            final TransferReceiver.Builder builder = TransferReceiver.builder()
                .code(phrase)
                .outputDir(folder)
                .overwrite(policyOf(overwrite))
                .resume(resume && !stdout)
                .transport(provider)
                .acceptTimeout(Duration.ofSeconds(Math.max(1, timeoutSeconds)))
                .listener(console);
            console.resumesFromPartFiles(resume && !stdout);
            if (relay != null)
            {
                // The pipe end waits at the relay until the sender's end joins (or the accept timeout).
                console.info("waiting for the sender at the relay " + relay);
                builder.listen(Addresses.parse(relay, "127.0.0.1"));
            }
            else if (listen != null)
            {
                final InetSocketAddress at = Addresses.parse(listen, "0.0.0.0");
                builder.listen(at);
                if (uri == null)
                {
                    showCode(console, phrase, at);
                }
            }
            else if (dial != null)
            {
                builder.dial(SenderSource.of(Addresses.parse(dial, "127.0.0.1")));
            }
            else
            {
                console.info("looking for the sender of " + phrase.number() + "-... on the LAN (UDP broadcast" +
                    (discovery.mdns() ? " and mDNS" : "") + ")");
                builder.dial(Discovery.start(discovery.config(), phrase, SendCommand.transportByte(transport)));
            }
            receiver = builder.build();
        }
        catch (final IllegalArgumentException | IOException ex)
        {
            System.err.println("hayate receive: " + ex.getMessage());
            if (createdOut != null)
            {
                Folders.removeIfEmpty(outDir(), createdOut);
            }
            // What is left to fail here is the arguments or the network (LAN discovery's sockets).
            return ex instanceof IOException ? 7 : 2;
        }
        try
        {
            return CancelOnInterrupt.run(() -> receiver.receive(offer -> decide(offer, console)), () ->
                {
                    interrupted = true;
                    receiver.cancel();
                },
                console, true, provider, result -> deliver(result, folder, console));
        }
        finally
        {
            if (stdout)
            {
                Folders.deleteTree(folder);
            }
            else if (createdOut != null)
            {
                Folders.removeIfEmpty(outDir(), createdOut);
            }
        }
    }

    private void showCode(final TransferConsole console, final CodePhrase phrase, final InetSocketAddress at)
    {
        final String uri = HayateUri.format(phrase.toString(), at.getAddress().isAnyLocalAddress() ?
            HayateUri.lanAddress(at.getPort()) : at);
        console.event("code", "code", TransferConsole.quote(phrase.toString()), "uri", TransferConsole.quote(uri));
        console.info("Code is: " + phrase);
        console.info("On the other computer run:");
        console.info("");
        console.info("  hayate send PATH --to THIS_HOST:" + at.getPort() + " --code " + phrase);
        console.info("");
        if (!noQr)
        {
            console.info(QrCodes.render(uri) + uri);
        }
    }

    /**
     * With --stdout, or for a text sent with --text, the content goes to standard output; otherwise the files stay
     * where the receiver put them.
     */
    private void deliver(final TransferResult result, final Path folder, final TransferConsole console)
        throws IOException
    {
        final List<TransferResult.FileResult> files = result.files();
        final boolean text = files.size() == 1 && files.get(0).path().equals(SendCommand.TEXT_NAME) &&
            files.get(0).size() <= SendCommand.MAX_TEXT_BYTES && result.directories().isEmpty();
        if (!stdout && !text)
        {
            return;
        }
        if (text && !stdout && Terminals.isTerminal(Terminals.STDOUT))
        {
            // The sender's words on this terminal: escaped like everything else a peer says, so they cannot move
            // the cursor or rewrite lines; line breaks and tabs stay. Piped or redirected, the text stays exact.
            final String words = Files.readString(files.get(0).location(), StandardCharsets.UTF_8);
            final String shown = Arrays.stream(words.split("\n", -1))
                .map(line -> Arrays.stream(line.split("\t", -1)).map(SafePaths::printable)
                    .collect(Collectors.joining("\t")))
                .collect(Collectors.joining("\n"));
            System.out.print(shown);
        }
        else
        {
            for (final TransferResult.FileResult f : files)
            {
                Files.copy(f.location(), System.out);
            }
        }
        if (text && !stdout && !json)
        {
            System.out.println();
        }
        System.out.flush();
        if (text && !stdout)
        {
            Files.deleteIfExists(files.get(0).location());
        }
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
        console.info("the sender offers " + TransferConsole.count(offer.fileCount(), "file") + " and " +
            TransferConsole.count(offer.directoryCount(), "folder") + ", " +
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
        System.err.print("accept and write " + (stdout ? "the contents to standard output" : "to " +
            SafePaths.printable(outDir().toString())) + "? [y/N] ");
        System.err.flush();
        // The line is read on a thread of its own: a read of a terminal cannot be interrupted, and Ctrl-C at the
        // question must end the wait so that the sender is told "cancelled" within the shutdown's grace.
        final CompletableFuture<String> answer = new CompletableFuture<>();
        final Thread reader = new Thread(() ->
        {
            try
            {
                answer.complete(new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))
                    .readLine());
            }
            catch (final IOException ex)
            {
                answer.complete(null);
            }
        }, "hayate-prompt");
        reader.setDaemon(true);
        reader.start();
        while (!interrupted)
        {
            try
            {
                final String line = answer.get(100, TimeUnit.MILLISECONDS);
                return line != null && (line.trim().equalsIgnoreCase("y") || line.trim().equalsIgnoreCase("yes"));
            }
            catch (final TimeoutException ex)
            {
                // Still waiting for the answer; look at the cancel again.
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                return false;
            }
            catch (final ExecutionException ex)
            {
                return false;
            }
        }
        System.err.println();
        return false;
    }

    /** The output folder as made, checked, cleaned up and shown. */
    private Path outDir()
    {
        return out.toAbsolutePath().normalize();
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
