package dev.hayate.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether a standard stream is a terminal. The JDK answers only for stdin and stdout together
 * ({@code System.console()}, and from JDK 22 it answers yes even when they are redirected), while the progress bar
 * goes to stderr and a received text to stdout: on Linux the descriptor's link in {@code /proc/self/fd} says it
 * exactly; elsewhere {@code System.console()} is the best guess.
 *
 * <p>Thread-safety: stateless.
 */
final class Terminals
{
    static final int STDOUT = 1;
    static final int STDERR = 2;

    private Terminals()
    {
    }

    /**
     * @param fd 1 (stdout) or 2 (stderr).
     * @return true if that stream is a terminal.
     */
    static boolean isTerminal(final int fd)
    {
        final Path link = Path.of("/proc/self/fd/" + fd);
        if (Files.isSymbolicLink(link))
        {
            try
            {
                final String target = Files.readSymbolicLink(link).toString();
                return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
            }
            catch (final IOException | UnsupportedOperationException ex)
            {
                // Fall through to the JDK's guess.
            }
        }
        return System.console() != null;
    }
}
