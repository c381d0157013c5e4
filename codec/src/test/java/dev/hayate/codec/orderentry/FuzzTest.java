package dev.hayate.codec.orderentry;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Random;
import java.util.function.Supplier;

import dev.hayate.codec.SbeFlyweightCodec;
import dev.hayate.codec.SbeMessage;
import dev.hayate.codec.SbeRecordCodec;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Feeds random and mutated bodies to both codecs. Each body must either decode or fail with a RuntimeException,
 * never an Error; and it is decoded twice, with different random bytes before and after the region, so any read
 * outside the region shows up as two different outcomes.
 *
 * <p>Replay a failure with {@code -Dhayate.fuzz.seed=<seed printed in the failure>}; run longer with
 * {@code -Dhayate.fuzz.iterations=<n>}.
 */
class FuzzTest
{
    private static final long SEED = Long.getLong("hayate.fuzz.seed", System.nanoTime());
    private static final int ITERATIONS = Integer.getInteger("hayate.fuzz.iterations", 30_000);
    private static final int MARGIN = 64;
    private static final int[] TEMPLATE_IDS = OrderEntryCodecs.templateIds();

    private final SbeRecordCodec<OrderEntryMessage> records = OrderEntryCodecs.records();
    private final SbeFlyweightCodec flyweights = OrderEntryCodecs.flyweights();
    private final FlyweightOrderEntry flyweightReader = new FlyweightOrderEntry();
    private final UnsafeBuffer scratch = new UnsafeBuffer(new byte[64 * 1024]);

    /** What a decode produced: a value, or the exception it threw. */
    private record Outcome(Object value, String error)
    {
    }

    @Test
    void shouldDecodeOrThrowRuntimeExceptionForAnyBodyWithoutReadingOutsideIt()
    {
        System.out.println("FuzzTest seed=" + SEED + " iterations=" + ITERATIONS +
            " (replay with -Dhayate.fuzz.seed=" + SEED + ")");
        final Random random = new Random(SEED);
        int decoded = 0;
        for (int i = 0; i < ITERATIONS; i++)
        {
            final byte[] body = body(random);
            final int offset = random.nextInt(MARGIN);
            final byte[] before = new byte[offset + body.length + MARGIN];
            final byte[] after = new byte[before.length];
            random.nextBytes(before);
            random.nextBytes(after);
            final String context = "seed=" + SEED + " iteration=" + i + " body=" + HexFormat.of().formatHex(body);

            final Outcome record = sameOutcome(context, before, after, offset, body,
                buffer -> () -> records.decode(buffer, offset, body.length));
            sameOutcome(context, before, after, offset, body,
                buffer -> () -> flyweightReader.read(flyweights.decode(buffer, offset, body.length)));
            sameOutcome(context, before, after, offset, body,
                buffer -> () -> flyweightReader.walk(flyweights.decode(buffer, offset, body.length)));

            if (null != record.value())
            {
                decoded++;
                assertStableRoundTrip(context, (OrderEntryMessage)record.value());
            }
        }
        System.out.println("FuzzTest: " + decoded + " of " + ITERATIONS + " bodies decoded, the rest were rejected");
    }

    private Outcome sameOutcome(final String context, final byte[] before, final byte[] after, final int offset,
        final byte[] body, final java.util.function.Function<UnsafeBuffer, Supplier<Object>> decoder)
    {
        final Outcome first = outcome(context, decoder.apply(frame(before, offset, body)));
        final Outcome second = outcome(context, decoder.apply(frame(after, offset, body)));
        assertEquals(first, second, () -> "decoding depends on bytes outside the region: " + context);
        return first;
    }

    private static UnsafeBuffer frame(final byte[] surroundings, final int offset, final byte[] body)
    {
        final byte[] frame = Arrays.copyOf(surroundings, surroundings.length);
        System.arraycopy(body, 0, frame, offset, body.length);
        return new UnsafeBuffer(frame);
    }

    private static Outcome outcome(final String context, final Supplier<Object> decode)
    {
        try
        {
            return new Outcome(Objects.requireNonNull(decode.get()), null);
        }
        catch (final RuntimeException ex)
        {
            return new Outcome(null, ex.getClass().getName() + ": " + ex.getMessage());
        }
        catch (final Throwable error)
        {
            fail("decoding threw " + error + ", not a RuntimeException: " + context, error);
            throw new AssertionError(error);
        }
    }

    private void assertStableRoundTrip(final String context, final OrderEntryMessage message)
    {
        final int length = records.encode(message, scratch, 0, scratch.capacity());
        assertEquals(message, records.decode(scratch, 0, length), () -> "re-encoding changed the value: " + context);
    }

    private byte[] body(final Random random)
    {
        if (random.nextInt(4) == 0)
        {
            return randomBody(random);
        }
        final OrderEntryMessage message = OrderEntrySamples.random(random);
        final int length = records.encode(message, scratch, 0, scratch.capacity());
        final byte[] body = new byte[length];
        scratch.getBytes(0, body);
        return mutate(random, body);
    }

    private static byte[] randomBody(final Random random)
    {
        final byte[] body = new byte[random.nextInt(120)];
        random.nextBytes(body);
        if (body.length >= SbeMessage.HEADER_LENGTH && random.nextBoolean())
        {
            // A plausible header takes the bytes past the header checks, into the decoders.
            final UnsafeBuffer header = new UnsafeBuffer(body);
            header.putShort(SbeMessage.BLOCK_LENGTH_OFFSET, (short)random.nextInt(body.length - 7),
                java.nio.ByteOrder.LITTLE_ENDIAN);
            header.putShort(SbeMessage.TEMPLATE_ID_OFFSET, (short)TEMPLATE_IDS[random.nextInt(TEMPLATE_IDS.length)],
                java.nio.ByteOrder.LITTLE_ENDIAN);
            header.putShort(SbeMessage.SCHEMA_ID_OFFSET, (short)OrderEntryCodecs.SCHEMA_ID,
                java.nio.ByteOrder.LITTLE_ENDIAN);
            header.putShort(SbeMessage.VERSION_OFFSET, (short)random.nextInt(3), java.nio.ByteOrder.LITTLE_ENDIAN);
        }
        return body;
    }

    private static byte[] mutate(final Random random, final byte[] valid)
    {
        switch (random.nextInt(6))
        {
            case 0:
                return valid;
            case 1:
                return flipBytes(random, valid.clone());
            case 2:
                return Arrays.copyOf(valid, random.nextInt(valid.length));
            case 3:
            {
                final byte[] longer = Arrays.copyOf(valid, valid.length + 1 + random.nextInt(20));
                for (int i = valid.length; i < longer.length; i++)
                {
                    longer[i] = (byte)random.nextInt();
                }
                return longer;
            }
            case 4:
                return lie(random, valid.clone());
            default:
                return Arrays.copyOf(flipBytes(random, lie(random, valid.clone())), 1 + random.nextInt(valid.length));
        }
    }

    private static byte[] flipBytes(final Random random, final byte[] body)
    {
        final int flips = 1 + random.nextInt(4);
        for (int i = 0; i < flips && body.length > 0; i++)
        {
            body[random.nextInt(body.length)] = (byte)random.nextInt();
        }
        return body;
    }

    // Overwrites a 16-bit field, where lengths and counts live, with a value a hostile peer would pick.
    private static byte[] lie(final Random random, final byte[] body)
    {
        if (body.length < 2)
        {
            return body;
        }
        final int[] lies = {0, 1, 0xFF, 0x7FFF, 0xFFFF, body.length, body.length + 1, random.nextInt(0x10000)};
        final int value = lies[random.nextInt(lies.length)];
        final int at = random.nextInt(body.length - 1);
        new UnsafeBuffer(body).putShort(at, (short)value, java.nio.ByteOrder.LITTLE_ENDIAN);
        return body;
    }
}
