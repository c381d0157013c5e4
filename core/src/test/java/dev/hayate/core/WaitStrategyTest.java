package dev.hayate.core;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import org.agrona.concurrent.CachedNanoClock;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.SystemNanoClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WaitStrategyTest
{
    private static final long MAX_WAIT = TimeUnit.MILLISECONDS.toNanos(100);
    private static final Readiness NEVER_READY = (forWrite, timeoutNanos) ->
        LockSupport.parkNanos(Math.min(timeoutNanos, TimeUnit.MILLISECONDS.toNanos(1)));

    private static WaitStrategy[] all()
    {
        return new WaitStrategy[] {BusySpinWait.INSTANCE, YieldWait.INSTANCE, new BackoffWait(), KernelWait.INSTANCE,
            new IdleStrategyWait(new org.agrona.concurrent.BackoffIdleStrategy())};
    }

    @Test
    void shouldAnswerFalseOnceTheDeadlineHasPassed()
    {
        final CachedNanoClock clock = new CachedNanoClock();
        clock.update(1_000);
        for (final WaitStrategy wait : all())
        {
            wait.reset();
            assertFalse(wait.await(NEVER_READY, false, clock, 1_000, MAX_WAIT), wait + ": at the deadline");
            assertFalse(wait.await(NEVER_READY, true, clock, 999, MAX_WAIT), wait + ": past the deadline");
        }
    }

    @Test
    void shouldKeepWaitingUntilARealDeadlineAndThenStop()
    {
        final NanoClock clock = SystemNanoClock.INSTANCE;
        for (final WaitStrategy wait : all())
        {
            final long deadline = clock.nanoTime() + TimeUnit.MILLISECONDS.toNanos(20);
            wait.reset();
            int rounds = 0;
            while (wait.await(NEVER_READY, false, clock, deadline, MAX_WAIT))
            {
                rounds++;
            }
            assertTrue(deadline - clock.nanoTime() <= 0, wait + " stopped only at the deadline");
            assertTrue(rounds > 0, wait + " waited at least once");
        }
    }

    @Test
    void shouldWaitWithNoDeadlineUntilTheCallerStops()
    {
        final CachedNanoClock clock = new CachedNanoClock();
        for (final WaitStrategy wait : all())
        {
            wait.reset();
            for (int i = 0; i < 200; i++)
            {
                assertTrue(wait.await(NEVER_READY, false, clock, WaitStrategy.FOREVER, TimeUnit.MICROSECONDS.toNanos(10)));
            }
        }
    }

    @Test
    void shouldWakeAKernelWaitWhenTheReadinessFires() throws Exception
    {
        final CountDownLatch data = new CountDownLatch(1);
        final AtomicInteger timeouts = new AtomicInteger();
        final Readiness readable = (forWrite, timeoutNanos) ->
        {
            assertFalse(forWrite);
            timeouts.set((int)Math.min(Integer.MAX_VALUE, TimeUnit.NANOSECONDS.toSeconds(timeoutNanos)));
            try
            {
                data.await(timeoutNanos, TimeUnit.NANOSECONDS);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        };
        final CompletableFuture<Boolean> woken = CompletableFuture.supplyAsync(() -> KernelWait.INSTANCE.await(
            readable, false, SystemNanoClock.INSTANCE, WaitStrategy.FOREVER, TimeUnit.SECONDS.toNanos(30)),
            runnable -> new Thread(runnable, "kernel-waiter").start());
        data.countDown();
        assertTrue(woken.get(20, TimeUnit.SECONDS), "woken by the data, long before its 30 s cap");
        assertEquals(30, timeouts.get(), "waited on the readiness with the caller's cap");
    }

    @Test
    void shouldCapAKernelWaitByTheTimeLeft()
    {
        final CachedNanoClock clock = new CachedNanoClock();
        clock.update(0);
        final long[] asked = new long[1];
        assertTrue(KernelWait.INSTANCE.await((forWrite, timeoutNanos) -> asked[0] = timeoutNanos, true, clock,
            5_000, MAX_WAIT));
        assertEquals(5_000, asked[0]);
    }

    @Test
    void shouldEndAKernelWaitOnInterruptAndKeepTheInterrupt() throws Exception
    {
        final CompletableFuture<Boolean> kept = new CompletableFuture<>();
        final Thread waiter = new Thread(() ->
        {
            Thread.currentThread().interrupt();
            final boolean again = KernelWait.INSTANCE.await((forWrite, timeoutNanos) -> { }, false,
                SystemNanoClock.INSTANCE, WaitStrategy.FOREVER, MAX_WAIT);
            kept.complete(!again && Thread.currentThread().isInterrupted());
        });
        waiter.start();
        assertTrue(kept.get(10, TimeUnit.SECONDS));
    }

    @Test
    void shouldCallTheUsersIdleStrategyAndResetIt()
    {
        final AtomicInteger idles = new AtomicInteger();
        final AtomicInteger resets = new AtomicInteger();
        final IdleStrategy counting = new IdleStrategy()
        {
            @Override
            public void idle(final int workCount)
            {
                idles.incrementAndGet();
            }

            @Override
            public void idle()
            {
                idles.incrementAndGet();
            }

            @Override
            public void reset()
            {
                resets.incrementAndGet();
            }
        };
        final WaitStrategy wait = new IdleStrategyWait(counting);
        final CachedNanoClock clock = new CachedNanoClock();
        wait.reset();
        for (int i = 0; i < 3; i++)
        {
            assertTrue(wait.await(NEVER_READY, false, clock, WaitStrategy.FOREVER, MAX_WAIT));
        }
        assertEquals(3, idles.get());
        assertEquals(1, resets.get());
        clock.update(10);
        assertFalse(wait.await(NEVER_READY, false, clock, 10, MAX_WAIT));
        assertEquals(3, idles.get(), "no idle step once the deadline has passed");
    }

    @Test
    void shouldRejectABackoffOutOfRange()
    {
        assertThrows(IllegalArgumentException.class, () -> new BackoffWait(-1, 0, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> new BackoffWait(0, 0, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> new BackoffWait(0, 0, 10, 5));
    }

    @Test
    void shouldNeverParkABackoffLongerThanTheCallersCap() throws Exception
    {
        // No spins or yields: straight to a park of at most 1 µs, though the policy allows an hour.
        final BackoffWait wait = new BackoffWait(0, 0, TimeUnit.HOURS.toNanos(1), TimeUnit.HOURS.toNanos(1));
        final CompletableFuture<Boolean> parked = CompletableFuture.supplyAsync(() ->
            wait.await(NEVER_READY, false, SystemNanoClock.INSTANCE, WaitStrategy.FOREVER, 1_000),
            runnable -> new Thread(runnable, "backoff").start());
        assertTrue(parked.get(20, TimeUnit.SECONDS));
    }

    @Test
    void shouldCopyOnlyPoliciesThatHoldState()
    {
        assertSame(BusySpinWait.INSTANCE, BusySpinWait.INSTANCE.copy());
        assertSame(KernelWait.INSTANCE, KernelWait.INSTANCE.copy());
        assertSame(YieldWait.INSTANCE, YieldWait.INSTANCE.copy());
        final BackoffWait backoff = new BackoffWait(1, 2, 3, 4);
        final WaitStrategy copy = backoff.copy();
        assertNotSame(backoff, copy);
        assertEquals(backoff.toString(), copy.toString(), "same settings");
        final IdleStrategyWait shared = new IdleStrategyWait(new org.agrona.concurrent.NoOpIdleStrategy());
        assertSame(shared, shared.copy());
        final IdleStrategyWait perThread = new IdleStrategyWait(org.agrona.concurrent.BusySpinIdleStrategy::new);
        assertNotSame(perThread, perThread.copy());
    }
}
