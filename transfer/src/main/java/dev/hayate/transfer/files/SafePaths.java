package dev.hayate.transfer.files;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.text.Normalizer;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;

import dev.hayate.transfer.files.HostilePathException.Problem;

/**
 * Validation of relative paths received from a peer, and their resolution inside an output folder without
 * following symbolic links.
 *
 * <p>The same rules hold on every platform, so a sender cannot aim at the receiver's operating system:
 * absolute paths, drive letters, UNC prefixes, backslashes, {@code ..}, {@code .} and empty components,
 * NUL / control / bidirectional control characters, lone surrogates, components over 255 bytes and paths
 * over 4096 bytes of UTF-8, Windows reserved device names (with or without extension) and components ending
 * in a dot or space are all refused.
 *
 * <p>Thread-safety: stateless; safe from any thread.
 */
public final class SafePaths
{
    /** Largest accepted path, in bytes of UTF-8. */
    public static final int MAX_PATH_BYTES = 4096;
    /** Largest accepted path component, in bytes of UTF-8. */
    public static final int MAX_COMPONENT_BYTES = 255;

    private static final Set<String> RESERVED = Set.of(
        "CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$",
        "COM0", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9",
        "COM\u00B9", "COM\u00B2", "COM\u00B3",
        "LPT0", "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9",
        "LPT\u00B9", "LPT\u00B2", "LPT\u00B3");

    private SafePaths()
    {
    }

    /**
     * Refuses a relative path that is not safe to create under an output folder on any platform.
     *
     * @param relativePath the {@code /}-separated path from the peer.
     * @throws HostilePathException naming the class of problem and the escaped path.
     */
    public static void validate(final String relativePath) throws HostilePathException
    {
        if (relativePath == null || relativePath.isEmpty())
        {
            throw new HostilePathException(Problem.EMPTY, relativePath == null ? "" : relativePath);
        }
        checkCharacters(relativePath);
        if (relativePath.startsWith("\\\\"))
        {
            throw new HostilePathException(Problem.UNC, relativePath);
        }
        if (relativePath.indexOf('\\') >= 0)
        {
            throw new HostilePathException(Problem.BACKSLASH, relativePath);
        }
        if (relativePath.charAt(0) == '/')
        {
            throw new HostilePathException(Problem.ABSOLUTE, relativePath);
        }
        if (utf8Length(relativePath, 0, relativePath.length()) > MAX_PATH_BYTES)
        {
            throw new HostilePathException(Problem.PATH_TOO_LONG, relativePath);
        }
        int start = 0;
        while (true)
        {
            final int slash = relativePath.indexOf('/', start);
            final int end = slash < 0 ? relativePath.length() : slash;
            checkComponent(relativePath, start, end);
            if (slash < 0)
            {
                return;
            }
            start = slash + 1;
        }
    }

    /**
     * Whether {@link #validate(String)} accepts a path.
     *
     * @param relativePath the path.
     * @return true when the path is safe.
     */
    public static boolean isSafe(final String relativePath)
    {
        try
        {
            validate(relativePath);
            return true;
        }
        catch (final HostilePathException ex)
        {
            return false;
        }
    }

    /**
     * Escapes a string for printing to a terminal or log: control characters become {@code \xNN}, bidi
     * controls and lone surrogates become {@code \}{@code uNNNN}, and a backslash becomes {@code \\} (so the
     * escaping cannot be faked). Everything else is kept as is.
     *
     * @param s any string (null prints as {@code null}).
     * @return the printable form.
     */
    public static String printable(final String s)
    {
        return escape(s, true);
    }

    /**
     * Like {@link #printable(String)} for a whole message, whose names are escaped already: control, bidi and lone
     * surrogate characters are escaped, a backslash is left as it is (escaping it again would double every
     * escape in the names).
     *
     * @param s any message.
     * @return the message, safe to print.
     */
    public static String printableMessage(final String s)
    {
        return escape(s, false);
    }

    private static String escape(final String s, final boolean backslash)
    {
        if (s == null)
        {
            return "null";
        }
        StringBuilder out = null;
        for (int i = 0; i < s.length(); i++)
        {
            final char c = s.charAt(i);
            final boolean surrogate = Character.isSurrogate(c);
            final boolean paired = surrogate && Character.isHighSurrogate(c) && i + 1 < s.length() &&
                Character.isLowSurrogate(s.charAt(i + 1));
            final boolean escape = (backslash && c == '\\') || isControl(c) || isBidi(c) || (surrogate && !paired &&
                !(Character.isLowSurrogate(c) && i > 0 && Character.isHighSurrogate(s.charAt(i - 1))));
            if (escape && out == null)
            {
                out = new StringBuilder(s.length() + 16).append(s, 0, i);
            }
            if (out != null)
            {
                if (!escape)
                {
                    out.append(c);
                }
                else if (c == '\\')
                {
                    out.append("\\\\");
                }
                else if (c < 0x100)
                {
                    out.append(String.format("\\x%02X", (int)c));
                }
                else
                {
                    out.append(String.format("\\u%04X", (int)c));
                }
            }
        }
        return out == null ? s : out.toString();
    }

    /**
     * The key under which two paths count as the same on a case-insensitive or normalising file system
     * (Windows, macOS): NFC, then simple case folding (upper then lower case, root locale).
     *
     * @param relativePath a path.
     * @return its collision key.
     */
    public static String collisionKey(final String relativePath)
    {
        return Normalizer.normalize(relativePath, Normalizer.Form.NFC)
            .toUpperCase(Locale.ROOT).toLowerCase(Locale.ROOT);
    }

    /**
     * Resolves a validated relative path inside an output folder, refusing to pass through any symbolic link
     * that already exists under the folder (each existing component, the last one included, is examined
     * without following links). The output folder itself may be a link: the user chose it.
     *
     * @param outputDir    the output folder.
     * @param relativePath the path from the peer.
     * @return the target path (which may or may not exist).
     * @throws HostilePathException if the path is refused by {@link #validate(String)}.
     * @throws TransferIOException  if an existing component is a symbolic link, or an existing parent
     *                              component is not a directory.
     * @throws IOException          if a component cannot be examined.
     */
    public static Path resolveInside(final Path outputDir, final String relativePath) throws IOException
    {
        validate(relativePath);
        final String[] components = relativePath.split("/", -1);
        Path current = outputDir;
        for (int i = 0; i < components.length; i++)
        {
            current = current.resolve(components[i]);
            final BasicFileAttributes attributes = attributesOrNull(current);
            if (attributes == null)
            {
                // Nothing below a missing component can exist yet.
                break;
            }
            if (attributes.isSymbolicLink())
            {
                throw new TransferIOException(relativePath, "refusing to follow the symbolic link " +
                    SafePaths.printable(String.join("/", Arrays.copyOf(components, i + 1))) +
                    " inside the output folder");
            }
            if (i < components.length - 1 && !attributes.isDirectory())
            {
                throw new TransferIOException(relativePath, "not a directory: " +
                    SafePaths.printable(String.join("/", Arrays.copyOf(components, i + 1))));
            }
        }
        final Path target = outputDir.resolve(relativePath);
        if (!target.normalize().startsWith(outputDir.normalize()))
        {
            throw new HostilePathException(Problem.PARENT, relativePath);
        }
        return target;
    }

    /**
     * Creates a directory and its missing parents inside an output folder, creating no symbolic link and
     * following none: each existing component must be a real directory.
     *
     * @param outputDir    the output folder (must exist).
     * @param relativePath a validated relative directory path.
     * @return the directory.
     * @throws IOException if a component is a link or not a directory, or cannot be created.
     */
    public static Path createDirectoriesInside(final Path outputDir, final String relativePath) throws IOException
    {
        validate(relativePath);
        Path current = outputDir;
        for (final String component : relativePath.split("/", -1))
        {
            current = current.resolve(component);
            BasicFileAttributes attributes = attributesOrNull(current);
            if (attributes == null)
            {
                try
                {
                    // mkdir does not follow a link in its last component: it fails if anything is there.
                    Files.createDirectory(current);
                    continue;
                }
                catch (final FileAlreadyExistsException raced)
                {
                    attributes = attributesOrNull(current);
                }
                catch (final IOException ex)
                {
                    throw TransferIOException.of(relativePath, "cannot create directory", ex);
                }
            }
            if (attributes == null || attributes.isSymbolicLink() || !attributes.isDirectory())
            {
                throw new TransferIOException(relativePath, attributes != null && attributes.isSymbolicLink() ?
                    "refusing to follow a symbolic link inside the output folder" : "not a directory");
            }
        }
        return current;
    }

    static BasicFileAttributes attributesOrNull(final Path path) throws IOException
    {
        try
        {
            return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        }
        catch (final NoSuchFileException ex)
        {
            return null;
        }
    }

    static int utf8Length(final String s, final int start, final int end)
    {
        int bytes = 0;
        for (int i = start; i < end; i++)
        {
            final char c = s.charAt(i);
            if (c < 0x80)
            {
                bytes += 1;
            }
            else if (c < 0x800)
            {
                bytes += 2;
            }
            else if (Character.isHighSurrogate(c))
            {
                // A pair (checked by checkCharacters) is one four-byte code point.
                bytes += 4;
                i++;
            }
            else
            {
                bytes += 3;
            }
        }
        return bytes;
    }

    private static void checkCharacters(final String path) throws HostilePathException
    {
        for (int i = 0; i < path.length(); i++)
        {
            final char c = path.charAt(i);
            if (c == 0)
            {
                throw new HostilePathException(Problem.NUL, path);
            }
            if (isControl(c))
            {
                throw new HostilePathException(Problem.CONTROL, path);
            }
            if (isBidi(c))
            {
                throw new HostilePathException(Problem.BIDI, path);
            }
            if (Character.isHighSurrogate(c) && i + 1 < path.length() && Character.isLowSurrogate(path.charAt(i + 1)))
            {
                i++;
            }
            else if (Character.isSurrogate(c))
            {
                throw new HostilePathException(Problem.MALFORMED, path);
            }
        }
    }

    private static void checkComponent(final String path, final int start, final int end)
        throws HostilePathException
    {
        final int length = end - start;
        if (length == 0)
        {
            throw new HostilePathException(Problem.EMPTY_COMPONENT, path);
        }
        if (length == 1 && path.charAt(start) == '.')
        {
            throw new HostilePathException(Problem.DOT_COMPONENT, path);
        }
        if (length == 2 && path.charAt(start) == '.' && path.charAt(start + 1) == '.')
        {
            throw new HostilePathException(Problem.PARENT, path);
        }
        if (length >= 2 && path.charAt(start + 1) == ':' && isAsciiLetter(path.charAt(start)))
        {
            throw new HostilePathException(Problem.DRIVE_LETTER, path);
        }
        if (utf8Length(path, start, end) > MAX_COMPONENT_BYTES)
        {
            throw new HostilePathException(Problem.COMPONENT_TOO_LONG, path);
        }
        final char last = path.charAt(end - 1);
        if (last == '.' || last == ' ')
        {
            throw new HostilePathException(Problem.TRAILING_DOT_OR_SPACE, path);
        }
        if (isReserved(path, start, end))
        {
            throw new HostilePathException(Problem.RESERVED_NAME, path);
        }
    }

    private static boolean isReserved(final String path, final int start, final int end)
    {
        // Windows ignores everything from the first dot and trailing spaces: "con .txt" opens the console.
        int stem = path.indexOf('.', start);
        if (stem < 0 || stem > end)
        {
            stem = end;
        }
        while (stem > start && path.charAt(stem - 1) == ' ')
        {
            stem--;
        }
        final int length = stem - start;
        return length >= 3 && length <= 7 && RESERVED.contains(path.substring(start, stem).toUpperCase(Locale.ROOT));
    }

    private static boolean isAsciiLetter(final char c)
    {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    /** C0 and C1 controls, and Unicode's line and paragraph separators, which break a printed line as well. */
    private static boolean isControl(final char c)
    {
        return c < 0x20 || (c >= 0x7F && c <= 0x9F) || c == '\u2028' || c == '\u2029';
    }

    /**
     * Unicode's whole Bidi_Control set: the embeddings and overrides, the isolates, and the implicit marks
     * (left-to-right and right-to-left mark, Arabic letter mark), any of which can make a name display as
     * another ("invoice\u200Ffdp.exe").
     */
    private static boolean isBidi(final char c)
    {
        return (c >= '\u202A' && c <= '\u202E') || (c >= '\u2066' && c <= '\u2069') || c == '\u200E' ||
            c == '\u200F' || c == '\u061C';
    }
}
