package dev.hayate.cli;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import dev.hayate.transfer.discovery.Announcement;
import dev.hayate.transfer.discovery.Discovery;
import dev.hayate.transfer.discovery.Sighting;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code hayate discover}: lists the senders announcing on the LAN right now — their announcement values,
 * addresses and transports, nothing else (announcements carry no code, file or host names).
 *
 * <p>Thread-safety: a command object, run once.
 */
@Command(name = "discover", mixinStandardHelpOptions = true, sortOptions = false,
    headerHeading = "NAME%n  hayate-discover - ", header = "list the senders announcing on the LAN right now",
    synopsisHeading = "%nSYNOPSIS%n  ", descriptionHeading = "%nDESCRIPTION%n", optionListHeading = "%nOPTIONS%n",
    footerHeading = "%n",
    description = {"Listens for 'hayate send' announcements (UDP broadcast and mDNS) for a few seconds and prints one "
        + "line per sender: its value (a fresh salt and a keyed hash of its code's number, in hex), the address to "
        + "dial and the transport. A value tells you nothing about the code but its number, and only to someone "
        + "who tries all thousand numbers."},
    footer = {"EXAMPLES",
        "  hayate discover                list the senders announcing now (3 s)",
        "  hayate discover --timeout 10   listen longer",
        "  hayate discover --json         one JSON object per sender, for scripts",
        "  hayate discover --no-mdns      UDP broadcast only",
        "",
        "EXIT STATUS", "  0 listened (even if nobody announced), 7 the discovery port could not be used."})
final class DiscoverCommand implements Callable<Integer>
{
    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "3",
        description = "How long to listen (default ${DEFAULT-VALUE}).")
    private int timeoutSeconds;

    @Option(names = "--json", description = "One JSON object per sender on standard output.")
    private boolean json;

    @Mixin
    private DiscoveryOptions discovery;

    @Override
    public Integer call() throws InterruptedException
    {
        final List<Sighting> sightings;
        try (Discovery d = Discovery.start(discovery.config(), null, Announcement.TCP))
        {
            if (!json)
            {
                System.err.println("listening for senders for " + timeoutSeconds + " s...");
            }
            Thread.sleep(TimeUnit.SECONDS.toMillis(Math.max(0, timeoutSeconds)));
            sightings = d.sightings();
        }
        catch (final IOException ex)
        {
            System.err.println("hayate discover: cannot listen on UDP port: " + ex.getMessage());
            return 7;
        }
        for (final Sighting s : sightings)
        {
            final String address = HayateUri.format("", s.sender()).substring("hayate:?to=".length());
            if (json)
            {
                System.out.println("{\"value\":" + TransferConsole.quote(s.announcement().value()) + ",\"address\":" +
                    TransferConsole.quote(address) + ",\"transport\":" +
                    TransferConsole.quote(s.announcement().transportName()) + ",\"via\":" +
                    TransferConsole.quote(s.via()) + "}");
            }
            else
            {
                System.out.println(s.announcement().value() + "  " + address + "  " +
                    s.announcement().transportName() + "  " + s.via());
            }
        }
        if (!json && sightings.isEmpty())
        {
            System.err.println("no senders announcing");
        }
        return 0;
    }
}
