package dev.hayate.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import dev.hayate.core.transport.TransportProvider;
import dev.hayate.quic.QuicConfig;
import dev.hayate.quic.QuicTransportProvider;
import dev.hayate.transfer.TransferSender;
import dev.hayate.transfer.crypto.ChecksumAlgorithm;
import dev.hayate.transfer.crypto.CipherSuite;
import dev.hayate.transfer.crypto.CodePhrase;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code hayate send}: sends files and folders to a receiver, encrypted end to end with a key agreed from a code
 * phrase.
 *
 * <p>Thread-safety: a command object, run once.
 */
@Command(name = "send", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Send files and folders, encrypted end to end and verified chunk by chunk.", "",
        "Prints a code phrase first (or uses --code / HAYATE_CODE); the receiver types the same code. The code never "
            + "travels: both sides run a password-authenticated key exchange (EC J-PAKE) on it, so a wrong code fails "
            + "cleanly and an attacker gets one guess. Folders are sent as a tree under their own name; symbolic links "
            + "are skipped.", ""},
    footer = {"", "Exit codes: 0 done, 2 usage, 3 wrong code, 4 rejected or conflict, 5 integrity or checksum, "
        + "6 file I/O, 7 network or timeout, 8 cancelled, 1 anything else.", "",
        "Example:", "  receiver$ ./hayate receive 7-amber-falcon-river --listen :9750 --out inbox",
        "  sender$   ./hayate send photos/ --to 192.0.2.10:9750 --code 7-amber-falcon-river"})
final class SendCommand implements Callable<Integer>
{
    @Parameters(arity = "1..*", paramLabel = "PATH", description = "Files and folders to send.")
    private List<Path> paths;

    @Option(names = "--to", paramLabel = "HOST:PORT", description = "The receiver's address (started with "
        + "'receive --listen'). Sending by code alone, with LAN discovery, is not built yet.")
    private String to;

    @Option(names = "--code", paramLabel = "CODE", description = "Code phrase to use (default: HAYATE_CODE, else a "
        + "new random one). A code on the command line is visible to other users of this machine: prefer HAYATE_CODE.")
    private String code;

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

    @Option(names = "--limit", paramLabel = "RATE", description = "Bandwidth limit per second, like 10MiB or 50MB.")
    private String limit;

    @Option(names = "--json", description = "NDJSON events on standard output instead of text.")
    private boolean json;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "30",
        description = "How long to keep dialling the receiver (default ${DEFAULT-VALUE}).")
    private int timeoutSeconds;

    @Override
    public Integer call()
    {
        final TransferConsole console = new TransferConsole(System.out, System.err, json);
        if (to == null)
        {
            System.err.println("hayate send: --to HOST:PORT is needed: sending by code alone (LAN discovery) is not " +
                "built yet. Start the receiver with 'hayate receive CODE --listen :PORT' and pass its address.");
            return 2;
        }
        for (final Path p : paths)
        {
            if (!Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS))
            {
                System.err.println("hayate send: no such file or folder: " + p);
                return 2;
            }
        }
        final CodePhrase phrase;
        final TransferSender.Builder builder = TransferSender.builder();
        TransportProvider provider = null;
        try
        {
            final String given = code != null ? code : System.getenv("HAYATE_CODE");
            phrase = given != null && !given.isBlank() ? CodePhrase.parse(given) : CodePhrase.generate(new SecureRandom());
            builder.to(Addresses.parse(to, "127.0.0.1"))
                .code(phrase)
                .compress(!noCompress)
                .checksum(checksumOf(hash))
                .cipher(cipherOf(cipher))
                .connectTimeout(java.time.Duration.ofSeconds(Math.max(1, timeoutSeconds)))
                .listener(console);
            if (limit != null)
            {
                builder.bandwidthLimit(Sizes.parse(limit));
            }
            provider = transportOf(transport, false);
            builder.transport(provider);
        }
        catch (final IllegalArgumentException ex)
        {
            System.err.println("hayate send: " + ex.getMessage());
            return 2;
        }
        console.event("code", "code", TransferConsole.quote(phrase.toString()));
        if (code == null && System.getenv("HAYATE_CODE") == null)
        {
            console.info("code phrase: " + phrase + "   (on the receiving side: hayate receive " + phrase + " --listen :PORT)");
        }
        final TransferSender sender = builder.build();
        return CancelOnInterrupt.run(() -> sender.send(paths), sender::cancel, console, false, provider);
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
