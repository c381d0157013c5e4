package dev.hayate.transfer;

/**
 * The stages a transfer goes through, in order; {@link #FAILED} can follow any of them.
 *
 * <p>Thread-safety: immutable.
 */
public enum Stage
{
    /** Dialling the peer, or waiting for it to dial. */
    CONNECTING,
    /** Exchanging hellos and running the PAKE on the code phrase. */
    PAIRING,
    /** Keys confirmed: everything from here on is sealed. */
    HANDSHAKING,
    /** The manifest is offered (sender) or shown for consent (receiver). */
    OFFER,
    /** Chunks are moving. */
    TRANSFERRING,
    /** Waiting for the last checksums to be compared. */
    VERIFYING,
    /** Every file arrived and matched its checksum. */
    DONE,
    /** The transfer stopped; see the {@link TransferException}. */
    FAILED;

    /** The detail of {@link #OFFER}, the same on both sides: "1 file, 4200 bytes". */
    static String offerDetail(final int files, final long bytes)
    {
        return files + (files == 1 ? " file, " : " files, ") + bytes + (bytes == 1 ? " byte" : " bytes");
    }
}
