package dev.hayate.core;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.ResourceBundle;
import java.util.function.Supplier;

import org.agrona.concurrent.CachedNanoClock;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CallbacksTest
{
    private static final ConId ID = new ConId(ConId.Role.INITIATOR, "test",
        new InetSocketAddress("127.0.0.1", 1), new InetSocketAddress("127.0.0.1", 2));

    @Test
    void shouldCallEveryChainedCallbackInOrder()
    {
        final List<String> calls = new ArrayList<>();
        final Callback<String> chained = Callbacks.chain(recording("a", calls), recording("b", calls));
        chained.onSent(ID, "x");
        chained.onRecv(ID, "y");
        assertEquals(List.of("a sent x", "b sent x", "a recv y", "b recv y"), calls);
    }

    @Test
    void shouldRejectANullInAChain()
    {
        assertThrows(NullPointerException.class, () -> Callbacks.chain(Callback.<String>none(), null));
    }

    @Test
    void shouldCountSentAndReceivedMessages()
    {
        final Callbacks.Counter<String> counter = new Callbacks.Counter<>();
        counter.onSent(ID, "a");
        counter.onSent(ID, "b");
        counter.onRecv(ID, "c");
        assertEquals(2, counter.sent());
        assertEquals(1, counter.received());
    }

    @Test
    void shouldRecordTheTimeFromTheFirstSendToTheNextReceive()
    {
        final CachedNanoClock clock = new CachedNanoClock();
        final List<Long> latencies = new ArrayList<>();
        final Callbacks.LatencyRecorder<String> recorder = new Callbacks.LatencyRecorder<>(clock, latencies::add);
        recorder.onRecv(ID, "unsolicited");
        clock.update(1_000);
        recorder.onSent(ID, "request");
        clock.update(1_500);
        recorder.onSent(ID, "a second send does not restart the clock");
        clock.update(4_000);
        recorder.onRecv(ID, "reply");
        clock.update(9_000);
        recorder.onRecv(ID, "a second reply is not a round trip");
        assertEquals(List.of(3_000L), latencies);
    }

    @Test
    void shouldLogBothDirectionsOnlyWhenTheLevelIsEnabled()
    {
        final List<String> logged = new ArrayList<>();
        final Callback<String> enabled = Callbacks.logger(new ListLogger(logged, true), System.Logger.Level.DEBUG);
        enabled.onSent(ID, "out");
        enabled.onRecv(ID, "in");
        assertEquals(2, logged.size());
        assertTrue(logged.get(0).contains("sent") && logged.get(0).contains("out"), logged.get(0));
        assertTrue(logged.get(1).contains("recv") && logged.get(1).contains("in"), logged.get(1));

        logged.clear();
        final Callback<String> disabled = Callbacks.logger(new ListLogger(logged, false), System.Logger.Level.DEBUG);
        disabled.onSent(ID, "out");
        disabled.onRecv(ID, "in");
        assertTrue(logged.isEmpty());
    }

    @Test
    void shouldShareOneCallbackThatDoesNothing()
    {
        assertSame(Callback.<String>none(), Callback.<Integer>none());
    }

    private static Callback<String> recording(final String name, final List<String> calls)
    {
        return new Callback<>()
        {
            @Override
            public void onRecv(final ConId id, final String message)
            {
                calls.add(name + " recv " + message);
            }

            @Override
            public void onSent(final ConId id, final String message)
            {
                calls.add(name + " sent " + message);
            }
        };
    }

    private static final class ListLogger implements System.Logger
    {
        private final List<String> lines;
        private final boolean enabled;

        ListLogger(final List<String> lines, final boolean enabled)
        {
            this.lines = lines;
            this.enabled = enabled;
        }

        @Override
        public String getName()
        {
            return "test";
        }

        @Override
        public boolean isLoggable(final Level level)
        {
            return enabled;
        }

        @Override
        public void log(final Level level, final ResourceBundle bundle, final String msg, final Throwable thrown)
        {
            lines.add(msg);
        }

        @Override
        public void log(final Level level, final ResourceBundle bundle, final String format, final Object... params)
        {
            lines.add(java.text.MessageFormat.format(format, params));
        }

        @Override
        public void log(final Level level, final Supplier<String> msgSupplier)
        {
            lines.add(msgSupplier.get());
        }
    }
}
