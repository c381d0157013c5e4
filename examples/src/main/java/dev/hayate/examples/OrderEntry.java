package dev.hayate.examples;

import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

import dev.hayate.codec.SbeBounds;
import dev.hayate.codec.SbeMessage;
import dev.hayate.codec.orderentry.sbe.ExecutionReportDecoder;
import dev.hayate.codec.orderentry.sbe.HeartbeatEncoder;
import dev.hayate.codec.orderentry.sbe.LoginAcceptedEncoder;
import dev.hayate.codec.orderentry.sbe.LoginEncoder;
import dev.hayate.codec.orderentry.sbe.LoginRejectReason;
import dev.hayate.codec.orderentry.sbe.LoginRejectedDecoder;
import dev.hayate.codec.orderentry.sbe.LoginRejectedEncoder;
import dev.hayate.codec.orderentry.sbe.LogoutDecoder;
import dev.hayate.codec.orderentry.sbe.LogoutEncoder;
import dev.hayate.codec.orderentry.sbe.NewOrderDecoder;
import dev.hayate.codec.orderentry.sbe.RejectDecoder;

/**
 * Small helpers over the generated order-entry flyweights shared by the gateway and the trader: session messages
 * (built once per connection or per login, not on the hot path), symbols as 64-bit keys, and text fields.
 *
 * <p>Symbols: the schema's {@code Symbol} is 8 US-ASCII bytes, NUL-padded. Read as one little-endian
 * {@code long} it is a key that can be compared and hashed without a {@code String}.
 *
 * <p>Thread-safety: stateless; each method builds a new message or reads only its arguments.
 */
final class OrderEntry
{
    /** Price mantissa of 1.0: prices have four decimals. */
    static final long PRICE_ONE = 10_000;

    private static final byte[] NO_BYTES = new byte[0];

    private OrderEntry()
    {
    }

    /**
     * @param symbol 1 to 8 US-ASCII characters.
     * @return its key.
     */
    static long symbolKey(final CharSequence symbol)
    {
        if (symbol.length() < 1 || symbol.length() > 8)
        {
            throw new IllegalArgumentException("a symbol has 1 to 8 characters: '" + symbol + "'");
        }
        long key = 0;
        for (int i = 0; i < symbol.length(); i++)
        {
            final char c = symbol.charAt(i);
            if (c <= ' ' || c > '~')
            {
                throw new IllegalArgumentException("a symbol is printable US-ASCII without spaces: '" + symbol + "'");
            }
            key |= (long)c << (8 * i);
        }
        return key;
    }

    /**
     * @param order wrapped decoder.
     * @return the key of its symbol, read in place.
     */
    static long symbolKey(final NewOrderDecoder order)
    {
        return order.buffer().getLong(order.offset() + NewOrderDecoder.symbolEncodingOffset(), ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * @param key of a symbol.
     * @return the symbol, printable characters only (for messages to humans).
     */
    static String symbolName(final long key)
    {
        final StringBuilder name = new StringBuilder(8);
        for (int i = 0; i < 8; i++)
        {
            final char c = (char)((key >>> (8 * i)) & 0xFF);
            if (c == 0)
            {
                break;
            }
            name.append(c > ' ' && c <= '~' ? c : '?');
        }
        return name.toString();
    }

    /**
     * @return a Heartbeat, ready to send as often as needed.
     */
    static SbeMessage heartbeat()
    {
        final SbeMessage message = new SbeMessage(SbeMessage.HEADER_LENGTH + 8);
        message.encode(new HeartbeatEncoder());
        return message;
    }

    /**
     * @param text for humans.
     * @return a Logout.
     */
    static SbeMessage logout(final String text)
    {
        final byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        final SbeMessage message = new SbeMessage(SbeMessage.HEADER_LENGTH + LogoutEncoder.BLOCK_LENGTH + 2 + utf8.length);
        message.encode(new LogoutEncoder()).putText(utf8, 0, utf8.length);
        return message;
    }

    /**
     * @param lastSeqNoSeen       highest gateway seqNo processed.
     * @param heartbeatIntervalMs asked for.
     * @param username            US-ASCII.
     * @param password            US-ASCII.
     * @return a Login.
     */
    static SbeMessage login(final long lastSeqNoSeen, final long heartbeatIntervalMs, final String username,
        final String password)
    {
        final byte[] user = username.getBytes(StandardCharsets.US_ASCII);
        final byte[] secret = password.getBytes(StandardCharsets.US_ASCII);
        final SbeMessage message = new SbeMessage(SbeMessage.HEADER_LENGTH + LoginEncoder.BLOCK_LENGTH + 4 +
            user.length + secret.length);
        message.encode(new LoginEncoder())
            .lastSeqNoSeen(lastSeqNoSeen)
            .heartbeatIntervalMs(heartbeatIntervalMs)
            .putUsername(user, 0, user.length)
            .putPassword(secret, 0, secret.length);
        return message;
    }

    /**
     * @param sessionId           assigned.
     * @param nextSeqNo           expected on the trader's next application message.
     * @param heartbeatIntervalMs used from now on.
     * @return a LoginAccepted.
     */
    static SbeMessage loginAccepted(final long sessionId, final long nextSeqNo, final long heartbeatIntervalMs)
    {
        final SbeMessage message = new SbeMessage(SbeMessage.HEADER_LENGTH + LoginAcceptedEncoder.BLOCK_LENGTH);
        message.encode(new LoginAcceptedEncoder())
            .sessionId(sessionId)
            .nextSeqNo(nextSeqNo)
            .heartbeatIntervalMs(heartbeatIntervalMs);
        return message;
    }

    /**
     * @param reason why.
     * @param text   for humans.
     * @return a LoginRejected.
     */
    static SbeMessage loginRejected(final LoginRejectReason reason, final String text)
    {
        final byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        final SbeMessage message = new SbeMessage(SbeMessage.HEADER_LENGTH + LoginRejectedEncoder.BLOCK_LENGTH + 2 +
            utf8.length);
        message.encode(new LoginRejectedEncoder()).reason(reason).putText(utf8, 0, utf8.length);
        return message;
    }

    /**
     * Reads the text of a LoginRejected (allocates: not for the hot path).
     *
     * @param decoder wrapped; its reason must have been read.
     * @return the text.
     */
    static String text(final LoginRejectedDecoder decoder)
    {
        SbeBounds.checkVarData(decoder, "text", LoginRejectedDecoder.textHeaderLength(), decoder.textLength());
        return decoder.text();
    }

    /**
     * Reads the text of a Logout (allocates: not for the hot path).
     *
     * @param decoder wrapped.
     * @return the text.
     */
    static String text(final LogoutDecoder decoder)
    {
        SbeBounds.checkVarData(decoder, "text", LogoutDecoder.textHeaderLength(), decoder.textLength());
        return decoder.text();
    }

    /**
     * Reads the text of a Reject (allocates: not for the hot path).
     *
     * @param decoder wrapped; its fixed fields may have been read.
     * @return the text.
     */
    static String text(final RejectDecoder decoder)
    {
        SbeBounds.checkVarData(decoder, "text", RejectDecoder.textHeaderLength(), decoder.textLength());
        return decoder.text();
    }

    /**
     * Reads the text of an ExecutionReport after its fills (allocates: not for the hot path).
     *
     * @param decoder wrapped, fills read or skipped.
     * @return the text.
     */
    static String text(final ExecutionReportDecoder decoder)
    {
        SbeBounds.checkVarData(decoder, "text", ExecutionReportDecoder.textHeaderLength(), decoder.textLength());
        return decoder.text();
    }

    /**
     * @param text constant text for a message.
     * @return its UTF-8 bytes.
     */
    static byte[] utf8(final String text)
    {
        return text.isEmpty() ? NO_BYTES : text.getBytes(StandardCharsets.UTF_8);
    }
}
