package dev.hayate.core.stat;

/**
 * The engine's counters, one per process: what an operator reads when something is wrong. Each is an agrona
 * counter whose type id is {@link #typeId()} and whose label is {@link #label()}, in the order of this enum.
 *
 * <p>Thread-safety: immutable.
 */
public enum Stat
{
    /** Connections established (both roles; counted when the engine is built, before any handshake). */
    CONNECTIONS_OPENED("connections opened"),
    /** Connections closed, for any reason. */
    CONNECTIONS_CLOSED("connections closed"),
    /** Frames received and decoded. */
    FRAMES_IN("frames in"),
    /** Frames taken for sending (application messages and control messages). */
    FRAMES_OUT("frames out"),
    /** Bytes of frames received, SOFH header included. */
    BYTES_IN("bytes in"),
    /** Bytes of frames taken for sending, SOFH header included. */
    BYTES_OUT("bytes out"),
    /** Send attempts answered {@code BACK_PRESSURED}: the send buffer had no room for a frame. */
    BACK_PRESSURE("back-pressure events"),
    /**
     * Connections refused by a service's gate, for any reason: too many connections, lack of pool buffers, or one
     * of the limits counted on their own below ({@link #REFUSED_PER_ADDRESS}, {@link #REFUSED_HANDSHAKES},
     * {@link #REFUSED_RATE}).
     */
    REFUSED("refused by the gate"),
    /** Protocol handshakes that failed, were rejected or timed out. */
    HANDSHAKE_FAILURES("handshake failures"),
    /** Connections closed for a protocol error (bad frame header, undecodable frame). */
    PROTOCOL_ERRORS("protocol errors"),
    /** Control messages (heartbeats, automatic replies) dropped because their queue was full. */
    CONTROL_DROPPED("control messages dropped"),
    /** Of {@link #REFUSED}: the remote address already had its most connections (or the address table was full). */
    REFUSED_PER_ADDRESS("refused: per address"),
    /** Of {@link #REFUSED}: too many handshakes in progress, in all or from the remote address. */
    REFUSED_HANDSHAKES("refused: handshakes"),
    /** Of {@link #REFUSED}: the remote address opened new connections faster than its rate allows. */
    REFUSED_RATE("refused: rate"),
    /** Of {@link #HANDSHAKE_FAILURES}: handshakes that did not finish within the handshake timeout. */
    HANDSHAKE_TIMEOUTS("handshake timeouts");

    /** Type ids start here, so a reader can tell Hayate's counters from others in a shared file. */
    public static final int TYPE_ID_BASE = 0x4859_0000;

    private static final Stat[] VALUES = values();

    private final String label;

    Stat(final String label)
    {
        this.label = label;
    }

    /**
     * @return the counter's label, as a reader prints it.
     */
    public String label()
    {
        return label;
    }

    /**
     * @return the counter's agrona type id.
     */
    public int typeId()
    {
        return TYPE_ID_BASE + ordinal();
    }

    /**
     * @param typeId an agrona counter type id.
     * @return the stat with that id, or {@code null} if it is not one of Hayate's.
     */
    public static Stat ofTypeId(final int typeId)
    {
        final int index = typeId - TYPE_ID_BASE;
        return index >= 0 && index < VALUES.length ? VALUES[index] : null;
    }
}
