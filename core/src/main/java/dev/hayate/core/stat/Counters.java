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
 *   128: agrona counters metadata (512 bytes a counter), then values (128 bytes a counter)
 * </pre>
 *
 * <p>The counters of one process live in one file, {@code hayate-<pid>.stat} in the directory a
 * {@code Context} names ({@link #forDirectory}); it is made when the first connection needs it and deleted
 * when the JVM exits normally. A file left behind by a process that crashed is recognised by its pid.
 *
 * <p>Thread-safety: every method may be called from any thread. The counters are updated with atomic adds
 * (one uncontended {@code lock xadd} each, no allocation), so many connections on many threads count into
 * them without loss.
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
    // Room for Hayate's counters and as many again for later ones, rounded to a power of two.
    static final int MAX_COUNTERS = 32;
    static final int METADATA_LENGTH = MAX_COUNTERS * CountersReader.METADATA_LENGTH;
    static final int VALUES_LENGTH = MAX_COUNTERS * CountersReader.COUNTER_LENGTH;
    static final int FILE_LENGTH = HEADER_LENGTH + METADATA_LENGTH + VALUES_LENGTH;

    private static final Map<Path, Counters> PER_DIRECTORY = new ConcurrentHashMap<>();

    private final Path file;
    private final MappedByteBuffer mapped;
    private final CountersManager manager;
    private final EnumMap<Stat, AtomicCounter> counters = new EnumMap<>(Stat.class);

    private Counters(final Path file, final MappedByteBuffer mapped, final AtomicBuffer header)
    {
        this.file = file;
        this.mapped = mapped;
        this.manager = new CountersManager(
            new UnsafeBuffer(header, HEADER_LENGTH, METADATA_LENGTH),
            new UnsafeBuffer(header, HEADER_LENGTH + METADATA_LENGTH, VALUES_LENGTH));
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
        final UnsafeBuffer buffer = new UnsafeBuffer(BufferUtil.allocateDirectAligned(FILE_LENGTH, 64));
        writeHeader(buffer);
        return new Counters(null, null, buffer);
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
        try
        {
            final MappedByteBuffer mapped;
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING))
            {
                mapped = channel.map(FileChannel.MapMode.READ_WRITE, 0, FILE_LENGTH);
            }
            final UnsafeBuffer buffer = new UnsafeBuffer(mapped);
            buffer.setMemory(0, FILE_LENGTH, (byte)0);
            // The header last, with release semantics: a reader that sees the magic sees a whole layout.
            final Counters counters = new Counters(file, mapped, buffer);
            writeHeader(buffer);
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

    private static void writeHeader(final AtomicBuffer buffer)
    {
        buffer.putInt(4, VERSION);
        buffer.putLong(PID_OFFSET, ProcessHandle.current().pid());
        buffer.putLong(START_OFFSET, System.currentTimeMillis());
        buffer.putInt(METADATA_LENGTH_OFFSET, METADATA_LENGTH);
        buffer.putInt(VALUES_LENGTH_OFFSET, VALUES_LENGTH);
        buffer.putIntRelease(0, MAGIC);
    }

    /**
     * @param stat which.
     * @return its counter; keep it in a final field on hot paths.
     */
    public AtomicCounter counter(final Stat stat)
    {
        return counters.get(stat);
    }

    /**
     * @param stat which.
     * @return its value now.
     */
    public long get(final Stat stat)
    {
        return counters.get(stat).get();
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
