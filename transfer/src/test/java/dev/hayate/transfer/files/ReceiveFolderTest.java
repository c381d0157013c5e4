package dev.hayate.transfer.files;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReceiveFolderTest
{
    private static final int CHUNK = 1000;
    private static final int DIGEST = 32;
    private static final long MTIME = 1_650_000_000_000L;
    private static final ChunkVerifier SHA256 = (chunk, digests, offset) ->
        Arrays.equals(sha256(chunk), 0, DIGEST, digests, offset, offset + DIGEST);

    @TempDir
    Path dir;

    private final ByteBuffer chunkBuffer = ByteBuffer.allocateDirect(CHUNK);

    static byte[] sha256(final ByteBuffer chunk)
    {
        try
        {
            final MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(chunk);
            return digest.digest();
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    private static byte[] content(final int length, final int seed)
    {
        final byte[] bytes = new byte[length];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private static ManifestEntry file(final String path, final long size)
    {
        return new ManifestEntry(path, ManifestEntry.Kind.FILE, size, 0640, MTIME);
    }

    private Path out() throws IOException
    {
        return Files.createDirectories(dir.resolve("out"));
    }

    /** Writes chunks [from, to) of {@code data} the way the engine does: one direct buffer, reused. */
    private void writeChunks(final IncomingFile file, final byte[] data, final long from, final long to)
        throws IOException
    {
        for (long c = from; c < to; c++)
        {
            final int start = (int)(c * CHUNK);
            final int length = Math.min(CHUNK, data.length - start);
            chunkBuffer.clear();
            chunkBuffer.put(data, start, length).flip();
            final byte[] digest = sha256(chunkBuffer.duplicate());
            file.write(chunkBuffer, digest, 0);
        }
    }

    private Path receiveWhole(final ReceiveFolder folder, final Plan plan, final int index, final byte[] data)
        throws IOException
    {
        try (IncomingFile file = folder.open(plan, index))
        {
            writeChunks(file, data, file.resumeChunks(), plan.manifest().chunkCount(index, CHUNK));
            return file.complete();
        }
    }

    private static List<String> listing(final Path folder) throws IOException
    {
        try (Stream<Path> walk = Files.walk(folder))
        {
            return walk.filter(p -> !p.equals(folder)).map(p -> folder.relativize(p).toString()).sorted()
                .collect(Collectors.toList());
        }
    }

    @Test
    void shouldReceiveTreeWithEmptyDirectoriesAndEmptyFile() throws IOException
    {
        final Path out = out();
        final byte[] big = content(2500, 1);
        final Manifest manifest = Manifest.of(List.of(
            new ManifestEntry("tree", ManifestEntry.Kind.DIRECTORY, 0, 0750, MTIME),
            new ManifestEntry("tree/empty", ManifestEntry.Kind.DIRECTORY, 0, 0555, MTIME),
            file("tree/big.bin", big.length),
            new ManifestEntry("tree/zero", ManifestEntry.Kind.FILE, 0, 0666, MTIME + 1),
            file("tree/\u65e5\u672c/deep.txt", 3)));
        final ReceiveFolder folder = new ReceiveFolder(out, OverwritePolicy.REFUSE, true, SHA256);
        final Plan plan = folder.plan(manifest, CHUNK, DIGEST);
        assertTrue(plan.conflicts().isEmpty());
        assertEquals(0, plan.resumedBytes());

        folder.createDirectories(plan);
        assertEquals(out.resolve("tree/big.bin"), receiveWhole(folder, plan, 2, big));
        receiveWhole(folder, plan, 3, new byte[0]);
        receiveWhole(folder, plan, 4, new byte[] {'a', 'b', 'c'});
        folder.finishDirectories(plan);

        assertEquals(List.of("tree", "tree/big.bin", "tree/empty", "tree/zero", "tree/\u65e5\u672c",
            "tree/\u65e5\u672c/deep.txt"), listing(out));
        assertArrayEquals(big, Files.readAllBytes(out.resolve("tree/big.bin")));
        assertEquals(0, Files.size(out.resolve("tree/zero")));
        assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(out.resolve("tree/big.bin"))));
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(out.resolve("tree/zero"))));
        assertEquals("rwxr-x---", PosixFilePermissions.toString(Files.getPosixFilePermissions(out.resolve("tree"))));
        assertEquals("rwxr-xr-x", PosixFilePermissions.toString(Files.getPosixFilePermissions(out.resolve("tree/empty"))));
        assertEquals(MTIME, Files.getLastModifiedTime(out.resolve("tree/big.bin")).toMillis());
        assertEquals(MTIME + 1, Files.getLastModifiedTime(out.resolve("tree/zero")).toMillis());
        assertEquals(MTIME, Files.getLastModifiedTime(out.resolve("tree")).toMillis());
    }

    @Test
    void shouldLeaveTheModeAndTimeOfADirectoryThatWasAlreadyThere() throws IOException
    {
        final Path out = out();
        final Path secret = Files.createDirectories(out.resolve(".ssh"));
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rwx------"));
        final long before = Files.getLastModifiedTime(secret).toMillis();
        final Manifest manifest = Manifest.of(List.of(
            new ManifestEntry(".ssh", ManifestEntry.Kind.DIRECTORY, 0, 0755, MTIME),
            new ManifestEntry(".ssh/new", ManifestEntry.Kind.DIRECTORY, 0, 0750, MTIME)));
        final ReceiveFolder folder = new ReceiveFolder(out, OverwritePolicy.REFUSE, false);
        final Plan plan = folder.plan(manifest, CHUNK, DIGEST);
        assertTrue(plan.conflicts().isEmpty(), "merging into an existing directory is not a conflict");

        folder.createDirectories(plan);
        folder.finishDirectories(plan);

        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(secret)));
        assertTrue(Files.getLastModifiedTime(secret).toMillis() >= before, "the sender's time was not applied");
        assertEquals("rwxr-x---", PosixFilePermissions.toString(Files.getPosixFilePermissions(secret.resolve("new"))));
        assertEquals(MTIME, Files.getLastModifiedTime(secret.resolve("new")).toMillis());
    }

    @Test
    void shouldKeepTargetAbsentUntilComplete() throws IOException
    {
        final Path out = out();
        final byte[] data = content(2100, 2);
        final ReceiveFolder folder = new ReceiveFolder(out, OverwritePolicy.REFUSE, false);
        final Plan plan = folder.plan(Manifest.of(List.of(file("a.bin", data.length))), CHUNK, DIGEST);
        try (IncomingFile file = folder.open(plan, 0))
        {
            writeChunks(file, data, 0, 2);
            final TransferIOException early = assertThrows(TransferIOException.class, file::complete);
            assertTrue(early.getMessage().contains("incomplete: 2 of 3"), early.getMessage());
        }
        assertFalse(Files.exists(out.resolve("a.bin")));
        assertTrue(Files.exists(out.resolve(".a.bin.hayate-part")));
        assertTrue(Files.exists(out.resolve(".a.bin.hayate-part.sums")));
        assertEquals("rw-------", PosixFilePermissions.toString(
            Files.getPosixFilePermissions(out.resolve(".a.bin.hayate-part"))));
    }

    @Test
    void shouldRefuseChunksThePeerDidNotAnnounce() throws IOException
    {
        final Path out = out();
        final ReceiveFolder folder = new ReceiveFolder(out, OverwritePolicy.REFUSE, false);
        final Plan plan = folder.plan(Manifest.of(List.of(file("a.bin", 1500))), CHUNK, DIGEST);
        try (IncomingFile file = folder.open(plan, 0))
        {
            final byte[] digest = new byte[DIGEST];
            final TransferIOException wrongLength = assertThrows(TransferIOException.class,
                () -> file.write(ByteBuffer.allocateDirect(999), digest, 0));
            assertTrue(wrongLength.getMessage().contains("1000 expected"), wrongLength.getMessage());
            file.write(ByteBuffer.allocateDirect(1000), digest, 0);
            assertThrows(TransferIOException.class, () -> file.write(ByteBuffer.allocateDirect(1000), digest, 0));
            file.write(ByteBuffer.allocateDirect(500), digest, 0);
            final TransferIOException tooMany = assertThrows(TransferIOException.class,
                () -> file.write(ByteBuffer.allocateDirect(1), digest, 0));
            assertTrue(tooMany.getMessage().contains("more data than"), tooMany.getMessage());
            file.abandon(false);
        }
        assertEquals(List.of(), listing(out));
    }

    @Test
    void shouldRefuseWholeOfferWhenATargetExistsAndLeaveItByteIdentical() throws IOException
    {
        final Path out = out();
        final byte[] old = content(3000, 3);
        Files.write(out.resolve("a.txt"), old);
        Files.createDirectories(out.resolve("d"));
        Files.writeString(out.resolve("d/b.txt"), "existing b");
        final ReceiveFolder folder = new ReceiveFolder(out, OverwritePolicy.REFUSE, false);
        final Plan plan = folder.plan(Manifest.of(List.of(file("a.txt", 10), file("c.txt", 10),
            new ManifestEntry("d", ManifestEntry.Kind.DIRECTORY, 0, 0755, MTIME), file("d/b.txt", 10))), CHUNK, DIGEST);

        assertTrue(plan.isRefused());
        assertEquals(List.of("a.txt: exists", "d/b.txt: exists"), plan.conflicts());
        final ConflictException ex = assertThrows(ConflictException.class, () -> folder.open(plan, 1));
        assertEquals(plan.conflicts(), ex.conflicts());
        assertTrue(ex.getMessage().contains("a.txt: exists") && ex.getMessage().contains("d/b.txt: exists"),
            ex.getMessage());
        assertThrows(ConflictException.class, () -> folder.createDirectories(plan));
        assertArrayEquals(old, Files.readAllBytes(out.resolve("a.txt")));
        assertEquals(List.of("a.txt", "d", "d/b.txt"), listing(out));
    }

    @Test
    void shouldNotRenameOntoANameTheOfferNeedsAsADirectory() throws IOException
    {
        final Path out = out();
        Files.writeString(out.resolve("x"), "old x");
        final ReceiveFolder folder = new ReceiveFolder(out, OverwritePolicy.RENAME, false);
        final Plan plan = folder.plan(Manifest.of(List.of(file("x", 1), file("x (1)/y", 1))), CHUNK, DIGEST);

        assertTrue(plan.conflicts().isEmpty(), plan.conflicts().toString());
        assertEquals("x (2)", plan.item(0).targetPath(), "x (1) is a folder of the offer");
        folder.createDirectories(plan);
        receiveWhole(folder, plan, 0, new byte[] {'0'});
        receiveWhole(folder, plan, 1, new byte[] {'1'});
        assertEquals(List.of("x", "x (1)", "x (1)/y", "x (2)"), listing(out));
    }

    @Test
    void shouldTreatAFolderNamedLikeAPartFileAsAConflict() throws IOException
    {
        final Path out = out();
        final ReceiveFolder folder = new ReceiveFolder(out, OverwritePolicy.REFUSE, false);
        final Plan plan = folder.plan(Manifest.of(List.of(file(".a.hayate-part/b", 1), file("a", 1),
            file("c/.D.HAYATE-PART", 1))), CHUNK, DIGEST);

        assertEquals(List.of(".a.hayate-part/b: name reserved for part files",
            "c/.D.HAYATE-PART: name reserved for part files"), plan.conflicts());
        assertThrows(ConflictException.class, () -> folder.createDirectories(plan));
        assertEquals(List.of(), listing(out));
    }

    @Test
    void shouldRenameConflictingFilesAndMergeDirectories() throws IOException
    {
        final Path out = out();
        Files.writeString(out.resolve("a.txt"), "old a");
        Files.writeString(out.resolve("a (1).txt"), "old a1");
        Files.writeString(out.resolve("README"), "old readme");
        Files.writeString(out.resolve(".bashrc"), "old rc");
        Files.writeString(out.resolve("b.txt"), "old b");
        Files.createDirectories(out.resolve("d"));
        Files.writeString(out.resolve("d/x.tar.gz"), "old x");
        final Manifest manifest = Manifest.of(List.of(file("a.txt", 1), file("README", 1), file(".bashrc", 1),
            file("b.txt", 1), file("b (1).txt", 1), new ManifestEntry("d", ManifestEntry.Kind.DIRECTORY, 0, 0755,
            MTIME), file("d/x.tar.gz", 1), file("d/new", 1)));
        final ReceiveFolder folder = new ReceiveFolder(out, OverwritePolicy.RENAME, false);
        final Plan plan = folder.plan(manifest, CHUNK, DIGEST);

        assertTrue(plan.conflicts().isEmpty(), plan.conflicts().toString());
        assertEquals("a (2).txt", plan.item(0).targetPath());
        assertEquals("README (1)", plan.item(1).targetPath());
        assertEquals(".bashrc (1)", plan.item(2).targetPath());
        assertEquals("b (2).txt", plan.item(3).targetPath(), "b (1).txt belongs to the offer itself");
        assertEquals("b (1).txt", plan.item(4).targetPath());
        assertFalse(plan.item(5).renamed());
        assertEquals("d/x (1).tar.gz", plan.item(6).targetPath());
        assertEquals("d/new", plan.item(7).targetPath());
        assertTrue(plan.item(0).renamed());

        folder.createDirectories(plan);
        for (final int index : new int[] {0, 1, 2, 3, 4, 6, 7})
        {
            receiveWhole(folder, plan, index, new byte[] {(byte)('0' + index)});
        }
        assertEquals("old a", Files.readString(out.resolve("a.txt")));
        assertEquals("old a1", Files.readString(out.resolve("a (1).txt")));
        assertEquals("0", Files.readString(out.resolve("a (2).txt")));
        assertEquals("1", Files.readString(out.resolve("README (1)")));
        assertEquals("3", Files.readString(out.resolve("b (2).txt")));
        assertEquals("4", Files.readString(out.resolve("b (1).txt")));
        assertEquals("6", Files.readString(out.resolve("d/x (1).tar.gz")));
        assertEquals("old x", Files.readString(out.resolve("d/x.tar.gz")));
    }

    @Test
    void shouldOverwriteOnlyAtCompleteAndKeepOldContentUntilThen() throws IOException
    {
        final Path out = out();
        final byte[] old = content(5000, 4);
        final byte[] fresh = content(2345, 5);
        Files.write(out.resolve("a.bin"), old);
        Files.createDirectories(out.resolve("dir-in-the-way"));
        final ReceiveFolder folder = new ReceiveFolder(out, OverwritePolicy.OVERWRITE, false);
        final Plan refused = folder.plan(Manifest.of(List.of(file("dir-in-the-way", 1))), CHUNK, DIGEST);
        assertEquals(List.of("dir-in-the-way: exists and is not a regular file"), refused.conflicts());

        final Plan plan = folder.plan(Manifest.of(List.of(file("a.bin", fresh.length))), CHUNK, DIGEST);
        assertTrue(plan.item(0).replaces());
        try (IncomingFile file = folder.open(plan, 0))
        {
            writeChunks(file, fresh, 0, 3);
            assertArrayEquals(old, Files.readAllBytes(out.resolve("a.bin")), "old content intact before complete");
            file.complete();
        }
        assertArrayEquals(fresh, Files.readAllBytes(out.resolve("a.bin")));
        assertEquals(List.of("a.bin", "dir-in-the-way"), listing(out));
    }

    @Test
    void shouldNotReplaceATargetThatAppearedWhileReceiving() throws IOException
    {
        final Path out = out();
        final ReceiveFolder folder = new ReceiveFolder(out, OverwritePolicy.REFUSE, false);
        final Plan plan = folder.plan(Manifest.of(List.of(file("a.txt", 3))), CHUNK, DIGEST);
        try (IncomingFile file = folder.open(plan, 0))
        {
            writeChunks(file, new byte[] {1, 2, 3}, 0, 1);
            Files.writeString(out.resolve("a.txt"), "someone else's");
            final TransferIOException ex = assertThrows(TransferIOException.class, file::complete);
            assertTrue(ex.getMessage().contains("appeared"), ex.getMessage());
        }
        assertEquals("someone else's", Files.readString(out.resolve("a.txt")));
    }

    @Test
    void shouldNotFollowSymlinkInsideOutputFolder() throws IOException
    {
        final Path out = out();
        final Path outside = Files.createDirectories(dir.resolve("outside"));
        final Path victim = Files.writeString(outside.resolve("victim.txt"), "precious");
        Files.createSymbolicLink(out.resolve("link"), outside);
        Files.createSymbolicLink(out.resolve("victim.txt"), victim);

        for (final OverwritePolicy policy : OverwritePolicy.values())
        {
            final ReceiveFolder folder = new ReceiveFolder(out, policy, false);
            final TransferIOException ex = assertThrows(TransferIOException.class,
                () -> folder.plan(Manifest.of(List.of(file("link/victim.txt", 3))), CHUNK, DIGEST));
            assertTrue(ex.getMessage().contains("symbolic link"), ex.getMessage());
            assertThrows(TransferIOException.class, () -> folder.plan(Manifest.of(List.of(
                new ManifestEntry("link/sub", ManifestEntry.Kind.DIRECTORY, 0, 0755, MTIME))), CHUNK, DIGEST));
        }
        assertEquals(List.of("victim.txt: exists"), new ReceiveFolder(out, OverwritePolicy.REFUSE, false)
            .plan(Manifest.of(List.of(file("victim.txt", 3))), CHUNK, DIGEST).conflicts());
        assertEquals(List.of("victim.txt: exists and is not a regular file"), new ReceiveFolder(out,
            OverwritePolicy.OVERWRITE, false).plan(Manifest.of(List.of(file("victim.txt", 3))), CHUNK, DIGEST)
            .conflicts());
        final ReceiveFolder renaming = new ReceiveFolder(out, OverwritePolicy.RENAME, false);
        final Plan renamed = renaming.plan(Manifest.of(List.of(file("victim.txt", 3))), CHUNK, DIGEST);
        receiveWhole(renaming, renamed, 0, new byte[] {'n', 'e', 'w'});
        assertEquals("new", Files.readString(out.resolve("victim (1).txt")));

        // A link planted after the plan, before the file is opened, is caught too.
        final ReceiveFolder folder = new ReceiveFolder(out, OverwritePolicy.REFUSE, false);
        final Plan plan = folder.plan(Manifest.of(List.of(file("later/x.txt", 3))), CHUNK, DIGEST);
        Files.createSymbolicLink(out.resolve("later"), outside);
        assertThrows(TransferIOException.class, () -> folder.open(plan, 0));

        assertEquals("precious", Files.readString(victim));
        assertEquals(List.of("victim.txt"), listing(outside));
    }

    @Test
    void shouldReplaceASymlinkPlantedAtThePartFileWithoutFollowingIt() throws IOException
    {
        final Path out = out();
        final Path victim = Files.writeString(dir.resolve("victim.txt"), "precious");
        Files.createSymbolicLink(out.resolve(".a.txt.hayate-part"), victim);
        Files.createSymbolicLink(out.resolve(".a.txt.hayate-part.sums"), victim);
        final ReceiveFolder folder = new ReceiveFolder(out, OverwritePolicy.REFUSE, true, SHA256);
        final Plan plan = folder.plan(Manifest.of(List.of(file("a.txt", 3))), CHUNK, DIGEST);
        assertEquals(0, plan.resumeChunks(0));
        receiveWhole(folder, plan, 0, new byte[] {'n', 'e', 'w'});
        assertEquals("new", Files.readString(out.resolve("a.txt")));
        assertEquals("precious", Files.readString(victim));
        assertEquals(List.of("a.txt"), listing(out));
    }

    @Test
    void shouldListAFileInTheWayOfADirectoryAsAConflict() throws IOException
    {
        final Path out = out();
        Files.writeString(out.resolve("x"), "a file");
        for (final OverwritePolicy policy : OverwritePolicy.values())
        {
            final Plan plan = new ReceiveFolder(out, policy, false).plan(Manifest.of(List.of(file("x/y.txt", 1),
                new ManifestEntry("x", ManifestEntry.Kind.DIRECTORY, 0, 0755, MTIME))), CHUNK, DIGEST);
            assertEquals(List.of("x/y.txt: x exists and is not a directory", "x: exists and is not a directory"),
                plan.conflicts(), policy.name());
        }
        assertEquals("a file", Files.readString(out.resolve("x")));
    }

    @Test
    void shouldReceiveAFileWhoseNameIsTooLongForADottedPartName() throws IOException
    {
        final Path out = out();
        final String name = "n".repeat(250) + ".txt";
        final ReceiveFolder folder = new ReceiveFolder(out, OverwritePolicy.REFUSE, true, SHA256);
        final Manifest manifest = Manifest.of(List.of(file(name, 1500)));
        final byte[] data = content(1500, 13);
        try (IncomingFile file = folder.open(folder.plan(manifest, CHUNK, DIGEST), 0))
        {
            assertTrue(file.partFile().getFileName().toString().startsWith(".hayate-part-"));
            writeChunks(file, data, 0, 1);
        }
        final Plan plan = folder.plan(manifest, CHUNK, DIGEST);
        assertEquals(1, plan.resumeChunks(0));
        receiveWhole(folder, plan, 0, data);
        assertArrayEquals(data, Files.readAllBytes(out.resolve(name)));
        assertEquals(List.of(name), listing(out));
    }

    @Test
    void shouldRefuseEntriesNamedLikePartFiles() throws IOException
    {
        final ReceiveFolder folder = new ReceiveFolder(out(), OverwritePolicy.OVERWRITE, false);
        final Plan plan = folder.plan(Manifest.of(List.of(file("a.txt", 1), file(".a.txt.hayate-part", 1),
            file(".a.txt.hayate-part.sums", 1), file(".hayate-part-1234-abcd", 1))), CHUNK, DIGEST);
        assertEquals(3, plan.conflicts().size(), plan.conflicts().toString());
    }

    @Test
    void shouldResumeFromChunkThreeAfterAnInterruption() throws IOException
    {
        final Path out = out();
        final byte[] data = content(5500, 6);
        final Manifest manifest = Manifest.of(List.of(file("sub/a.bin", data.length)));
        final ReceiveFolder folder = new ReceiveFolder(out, OverwritePolicy.REFUSE, true, SHA256);
        final Plan first = folder.plan(manifest, CHUNK, DIGEST);
        final IncomingFile interrupted = folder.open(first, 0);
        writeChunks(interrupted, data, 0, 3);
        interrupted.close();

        final Plan second = folder.plan(manifest, CHUNK, DIGEST);
        assertEquals(3, second.resumeChunks(0));
        assertEquals(3000, second.resumeOffset(0));
        assertEquals(3000, second.resumedBytes());
        try (IncomingFile file = folder.open(second, 0))
        {
            assertEquals(3, file.resumeChunks());
            assertEquals(3000, file.resumeOffset());
            assertEquals(3 * DIGEST, file.storedDigests().length);
            for (int c = 0; c < 3; c++)
            {
                assertArrayEquals(sha256(ByteBuffer.wrap(data, c * CHUNK, CHUNK)),
                    Arrays.copyOfRange(file.storedDigests(), c * DIGEST, (c + 1) * DIGEST));
            }
            writeChunks(file, data, 3, 6);
            file.complete();
        }
        assertArrayEquals(data, Files.readAllBytes(out.resolve("sub/a.bin")));
        assertEquals(List.of("sub", "sub/a.bin"), listing(out));
    }

    @Test
    void shouldResumeFromTheShorterOfSidecarAndPartFile() throws IOException
    {
        final Path out = out();
        final byte[] data = content(5500, 7);
        final Manifest manifest = Manifest.of(List.of(file("a.bin", data.length)));
        final ReceiveFolder folder = new ReceiveFolder(out, OverwritePolicy.REFUSE, true, SHA256);
        final Path part = out.resolve(".a.bin.hayate-part");
        final Path sums = out.resolve(".a.bin.hayate-part.sums");
        try (IncomingFile file = folder.open(folder.plan(manifest, CHUNK, DIGEST), 0))
        {
            writeChunks(file, data, 0, 4);
        }

        // Sidecar longer than the part file (the part lost its tail): 2 whole chunks remain.
        truncate(part, 2500);
        assertEquals(2, folder.plan(manifest, CHUNK, DIGEST).resumeChunks(0));

        // Part file longer than the sidecar (digest 2 half written), with garbage beyond: 1 chunk.
        try (FileChannel channel = FileChannel.open(part, StandardOpenOption.WRITE))
        {
            channel.write(ByteBuffer.wrap(content(3000, 99)), 2500);
        }
        truncate(sums, ReceiveFolder.SUMS_HEADER_LENGTH + DIGEST + DIGEST / 2);
        final Plan plan = folder.plan(manifest, CHUNK, DIGEST);
        assertEquals(1, plan.resumeChunks(0));
        try (IncomingFile file = folder.open(plan, 0))
        {
            assertEquals(1000, Files.size(part), "the part file is truncated to the resume point");
            assertEquals(DIGEST, file.storedDigests().length);
            writeChunks(file, data, 1, 6);
            file.complete();
        }
        assertArrayEquals(data, Files.readAllBytes(out.resolve("a.bin")));
    }

    @Test
    void shouldResumeAFileWhoseChunksWereAllWrittenButNotCompleted() throws IOException
    {
        final Path out = out();
        final byte[] data = content(2500, 8);
        final Manifest manifest = Manifest.of(List.of(file("a.bin", data.length)));
        final ReceiveFolder folder = new ReceiveFolder(out, OverwritePolicy.REFUSE, true, SHA256);
        try (IncomingFile file = folder.open(folder.plan(manifest, CHUNK, DIGEST), 0))
        {
            writeChunks(file, data, 0, 3);
        }
        final Plan plan = folder.plan(manifest, CHUNK, DIGEST);
        assertEquals(3, plan.resumeChunks(0));
        assertEquals(2500, plan.resumeOffset(0));
        assertEquals(out.resolve("a.bin"), receiveWhole(folder, plan, 0, data));
        assertArrayEquals(data, Files.readAllBytes(out.resolve("a.bin")));
    }

    @Test
    void shouldNotResumeThePartFileOfAChangedSourceEntry() throws IOException
    {
        final Path out = out();
        final byte[] data = content(5500, 9);
        final ReceiveFolder folder = new ReceiveFolder(out, OverwritePolicy.REFUSE, true, SHA256);
        try (IncomingFile file = folder.open(folder.plan(Manifest.of(List.of(file("a.bin", data.length))), CHUNK,
            DIGEST), 0))
        {
            writeChunks(file, data, 0, 3);
        }
        final Manifest otherSize = Manifest.of(List.of(file("a.bin", data.length + 1)));
        final Manifest otherTime = Manifest.of(List.of(new ManifestEntry("a.bin", ManifestEntry.Kind.FILE,
            data.length, 0640, MTIME + 1)));
        assertEquals(0, folder.plan(otherSize, CHUNK, DIGEST).resumeChunks(0));
        assertEquals(0, folder.plan(otherTime, CHUNK, DIGEST).resumeChunks(0));
        assertEquals(0, folder.plan(Manifest.of(List.of(file("a.bin", data.length))), CHUNK * 2, DIGEST)
            .resumeChunks(0), "other chunk size");
        assertEquals(0, folder.plan(Manifest.of(List.of(file("a.bin", data.length))), CHUNK, 7, DIGEST)
            .resumeChunks(0), "other digest algorithm");
        assertEquals(0, new ReceiveFolder(out, OverwritePolicy.REFUSE, false, SHA256)
            .plan(Manifest.of(List.of(file("a.bin", data.length))), CHUNK, DIGEST).resumeChunks(0), "resume off");
        assertEquals(0, new ReceiveFolder(out, OverwritePolicy.REFUSE, true)
            .plan(Manifest.of(List.of(file("a.bin", data.length))), CHUNK, DIGEST).resumeChunks(0), "no verifier");

        final byte[] other = content(data.length + 1, 10);
        final Plan plan = folder.plan(otherSize, CHUNK, DIGEST);
        receiveWhole(folder, plan, 0, other);
        assertArrayEquals(other, Files.readAllBytes(out.resolve("a.bin")));
        assertEquals(List.of("a.bin"), listing(out));
    }

    @Test
    void shouldStartOverWhenTheLastStoredChunkIsCorrupted() throws IOException
    {
        final Path out = out();
        final byte[] data = content(5500, 11);
        final Manifest manifest = Manifest.of(List.of(file("a.bin", data.length)));
        final ReceiveFolder folder = new ReceiveFolder(out, OverwritePolicy.REFUSE, true, SHA256);
        try (IncomingFile file = folder.open(folder.plan(manifest, CHUNK, DIGEST), 0))
        {
            writeChunks(file, data, 0, 3);
        }
        try (FileChannel channel = FileChannel.open(out.resolve(".a.bin.hayate-part"), StandardOpenOption.WRITE))
        {
            channel.write(ByteBuffer.wrap(new byte[] {(byte)~data[2500]}), 2500);
        }
        final int[] verified = new int[1];
        final ReceiveFolder counting = new ReceiveFolder(out, OverwritePolicy.REFUSE, true, (chunk, digests, offset) ->
        {
            verified[0]++;
            return SHA256.matches(chunk, digests, offset);
        });
        final Plan plan = counting.plan(manifest, CHUNK, DIGEST);
        assertEquals(0, plan.resumeChunks(0));
        assertEquals(1, verified[0], "only the last stored chunk is read back");
        receiveWhole(counting, plan, 0, data);
        assertArrayEquals(data, Files.readAllBytes(out.resolve("a.bin")));
    }

    @Test
    void shouldDeletePartFilesWhenAbandonedWithoutResume() throws IOException
    {
        final Path out = out();
        final ReceiveFolder folder = new ReceiveFolder(out, OverwritePolicy.REFUSE, true, SHA256);
        final Plan plan = folder.plan(Manifest.of(List.of(file("a.bin", 2000))), CHUNK, DIGEST);
        final IncomingFile file = folder.open(plan, 0);
        writeChunks(file, content(2000, 12), 0, 1);
        file.abandon(false);
        assertThrows(IllegalStateException.class, file::complete);
        assertEquals(List.of(), listing(out));
    }

    @Test
    void shouldNameFileAndCauseInUserTerms()
    {
        final TransferIOException full = TransferIOException.of("photos/a.jpg", "cannot write",
            new IOException("No space left on device"));
        assertEquals("photos/a.jpg: cannot write: disk full (No space left on device)", full.getMessage());
        assertEquals("photos/a.jpg", full.file());
        assertEquals("x: cannot open the part file: permission denied", TransferIOException.of("x",
            "cannot open the part file", new java.nio.file.AccessDeniedException("/somewhere")).getMessage());
        assertEquals("x: cannot create directory: not a directory", TransferIOException.of("x",
            "cannot create directory", new FileSystemException("/a", null, "Not a directory")).getMessage());
        assertEquals("evil\\x1B[2J: gone", new TransferIOException("evil\u001b[2J", "gone").getMessage());
    }

    private static void truncate(final Path path, final long length) throws IOException
    {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.WRITE))
        {
            channel.truncate(length);
        }
    }
}
