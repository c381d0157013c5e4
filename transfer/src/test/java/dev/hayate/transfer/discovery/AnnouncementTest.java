package dev.hayate.transfer.discovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Random;

import org.junit.jupiter.api.Test;

import dev.hayate.transfer.crypto.CodePhrase;

class AnnouncementTest
{
    private final SecureRandom random = new SecureRandom();

    @Test
    void shouldRoundTripThroughBytesAndHex()
    {
        final Announcement a = Announcement.create(CodePhrase.parse("7-amber-falcon-river"), Announcement.QUIC, 40123,
            random);
        final byte[] bytes = a.encode();
        assertEquals(Announcement.LENGTH, bytes.length);
        assertEquals(a, Announcement.decode(bytes, 0, bytes.length));
        assertEquals(a, Announcement.decodeHex(a.encodeHex()));
        assertEquals(40123, a.port());
        assertEquals("quic", a.transportName());
    }

    @Test
    void shouldMatchEveryCodeWithTheSameNumberAndNoOther()
    {
        final Announcement a = Announcement.create(CodePhrase.parse("7-amber-falcon-river"), Announcement.TCP, 9, random);
        assertTrue(a.matches(CodePhrase.parse("7-amber-falcon-river")));
        // Only the number is keyed: the words stay for the PAKE, so an announcement cannot test them offline.
        assertTrue(a.matches(CodePhrase.parse("7-" + String.join("-", CodePhrase.words().subList(0, 3)))));
        assertFalse(a.matches(CodePhrase.parse("8-amber-falcon-river")));
    }

    @Test
    void shouldUseAFreshSaltForEachAnnouncementOfTheSameCode()
    {
        final CodePhrase code = CodePhrase.parse("7-amber-falcon-river");
        final Announcement a = Announcement.create(code, Announcement.TCP, 9, random);
        final Announcement b = Announcement.create(code, Announcement.TCP, 9, random);
        assertNotEquals(a.value(), b.value());
    }

    @Test
    void shouldCarryNeitherTheCodeNorItsWords()
    {
        final CodePhrase code = CodePhrase.parse("7-amber-falcon-river");
        final Announcement a = Announcement.create(code, Announcement.TCP, 9, random);
        final String raw = new String(a.encode(), StandardCharsets.ISO_8859_1);
        for (final String part : new String[] {"amber", "falcon", "river", "7-"})
        {
            assertFalse(raw.contains(part) || a.encodeHex().contains(part) || a.value().contains(part), part);
        }
    }

    @Test
    void shouldRejectBytesThatAreNotAnAnnouncement()
    {
        final byte[] good = Announcement.create(CodePhrase.parse("1-amber-falcon-river"), Announcement.TCP, 9, random)
            .encode();
        assertNull(Announcement.decode(good, 0, good.length - 1));
        final byte[] badMagic = good.clone();
        badMagic[0] ^= 1;
        assertNull(Announcement.decode(badMagic, 0, badMagic.length));
        final byte[] zeroPort = good.clone();
        zeroPort[6] = 0;
        zeroPort[7] = 0;
        assertNull(Announcement.decode(zeroPort, 0, zeroPort.length));
        final byte[] badTransport = good.clone();
        badTransport[4] = 9;
        assertNull(Announcement.decode(badTransport, 0, badTransport.length));
        assertNull(Announcement.decodeHex("zz"));
        assertNull(Announcement.decodeHex(null));
        final long seed = System.nanoTime();
        final Random r = new Random(seed);
        for (int i = 0; i < 10_000; i++)
        {
            final byte[] junk = new byte[r.nextInt(40)];
            r.nextBytes(junk);
            final Announcement a = Announcement.decode(junk, 0, junk.length);
            assertTrue(a == null || a.port() > 0, "seed " + seed);
        }
    }
}
