package dev.hayate.core.loop;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.agrona.concurrent.AgentTerminationException;
import org.agrona.concurrent.CachedNanoClock;
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
