package dev.hayate.transfer.files;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SourceFileTest
{
    @TempDir
    Path dir;

    @Test
    void shouldReadSparseFileOverFourGibibytesAtLongOffsets() throws IOException
    {
        final long length = 5L << 30;
        final Path sparse = dir.resolve("sparse.img");
        try (RandomAccessFile file = new RandomAccessFile(sparse.toFile(), "rw"))
        {
            file.setLength(length);
            file.seek((4L << 30) + 7);
            file.write(new byte[] {9, 8, 7});
            file.seek(length - 5);
            file.write(new byte[] {1, 2, 3, 4, 5});
        }
        final Manifest manifest = Manifest.scan(List.of(sparse));
        final int chunkSize = 1 << 20;
        final long chunks = manifest.chunkCount(0, chunkSize);
        assertEquals(5 * 1024, chunks);
        final ByteBuffer buffer = ByteBuffer.allocateDirect(chunkSize);
        try (SourceFile source = SourceFile.open(manifest, 0))
        {
            assertEquals(chunkSize, source.readChunk(buffer, chunks - 1, chunkSize));
            buffer.flip();
            final byte[] tail = new byte[5];
            buffer.position(chunkSize - 5);
            buffer.get(tail);
            assertArrayEquals(new byte[] {1, 2, 3, 4, 5}, tail);

            buffer.clear();
            assertEquals(chunkSize, source.readChunk(buffer, 4 * 1024, chunkSize));
            assertEquals(9, buffer.get(7));
            assertEquals(7, buffer.get(9));

            buffer.clear().limit(16);
            assertEquals(3, source.read(buffer, length - 3), "never reads past the announced size");
            buffer.clear();
            assertEquals(0, source.read(buffer, length));
            assertDoesNotThrow(source::checkUnchanged);
        }

        // An odd chunk size makes a short last chunk at an offset beyond 2^32.
        try (SourceFile source = SourceFile.open(manifest, 0))
        {
            final int odd = 1_000_003;
            final long last = manifest.chunkCount(0, odd) - 1;
            final int expected = (int)(length - last * odd);
            buffer.clear();
            assertEquals(expected, source.readChunk(buffer, last, odd));
            assertEquals(5, buffer.get(expected - 1));
        }
    }

    @Test
    void shouldReportFileChangedWhenAppendedWhileSent() throws IOException
    {
        final Path file = Files.writeString(dir.resolve("log.txt"), "first line\n");
        Files.setLastModifiedTime(file, FileTime.fromMillis(1_600_000_000_000L));
        final Manifest manifest = Manifest.scan(List.of(file));
        try (SourceFile source = SourceFile.open(manifest, 0))
        {
            final ByteBuffer buffer = ByteBuffer.allocate(64);
            assertEquals(11, source.read(buffer, 0));
            Files.writeString(file, "second line\n", StandardOpenOption.APPEND);
            buffer.clear();
            assertEquals(11, source.read(buffer, 0), "a file that grew sends only what was announced");
            final FileChangedException ex = assertThrows(FileChangedException.class, source::checkUnchanged);
            assertTrue(ex.getMessage().startsWith("log.txt: changed while it was being sent"), ex.getMessage());
        }
    }

    @Test
    void shouldReportFileChangedWhenTouchedOrTruncated() throws IOException
    {
        final Path file = Files.write(dir.resolve("data.bin"), new byte[3000]);
        final Manifest manifest = Manifest.scan(List.of(file));
        try (SourceFile source = SourceFile.open(manifest, 0))
        {
            Files.setLastModifiedTime(file, FileTime.fromMillis(manifest.entry(0).mtimeMillis() + 2000));
            assertThrows(FileChangedException.class, source::checkUnchanged);
            Files.write(file, new byte[1500]);
            final ByteBuffer buffer = ByteBuffer.allocate(1000);
            assertEquals(1000, source.readChunk(buffer, 0, 1000));
            buffer.clear();
            final FileChangedException ex = assertThrows(FileChangedException.class,
                () -> source.readChunk(buffer, 1, 1000));
            assertTrue(ex.getMessage().contains("3000 were announced"), ex.getMessage());
        }
    }

    @Test
    void shouldRefuseToOpenASourceReplacedByASymlink() throws IOException
    {
        final Path file = Files.writeString(dir.resolve("a.txt"), "a");
        final Manifest manifest = Manifest.scan(List.of(file));
        Files.delete(file);
        Files.createSymbolicLink(file, Files.writeString(dir.resolve("secret"), "s"));
        final TransferIOException ex = assertThrows(TransferIOException.class, () -> SourceFile.open(manifest, 0));
        assertEquals("a.txt: cannot open: is a symbolic link (not followed)", ex.getMessage());
    }
}
