package dev.hayate.transfer.crypto;

/**
 * Which end of a transfer this side is. The role is the participant id in the PAKE, picks the key this side
 * seals with, and is bound into every nonce and associated data, so the two directions of one session never
 * share a key or a nonce.
 *
 * <p>Thread-safety: immutable.
 */
public enum Role
{
    /** The side that offers files. */
    SENDER("hayate-sender", 0x53454e44),

    /** The side that accepts files. */
    RECEIVER("hayate-receiver", 0x52454356);

    private final String participantId;
    private final int directionConstant;

    Role(final String participantId, final int directionConstant)
    {
        this.participantId = participantId;
        this.directionConstant = directionConstant;
    }

    /**
     * @return the PAKE participant id of this role.
     */
    public String participantId()
    {
        return participantId;
    }

    /**
     * @return the 4-byte constant that starts every nonce of frames sealed by this role ("SEND" / "RECV").
     */
    public int directionConstant()
    {
        return directionConstant;
    }

    /**
     * @return the other role.
     */
    public Role peer()
    {
        return this == SENDER ? RECEIVER : SENDER;
    }
}
