package dev.hayate.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;

/**
 * The temporary folders {@code send -}, {@code send --text} and {@code receive --stdout} use.
 *
 * <p>Thread-safety: stateless.
 */
final class Folders
{
    private Folders()
    {
    }

    /** @param dir removed with everything in it; failures are ignored (it is a temporary folder). */
    static void deleteTree(final Path dir)
    {
        try (var walk = Files.walk(dir))
        {
            for (final Path p : walk.sorted(Comparator.reverseOrder()).toList())
            {
                Files.deleteIfExists(p);
            }
        }
        catch (final IOException ex)
        {
            // A temporary folder left behind is cleaned by the system; the transfer's outcome matters more.
        }
    }
}
