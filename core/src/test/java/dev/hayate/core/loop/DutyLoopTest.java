package dev.hayate.core.loop;

import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.hayate.core.transport.IoPoller;
import org.agrona.concurrent.AgentTerminationException;
import org.agrona.concurrent.CachedNanoClock;
import org.agrona.concurrent.IdleStrategy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class DutyLoopTest
{
    private final CachedNanoClock clock = new CachedNanoClock();
    private final List<Throwable> errors = new ArrayList<>();
    private DutyLoop loop;

    @AfterEach
    void tearDown()
    {
        if (loop != null)
        {
            loop.onClose();
        }
    }

    private DutyLoop loop() throws Exception
    {
        clock.update(TimeUnit.DAYS.toNanos(3));
        loop = new DutyLoop("test", clock, errors::add);
        return loop;
    }

    /**
     * A member that records what the loop tells it.
     */
    private static final class Recorder implements DutyLoop.Member
    {
        final AtomicInteger turns = new AtomicInteger();
        final AtomicInteger readable = new AtomicInteger();
        final List<Throwable> failures = new ArrayList<>();
        Throwable closedWith;
        boolean closed;
        RuntimeException throwOnTurn;

        @Override
        public void onWork()
        {
            turns.incrementAndGet();
            if (throwOnTurn != null)
            {
                throw throwOnTurn;
            }
        }

        @Override
        public void onReady(final int readyOps)
        {
            readable.incrementAndGet();
        }

        @Override
        public void onFailure(final Throwable cause)
        {
            failures.add(cause);
        }

        @Override
        public void onLoopClosed(final Throwable cause)
        {
            closed = true;
            closedWith = cause;
        }
    }

    @Test
    void shouldKeepOneWheelEntryPerTimerHoweverOftenItIsRearmed() throws Exception
    {
        final DutyLoop loop = loop();
        final Recorder owner = new Recorder();
        final AtomicInteger fired = new AtomicInteger();
        final DutyLoop.Timer timer = new DutyLoop.Timer(owner)
        {
            @Override
            protected void onExpiry(final long nowNanos)
            {
                fired.incrementAndGet();
            }
        };
        for (int i = 0; i < 100_000; i++)
        {
            loop.arm(timer, clock.nanoTime() + TimeUnit.SECONDS.toNanos(1) + i);
            assertEquals(1, loop.timerCount());
        }
        loop.disarm(timer);
        assertEquals(0, loop.timerCount());
        assertFalse(timer.isArmed());
        clock.advance(TimeUnit.SECONDS.toNanos(2));
        loop.doWork();
        assertEquals(0, fired.get(), "a disarmed timer never fires");
    }

    @Test
    void shouldFireAtTheDeadlineOfTheInjectedClockAndLeapIdleTicks() throws Exception
    {
        final DutyLoop loop = loop();
        final Recorder owner = new Recorder();
        final List<Long> firedAt = new ArrayList<>();
        final DutyLoop.Timer timer = new DutyLoop.Timer(owner)
        {
            @Override
            protected void onExpiry(final long nowNanos)
            {
                firedAt.add(nowNanos);
            }
        };
        final long deadline = clock.nanoTime() + TimeUnit.HOURS.toNanos(1);
        loop.arm(timer, deadline);
        loop.doWork();
        assertTrue(firedAt.isEmpty());
        assertEquals(TimeUnit.HOURS.toNanos(1), loop.nanosToNextTimer());
        clock.advance(loop.nanosToNextTimer() - 1);
        loop.doWork();
        assertTrue(firedAt.isEmpty(), "not a nanosecond early");
        clock.advance(1);
        loop.doWork();
        assertEquals(List.of(deadline), firedAt, "an hour of virtual time in one duty cycle");
        assertEquals(-1, loop.nanosToNextTimer());
    }

    @Test
    void shouldNotWaitAfterABusyCycleWhileWorkIsStillQueued() throws Exception
    {
        // With no spin the idle strategy parks after every cycle, busy or not; a park must then return at once
        // while tasks are left over (a cycle runs at most 1,024), or this test would hang in park(-1): no timer
        // is armed and nobody wakes the loop.
        final DutyLoop loop = loop();
        final IdleStrategy idle = loop.idleStrategy(0);
        final int tasks = 2_500;
        final AtomicInteger runs = new AtomicInteger();
        for (int i = 0; i < tasks; i++)
        {
            assertTrue(loop.execute(runs::incrementAndGet));
        }
        int cycles = 0;
        while (runs.get() < tasks && cycles++ < 100)
        {
            final int work = loop.doWork();
            if (runs.get() < tasks)
            {
                idle.idle(work); // after the last task a park would rightly wait: nothing is left to do
            }
        }
        assertEquals(tasks, runs.get());
        assertEquals(3, cycles, "bounded cycles, none lost to a wait");
    }

    @Test
    void shouldServeReadinessThatArrivesJustAfterAParkOnTheNextPoll() throws Exception
    {
        final DutyLoop loop = loop();
        final Recorder member = new Recorder();
        assertTrue(loop.join(member));
        final Pipe pipe = Pipe.open();
        try (Pipe.SourceChannel source = pipe.source(); Pipe.SinkChannel sink = pipe.sink())
        {
            source.configureBlocking(false);
            final IoPoller.Registration registration = loop.poller().registerChannel(source, IoPoller.READ, member);
            assertEquals(0, loop.park(0), "nothing to read yet");
            sink.write(ByteBuffer.wrap(new byte[] {1}));
            loop.doWork(); // right after a park: this cycle leaves readiness to the next poll
            int cycles = 0;
            while (member.readable.get() == 0 && cycles++ < 1_000)
            {
                loop.doWork();
            }
            assertEquals(1, member.readable.get(), "the byte written after the park is seen by the next poll");
            assertTrue(cycles <= 1, "within one more cycle, took " + cycles);
            registration.cancel();
        }
    }

    @Test
    void shouldRunQueuedWorkWithoutWaitingAndOtherwiseWaitForReadinessInOneCall() throws Exception
    {
        final DutyLoop loop = loop();
        final Recorder member = new Recorder();
        assertTrue(loop.join(member));
        final AtomicInteger runs = new AtomicInteger();
        loop.execute(runs::incrementAndGet);
        assertEquals(1, loop.doWorkOrPark(-1), "queued work is run, not waited on (-1 would wait forever)");
        assertEquals(1, runs.get());
        assertEquals(0, loop.doWorkOrPark(TimeUnit.MILLISECONDS.toNanos(1)), "nothing to do: a bounded wait");
        final Pipe pipe = Pipe.open();
        try (Pipe.SourceChannel source = pipe.source(); Pipe.SinkChannel sink = pipe.sink())
        {
            source.configureBlocking(false);
            final IoPoller.Registration registration = loop.poller().registerChannel(source, IoPoller.READ, member);
            sink.write(ByteBuffer.wrap(new byte[] {1}));
            assertEquals(1, loop.doWorkOrPark(-1), "the wait returns with the readiness and serves it");
            assertEquals(1, member.readable.get());
            registration.cancel();
        }
    }

    @Test
    void shouldContainAMemberThatThrowsAndServeTheOthers() throws Exception
    {
        final DutyLoop loop = loop();
        final Recorder faulty = new Recorder();
        faulty.throwOnTurn = new IllegalStateException("hook bug");
        final Recorder healthy = new Recorder();
        assertTrue(loop.join(faulty));
        assertTrue(loop.join(healthy));
        loop.schedule(faulty);
        loop.schedule(healthy);
        assertEquals(2, loop.doWork());
        assertSame(faulty.throwOnTurn, faulty.failures.get(0));
        assertEquals(1, healthy.turns.get());
        assertTrue(loop.isRunning());
        loop.schedule(healthy);
        loop.doWork();
        assertEquals(2, healthy.turns.get(), "the loop carries on");
    }

    @Test
    void shouldFailEveryMemberAtOnceAndRefuseWorkWhenItDies() throws Exception
    {
        final DutyLoop loop = loop();
        final Recorder member = new Recorder();
        loop.join(member);
        final Error bug = new AssertionError("a bug in the loop");
        loop.execute(() ->
        {
            throw bug;
        });
        final AgentTerminationException death = assertThrows(AgentTerminationException.class, loop::doWork);
        assertSame(bug, death.getCause());
        assertTrue(member.closed);
        assertSame(bug, member.closedWith);
        assertFalse(loop.isRunning());
        assertSame(bug, loop.deathCause());
        assertInstanceOf(IllegalStateException.class, errors.get(0), "reported once to the loop's error handler");
        assertFalse(loop.execute(() -> { }));
        assertFalse(loop.schedule(member));
        assertFalse(loop.join(new Recorder()));
        assertThrows(AgentTerminationException.class, loop::doWork);
    }

    @Test
    void shouldFailMembersWithoutACauseOnAnOrderlyClose() throws Exception
    {
        final DutyLoop loop = loop();
        final Recorder member = new Recorder();
        loop.join(member);
        loop.onClose();
        assertTrue(member.closed);
        assertNull(member.closedWith);
        assertFalse(loop.execute(() -> { }));
    }
}
