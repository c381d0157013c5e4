package dev.hayate.core.stat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CountersTest
{
    @TempDir
    Path dir;

    @Test
    void shouldLetAnotherReaderSeeTheCountersOfAStatFile()
    {
        final Path file = dir.resolve("hayate-1.stat");
        final Counters counters = Counters.mapped(file);
        counters.increment(Stat.FRAMES_OUT);
        counters.counter(Stat.BYTES_OUT).getAndAdd(70);
        counters.increment(Stat.REFUSED);

        final StatReader.Snapshot snapshot = StatReader.read(file);
        assertEquals(ProcessHandle.current().pid(), snapshot.pid());
        assertTrue(snapshot.alive());
        assertEquals(1, snapshot.get(Stat.FRAMES_OUT));
        assertEquals(70, snapshot.get(Stat.BYTES_OUT));
        assertEquals(1, snapshot.get(Stat.REFUSED));
        assertEquals(0, snapshot.get(Stat.FRAMES_IN));
        assertEquals(Stat.values().length, snapshot.values().size(), "every counter listed, zero or not");

        counters.increment(Stat.FRAMES_OUT);
        assertEquals(2, StatReader.read(file).get(Stat.FRAMES_OUT), "a new snapshot sees new counts");
        counters.close();
        assertFalse(Files.exists(file), "a clean close deletes the stat file");
    }

    @Test
    void shouldListOnlyStatFilesAndSkipOnesThatAreNotWhole() throws Exception
    {
        final Counters a = Counters.mapped(dir.resolve("hayate-10.stat"));
        final Counters b = Counters.mapped(dir.resolve("hayate-11.stat"));
        Files.write(dir.resolve("hayate-12.stat"), new byte[16]);
        Files.write(dir.resolve("hayate-13.stat"), new byte[4096]);
        Files.write(dir.resolve("other.txt"), new byte[4096]);
        a.increment(Stat.CONNECTIONS_OPENED);
        b.increment(Stat.HANDSHAKE_FAILURES);

        final List<StatReader.Snapshot> snapshots = StatReader.list(dir);
        assertEquals(2, snapshots.size());
        assertEquals(1, snapshots.get(0).get(Stat.CONNECTIONS_OPENED));
        assertEquals(1, snapshots.get(1).get(Stat.HANDSHAKE_FAILURES));
        assertNull(StatReader.read(dir.resolve("hayate-13.stat")), "no magic: not a stat file");
        a.close();
        b.close();
    }

    @Test
    void shouldShareOneStatFilePerDirectoryInAProcess()
    {
        final Counters first = Counters.forDirectory(dir);
        assertSame(first, Counters.forDirectory(dir.resolve(".")));
        assertEquals(dir.resolve("hayate-" + ProcessHandle.current().pid() + ".stat"), first.file());
        assertTrue(Files.exists(first.file()));
        first.close();
        assertFalse(Files.exists(first.file()));
    }

    @Test
    void shouldCountInMemoryWithNoFile()
    {
        final Counters counters = Counters.inMemory();
        counters.increment(Stat.PROTOCOL_ERRORS);
        assertNull(counters.file());
        assertEquals(1, counters.get(Stat.PROTOCOL_ERRORS));
        assertEquals(1L, StatReader.values(counters.reader()).get(Stat.PROTOCOL_ERRORS.label()));
        assertSame(Stat.PROTOCOL_ERRORS, Stat.ofTypeId(Stat.PROTOCOL_ERRORS.typeId()));
        assertNull(Stat.ofTypeId(7));
    }

    @Test
    void shouldCountEachConnectionOnItsOwnAndFoldItIntoTheTotalsOnClose()
    {
        final Path file = dir.resolve("hayate-2.stat");
        final Counters counters = Counters.mapped(file, 64);
        final ConnectionCounters a = counters.newConnection("a");
        final ConnectionCounters b = counters.newConnection("b");
        assertTrue(a.isExclusive() && b.isExclusive());
        a.onFrameOut(100);
        a.onFrameOut(50);
        b.onFrameIn(30);
        assertEquals(2, StatReader.liveConnections(counters.reader()));
        final StatReader.Snapshot live = StatReader.read(file);
        assertEquals(2, live.get(Stat.FRAMES_OUT));
        assertEquals(150, live.get(Stat.BYTES_OUT));
        assertEquals(1, live.get(Stat.FRAMES_IN));
        assertEquals(30, live.get(Stat.BYTES_IN));
        assertEquals(Stat.values().length, live.values().size(), "a connection's counters add to its stat's line");

        a.close();
        assertEquals(1, StatReader.liveConnections(counters.reader()));
        assertEquals(2, counters.get(Stat.FRAMES_OUT), "folded into the total, counted once");
        assertEquals(150, counters.counter(Stat.BYTES_OUT).get());
        b.close();
        assertEquals(30, StatReader.read(file).get(Stat.BYTES_IN));
        counters.close();
    }

    @Test
    void shouldCountABatchAsThatManyFrames()
    {
        final Counters counters = Counters.inMemory();
        final ConnectionCounters own = counters.newConnection("own");
        assertTrue(own.isExclusive());
        own.onFramesOut(3, 210);
        own.onFrameOut(70);
        own.onFramesIn(2, 140);
        assertEquals(4, counters.get(Stat.FRAMES_OUT));
        assertEquals(280, counters.get(Stat.BYTES_OUT));
        assertEquals(2, counters.get(Stat.FRAMES_IN));
        assertEquals(140, counters.get(Stat.BYTES_IN));
        own.close();
        assertEquals(4, counters.counter(Stat.FRAMES_OUT).get(), "folded into the total");

        final Counters small = Counters.inMemory(Stat.values().length + 3);
        final ConnectionCounters shared = small.newConnection("no room");
        assertFalse(shared.isExclusive());
        shared.onFramesOut(5, 350);
        shared.onFramesIn(6, 420);
        assertEquals(5, small.get(Stat.FRAMES_OUT));
        assertEquals(350, small.get(Stat.BYTES_OUT));
        assertEquals(6, small.get(Stat.FRAMES_IN));
        assertEquals(420, small.get(Stat.BYTES_IN));
    }

    @Test
    void shouldCountIntoTheTotalsWhenNoRoomIsLeftForAConnection()
    {
        final Counters counters = Counters.inMemory(Stat.values().length + 3);
        final ConnectionCounters full = counters.newConnection("no room");
        assertFalse(full.isExclusive());
        assertEquals(0, StatReader.liveConnections(counters.reader()), "a half-made set is freed again");
        full.onFrameOut(10);
        full.onFrameIn(20);
        full.close();
        assertEquals(1, counters.get(Stat.FRAMES_OUT));
        assertEquals(10, counters.get(Stat.BYTES_OUT));
        assertEquals(1, counters.get(Stat.FRAMES_IN));
        assertEquals(20, counters.get(Stat.BYTES_IN));
    }
}
