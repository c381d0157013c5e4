package dev.hayate.examples;

import java.io.PrintWriter;
import java.net.InetSocketAddress;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point of the order-entry example: {@code ./hayate gateway ...} and {@code ./hayate trader ...} (the
 * launcher routes both here).
 *
 * <pre>
 *   ./hayate gateway --listen 127.0.0.1:7011 --user alice:secret
 *   ./hayate trader  --connect 127.0.0.1:7011 --user alice --password secret --orders 20000
 * </pre>
 *
 * <p>Thread-safety: a program entry point.
 */
@Command(name = "hayate", mixinStandardHelpOptions = true, version = "hayate examples 0.1.0",
    description = "The order-entry example: a one-thread gateway and a trading client speaking the SBE "
        + "order-entry schema in SOFH frames.",
    subcommands = {GatewayCommand.class, TraderCommand.class, CommandLine.HelpCommand.class})
public final class ExamplesMain
{
    private ExamplesMain()
    {
    }

    /**
     * @param args command line.
     */
    public static void main(final String[] args)
    {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /**
     * Runs a command in this process, for tests and embedding.
     *
     * @param args command line, starting with {@code gateway} or {@code trader}.
     * @param out  standard output.
     * @param err  standard error.
     * @return the exit code.
     */
    public static int run(final String[] args, final PrintWriter out, final PrintWriter err)
    {
        final CommandLine commandLine = new CommandLine(new ExamplesMain())
            .registerConverter(InetSocketAddress.class, ExamplesMain::address);
        commandLine.setOut(out);
        commandLine.setErr(err);
        return commandLine.execute(args.length == 0 ? new String[] {"help"} : args);
    }

    /**
     * @param text {@code host:port}.
     * @return the address.
     */
    static InetSocketAddress address(final String text)
    {
        final int colon = text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1)
        {
            throw new CommandLine.TypeConversionException("expected HOST:PORT, got '" + text + "'");
        }
        final int port;
        try
        {
            port = Integer.parseInt(text.substring(colon + 1));
        }
        catch (final NumberFormatException ex)
        {
            throw new CommandLine.TypeConversionException("not a port number in '" + text + "'");
        }
        if (port < 0 || port > 65535)
        {
            throw new CommandLine.TypeConversionException("port out of range in '" + text + "'");
        }
        return new InetSocketAddress(text.substring(0, colon), port);
    }
}
