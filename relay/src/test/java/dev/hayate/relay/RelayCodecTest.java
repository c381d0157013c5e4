package dev.hayate.relay;

import java.util.Random;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RelayCodecTest
{
    @Test
    void shouldRejectALengthFieldThatOverrunsItsFrame()
    {
        final RelayCodec codec = new RelayCodec();
        final RelayMessage m = new RelayMessage();
        m.type = RelayMessage.Type.FORWARD;
        final UnsafeBuffer frame = new UnsafeBuffer(new byte[64]);
        final RelayMessage control = new RelayMessage();
        control.type = RelayMessage.Type.CONTROL;
        control.body(new UnsafeBuffer(new byte[10]), 0, 10);
        final int length = codec.encode(control, frame, 0, 64);
        frame.putInt(8 + 8, Integer.MAX_VALUE, java.nio.ByteOrder.LITTLE_ENDIAN);
        assertThrows(IllegalArgumentException.class, () -> codec.decode(frame, 0, length));
    }

    @Test
    void shouldRoundTripAHello()
    {
        final RelayCodec codec = new RelayCodec();
        final RelayMessage hello = new RelayMessage();
        hello.type = RelayMessage.Type.HELLO;
        hello.producer = true;
        hello.policy = 2;
        hello.sessionId[3] = 7;
        hello.epoch[15] = 9;
        final UnsafeBuffer frame = new UnsafeBuffer(new byte[256]);
        final int length = codec.encode(hello, frame, 0, 256);
        final RelayMessage back = codec.decode(frame, 0, length);
        assertEquals(RelayMessage.Type.HELLO, back.type);
        assertTrue(back.producer);
        assertEquals(2, back.policy);
        assertEquals(7, back.sessionId[3]);
        assertEquals(9, back.epoch[15]);
    }

    @Test
    void shouldDecodeOrRejectRandomBytesWithoutAnythingButARuntimeException()
    {
        final long seed = new Random().nextLong();
        final Random random = new Random(seed);
        final RelayCodec codec = new RelayCodec();
        final UnsafeBuffer frame = new UnsafeBuffer(new byte[512]);
        for (int i = 0; i < 20_000; i++)
        {
            final int length = random.nextInt(frame.capacity());
            final byte[] bytes = new byte[length];
            random.nextBytes(bytes);
            if (length >= 8 && random.nextBoolean())
            {
                // Mostly well-formed headers, so the message decoders are reached.
                bytes[4] = (byte)RelayCodec.SCHEMA_ID;
                bytes[5] = (byte)(RelayCodec.SCHEMA_ID >> 8);
                bytes[2] = (byte)(1 + random.nextInt(5));
                bytes[3] = 0;
            }
            frame.putBytes(0, bytes);
            try
            {
                codec.decode(frame, 0, length);
            }
            catch (final RuntimeException expected)
            {
                // Rejected: the engine closes the connection as a protocol error.
            }
            catch (final Throwable other)
            {
                throw new AssertionError("seed " + seed + ": " + other, other);
            }
        }
    }
}
