package dev.hayate.core;

/**
 * Why a connection closed. The first reason recorded wins; later ones are ignored.
 *
 * <p>Thread-safety: immutable.
 */
public enum CloseReason
{
    /** Still open. */
    NONE,
    /** This side called {@code close()}. */
    LOCAL,
    /** The peer closed its side of the connection (end of stream). */
    PEER_CLOSED,
    /** The peer broke the framing or codec rules: bad length, unknown encoding, undecodable body. */
    PROTOCOL_ERROR,
    /** The transport failed (reset, broken pipe, ...). */
    IO_ERROR,
    /** The protocol's connect handshake failed or timed out. */
    HANDSHAKE_FAILED,
    /** Nothing arrived from the peer within its liveness interval. */
    HEARTBEAT_TIMEOUT,
    /** The endpoint refused the connection (connection gate, no buffer available). */
    REFUSED
}
