package dev.hayate.transfer.files;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ManifestTest
{
    private static final ManifestEntry.Kind FILE = ManifestEntry.Kind.FILE;
    private static final ManifestEntry.Kind DIRECTORY = ManifestEntry.Kind.DIRECTORY;

    /**
     * Encodes entries exactly as given, without any check, the way a hostile sender could.
     */
    static byte[] rawEncode(final List<ManifestEntry> entries)
    {
        final ByteBuffer buffer = ByteBuffer.allocate(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
        buffer.putInt(Manifest.MAGIC).putInt(entries.size());
        for (final ManifestEntry entry : entries)
        {
            final byte[] path = utf8KeepingLoneSurrogates(entry.path());
            buffer.put((byte)(entry.isFile() ? 0 : 1)).putShort((short)entry.mode()).putLong(entry.size())
                .putLong(entry.mtimeMillis()).putShort((short)path.length).put(path);
        }
        final byte[] bytes = new byte[buffer.position()];
        buffer.flip().get(bytes);
        return bytes;
    }

    /**
     * UTF-8, except that a lone surrogate is encoded as its three bytes (as CESU-8 would), which a strict
     * decoder must refuse.
     */
    private static byte[] utf8KeepingLoneSurrogates(final String s)
    {
        final java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < s.length(); i++)
        {
            final char c = s.charAt(i);
            if (Character.isSurrogate(c) && !(Character.isHighSurrogate(c) && i + 1 < s.length() &&
                Character.isLowSurrogate(s.charAt(i + 1))))
            {
                out.write(0xE0 | (c >> 12));
                out.write(0x80 | ((c >> 6) & 0x3F));
                out.write(0x80 | (c & 0x3F));
            }
            else
            {
                final int end = Character.isHighSurrogate(c) ? i + 2 : i + 1;
                out.writeBytes(s.substring(i, end).getBytes(StandardCharsets.UTF_8));
                i = end - 1;
            }
        }
        return out.toByteArray();
    }

    static ManifestEntry file(final String path, final long size)
    {
        return new ManifestEntry(path, FILE, size, 0644, 1_700_000_000_000L);
    }

    static ManifestEntry directory(final String path)
    {
        return new ManifestEntry(path, DIRECTORY, 0, 0755, 1_700_000_000_000L);
    }

    @Test
    void shouldScanNestedTreeWithEmptyDirectoriesUnicodeEmptyFileAndSkipSymlinks(@TempDir final Path dir)
        throws IOException
    {
        final Path photos = Files.createDirectories(dir.resolve("photos/2024"));
        Files.createDirectories(dir.resolve("photos/empty/deeper"));
        Files.write(photos.resolve("a.jpg"), new byte[1000]);
        Files.writeString(dir.resolve("photos/\u65e5\u672c\u8a9e.txt"), "\u3053\u3093\u306b\u3061\u306f");
        Files.createFile(dir.resolve("photos/empty.bin"));
        Files.createSymbolicLink(dir.resolve("photos/link"), dir.resolve("notes.md"));
        Files.createSymbolicLink(dir.resolve("photos/dirlink"), dir);
        Files.setPosixFilePermissions(photos.resolve("a.jpg"), PosixFilePermissions.fromString("rwxr-x---"));
        Files.setLastModifiedTime(photos.resolve("a.jpg"), FileTime.fromMillis(1_600_000_000_123L));
        final Path single = Files.writeString(dir.resolve("notes.md"), "# notes");

        final Manifest manifest = Manifest.scan(List.of(dir.resolve("photos"), single));

        final List<String> paths = new ArrayList<>();
        manifest.entries().forEach(e -> paths.add(e.path() + (e.isFile() ? "" : "/")));
        assertEquals(List.of("notes.md", "photos/", "photos/2024/", "photos/2024/a.jpg", "photos/empty/",
            "photos/empty/deeper/", "photos/empty.bin", "photos/\u65e5\u672c\u8a9e.txt"), paths);
        assertEquals(4, manifest.fileCount());
        assertEquals(4, manifest.directoryCount());
        assertEquals(1000 + 15 + 7, manifest.totalBytes());
        final int a = paths.indexOf("photos/2024/a.jpg");
        assertEquals(0750, manifest.entry(a).mode());
        assertEquals(1_600_000_000_123L, manifest.entry(a).mtimeMillis());
        assertEquals(photos.resolve("a.jpg"), manifest.source(a));
        assertNull(manifest.source(paths.indexOf("photos/")));
        assertEquals(single, manifest.source(0));
        assertEquals(0, manifest.chunkCount(paths.indexOf("photos/empty.bin"), 64));
        assertEquals(16, manifest.chunkCount(a, 64));
        assertEquals(2, manifest.skipped().size(), manifest.skipped().toString());
        assertTrue(manifest.skipped().stream().allMatch(s -> s.contains("symbolic link")), manifest.skipped().toString());
    }

    @Test
    void shouldSkipSpecialFilesAndNamesReceiversWouldRefuse(@TempDir final Path dir) throws IOException
    {
        final Path root = Files.createDirectories(dir.resolve("r"));
        Files.writeString(root.resolve("ok.txt"), "ok");
        Files.writeString(root.resolve("bad\nname.txt"), "x");
        Files.writeString(root.resolve("aux.c"), "x");
        Files.writeString(root.resolve("back\\slash"), "x");
        Files.createDirectories(root.resolve("con/inner"));
        try (ServerSocketChannel socket = ServerSocketChannel.open(StandardProtocolFamily.UNIX))
        {
            socket.bind(UnixDomainSocketAddress.of(root.resolve("sock")));
            final Manifest manifest = Manifest.scan(List.of(root));
            assertEquals(List.of("r", "r/ok.txt"), manifest.entries().stream().map(ManifestEntry::path).toList());
            final String skipped = String.join("\n", manifest.skipped());
            assertEquals(5, manifest.skipped().size(), skipped);
            assertTrue(skipped.contains("r/sock: special file"), skipped);
            assertTrue(skipped.contains("bad\\x0Aname.txt: name refused by receivers"), skipped);
            assertTrue(skipped.contains("back\\\\slash: name refused by receivers"), skipped);
        }
    }

    @Test
    void shouldRefuseTwoRootsWithTheSameName(@TempDir final Path dir) throws IOException
    {
        final Path one = Files.createDirectories(dir.resolve("one/data"));
        final Path two = Files.createDirectories(dir.resolve("two/data"));
        final ManifestException ex = assertThrows(ManifestException.class, () -> Manifest.scan(List.of(one, two)));
        assertTrue(ex.getMessage().contains("same name \"data\""), ex.getMessage());
        final Path upper = Files.createDirectories(dir.resolve("three/DATA"));
        assertThrows(ManifestException.class, () -> Manifest.scan(List.of(one, upper)));
    }

    @Test
    void shouldSkipSymlinkRootAndReportIt(@TempDir final Path dir) throws IOException
    {
        final Path link = Files.createSymbolicLink(dir.resolve("link"), Files.writeString(dir.resolve("t"), "x"));
        final Manifest manifest = Manifest.scan(List.of(link));
        assertEquals(0, manifest.size());
        assertEquals(1, manifest.skipped().size());
    }

    @Test
    void shouldRoundTripThroughWireForm(@TempDir final Path dir) throws IOException
    {
        Files.createDirectories(dir.resolve("tree/sub/empty"));
        Files.write(dir.resolve("tree/sub/data.bin"), new byte[12345]);
        Files.writeString(dir.resolve("tree/\u00e9t\u00e9 \uD83D\uDE00.txt"), "summer");
        final Manifest scanned = Manifest.scan(List.of(dir.resolve("tree")));

        final byte[] bytes = scanned.encode();
        final Manifest decoded = Manifest.decode(bytes, 0, bytes.length, Manifest.Limits.DEFAULT);
        assertEquals(scanned.entries(), decoded.entries());
        assertEquals(scanned.totalBytes(), decoded.totalBytes());
        assertArrayEquals(bytes, decoded.encode());

        final UnsafeBuffer framed = new UnsafeBuffer(new byte[bytes.length + 100]);
        framed.putBytes(37, bytes);
        assertEquals(scanned.entries(), Manifest.decode(framed, 37, bytes.length, Manifest.Limits.DEFAULT).entries());
        assertThrows(IllegalStateException.class, () -> decoded.source(0));
    }

    @Test
    void shouldRoundTripLargeSizesAndEmptyManifest() throws ManifestException
    {
        final Manifest big = Manifest.of(List.of(file("huge.img", 5L << 40), new ManifestEntry("old", FILE, 0, 0,
            -86_400_000L)));
        final byte[] bytes = big.encode();
        assertEquals(big.entries(), Manifest.decode(bytes, 0, bytes.length, Manifest.Limits.DEFAULT).entries());
        final byte[] empty = Manifest.of(List.of()).encode();
        assertEquals(Manifest.HEADER_LENGTH, empty.length);
        assertEquals(0, Manifest.decode(empty, 0, empty.length, Manifest.Limits.DEFAULT).size());
    }

    @ParameterizedTest
    @MethodSource("dev.hayate.transfer.files.SafePathsTest#hostilePaths")
    void shouldRefuseHostilePathInDecodeBeforeAnythingIsWritten(final String path,
        final HostilePathException.Problem problem, @TempDir final Path out) throws IOException
    {
        final byte[] bytes = rawEncode(List.of(file("fine.txt", 1), file(path, 10)));
        try
        {
            final Manifest manifest = Manifest.decode(bytes, 0, bytes.length, Manifest.Limits.DEFAULT);
            // Only reachable if decode let it through: the receive folder must still refuse it.
            new ReceiveFolder(out, OverwritePolicy.REFUSE, false).plan(manifest, 64, 0);
            throw new AssertionError("accepted hostile path " + SafePaths.printable(path));
        }
        catch (final HostilePathException ex)
        {
            assertEquals(problem, ex.problem());
        }
        catch (final ManifestException ex)
        {
            // Paths that are not even well-formed bytes within the limits fail before validation.
            assertTrue(problem == HostilePathException.Problem.MALFORMED || problem == HostilePathException.Problem.EMPTY
                || problem == HostilePathException.Problem.PATH_TOO_LONG, ex.getMessage());
        }
        try (Stream<Path> listing = Files.list(out))
        {
            assertEquals(0, listing.count());
        }
    }

    @Test
    void shouldRefuseCollidingEntries()
    {
        assertCollision(List.of(file("a.txt", 1), file("a.txt", 2)), "twice");
        assertCollision(List.of(file("A.txt", 1), file("a.TXT", 2)), "differ only in case");
        assertCollision(List.of(file("caf\u00e9", 1), file("cafe\u0301", 2)), "Unicode normalisation");
        assertCollision(List.of(directory("d"), directory("d")), "twice");
        assertCollision(List.of(file("a", 1), file("a/b", 2)), "as a file");
        assertCollision(List.of(file("x/A", 1), directory("x/a/b")), "as a file");
        assertCollision(List.of(file("Dir", 1), directory("dir")), "differ only in case");
        // Names that sort between "a" and "a/" ('-' and '.' sort before '/') must not hide the entry inside it.
        assertCollision(List.of(file("a", 1), file("a-b", 1), file("a.c", 1), file("a/z", 1)), "as a file");
        assertCollision(List.of(file("deep/a", 1), directory("deep/a.d"), file("deep/A/b/c/d", 1)), "as a file");
    }

    @Test
    void shouldAcceptFilesWhoseNamesExtendAnotherFilesName() throws ManifestException
    {
        final byte[] bytes = rawEncode(List.of(file("a", 1), file("a-b", 1), directory("a.d"), file("a.d/x", 1),
            file("a0", 1)));
        assertEquals(4, Manifest.decode(bytes, 0, bytes.length, Manifest.Limits.DEFAULT).fileCount());
    }

    private static void assertCollision(final List<ManifestEntry> entries, final String expected)
    {
        final byte[] bytes = rawEncode(entries);
        final ManifestException ex = assertThrows(ManifestException.class,
            () -> Manifest.decode(bytes, 0, bytes.length, Manifest.Limits.DEFAULT));
        assertTrue(ex.getMessage().contains(expected), ex.getMessage());
        assertThrows(ManifestException.class, () -> Manifest.of(entries));
    }

    @Test
    void shouldAcceptDirectoryThatIsParentOfEntries() throws ManifestException
    {
        final byte[] bytes = rawEncode(List.of(directory("d"), file("d/a", 1), directory("d/e"), file("d/e/b", 0),
            file("loose/x", 3)));
        final Manifest manifest = Manifest.decode(bytes, 0, bytes.length, Manifest.Limits.DEFAULT);
        assertEquals(3, manifest.fileCount());
        assertEquals(2, manifest.directoryCount());
        assertEquals(4, manifest.totalBytes());
    }

    @Test
    void shouldEnforceLimits()
    {
        final byte[] three = rawEncode(List.of(file("a", 10), file("b", 20), file("c", 30)));
        assertThrows(ManifestException.class, () -> Manifest.decode(three, 0, three.length,
            new Manifest.Limits(2, 4096, Long.MAX_VALUE)));
        assertThrows(ManifestException.class, () -> Manifest.decode(three, 0, three.length,
            new Manifest.Limits(10, 4096, 59)));
        final byte[] longPath = rawEncode(List.of(file("x".repeat(200) + "/" + "y".repeat(200), 1)));
        assertThrows(ManifestException.class, () -> Manifest.decode(longPath, 0, longPath.length,
            new Manifest.Limits(10, 300, Long.MAX_VALUE)));
        final byte[] overflow = rawEncode(List.of(file("a", Long.MAX_VALUE), file("b", Long.MAX_VALUE)));
        assertThrows(ManifestException.class, () -> Manifest.decode(overflow, 0, overflow.length,
            Manifest.Limits.DEFAULT));
    }

    @Test
    void shouldRefuseMalformedHeadersAndFields()
    {
        final byte[] good = rawEncode(List.of(file("a", 1)));
        assertMalformed(good, 0, 4);
        assertMalformed(good, 0, good.length - 1);
        assertMalformed(good, 3, good.length);
        assertMalformed(good, -1, 8);
        final byte[] trailing = java.util.Arrays.copyOf(good, good.length + 1);
        assertMalformed(trailing, 0, trailing.length);

        final byte[] magic = good.clone();
        magic[0] ^= 1;
        assertMalformed(magic, 0, magic.length);
        final byte[] countHuge = good.clone();
        ByteBuffer.wrap(countHuge).order(ByteOrder.LITTLE_ENDIAN).putInt(4, 0x7FFFFFFF);
        assertMalformed(countHuge, 0, countHuge.length);
        final byte[] countNegative = good.clone();
        ByteBuffer.wrap(countNegative).order(ByteOrder.LITTLE_ENDIAN).putInt(4, -1);
        assertMalformed(countNegative, 0, countNegative.length);
        final byte[] kind = good.clone();
        kind[8] = 7;
        assertMalformed(kind, 0, kind.length);
        final byte[] mode = good.clone();
        ByteBuffer.wrap(mode).order(ByteOrder.LITTLE_ENDIAN).putShort(9, (short)01000);
        assertMalformed(mode, 0, mode.length);
        final byte[] size = good.clone();
        ByteBuffer.wrap(size).order(ByteOrder.LITTLE_ENDIAN).putLong(11, -5);
        assertMalformed(size, 0, size.length);
        final byte[] directorySize = rawEncode(List.of(new ManifestEntry("d", FILE, 9, 0755, 0)));
        directorySize[8] = 1;
        assertMalformed(directorySize, 0, directorySize.length);
        final byte[] utf8 = rawEncode(List.of(file("ab", 1)));
        utf8[utf8.length - 1] = (byte)0xC3;
        assertMalformed(utf8, 0, utf8.length);
        final byte[] overlong = rawEncode(List.of(file("ab", 1)));
        overlong[overlong.length - 2] = (byte)0xC0;
        overlong[overlong.length - 1] = (byte)0xAF;
        assertMalformed(overlong, 0, overlong.length);
        final byte[] zeroPath = rawEncode(List.of(file("a", 1)));
        ByteBuffer.wrap(zeroPath).order(ByteOrder.LITTLE_ENDIAN).putShort(27, (short)0);
        assertMalformed(java.util.Arrays.copyOf(zeroPath, zeroPath.length - 1), 0, zeroPath.length - 1);
    }

    private static void assertMalformed(final byte[] bytes, final int offset, final int length)
    {
        assertThrows(ManifestException.class, () -> Manifest.decode(bytes, offset, length, Manifest.Limits.DEFAULT));
    }

    @Test
    void shouldScanSparseFileOverFourGibibytes(@TempDir final Path dir) throws IOException
    {
        final Path sparse = dir.resolve("sparse.img");
        try (RandomAccessFile file = new RandomAccessFile(sparse.toFile(), "rw"))
        {
            file.setLength(5L << 30);
            file.seek((5L << 30) - 4);
            file.write(new byte[] {1, 2, 3, 4});
        }
        final Manifest manifest = Manifest.scan(List.of(sparse));
        assertEquals(5L << 30, manifest.entry(0).size());
        assertEquals(5L << 30, manifest.totalBytes());
        assertEquals(5 * 1024, manifest.chunkCount(0, 1 << 20));
        assertEquals(((5L << 30) / 1000) + 1, manifest.chunkCount(0, 1000));
        final byte[] bytes = manifest.encode();
        assertEquals(5L << 30, Manifest.decode(bytes, 0, bytes.length, Manifest.Limits.DEFAULT).entry(0).size());
    }
}
