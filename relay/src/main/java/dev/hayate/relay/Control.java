package dev.hayate.relay;

import java.nio.ByteBuffer;

/**
 * The plaintext of a control frame (sealed with the connection's transport keys, so a party on the network between
 * a client and the relay can neither forge nor replay one):
 *
 * <pre>
 *  0      1       2              10             18                34
 *  +------+-------+--------------+--------------+-----------------+
 *  | type | flags | a (int64 BE) | b (int64 BE) | epoch (16)      |
 *  +------+-------+--------------+--------------+-----------------+
 * </pre>
 *
 * <table>
 *   <caption>control types</caption>
 *   <tr><th>type</th><th>flags</th><th>a</th><th>b</th><th>epoch</th></tr>
 *   <tr><td>JOINED</td><td>bit 0 producer present, bit 1 late (live edge)</td><td>next sequence</td>
 *       <td>policy</td><td>producer's epoch</td></tr>
 *   <tr><td>PRODUCER_JOINED</td><td></td><td></td><td>policy</td><td>new epoch</td></tr>
 *   <tr><td>PRODUCER_GONE</td><td></td><td>next sequence</td><td></td><td></td></tr>
 *   <tr><td>GAP</td><td></td><td>first missed</td><td>count</td><td></td></tr>
 *   <tr><td>REFUSED</td><td></td><td>reason</td><td></td><td></td></tr>
 * </table>
 *
 * @param type  what it says.
 * @param flags see the table.
 * @param a     see the table.
 * @param b     see the table.
 * @param epoch see the table; 16 bytes.
 */
record Control(int type, int flags, long a, long b, byte[] epoch)
{
    static final int JOINED = 1;
    static final int PRODUCER_JOINED = 2;
    static final int PRODUCER_GONE = 3;
    static final int GAP = 4;
    static final int REFUSED = 5;

    static final int FLAG_PRODUCER_PRESENT = 1;
    static final int FLAG_LATE = 2;

    static final int LENGTH = 34;
    private static final byte[] NO_EPOCH = new byte[RelayCrypto.EPOCH_LENGTH];

    static Control of(final int type, final int flags, final long a, final long b)
    {
        return new Control(type, flags, a, b, NO_EPOCH);
    }

    byte[] toBytes()
    {
        return ByteBuffer.allocate(LENGTH).put((byte)type).put((byte)flags).putLong(a).putLong(b).put(epoch).array();
    }

    static Control fromBytes(final ByteBuffer plain)
    {
        if (plain.remaining() != LENGTH)
        {
            throw new IllegalArgumentException("control of " + plain.remaining() + " bytes, expected " + LENGTH);
        }
        final int type = plain.get() & 0xFF;
        final int flags = plain.get() & 0xFF;
        final long a = plain.getLong();
        final long b = plain.getLong();
        final byte[] epoch = new byte[RelayCrypto.EPOCH_LENGTH];
        plain.get(epoch);
        return new Control(type, flags, a, b, epoch);
    }
}
