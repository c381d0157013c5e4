package dev.hayate.core.stat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.CountersReader;

/**
 * Reads the stat files of running Hayate processes ({@link Counters}) from any process: lists them in a
 * directory and takes a snapshot of each one's counters.
 *
 * <pre>{@code
 * for (StatReader.Snapshot s : StatReader.list(StatReader.defaultDirectory()))
 * {
 *     System.out.println(s.pid() + " " + s.values());   // {frames in=12, frames out=12, ...}
 * }
 * }</pre>
 *
 * <p>Thread-safety: stateless; snapshots are immutable.
 */
public final class StatReader
{
    /**
     * The counters of one process at one moment.
     *
     * @param file         the stat file.
     * @param pid          of the process that writes it.
     * @param startEpochMs when that process made it.
     * @param alive        true if a process with that pid is running now (false: a crashed process left it).
     * @param values       every counter by label, in the order of {@link Stat} (unknown counters after).
     */
    public record Snapshot(Path file, long pid, long startEpochMs, boolean alive, Map<String, Long> values)
    {
        /**
         * @param stat which.
         * @return its value, or 0 if the file has no such counter.
         */
        public long get(final Stat stat)
        {
            return values.getOrDefault(stat.label(), 0L);
        }
    }

    private StatReader()
    {
    }

    /**
     * @return where processes put their stat files unless their {@code Context} says otherwise:
     * {@code java.io.tmpdir}.
     */
    public static Path defaultDirectory()
    {
        return Path.of(System.getProperty("java.io.tmpdir"));
    }

    /**
     * @param directory to look in.
     * @return a snapshot of every readable stat file in it ({@code hayate-*.stat}), by file name.
     * @throws UncheckedIOException if the directory cannot be listed.
     */
    public static List<Snapshot> list(final Path directory)
    {
        final List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(directory,
            Counters.FILE_PREFIX + "*" + Counters.FILE_SUFFIX))
        {
            stream.forEach(files::add);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot list " + directory, ex);
        }
        Collections.sort(files);
        final List<Snapshot> snapshots = new ArrayList<>();
        for (final Path file : files)
        {
            final Snapshot snapshot = read(file);
            if (snapshot != null)
            {
                snapshots.add(snapshot);
            }
        }
        return snapshots;
    }

    /**
     * @param file a stat file.
     * @return its counters now, or {@code null} if it is not (yet) a whole stat file or vanished meanwhile.
     */
    public static Snapshot read(final Path file)
    {
        final MappedByteBuffer mapped;
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ))
        {
            if (channel.size() < Counters.HEADER_LENGTH)
            {
                return null;
            }
            mapped = channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size());
        }
        catch (final IOException ex)
        {
            return null;
        }
        final UnsafeBuffer buffer = new UnsafeBuffer(mapped);
        if (buffer.getIntVolatile(0) != Counters.MAGIC || buffer.getInt(4) != Counters.VERSION)
        {
            return null;
        }
        final int metadataLength = buffer.getInt(Counters.METADATA_LENGTH_OFFSET);
        final int valuesLength = buffer.getInt(Counters.VALUES_LENGTH_OFFSET);
        if (metadataLength <= 0 || valuesLength <= 0 || metadataLength % CountersReader.METADATA_LENGTH != 0 ||
            valuesLength % CountersReader.COUNTER_LENGTH != 0 ||
            (long)Counters.HEADER_LENGTH + metadataLength + valuesLength > buffer.capacity())
        {
            return null;
        }
        final long pid = buffer.getLong(Counters.PID_OFFSET);
        final CountersReader reader = new CountersReader(
            new UnsafeBuffer(buffer, Counters.HEADER_LENGTH, metadataLength),
            new UnsafeBuffer(buffer, Counters.HEADER_LENGTH + metadataLength, valuesLength));
        return new Snapshot(file, pid, buffer.getLong(Counters.START_OFFSET),
            ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), values(reader));
    }

    /**
     * @param reader over counters (of this process: {@link Counters#reader()}, or of a file).
     * @return every {@link Stat} by label, in the enum's order, summed over the total and the live
     * connections that count on their own; then any other counter by its own label.
     */
    public static Map<String, Long> values(final CountersReader reader)
    {
        final Map<String, Long> values = new LinkedHashMap<>();
        for (final Stat stat : Stat.values())
        {
            values.put(stat.label(), 0L);
        }
        reader.forEach((counterId, typeId, keyBuffer, label) ->
        {
            final Stat stat = Stat.ofTypeId(typeId);
            values.merge(stat != null ? stat.label() : label, reader.getCounterValue(counterId), Long::sum);
        });
        return Collections.unmodifiableMap(values);
    }

    /**
     * @param reader over counters.
     * @param stat   which.
     * @return its total with the live connections that count on their own.
     */
    public static long sum(final CountersReader reader, final Stat stat)
    {
        final long[] sum = new long[1];
        final int typeId = stat.typeId();
        reader.forEach((counterId, type, keyBuffer, label) ->
        {
            if (type == typeId)
            {
                sum[0] += reader.getCounterValue(counterId);
            }
        });
        return sum[0];
    }

    /**
     * @param reader over counters.
     * @return how many connections count on their own now (those with a "frames in" counter of their own).
     */
    public static int liveConnections(final CountersReader reader)
    {
        final int[] count = new int[1];
        final int typeId = Stat.FRAMES_IN.typeId();
        reader.forEach((counterId, type, keyBuffer, label) ->
        {
            if (type == typeId && !label.equals(Stat.FRAMES_IN.label()))
            {
                count[0]++;
            }
        });
        return count[0];
    }
}
