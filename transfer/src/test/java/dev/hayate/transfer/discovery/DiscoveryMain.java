package dev.hayate.transfer.discovery;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import dev.hayate.transfer.ConsentCallback;
import dev.hayate.transfer.ListenHook;
import dev.hayate.transfer.TransferException;
import dev.hayate.transfer.TransferReceiver;
import dev.hayate.transfer.TransferSender;
import dev.hayate.transfer.crypto.CodePhrase;

/**
 * A discovering sender or receiver in its own process (run inside a network namespace by
 * {@link NamespaceDiscoveryTest}): {@code DiscoveryMain send|receive udp|mdns|both SECONDS CODE=PATH...}, one
 * transfer per pair at once, on the default discovery port. Prints {@code LISTENING}, {@code OK CODE} or
 * {@code FAILED CODE FAILURE message} lines; exits with the first failure's exit code, else 0.
 */
public final class DiscoveryMain
{
    private DiscoveryMain()
    {
    }

    /**
     * @param args role, mode, timeout in seconds, then CODE=PATH pairs (a file to send, or an output folder).
     * @throws Exception on a failure outside a transfer.
     */
    public static void main(final String[] args) throws Exception
    {
        final boolean send = args[0].equals("send");
        final DiscoveryConfig config = new DiscoveryConfig().udp(!args[1].equals("mdns")).mdns(!args[1].equals("udp"))
            .interval(Duration.ofMillis(500));
        final Duration timeout = Duration.ofSeconds(Long.parseLong(args[2]));
        final List<CompletableFuture<?>> runs = new ArrayList<>();
        final List<CodePhrase> codes = new ArrayList<>();
        for (int i = 3; i < args.length; i++)
        {
            final String[] pair = args[i].split("=", 2);
            final CodePhrase code = CodePhrase.parse(pair[0]);
            final Path path = Path.of(pair[1]);
            codes.add(code);
            if (send)
            {
                final ListenHook announce = Announcer.hook(code, Announcement.TCP, config);
                runs.add(TransferSender.builder().listen(new InetSocketAddress(0)).code(code).connectTimeout(timeout)
                    .onListening(bound ->
                    {
                        final AutoCloseable announcer = announce.onListening(bound);
                        System.out.println("LISTENING " + code + " " + bound);
                        return announcer;
                    }).build().sendAsync(List.of(path)));
            }
            else
            {
                Files.createDirectories(path);
                runs.add(TransferReceiver.builder().dial(Discovery.start(config, code, Announcement.TCP)).code(code)
                    .outputDir(path).acceptTimeout(timeout).build().receiveAsync(ConsentCallback.ACCEPT_ALL));
                System.out.println("LOOKING " + code);
            }
        }
        int exit = 0;
        for (int i = 0; i < runs.size(); i++)
        {
            try
            {
                runs.get(i).get(timeout.toSeconds() + 30, TimeUnit.SECONDS);
                System.out.println("OK " + codes.get(i));
            }
            catch (final ExecutionException ex)
            {
                final int code = ex.getCause() instanceof TransferException te ? te.failure().exitCode() : 1;
                System.out.println("FAILED " + codes.get(i) + " " + ex.getCause());
                exit = exit == 0 ? code : exit;
            }
        }
        System.out.flush();
        System.exit(exit);
    }
}
