package dev.hayate.core.stat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.agrona.BufferUtil;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.AtomicCounter;
import org.agrona.concurrent.status.ConcurrentCountersManager;
import org.agrona.concurrent.status.CountersManager;
import org.agrona.concurrent.status.CountersReader;

/**
 * The engine's counters ({@link Stat}) as agrona {@link AtomicCounter}s allocated by a
 * {@link CountersManager}: in memory, or in a memory-mapped "stat file" that another process reads with
 * {@link StatReader} while this one runs ({@code ./hayate stat}).
 *
 * <pre>
 *   stat file (little-endian)
 *   0        4         8          16              24           28          32       128
 *   +--------+---------+----------+---------------+------------+-----------+--------+
 *   | magic  | version | pid      | start, epoch  | metadata   | values    | unused |
 *   | "HYST" | 1       | (int64)  | ms (int64)    | length     | length    |        |
 *   +--------+---------+----------+---------------+------------+-----------+--------+
 *   128: agrona counters metadata (512 bytes a counter), then values (128 bytes a counter), room for
 *        DEFAULT_MAX_COUNTERS unless told otherwise: the totals, then four per live connection
 * </pre>
 *
 * <p>The counters of one process live in one file, {@code hayate-<pid>.stat} in the directory a
 * {@code Context} names ({@link #forDirectory}); it is made when the first connection needs it and deleted
 * when the JVM exits normally. A file left behind by a process that crashed is recognised by its pid.
 *
 * <p>Thread-safety: every method may be called from any thread. Process-wide events are counted with
 * atomic adds; the traffic of each connection with its own {@link ConnectionCounters}, single-writer
 * counters that need no atomic instruction and share no cache line; neither allocates.
 */
public final class Counters implements AutoCloseable
{
    /** File name prefix of a stat file. */
    public static final String FILE_PREFIX = "hayate-";
    /** File name suffix of a stat file. */
    public static final String FILE_SUFFIX = ".stat";

    static final int MAGIC = 0x54535948; // "HYST" read little-endian
    static final int VERSION = 1;
    static final int PID_OFFSET = 8;
    static final int START_OFFSET = 16;
    static final int METADATA_LENGTH_OFFSET = 24;
    static final int VALUES_LENGTH_OFFSET = 28;
    static final int HEADER_LENGTH = 128;
    /** Counters a stat file holds by default: the totals, and four for each of about 1,000 connections. */
    public static final int DEFAULT_MAX_COUNTERS = 4096;

    private static final Map<Path, Counters> PER_DIRECTORY = new ConcurrentHashMap<>();

    private final Path file;
    // Held so the mapping lives as long as these counters.
    private final MappedByteBuffer mapped;
    private final CountersManager manager;
    private final EnumMap<Stat, AtomicCounter> counters = new EnumMap<>(Stat.class);

    private Counters(final Path file, final MappedByteBuffer mapped, final AtomicBuffer whole, final int maxCounters)
    {
        this.file = file;
        this.mapped = mapped;
        final int metadataLength = metadataLength(maxCounters);
        this.manager = new ConcurrentCountersManager(
            new UnsafeBuffer(whole, HEADER_LENGTH, metadataLength),
            new UnsafeBuffer(whole, HEADER_LENGTH + metadataLength, valuesLength(maxCounters)));
        for (final Stat stat : Stat.values())
        {
            counters.put(stat, manager.newCounter(stat.label(), stat.typeId()));
        }
    }

    /**
     * @return counters in this process's memory only (tests, or no stat file wanted).
     */
    public static Counters inMemory()
    {
        return inMemory(256);
    }

    /**
     * @param maxCounters room: the totals ({@link Stat}) and four for each connection counted on its own.
     * @return counters in this process's memory only.
     */
    public static Counters inMemory(final int maxCounters)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(BufferUtil.allocateDirectAligned(fileLength(maxCounters), 64));
        final Counters counters = new Counters(null, null, buffer, maxCounters);
        writeHeader(buffer, maxCounters);
        return counters;
    }

    static int metadataLength(final int maxCounters)
    {
        return maxCounters * CountersReader.METADATA_LENGTH;
    }

    static int valuesLength(final int maxCounters)
    {
        return maxCounters * CountersReader.COUNTER_LENGTH;
    }

    static int fileLength(final int maxCounters)
    {
        if (maxCounters < Stat.values().length || maxCounters > 1 << 20)
        {
            throw new IllegalArgumentException("maxCounters " + maxCounters + " outside " + Stat.values().length +
                ".." + (1 << 20));
        }
        return HEADER_LENGTH + metadataLength(maxCounters) + valuesLength(maxCounters);
    }

    /**
     * Creates (or replaces) a stat file and maps it.
     *
     * @param file to create; its directory must exist.
     * @return counters another process can read from {@code file}.
     * @throws UncheckedIOException if the file cannot be made or mapped.
     */
    public static Counters mapped(final Path file)
    {
        return mapped(file, DEFAULT_MAX_COUNTERS);
    }

    /**
     * Creates (or replaces) a stat file and maps it.
     *
     * @param file        to create; its directory must exist.
     * @param maxCounters room: the totals ({@link Stat}) and four for each connection counted on its own.
     * @return counters another process can read from {@code file}.
     * @throws UncheckedIOException if the file cannot be made or mapped.
     */
    public static Counters mapped(final Path file, final int maxCounters)
    {
        final int length = fileLength(maxCounters);
        try
        {
            final MappedByteBuffer mapped;
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING))
            {
                // Truncated, then grown by the mapping: all zeros, and pages nobody touches take no memory.
                mapped = channel.map(FileChannel.MapMode.READ_WRITE, 0, length);
            }
            final UnsafeBuffer buffer = new UnsafeBuffer(mapped);
            // The header last, with release semantics: a reader that sees the magic sees a whole layout.
            final Counters counters = new Counters(file, mapped, buffer, maxCounters);
            writeHeader(buffer, maxCounters);
            return counters;
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot create stat file " + file, ex);
        }
    }

    /**
     * The process's counters in {@code directory}: made (with the file {@code hayate-<pid>.stat}) on the first
     * call for that directory, shared by every later call, and deleted when the JVM exits normally.
     *
     * @param directory where stat files live.
     * @return the process's counters there.
     */
    public static Counters forDirectory(final Path directory)
    {
        return PER_DIRECTORY.computeIfAbsent(directory.toAbsolutePath().normalize(), dir ->
        {
            final Counters counters = mapped(dir.resolve(FILE_PREFIX + ProcessHandle.current().pid() + FILE_SUFFIX));
            final Thread cleanup = new Thread(counters::close, "hayate-stat-cleanup");
            Runtime.getRuntime().addShutdownHook(cleanup);
            return counters;
        });
    }

    private static void writeHeader(final AtomicBuffer buffer, final int maxCounters)
    {
        buffer.putInt(4, VERSION);
        buffer.putLong(PID_OFFSET, ProcessHandle.current().pid());
        buffer.putLong(START_OFFSET, System.currentTimeMillis());
        buffer.putInt(METADATA_LENGTH_OFFSET, metadataLength(maxCounters));
        buffer.putInt(VALUES_LENGTH_OFFSET, valuesLength(maxCounters));
        buffer.putIntRelease(0, MAGIC);
    }

    /**
     * @param stat which.
     * @return its process-wide counter (for frames and bytes: of closed connections and of those that count
     * into the totals; {@link #get} adds the live ones).
     */
    public AtomicCounter counter(final Stat stat)
    {
        return counters.get(stat);
    }

    /**
     * @param stat which.
     * @return its value now: the total, with the counts of live connections that count on their own.
     */
    public long get(final Stat stat)
    {
        return StatReader.sum(manager, stat);
    }

    /**
     * Counters of one connection's traffic, labelled with its name; when this file is full, a handle that
     * counts into the totals instead.
     *
     * @param name of the connection, for the labels.
     * @return the connection's counters; close them when it no longer counts.
     */
    public ConnectionCounters newConnection(final String name)
    {
        final AtomicCounter[] own = new AtomicCounter[4];
        final Stat[] stats = {Stat.FRAMES_IN, Stat.FRAMES_OUT, Stat.BYTES_IN, Stat.BYTES_OUT};
        try
        {
            for (int i = 0; i < own.length; i++)
            {
                own[i] = manager.newCounter(stats[i].label() + ": " + name, stats[i].typeId());
            }
            return new ConnectionCounters(this, true, own[0], own[1], own[2], own[3]);
        }
        catch (final IllegalStateException full)
        {
            for (final AtomicCounter counter : own)
            {
                if (counter != null)
                {
                    counter.close();
                }
            }
            return new ConnectionCounters(this, false, counter(Stat.FRAMES_IN), counter(Stat.FRAMES_OUT),
                counter(Stat.BYTES_IN), counter(Stat.BYTES_OUT));
        }
    }

    /**
     * A counter of an application's own beside the engine's (a relay's sessions, say): {@link StatReader} lists
     * it by its label, so {@code ./hayate stat} prints it with the rest.
     *
     * @param label  what a reader prints; unique within the process.
     * @param typeId the application's agrona type id; must not be one of {@link Stat}'s.
     * @return the counter; close it when it no longer counts.
     * @throws IllegalArgumentException if the type id is one of the engine's.
     * @throws IllegalStateException    when the file is full.
     */
    public AtomicCounter newCounter(final String label, final int typeId)
    {
        if (Stat.ofTypeId(typeId) != null)
        {
            throw new IllegalArgumentException("type id " + typeId + " belongs to " + Stat.ofTypeId(typeId));
        }
        return manager.newCounter(label, typeId);
    }

    /**
     * @param stat which.
     */
    public void increment(final Stat stat)
    {
        counters.get(stat).increment();
    }

    /**
     * @return the stat file, or {@code null} for in-memory counters.
     */
    public Path file()
    {
        return file;
    }

    /**
     * @return a reader over these counters, as another process would see them.
     */
    public CountersReader reader()
    {
        return manager;
    }

    /**
     * Deletes the stat file, so readers no longer list it (in-memory counters: nothing). Counting after this
     * is harmless but unseen.
     */
    @Override
    public void close()
    {
        if (file != null)
        {
            PER_DIRECTORY.remove(file.getParent(), this);
            try
            {
                Files.deleteIfExists(file);
            }
            catch (final IOException ignore)
            {
                // A stat file left behind is recognised as stale by its pid.
            }
            // The mapping stays: threads still counting (at JVM exit, daemon threads) must not touch unmapped
            // memory; it goes with the buffer, or with the process.
        }
    }

    @Override
    public String toString()
    {
        return "Counters(" + (file == null ? "in memory" : file.toString()) + ')';
    }
}
