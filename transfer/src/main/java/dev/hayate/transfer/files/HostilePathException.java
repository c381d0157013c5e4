package dev.hayate.transfer.files;

/**
 * A relative path from a peer could escape the output folder, hide its real name, or mean different things on
 * different platforms. The message names the class of problem and the path, escaped for printing.
 *
 * <p>Thread-safety: immutable.
 */
public final class HostilePathException extends ManifestException
{
    private static final long serialVersionUID = 1L;

    /** The classes of refused paths. */
    public enum Problem
    {
        /** Empty path. */
        EMPTY("empty path"),
        /** Starts with {@code /}. */
        ABSOLUTE("absolute path"),
        /** A component such as {@code C:}. */
        DRIVE_LETTER("drive letter"),
        /** Starts with {@code \\}. */
        UNC("UNC path"),
        /** Contains {@code \}. */
        BACKSLASH("backslash"),
        /** A {@code ..} component. */
        PARENT("parent reference '..'"),
        /** Two separators in a row, or a leading or trailing separator. */
        EMPTY_COMPONENT("empty component"),
        /** A {@code .} component. */
        DOT_COMPONENT("'.' component"),
        /** A NUL character. */
        NUL("NUL character"),
        /** A control character (C0, DEL or C1) or a Unicode line or paragraph separator (U+2028, U+2029). */
        CONTROL("control character"),
        /**
         * A bidirectional control character: embedding, override, isolate or mark (U+202A..U+202E, U+2066..U+2069,
         * U+200E, U+200F, U+061C).
         */
        BIDI("bidirectional control character"),
        /** A lone surrogate: not valid Unicode. */
        MALFORMED("malformed Unicode"),
        /** A component longer than 255 bytes of UTF-8. */
        COMPONENT_TOO_LONG("component longer than 255 bytes"),
        /** A path longer than 4096 bytes of UTF-8. */
        PATH_TOO_LONG("path longer than 4096 bytes"),
        /** A Windows reserved device name (CON, NUL, COM1, ...), with or without an extension. */
        RESERVED_NAME("reserved device name"),
        /** A component ending in a dot or a space, which Windows silently drops. */
        TRAILING_DOT_OR_SPACE("component ends in a dot or space");

        private final String description;

        Problem(final String description)
        {
            this.description = description;
        }

        /**
         * @return a short description for messages.
         */
        public String description()
        {
            return description;
        }
    }

    private final Problem problem;

    /**
     * @param problem the class of problem.
     * @param path    the refused path (escaped in the message).
     */
    public HostilePathException(final Problem problem, final String path)
    {
        super("refused path (" + problem.description() + "): \"" + SafePaths.printable(path) + "\"");
        this.problem = problem;
    }

    /**
     * @return the class of problem.
     */
    public Problem problem()
    {
        return problem;
    }
}
