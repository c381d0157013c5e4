package dev.hayate.transfer.discovery;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import dev.hayate.transfer.crypto.CodePhrase;

/**
 * What a listening sender tells its LAN: the port to dial and a value that lets the receiver holding the same
 * code recognise it, and nobody else learn the code.
 *
 * <pre>
 *   0       4    5    6        8                16               24
 *   ┌───────┬────┬────┬────────┬────────────────┬────────────────┐
 *   │ "HYD1"│ tr │ 0  │ port   │ salt (8, fresh │ tag (8)        │   24 bytes, big-endian port
 *   │ magic │    │    │ (BE)   │ per sender run)│                │   tr: 0 TCP, 1 QUIC
 *   └───────┴────┴────┴────────┴────────────────┴────────────────┘
 *   tag = HMAC-SHA256(key = "hayate-discovery v1:" + the code's number, salt)[0..8)
 * </pre>
 *
 * <p>The tag is keyed by the code's leading number only (0–999, under 10 bits), never by the words: anyone on the
 * LAN can find the number by trying all thousand keys, and that is all an announcement gives away; a tag over the
 * whole code would let them search the code's ~40 bits offline. The words stay protected by the PAKE, where each
 * guess costs a live pairing attempt. The salt makes two announcements of the same number unlinkable and lets
 * listeners tell senders apart. The value ({@link #value()}, salt and tag) is what {@code hayate discover}
 * lists.
 *
 * <p>Thread-safety: immutable.
 */
public final class Announcement
{
    /** Bytes on the wire. */
    public static final int LENGTH = 24;
    /** Transport byte: TCP. */
    public static final byte TCP = 0;
    /** Transport byte: QUIC. */
    public static final byte QUIC = 1;

    private static final byte[] MAGIC = {'H', 'Y', 'D', '1'};
    private static final int SALT_LENGTH = 8;
    private static final int TAG_LENGTH = 8;
    private static final String KEY_LABEL = "hayate-discovery v1:";

    private final byte transport;
    private final int port;
    private final byte[] salt;
    private final byte[] tag;

    private Announcement(final byte transport, final int port, final byte[] salt, final byte[] tag)
    {
        this.transport = transport;
        this.port = port;
        this.salt = salt;
        this.tag = tag;
    }

    /**
     * @param code      the sender's code; only its number is used.
     * @param transport {@link #TCP} or {@link #QUIC}.
     * @param port      the sender's listening port.
     * @param random    for the fresh salt.
     * @return a new announcement with a fresh salt.
     */
    public static Announcement create(final CodePhrase code, final byte transport, final int port,
        final SecureRandom random)
    {
        if (port <= 0 || port > 0xFFFF)
        {
            throw new IllegalArgumentException("port " + port + " outside 1..65535");
        }
        final byte[] salt = new byte[SALT_LENGTH];
        random.nextBytes(salt);
        return new Announcement(transport, port, salt, tag(code.number(), salt));
    }

    /**
     * Reads an announcement from untrusted bytes.
     *
     * @param bytes  the datagram or mDNS record.
     * @param offset where it starts.
     * @param length how many bytes there are.
     * @return the announcement, or null if these bytes are not one (wrong length, magic or port).
     */
    public static Announcement decode(final byte[] bytes, final int offset, final int length)
    {
        if (length != LENGTH || !Arrays.equals(bytes, offset, offset + MAGIC.length, MAGIC, 0, MAGIC.length))
        {
            return null;
        }
        final ByteBuffer b = ByteBuffer.wrap(bytes, offset, length);
        b.position(offset + MAGIC.length);
        final byte transport = b.get();
        b.get();
        final int port = b.getShort() & 0xFFFF;
        if (port == 0 || (transport != TCP && transport != QUIC))
        {
            return null;
        }
        final byte[] salt = new byte[SALT_LENGTH];
        final byte[] tag = new byte[TAG_LENGTH];
        b.get(salt).get(tag);
        return new Announcement(transport, port, salt, tag);
    }

    /**
     * @param text {@link #encodeHex()} output.
     * @return the announcement, or null if the text is not one.
     */
    public static Announcement decodeHex(final String text)
    {
        if (text == null || text.length() != LENGTH * 2)
        {
            return null;
        }
        try
        {
            final byte[] bytes = HexFormat.of().parseHex(text);
            return decode(bytes, 0, bytes.length);
        }
        catch (final IllegalArgumentException ex)
        {
            return null;
        }
    }

    /** @return the {@value #LENGTH} bytes sent. */
    public byte[] encode()
    {
        return ByteBuffer.allocate(LENGTH).put(MAGIC).put(transport).put((byte)0).putShort((short)port).put(salt)
            .put(tag).array();
    }

    /** @return {@link #encode()} in lower-case hex, for an mDNS TXT record. */
    public String encodeHex()
    {
        return HexFormat.of().formatHex(encode());
    }

    /**
     * @param code the receiver's code; only its number is used.
     * @return whether this announcement was made with a code of the same number (compared in constant time).
     */
    public boolean matches(final CodePhrase code)
    {
        return MessageDigest.isEqual(tag, tag(code.number(), salt));
    }

    /** @return the value a listener can show: salt and tag in hex (32 characters), no code, no names. */
    public String value()
    {
        return HexFormat.of().formatHex(salt) + HexFormat.of().formatHex(tag);
    }

    /** @return the sender's listening port. */
    public int port()
    {
        return port;
    }

    /** @return {@link #TCP} or {@link #QUIC}. */
    public byte transport()
    {
        return transport;
    }

    /** @return "tcp" or "quic". */
    public String transportName()
    {
        return transport == QUIC ? "quic" : "tcp";
    }

    @Override
    public boolean equals(final Object other)
    {
        return other instanceof Announcement a && a.transport == transport && a.port == port &&
            Arrays.equals(a.salt, salt) && Arrays.equals(a.tag, tag);
    }

    @Override
    public int hashCode()
    {
        return Arrays.hashCode(salt) * 31 + port;
    }

    @Override
    public String toString()
    {
        return value() + " port " + port + " " + transportName();
    }

    private static byte[] tag(final int number, final byte[] salt)
    {
        try
        {
            final Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec((KEY_LABEL + number).getBytes(StandardCharsets.US_ASCII), "HmacSHA256"));
            return Arrays.copyOf(mac.doFinal(salt), TAG_LENGTH);
        }
        catch (final GeneralSecurityException ex)
        {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", ex);
        }
    }
}
