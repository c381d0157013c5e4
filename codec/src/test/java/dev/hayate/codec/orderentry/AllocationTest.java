package dev.hayate.codec.orderentry;

import java.lang.management.ManagementFactory;
import java.util.List;

import dev.hayate.codec.SbeFlyweightCodec;
import dev.hayate.codec.SbeMessage;
import dev.hayate.codec.SbeRecordCodec;
import dev.hayate.codec.SequenceStamp;
import dev.hayate.codec.orderentry.OrderEntryMessage.Login;
import dev.hayate.codec.orderentry.OrderEntryMessage.NewOrder;
import dev.hayate.codec.orderentry.sbe.OrdType;
import dev.hayate.codec.orderentry.sbe.RejectReason;
import dev.hayate.codec.orderentry.sbe.Side;
import dev.hayate.codec.orderentry.sbe.TimeInForce;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Bytes allocated by the steady-state paths, counted by the JVM for the test's own thread. Allocation is a
 * deterministic property of the code, not a timing: a path that allocates even one object per message shows at
 * least 16 bytes per operation, whatever the machine's load.
 */
class AllocationTest
{
    private static final int WARM_UP = 100_000;
    private static final int MEASURED = 100_000;

    private final com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
    private final UnsafeBuffer frames = new UnsafeBuffer(new byte[64 * 1024]);
    private final List<OrderEntryMessage> messages = List.of(
        new NewOrder(1, 1001, "AAPL", Side.BUY, OrdType.LIMIT, 1_012_500, 100, TimeInForce.DAY, 42),
        OrderEntrySamples.executionReport(3, "partially filled \u2014 ok"),
        OrderEntrySamples.executionReport(0, ""),
        new OrderEntryMessage.Cancel(2, 1002, 1001, "AAPL", Side.BUY),
        new OrderEntryMessage.Reject(3, 2, RejectReason.UNKNOWN_ORDER, "no such order"),
        new Login(0, 1000, "trader", "secret"),
        new OrderEntryMessage.Heartbeat());
    private final int[] offsets = new int[messages.size()];
    private final int[] lengths = new int[messages.size()];

    @BeforeEach
    void encodeFrames()
    {
        assumeTrue(threads.isThreadAllocatedMemorySupported(), "this JVM cannot count allocated bytes per thread");
        threads.setThreadAllocatedMemoryEnabled(true);
        final SbeRecordCodec<OrderEntryMessage> codec = OrderEntryCodecs.records();
        int offset = 0;
        for (int i = 0; i < messages.size(); i++)
        {
            offsets[i] = offset;
            lengths[i] = codec.encode(messages.get(i), frames, offset, frames.capacity() - offset);
            offset += lengths[i];
        }
    }

    @Test
    void shouldDecodeAndReadEveryFieldWithoutAllocatingInSteadyState()
    {
        final SbeFlyweightCodec codec = OrderEntryCodecs.flyweights();
        final FlyweightOrderEntry reader = new FlyweightOrderEntry();
        final long[] sink = new long[1];
        final Runnable decodeAll = () ->
        {
            for (int i = 0; i < offsets.length; i++)
            {
                sink[0] += reader.walk(codec.decode(frames, offsets[i], lengths[i]));
            }
        };

        final long perDecode = allocatedPerOperation(decodeAll, offsets.length);

        assertEquals(0, perDecode, "bytes allocated per flyweight decode");
    }

    @Test
    void shouldEncodeFlyweightMessagesWithoutAllocatingInSteadyState()
    {
        final SbeFlyweightCodec codec = OrderEntryCodecs.flyweights();
        final FlyweightOrderEntry writer = new FlyweightOrderEntry();
        final SbeMessage out = new SbeMessage(4096);
        final UnsafeBuffer send = new UnsafeBuffer(new byte[4096]);
        final Runnable encodeAll = () ->
        {
            for (int i = 0; i < messages.size(); i++)
            {
                writer.write(messages.get(i), out);
                OrderEntryCodecs.stampSeqNo(out, i);
                codec.encode(out, send, 0, send.capacity());
            }
        };

        assertEquals(0, allocatedPerOperation(encodeAll, messages.size()), "bytes allocated per flyweight encode");
    }

    @Test
    void shouldEncodeRecordsWithoutAllocatingInSteadyState()
    {
        final SbeRecordCodec<OrderEntryMessage> codec = OrderEntryCodecs.records(new SequenceStamp());
        final UnsafeBuffer send = new UnsafeBuffer(new byte[4096]);
        final Runnable encodeAll = () ->
        {
            for (int i = 0; i < messages.size(); i++)
            {
                codec.encode(messages.get(i), send, 0, send.capacity());
            }
        };

        assertEquals(0, allocatedPerOperation(encodeAll, messages.size()), "bytes allocated per record encode");
    }

    private long allocatedPerOperation(final Runnable batch, final int operationsPerBatch)
    {
        final int batches = MEASURED / operationsPerBatch;
        for (int i = 0; i < WARM_UP / operationsPerBatch; i++)
        {
            batch.run();
        }
        final long overhead = measuringOverhead();
        final long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < batches; i++)
        {
            batch.run();
        }
        final long allocated = threads.getCurrentThreadAllocatedBytes() - before - overhead;
        final long operations = (long)batches * operationsPerBatch;
        System.out.println(getClass().getSimpleName() + ": " + allocated + " bytes over " + operations + " operations");
        return allocated / operations;
    }

    private long measuringOverhead()
    {
        long least = Long.MAX_VALUE;
        for (int i = 0; i < 10; i++)
        {
            final long before = threads.getCurrentThreadAllocatedBytes();
            least = Math.min(least, threads.getCurrentThreadAllocatedBytes() - before);
        }
        return least;
    }
}
