package dev.hayate.cli;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import dev.hayate.core.Context;
import dev.hayate.core.transport.TransportProvider;
import dev.hayate.quic.QuicConfig;
import dev.hayate.quic.QuicTransportProvider;
import dev.hayate.relay.RelayTransportProvider;
import dev.hayate.transfer.ListenHook;
import dev.hayate.transfer.TransferSender;
import dev.hayate.transfer.files.Manifest;
import dev.hayate.transfer.files.ManifestException;
import dev.hayate.transfer.files.SafePaths;
import dev.hayate.transfer.crypto.ChecksumAlgorithm;
import dev.hayate.transfer.crypto.CipherSuite;
import dev.hayate.transfer.crypto.CodePhrase;
import dev.hayate.transfer.discovery.Announcement;
import dev.hayate.transfer.discovery.Announcer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code hayate send}: sends files, folders, standard input or a text message, encrypted end to end with a key
 * agreed from a code phrase; by default it listens and announces itself on the LAN so the receiver needs only the
 * code.
 *
 * <p>Thread-safety: a command object, run once.
 */
@Command(name = "send", mixinStandardHelpOptions = true, sortOptions = false,
    headerHeading = "NAME%n  hayate-send - ", header = "send files, folders, standard input or a text, by code phrase",
    synopsisHeading = "%nSYNOPSIS%n  ", descriptionHeading = "%nDESCRIPTION%n", parameterListHeading = "%nARGUMENTS%n",
    optionListHeading = "%nOPTIONS%n", footerHeading = "%n",
    description = {
        "Prints a code phrase (or uses --code / HAYATE_CODE) and a QR code of it, then waits for the receiver: on "
            + "the other machine, 'hayate receive CODE' finds this sender on the LAN and the transfer runs. "
            + "Nothing else is needed: no address, no account, no server.",
        "",
        "The code never travels: both sides run a password-authenticated key exchange (EC J-PAKE) on it, so a "
            + "wrong code fails cleanly and an attacker gets one guess. The LAN announcement carries only the port "
            + "and a salted keyed hash of the code's leading number (under 10 bits); the words, file names, sizes, "
            + "user and host names are never announced.",
        "",
        "With --to the sender dials a receiver started with 'hayate receive --listen' instead. Folders are sent as "
            + "a tree under their own name; symbolic links (never followed), special files and unreadable folders are left "
            + "out, each named on a 'skipped' line. Ctrl-C cancels: the receiver is told and "
            + "keeps its part files, so the same command resumes."},
    footer = {"EXAMPLES",
        "  hayate send photos/            then on the other machine: hayate receive CODE",
        "  hayate send --text \"meet at 6\" the receiver prints the text",
        "  tar c docs | hayate send -     a file named 'stdin' (receive --stdout: a pipe)",
        "  hayate send a.pdf --to 192.0.2.10:9750 --code 7-amber-falcon-river",
        "",
        "EXIT STATUS",
        "  0 done, 2 usage, 3 wrong code, 4 rejected or conflict, 5 integrity or",
        "  checksum, 6 file I/O, 7 network, protocol error or timeout, 8 cancelled by",
        "  the receiver (Ctrl-C here exits 130), 1 anything else."})
final class SendCommand implements Callable<Integer>
{
    /** The file name a --text message travels under; a receiver prints such a file instead of saving it. */
    static final String TEXT_NAME = "hayate-text.txt";
    /** Longest text a receiver prints rather than saves. */
    static final int MAX_TEXT_BYTES = 64 << 10;

    @Parameters(arity = "0..*", paramLabel = "PATH", description = "Files and folders to send; '-' sends standard "
        + "input as a file named 'stdin'.")
    private List<String> paths;

    @Option(names = "--text", paramLabel = "TEXT", description = "Send this text; the receiver prints it.")
    private String text;

    @Option(names = "--to", paramLabel = "HOST:PORT", description = "Dial a receiver started with 'receive --listen' "
        + "instead of waiting to be found on the LAN.")
    private String to;

    @Option(names = "--listen", paramLabel = "HOST:PORT", description = "Where to wait for the receiver while "
        + "announcing (default: all interfaces, a free port).")
    private String listen;

    @Option(names = "--relay", paramLabel = "HOST:PORT", description = "Meet the receiver at this relay (started with "
        + "'hayate relay'), for when the two machines cannot reach each other; the receiver gives the same --relay. "
        + "The relay forwards sealed bytes only: it never learns the code's words or the contents.")
    private String relay;

    @Option(names = "--code", paramLabel = "CODE", description = "Code phrase to use (default: HAYATE_CODE, else a "
        + "new random one). A code on the command line is visible to other users of this machine: prefer HAYATE_CODE.")
    private String code;

    @Option(names = "--no-qr", description = "Do not draw the QR code of the hayate: URI.")
    private boolean noQr;

    @Option(names = "--transport", paramLabel = "tcp|quic", defaultValue = "tcp",
        description = "Transport (default ${DEFAULT-VALUE}).")
    private String transport;

    @Option(names = "--no-compress", description = "Do not LZ4-compress chunks (compression is skipped by itself "
        + "for compressed file types and data that does not shrink).")
    private boolean noCompress;

    @Option(names = "--hash", paramLabel = "xxh64|sha256|blake3", defaultValue = "xxh64",
        description = "Whole-file checksum (default ${DEFAULT-VALUE}).")
    private String hash;

    @Option(names = "--cipher", paramLabel = "aes|chacha", defaultValue = "aes",
        description = "AEAD: AES-256-GCM or ChaCha20-Poly1305 (default ${DEFAULT-VALUE}).")
    private String cipher;

    @Option(names = "--limit", paramLabel = "RATE", description = "Bandwidth limit per second, like 10MiB or 50MB, counted on "
        + "the wire after compression (a file that compresses well moves faster).")
    private String limit;

    @Option(names = "--json", description = "NDJSON events on standard output instead of text.")
    private boolean json;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "600",
        description = "How long to wait for the receiver to pair, or with --to to keep dialling it "
            + "(default ${DEFAULT-VALUE}).")
    private int timeoutSeconds;

    @Mixin
    private DiscoveryOptions discovery;

    @Override
    public Integer call()
    {
        final TransferConsole console = new TransferConsole(System.out, System.err, json);
        final List<Path> temporary = new ArrayList<>();
        try
        {
            return send(console, temporary);
        }
        finally
        {
            for (final Path p : temporary)
            {
                Folders.deleteTree(p);
            }
        }
    }

    private int send(final TransferConsole console, final List<Path> temporary)
    {
        final List<Path> sources = new ArrayList<>();
        try
        {
            if (text != null)
            {
                final byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
                if (bytes.length > MAX_TEXT_BYTES)
                {
                    System.err.println("hayate send: --text is longer than " + Sizes.format(MAX_TEXT_BYTES) +
                        ": send it as a file");
                    return 2;
                }
                sources.add(Files.write(temp(temporary).resolve(TEXT_NAME), bytes));
            }
            for (final String p : paths == null ? List.<String>of() : paths)
            {
                if (p.equals("-"))
                {
                    final Path stdin = temp(temporary).resolve("stdin");
                    try (InputStream in = System.in)
                    {
                        Files.copy(in, stdin, StandardCopyOption.REPLACE_EXISTING);
                    }
                    sources.add(stdin);
                    continue;
                }
                final Path path = Path.of(p);
                if (!Files.exists(path, java.nio.file.LinkOption.NOFOLLOW_LINKS))
                {
                    System.err.println("hayate send: no such file or folder: " + p);
                    return 2;
                }
                sources.add(path);
            }
        }
        catch (final IOException ex)
        {
            System.err.println("hayate send: " + ex.getMessage());
            return 6;
        }
        if (timeoutSeconds <= 0)
        {
            System.err.println("hayate send: --timeout must be a positive number of seconds");
            return 2;
        }
        if (sources.isEmpty())
        {
            System.err.println("hayate send: nothing to send: give files or folders, '-' for standard input, or " +
                "--text (see 'hayate help send')");
            return 2;
        }
        // What the paths amount to is checked before a code is printed: two roots with one name, a root whose name
        // receivers refuse, or nothing left to send (a lone symbolic link, an unreadable file) is a usage error
        // now, not a failure after the receiver was found. The send uses this scan.
        final Manifest manifest;
        try
        {
            manifest = Manifest.scan(sources);
            if (manifest.size() == 0)
            {
                System.err.println("hayate send: nothing to send" + (manifest.skipped().isEmpty() ? "" :
                    ": " + String.join("; ", manifest.skipped())));
                return 2;
            }
        }
        catch (final IOException ex)
        {
            System.err.println("hayate send: " + SafePaths.printableMessage(String.valueOf(ex.getMessage())));
            return ex instanceof ManifestException ? 2 : 6;
        }
        final CodePhrase phrase;
        final TransferSender.Builder builder = TransferSender.builder();
        TransportProvider provider = null;
        try
        {
            final String given = code != null ? code : System.getenv("HAYATE_CODE");
            phrase = given != null && !given.isBlank() ? CodePhrase.parse(given) : CodePhrase.generate(new SecureRandom());
            builder.code(phrase)
                .compress(!noCompress)
                .checksum(checksumOf(hash))
                .cipher(cipherOf(cipher))
                .connectTimeout(java.time.Duration.ofSeconds(Math.max(1, timeoutSeconds)))
                .listener(console);
            if (limit != null)
            {
                builder.bandwidthLimit(Sizes.parse(limit));
            }
            if (to != null && listen != null)
            {
                throw new IllegalArgumentException("--to and --listen exclude each other");
            }
            if (relay != null && (to != null || listen != null || !transport.equals("tcp")))
            {
                throw new IllegalArgumentException("--relay excludes --to, --listen and --transport quic");
            }
            if (relay != null)
            {
                final InetSocketAddress at = Addresses.parse(relay, "127.0.0.1");
                provider = RelayTransportProvider.forCode(at, phrase, new Context());
                // Both ends join the relay's pipe session for this code; the one that comes first waits.
                builder.transport(provider).to(at);
            }
            else
            {
                provider = transportOf(transport, to == null);
                builder.transport(provider);
            }
            if (to != null)
            {
                builder.to(Addresses.parse(to, "127.0.0.1"));
            }
            else if (relay == null)
            {
                final ListenHook announce = Announcer.hook(phrase, transportByte(transport), discovery.config());
                builder.listen(listen == null ? new InetSocketAddress(0) : Addresses.parse(listen, "0.0.0.0"))
                    .onListening(bound ->
                    {
                        showCode(console, phrase, bound.getAddress().isAnyLocalAddress() ?
                            HayateUri.lanAddress(bound.getPort()) : bound);
                        return announce.onListening(bound);
                    });
            }
        }
        catch (final IllegalArgumentException ex)
        {
            System.err.println("hayate send: " + ex.getMessage());
            return 2;
        }
        console.info("Sending " + describe(sources));
        if (to != null || relay != null)
        {
            showCode(console, phrase, null);
        }
        final TransferSender sender = builder.build();
        final int exit = CancelOnInterrupt.run(() -> sender.send(manifest), sender::cancel, console, false, provider);
        try
        {
            // After the outcome is printed: the LAN announcement's goodbyes, so other machines stop listing us.
            sender.awaitUnannounced(Duration.ofSeconds(3));
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        return exit;
    }

    private void showCode(final TransferConsole console, final CodePhrase phrase, final InetSocketAddress reachable)
    {
        final String uri = HayateUri.format(phrase.toString(), reachable);
        console.event("code", "code", TransferConsole.quote(phrase.toString()), "uri", TransferConsole.quote(uri));
        console.info("Code is: " + phrase);
        if (relay != null)
        {
            console.info("On the other computer run:");
            console.info("");
            console.info("  hayate receive " + phrase + " --relay " + relay);
            console.info("");
            return;
        }
        if (to != null)
        {
            final String given = code != null ? code : System.getenv("HAYATE_CODE");
            if (given == null || given.isBlank())
            {
                // A receiver started with --listen and no code printed one of its own: the two must match.
                console.info("The receiver must use this code: hayate receive " + phrase + " --listen :PORT " +
                    "(if it printed a code of its own, run this again with --code and that code)");
            }
            return;
        }
        console.event("listening", "address", TransferConsole.quote(String.valueOf(reachable)));
        console.info("On the other computer run:");
        console.info("");
        console.info("  hayate receive " + phrase);
        console.info("");
        if (!noQr)
        {
            console.info(QrCodes.render(uri) + uri);
        }
    }

    private String describe(final List<Path> sources)
    {
        if (text != null && sources.size() == 1)
        {
            return "text (" + Sizes.format(text.getBytes(StandardCharsets.UTF_8).length) + ")";
        }
        final StringBuilder b = new StringBuilder();
        for (final Path p : sources)
        {
            final Path name = p.toAbsolutePath().normalize().getFileName();
            b.append(b.length() == 0 ? "" : ", ").append('\'')
                .append(SafePaths.printable(name == null ? p.toAbsolutePath().toString() : name.toString()))
                .append('\'');
        }
        return b.toString();
    }

    private static Path temp(final List<Path> temporary) throws IOException
    {
        final Path dir = Files.createTempDirectory("hayate-send");
        temporary.add(dir);
        return dir;
    }

    static byte transportByte(final String name)
    {
        return name.toLowerCase(Locale.ROOT).equals("quic") ? Announcement.QUIC : Announcement.TCP;
    }

    static ChecksumAlgorithm checksumOf(final String name)
    {
        return switch (name.toLowerCase(Locale.ROOT))
        {
            case "xxh64" -> ChecksumAlgorithm.XXH64;
            case "sha256", "sha-256" -> ChecksumAlgorithm.SHA256;
            case "blake3" -> ChecksumAlgorithm.BLAKE3;
            default -> throw new IllegalArgumentException("unknown --hash '" + name + "' (xxh64, sha256, blake3)");
        };
    }

    static CipherSuite cipherOf(final String name)
    {
        return switch (name.toLowerCase(Locale.ROOT))
        {
            case "aes", "aes-256-gcm" -> CipherSuite.AES_256_GCM;
            case "chacha", "chacha20-poly1305" -> CipherSuite.CHACHA20_POLY1305;
            default -> throw new IllegalArgumentException("unknown --cipher '" + name + "' (aes, chacha)");
        };
    }

    /**
     * Over QUIC the dialling side accepts the listener's self-signed certificate: the peer is authenticated by the
     * PAKE on the code phrase and every frame is sealed end to end, so TLS here only carries the bytes.
     */
    static TransportProvider transportOf(final String name, final boolean listening)
    {
        return switch (name.toLowerCase(Locale.ROOT))
        {
            case "tcp" -> new dev.hayate.core.transport.TcpTransportProvider();
            case "quic" -> listening ? QuicTransportProvider.server(new QuicConfig()) :
                QuicTransportProvider.client(new QuicConfig().insecureTrustAnyCertificateForDevelopment());
            default -> throw new IllegalArgumentException("unknown --transport '" + name + "' (tcp, quic)");
        };
    }
}
