package dev.hayate.transfer.files;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import dev.hayate.transfer.files.HostilePathException.Problem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SafePathsTest
{
    /** Every class of hostile path with an example; shared with the manifest and receive tests. */
    static Stream<Arguments> hostilePaths()
    {
        return Stream.of(
            Arguments.of("", Problem.EMPTY),
            Arguments.of("/etc/passwd", Problem.ABSOLUTE),
            Arguments.of("/", Problem.ABSOLUTE),
            Arguments.of("C:/Windows/x", Problem.DRIVE_LETTER),
            Arguments.of("c:evil", Problem.DRIVE_LETTER),
            Arguments.of("a/D:/b", Problem.DRIVE_LETTER),
            Arguments.of("\\\\server\\share\\x", Problem.UNC),
            Arguments.of("a\\..\\..\\x", Problem.BACKSLASH),
            Arguments.of("..", Problem.PARENT),
            Arguments.of("../x", Problem.PARENT),
            Arguments.of("a/../../x", Problem.PARENT),
            Arguments.of("a/..", Problem.PARENT),
            Arguments.of("a//b", Problem.EMPTY_COMPONENT),
            Arguments.of("a/", Problem.EMPTY_COMPONENT),
            Arguments.of(".", Problem.DOT_COMPONENT),
            Arguments.of("./a", Problem.DOT_COMPONENT),
            Arguments.of("a/./b", Problem.DOT_COMPONENT),
            Arguments.of("a\u0000b", Problem.NUL),
            Arguments.of("a\nb", Problem.CONTROL),
            Arguments.of("a\u001b[31mb", Problem.CONTROL),
            Arguments.of("a\u007fb", Problem.CONTROL),
            Arguments.of("a\u0085b", Problem.CONTROL),
            Arguments.of("invoice\u202Efdp.exe", Problem.BIDI),
            Arguments.of("a\u2066b", Problem.BIDI),
            Arguments.of("a\u2069b", Problem.BIDI),
            Arguments.of("a\u202Ab", Problem.BIDI),
            Arguments.of("rlm\u200Fgnp.exe", Problem.BIDI),
            Arguments.of("a\u200Eb", Problem.BIDI),
            Arguments.of("alm\u061Cx", Problem.BIDI),
            Arguments.of("line\u2028break", Problem.CONTROL),
            Arguments.of("para\u2029break", Problem.CONTROL),
            Arguments.of("a\uD800b", Problem.MALFORMED),
            Arguments.of("x".repeat(256), Problem.COMPONENT_TOO_LONG),
            Arguments.of("\u00e9".repeat(128), Problem.COMPONENT_TOO_LONG),
            Arguments.of(("d".repeat(200) + "/").repeat(21) + "f", Problem.PATH_TOO_LONG),
            Arguments.of("CON", Problem.RESERVED_NAME),
            Arguments.of("nul.txt", Problem.RESERVED_NAME),
            Arguments.of("a/com1", Problem.RESERVED_NAME),
            Arguments.of("LPT9.tar.gz", Problem.RESERVED_NAME),
            Arguments.of("aux .c", Problem.RESERVED_NAME),
            Arguments.of("COM\u00B9", Problem.RESERVED_NAME),
            Arguments.of("a/b.", Problem.TRAILING_DOT_OR_SPACE),
            Arguments.of("a /b", Problem.TRAILING_DOT_OR_SPACE),
            Arguments.of("...", Problem.TRAILING_DOT_OR_SPACE));
    }

    @ParameterizedTest
    @MethodSource("hostilePaths")
    void shouldRefuseEveryHostilePathClass(final String path, final Problem problem)
    {
        final HostilePathException ex = assertThrows(HostilePathException.class, () -> SafePaths.validate(path));
        assertEquals(problem, ex.problem(), ex.getMessage());
        assertTrue(ex.getMessage().contains(problem.description()), ex.getMessage());
        assertTrue(ex.getMessage().contains(SafePaths.printable(path)), ex.getMessage());
        assertFalse(SafePaths.isSafe(path));
    }

    @ParameterizedTest
    @ValueSource(strings = {"a", "a.txt", "photos/2024/a.jpg", ".hidden", "..a", "a..b", "CONSOLE", "con1",
        "com10.txt", "\u65e5\u672c\u8a9e/\u30d5\u30a1\u30a4\u30eb.txt", "emoji \uD83D\uDE00.png", "12:30.txt",
        "a b/c-d_e (1).txt"})
    void shouldAcceptOrdinaryPaths(final String path)
    {
        assertDoesNotThrow(() -> SafePaths.validate(path));
    }

    @Test
    void shouldAcceptComponentOfExactly255BytesAndPathOf4096Bytes()
    {
        assertDoesNotThrow(() -> SafePaths.validate("x".repeat(255)));
        final String path = ("d".repeat(254) + "/").repeat(16) + "f".repeat(4096 - 255 * 16);
        assertEquals(4096, path.length());
        assertDoesNotThrow(() -> SafePaths.validate(path));
        assertThrows(HostilePathException.class, () -> SafePaths.validate(path + "f"));
    }

    @Test
    void shouldEscapeControlAndBidiCharactersForPrinting()
    {
        assertEquals("plain/name.txt", SafePaths.printable("plain/name.txt"));
        assertEquals("a\\x0Ab\\x1B[31m", SafePaths.printable("a\nb\u001b[31m"));
        assertEquals("invoice\\u202Efdp.exe", SafePaths.printable("invoice\u202Efdp.exe"));
        assertEquals("rlm\\u200Fgnp.exe", SafePaths.printable("rlm\u200Fgnp.exe"));
        assertEquals("a\\u2028b", SafePaths.printable("a\u2028b"));
        // A message keeps its backslashes: the names in it are escaped already.
        assertEquals("cannot read a\\x1Bb: \\x07", SafePaths.printableMessage("cannot read a\\x1Bb: \u0007"));
        assertEquals("back\\\\slash", SafePaths.printable("back\\slash"));
        assertEquals("lone\\uD800", SafePaths.printable("lone\uD800"));
        assertEquals("emoji \uD83D\uDE00", SafePaths.printable("emoji \uD83D\uDE00"));
        assertEquals("\\x00", SafePaths.printable("\u0000"));
    }

    @Test
    void shouldFoldCaseAndNormalisationInCollisionKey()
    {
        assertEquals(SafePaths.collisionKey("A.TXT"), SafePaths.collisionKey("a.txt"));
        assertEquals(SafePaths.collisionKey("caf\u00e9"), SafePaths.collisionKey("cafe\u0301"));
        assertFalse(SafePaths.collisionKey("a").equals(SafePaths.collisionKey("b")));
    }

    @Test
    void shouldResolveInsideOutputFolder(@TempDir final Path dir) throws IOException
    {
        Files.createDirectories(dir.resolve("a/b"));
        assertEquals(dir.resolve("a/b/c.txt"), SafePaths.resolveInside(dir, "a/b/c.txt"));
        assertEquals(dir.resolve("new/deeper/x"), SafePaths.resolveInside(dir, "new/deeper/x"));
        assertThrows(HostilePathException.class, () -> SafePaths.resolveInside(dir, "../x"));
    }

    @Test
    void shouldRefuseToResolveThroughSymlinkInsideOutputFolder(@TempDir final Path dir) throws IOException
    {
        final Path out = Files.createDirectory(dir.resolve("out"));
        final Path outside = Files.createDirectory(dir.resolve("outside"));
        Files.createSymbolicLink(out.resolve("link"), outside);
        Files.createSymbolicLink(out.resolve("file-link"), outside.resolve("victim.txt"));

        final TransferIOException ex = assertThrows(TransferIOException.class,
            () -> SafePaths.resolveInside(out, "link/x.txt"));
        assertTrue(ex.getMessage().contains("symbolic link"), ex.getMessage());
        assertThrows(TransferIOException.class, () -> SafePaths.resolveInside(out, "file-link"));
        assertThrows(TransferIOException.class, () -> SafePaths.createDirectoriesInside(out, "link/sub"));
        try (Stream<Path> listing = Files.list(outside))
        {
            assertEquals(0, listing.count());
        }
    }

    @Test
    void shouldCreateDirectoriesWithoutFollowingLinks(@TempDir final Path dir) throws IOException
    {
        final Path created = SafePaths.createDirectoriesInside(dir, "x/y/z");
        assertTrue(Files.isDirectory(created));
        assertEquals(created, SafePaths.createDirectoriesInside(dir, "x/y/z"));
        Files.writeString(dir.resolve("file"), "data");
        final TransferIOException ex = assertThrows(TransferIOException.class,
            () -> SafePaths.createDirectoriesInside(dir, "file/sub"));
        assertTrue(ex.getMessage().contains("not a directory"), ex.getMessage());
        Files.createSymbolicLink(dir.resolve("dangling"), dir.resolve("nowhere"));
        assertThrows(TransferIOException.class, () -> SafePaths.createDirectoriesInside(dir, "dangling/sub"));
        assertFalse(Files.exists(dir.resolve("nowhere")));
    }
}
