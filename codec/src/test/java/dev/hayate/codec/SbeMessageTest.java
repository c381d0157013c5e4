package dev.hayate.codec;

import dev.hayate.codec.test.sbe.PingDecoder;
import dev.hayate.codec.test.sbe.PingEncoder;
import dev.hayate.codec.test.sbe.PongEncoder;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SbeMessageTest
{
    @Test
    void shouldWriteTheHeaderAndFollowTheEncoderWhileEncoding()
    {
        final SbeMessage message = new SbeMessage(128);
        final PingEncoder encoder = message.encode(new PingEncoder());

        assertEquals(PingEncoder.BLOCK_LENGTH, message.blockLength());
        assertEquals(PingEncoder.TEMPLATE_ID, message.templateId());
        assertEquals(PingEncoder.SCHEMA_ID, message.schemaId());
        assertEquals(PingEncoder.SCHEMA_VERSION, message.version());
        assertEquals(SbeMessage.HEADER_LENGTH + PingEncoder.BLOCK_LENGTH, message.length());

        encoder.id(1).sentNanos(2).payload("abc");
        assertEquals(SbeMessage.HEADER_LENGTH + PingEncoder.BLOCK_LENGTH + 2 + 3, message.length());

        final PingDecoder decoder = message.wrap(new PingDecoder());
        assertEquals(1, decoder.id());
        assertEquals("abc", decoder.payload());
        assertEquals(0, message.length() - decoder.limit());
    }

    @Test
    void shouldRefuseToEncodeWithoutABufferOfItsOwn()
    {
        assertThrows(IllegalStateException.class, () -> new SbeMessage().encode(new PingEncoder()));
        assertThrows(IllegalArgumentException.class, () -> new SbeMessage(SbeMessage.HEADER_LENGTH + 1)
            .encode(new PingEncoder()));
        assertThrows(IllegalArgumentException.class, () -> new SbeMessage(SbeMessage.HEADER_LENGTH - 1));
    }

    @Test
    void shouldCopyIntoAnIndependentMessage()
    {
        final SbeMessage message = new SbeMessage(64);
        message.encode(new PongEncoder()).id(5);
        final SbeMessage copy = message.copy();

        message.encode(new PongEncoder()).id(6);

        assertNotSame(message.buffer(), copy.buffer());
        assertEquals(message.length(), copy.length());
        assertEquals(5, copy.buffer().getLong(copy.offset() + SbeMessage.HEADER_LENGTH,
            java.nio.ByteOrder.LITTLE_ENDIAN));
        assertSame(copy.buffer(), copy.mutableBuffer());
    }

    @Test
    void shouldNotHandOutABufferItDoesNotOwn()
    {
        final SbeMessage source = new SbeMessage(64);
        source.encode(new PongEncoder()).id(5);
        final SbeMessage view = new SbeMessage(64).wrap(source.buffer(), 0, source.length());

        assertThrows(IllegalStateException.class, view::mutableBuffer);
    }

    @Test
    void shouldBeEmptyUntilWrappedAndAfterAFailedWrap()
    {
        final SbeMessage message = new SbeMessage();
        assertTrue(message.isEmpty());
        assertThrows(IllegalStateException.class, message::templateId);
        assertThrows(IllegalStateException.class, message::length);
        assertThrows(IllegalArgumentException.class, () -> new SbeFlyweightCodec()
            .encode(message, new UnsafeBuffer(new byte[64]), 0, 64));

        final SbeMessage source = new SbeMessage(64);
        source.encode(new PongEncoder()).id(5);
        message.wrap(source.buffer(), 0, source.length());
        assertEquals(PongEncoder.TEMPLATE_ID, message.templateId());

        assertThrows(MalformedMessageException.class, () -> message.wrap(source.buffer(), 0, 4));
        assertTrue(message.isEmpty());
    }

    @Test
    void shouldRejectARegionOutsideTheBuffer()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[16]);
        final SbeMessage message = new SbeMessage();

        assertThrows(IndexOutOfBoundsException.class, () -> message.wrap(buffer, 10, 8));
        assertThrows(IndexOutOfBoundsException.class, () -> message.wrap(buffer, -1, 8));
        assertThrows(IndexOutOfBoundsException.class, () -> message.wrap(buffer, 0, Integer.MAX_VALUE));
    }
}
