package dev.hayate.codec.orderentry;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Function;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.hayate.codec.MalformedMessageException;
import dev.hayate.codec.SbeFlyweightCodec;
import dev.hayate.codec.SbeMessage;
import dev.hayate.codec.SbeRecordCodec;
import dev.hayate.codec.orderentry.OrderEntryMessage.Cancel;
import dev.hayate.codec.orderentry.OrderEntryMessage.ExecutionReport;
import dev.hayate.codec.orderentry.OrderEntryMessage.Fill;
import dev.hayate.codec.orderentry.OrderEntryMessage.Heartbeat;
import dev.hayate.codec.orderentry.OrderEntryMessage.Login;
import dev.hayate.codec.orderentry.OrderEntryMessage.LoginAccepted;
import dev.hayate.codec.orderentry.OrderEntryMessage.LoginRejected;
import dev.hayate.codec.orderentry.OrderEntryMessage.Logout;
import dev.hayate.codec.orderentry.OrderEntryMessage.NewOrder;
import dev.hayate.codec.orderentry.OrderEntryMessage.OrderAccepted;
import dev.hayate.codec.orderentry.OrderEntryMessage.Reject;
import dev.hayate.codec.orderentry.sbe.ExecType;
import dev.hayate.codec.orderentry.sbe.LoginRejectReason;
import dev.hayate.codec.orderentry.sbe.OrdStatus;
import dev.hayate.codec.orderentry.sbe.OrdType;
import dev.hayate.codec.orderentry.sbe.RejectReason;
import dev.hayate.codec.orderentry.sbe.Side;
import dev.hayate.codec.orderentry.sbe.TimeInForce;
import org.agrona.concurrent.UnsafeBuffer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Jazzer targets for the order-entry codecs, both paths: {@link OrderEntryCodecs#records()} and
 * {@link OrderEntryCodecs#flyweights()} read through {@link FlyweightOrderEntry}.
 *
 * <ul>
 *   <li>Any body decodes or fails with the documented {@link MalformedMessageException} (the flyweight walk, which
 *   reads fields with the generated accessors, may also stop where they do: {@link IndexOutOfBoundsException} from
 *   the bounded buffer of {@link SbeMessage#wrap(org.agrona.sbe.MessageDecoderFlyweight)}, and
 *   {@link IllegalArgumentException} from an enum accessor given a value the schema does not list); the outcome is
 *   the same whatever bytes surround the body, so nothing is read outside it; and decoding allocates in proportion
 *   to the body, never to a claimed length.</li>
 *   <li>Any message the record constructors accept either fails to encode with {@link IllegalArgumentException} or
 *   round-trips to an equal value through records, through flyweights, and from one path to the other.</li>
 * </ul>
 *
 * <p>Plain {@code mvn test} replays the committed corpus in {@code OrderEntryCodecFuzzTestInputs}; {@code .ci/fuzz}
 * fuzzes each method for a bounded time.
 *
 * <p>Thread-safety: a test; one thread.
 */
class OrderEntryCodecFuzzTest
{
    private static final int MARGIN = 16;
    /** While fuzzing the coverage instrumentation allocates too; the bound still catches a claimed 64 KiB. */
    private static final long ALLOCATION_SLACK = System.getenv("JAZZER_FUZZ") == null ? 32 * 1024 : 1024 * 1024;
    private static final com.sun.management.ThreadMXBean THREADS =
        (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();

    // JUnit makes an instance per input: the codecs and buffers are made once, since the fuzzer runs on one thread.
    private static final SbeRecordCodec<OrderEntryMessage> RECORDS = OrderEntryCodecs.records();
    private static final SbeFlyweightCodec FLYWEIGHTS = OrderEntryCodecs.flyweights();
    private static final FlyweightOrderEntry FLYWEIGHT_READER = new FlyweightOrderEntry();
    private static final UnsafeBuffer FRAME = new UnsafeBuffer(new byte[OrderEntrySamples.MAX_BODY]);
    private static final SbeMessage SCRATCH = new SbeMessage(OrderEntrySamples.MAX_BODY);

    private final SbeRecordCodec<OrderEntryMessage> records = RECORDS;
    private final SbeFlyweightCodec flyweights = FLYWEIGHTS;
    private final FlyweightOrderEntry flyweightReader = FLYWEIGHT_READER;
    private final UnsafeBuffer frame = FRAME;
    private final SbeMessage scratch = SCRATCH;

    /** What a decode produced: a value, or the exception it threw. */
    private record Outcome(Object value, String error)
    {
    }

    @FuzzTest(maxDuration = "5m")
    void shouldDecodeAnyBodyOrRejectItAsMalformed(final byte[] body)
    {
        final Outcome record = sameOutcomeWhateverSurrounds(body, buffer -> records.decode(buffer, MARGIN, body.length),
            false);
        sameOutcomeWhateverSurrounds(body,
            buffer -> flyweightReader.read(flyweights.decode(buffer, MARGIN, body.length)), true);
        sameOutcomeWhateverSurrounds(body,
            buffer -> flyweightReader.walk(flyweights.decode(buffer, MARGIN, body.length)), true);
        if (null != record.value())
        {
            final OrderEntryMessage message = (OrderEntryMessage)record.value();
            final int length = records.encode(message, frame, 0, frame.capacity());
            assertEquals(message, records.decode(frame, 0, length), "re-encoding a decoded body changed its value");
        }
    }

    @FuzzTest(maxDuration = "5m")
    void shouldRoundTripAnyMessageTheConstructorsAccept(final FuzzedDataProvider data)
    {
        final OrderEntryMessage message;
        try
        {
            message = message(data);
        }
        catch (final IllegalArgumentException rejected)
        {
            return; // the constructors refuse what the wire cannot carry: documented
        }
        final int length;
        try
        {
            length = records.encode(message, frame, 0, frame.capacity());
        }
        catch (final IllegalArgumentException tooLarge)
        {
            return;
        }
        assertEquals(message, records.decode(frame, 0, length), "records: encode then decode");
        assertEquals(message, flyweightReader.read(flyweights.decode(frame, 0, length)), "records then flyweights");

        flyweightReader.write(message, scratch);
        final int flyweightLength = flyweights.encode(scratch, frame, 0, frame.capacity());
        assertEquals(length, flyweightLength, "both paths write the same number of bytes");
        assertEquals(message, records.decode(frame, 0, flyweightLength), "flyweights then records");
    }

    private Outcome sameOutcomeWhateverSurrounds(final byte[] body, final Function<UnsafeBuffer, Object> decode,
        final boolean generatedAccessorsMayThrow)
    {
        // Allocation is measured on the second decode only: the first may load classes for its paths.
        final Outcome zeros = outcome(body, surround(body, (byte)0), decode, generatedAccessorsMayThrow, false);
        final Outcome ones = outcome(body, surround(body, (byte)0xFF), decode, generatedAccessorsMayThrow, true);
        assertEquals(zeros, ones, () -> "decoding depends on bytes outside the body " + hex(body));
        return zeros;
    }

    private static Outcome outcome(final byte[] body, final UnsafeBuffer buffer,
        final Function<UnsafeBuffer, Object> decode, final boolean generatedAccessorsMayThrow, final boolean measure)
    {
        final long before = THREADS.getCurrentThreadAllocatedBytes();
        Object value = null;
        RuntimeException rejected = null;
        try
        {
            value = decode.apply(buffer);
        }
        catch (final MalformedMessageException ex)
        {
            rejected = ex;
        }
        catch (final IndexOutOfBoundsException | IllegalArgumentException ex)
        {
            if (!generatedAccessorsMayThrow)
            {
                throw ex;
            }
            rejected = ex;
        }
        final long allocated = THREADS.getCurrentThreadAllocatedBytes() - before;
        // A decoded value holds at most a few objects per body byte (strings, fills); a claimed length is up to 64 KiB.
        final long bound = ALLOCATION_SLACK + 64L * body.length;
        assertTrue(!measure || allocated <= bound, () -> "decoding " + body.length + " bytes allocated " + allocated +
            " bytes: " + hex(body));
        final Outcome outcome = null == rejected ? new Outcome(value, null) :
            new Outcome(null, rejected.getClass().getName() + ": " + rejected.getMessage());
        return outcome;
    }

    private static UnsafeBuffer surround(final byte[] body, final byte fill)
    {
        final byte[] bytes = new byte[MARGIN + body.length + MARGIN];
        Arrays.fill(bytes, fill);
        System.arraycopy(body, 0, bytes, MARGIN, body.length);
        return new UnsafeBuffer(bytes);
    }

    private static String hex(final byte[] body)
    {
        return HexFormat.of().formatHex(body, 0, Math.min(body.length, 256));
    }

    private static OrderEntryMessage message(final FuzzedDataProvider data)
    {
        switch (data.consumeInt(0, 9))
        {
            case 0:
                return new Login(data.consumeLong(), data.consumeLong(), data.consumeAsciiString(64),
                    data.consumeAsciiString(64));
            case 1:
                return new LoginAccepted(data.consumeLong(), data.consumeLong(), data.consumeLong());
            case 2:
                return new LoginRejected(data.pickValue(LoginRejectReason.values()), text(data));
            case 3:
                return new Heartbeat();
            case 4:
                return new Logout(text(data));
            case 5:
                return new NewOrder(data.consumeLong(), data.consumeLong(), data.consumeString(8),
                    data.pickValue(Side.values()), data.pickValue(OrdType.values()), data.consumeLong(),
                    data.consumeLong(), data.pickValue(TimeInForce.values()), data.consumeLong());
            case 6:
                return new Cancel(data.consumeLong(), data.consumeLong(), data.consumeLong(), data.consumeString(8),
                    data.pickValue(Side.values()));
            case 7:
                return new OrderAccepted(data.consumeLong(), data.consumeLong(), data.consumeLong(),
                    data.consumeLong());
            case 8:
            {
                final long seqNo = data.consumeLong();
                final long clOrdId = data.consumeLong();
                final long orderId = data.consumeLong();
                final long execId = data.consumeLong();
                final ExecType execType = data.pickValue(ExecType.values());
                final OrdStatus ordStatus = data.pickValue(OrdStatus.values());
                final Side side = data.pickValue(Side.values());
                final long leavesQty = data.consumeLong();
                final long cumQty = data.consumeLong();
                final long avgPx = data.consumeLong();
                final List<Fill> fills = new ArrayList<>();
                for (int i = data.consumeInt(0, 40); i > 0; i--)
                {
                    fills.add(new Fill(data.consumeLong(), data.consumeLong(), data.consumeLong()));
                }
                return new ExecutionReport(seqNo, clOrdId, orderId, execId, execType, ordStatus, side, leavesQty,
                    cumQty, avgPx, fills, text(data));
            }
            default:
                return new Reject(data.consumeLong(), data.consumeLong(), data.pickValue(RejectReason.values()),
                    text(data));
        }
    }

    // Text as the wire carries it: unpaired surrogates travel as '?' (Utf8's documented rule), so start from that.
    private static String text(final FuzzedDataProvider data)
    {
        return new String(data.consumeString(200).getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
    }
}
