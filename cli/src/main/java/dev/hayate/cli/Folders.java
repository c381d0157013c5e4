package dev.hayate.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Comparator;

/**
 * The temporary folders {@code send -}, {@code send --text} and {@code receive --stdout} use, and the output folder
 * {@code receive --out} makes when it is missing.
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

    /**
     * Makes {@code dir} and its missing parents, as croc and wormhole make the output folder they are given.
     *
     * @param dir absolute and normalized.
     * @return the topmost folder made (to pass to {@link #removeIfEmpty}), or null if {@code dir} existed.
     * @throws IOException naming the folder, if it cannot be made.
     */
    static Path createMissing(final Path dir) throws IOException
    {
        if (!Files.notExists(dir, LinkOption.NOFOLLOW_LINKS))
        {
            // There, or not known to be missing (no permission to look): not ours to make or remove.
            return null;
        }
        Path topmost = dir;
        while (topmost.getParent() != null && Files.notExists(topmost.getParent(), LinkOption.NOFOLLOW_LINKS))
        {
            topmost = topmost.getParent();
        }
        try
        {
            Files.createDirectories(dir);
        }
        catch (final IOException ex)
        {
            throw new IOException("cannot create the output folder " + dir + ": " + ex, ex);
        }
        return topmost;
    }

    /** Deletes {@code dir} and its parents up to {@code topmost}, each only while empty. */
    static void removeIfEmpty(final Path dir, final Path topmost)
    {
        for (Path p = dir; p != null && p.startsWith(topmost); p = p.getParent())
        {
            try
            {
                Files.delete(p);
            }
            catch (final IOException ex)
            {
                // Not empty (the transfer wrote into it, or left part files to resume), or already gone: keep it.
                return;
            }
        }
    }
}
