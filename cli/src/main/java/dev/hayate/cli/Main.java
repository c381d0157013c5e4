package dev.hayate.cli;

import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code hayate} command. {@code ./hayate bench} and {@code ./hayate gateway|trader} are routed by the
 * launcher script to the benchmarks and examples jars; everything else lands here.
 *
 * <p>Thread-safety: a program entry point.
 */
@Command(name = "hayate", mixinStandardHelpOptions = true, version = "hayate 0.1.0",
    description = "Low-latency typed messaging over SBE frames.",
    subcommands = {DemoCommand.class, SendCommand.class, ReceiveCommand.class, DiscoverCommand.class,
        RelayCommand.class, PublishCommand.class, SubscribeCommand.class, StatCommand.class,
        AutoComplete.GenerateCompletion.class, CommandLine.HelpCommand.class},
    footer = {"", "Also (routed by the ./hayate launcher):",
        "  bench     latency and throughput against NIO, Netty, Aeron and C   (./hayate bench --help)",
        "  gateway   the order-entry example's gateway                        (./hayate gateway --help)",
        "  trader    the order-entry example's trading client                 (./hayate trader --help)"})
public final class Main
{
    private Main()
    {
    }

    /**
     * @param args command line.
     */
    public static void main(final String[] args)
    {
        System.exit(commandLine().execute(args.length == 0 ? new String[] {"help"} : args));
    }

    /**
     * @return the command line with every subcommand, for {@link #main} and for tests that run a command in-process.
     */
    static CommandLine commandLine()
    {
        final CommandLine line = new CommandLine(new Main());
        // picocli hides its completion command by default; it is part of this tool's surface, so list it.
        line.getSubcommands().get("generate-completion").getCommandSpec().usageMessage().hidden(false);
        return line;
    }
}
