package dev.hayate.core.transport.tls;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Seals and opens application records of an established session without going through {@link
 * javax.net.ssl.SSLEngine#wrap} and {@code unwrap}, whose result object is the one allocation left per record with the
 * OpenSSL engine. {@link TlsTransport} uses it once the handshake has finished, for direct buffers; the handshake,
 * alerts and close_notify still go through the engine, which shares the native session.
 *
 * <p>Thread-safety: safe for one reading and one writing thread at once (each call holds the engine's lock, as the
 * engine's own calls do, and no call touches a session the engine has freed).
 */
interface DirectRecords
{
    /**
     * Seals at most one record's worth of {@code src} into {@code netOut}, after any control record the session has
     * queued (the answer to a peer's KeyUpdate), so records leave in the order the session made them.
     *
     * @param src    direct, the plaintext; its position moves past what was sealed.
     * @param netOut direct, in write mode; its position moves past what was produced.
     * @return plaintext bytes sealed: 0 when {@code netOut} has no room for another record.
     * @throws IOException if the session is closed or failed (an {@link javax.net.ssl.SSLException} naming why).
     */
    int seal(ByteBuffer src, ByteBuffer netOut) throws IOException;

    /**
     * Opens what {@code netIn} holds into {@code dst}, at most one record's plaintext.
     *
     * @param netIn direct, in read mode; its position moves past what the session took (a partial record is kept
     *              inside the session until the rest arrives).
     * @param dst   direct, with room for a whole record's plaintext.
     * @return plaintext bytes opened; 0 when the session needs more bytes; -1 at the peer's close_notify.
     * @throws IOException if a record is refused (altered, out of order, not TLS) or the session was freed.
     */
    int open(ByteBuffer netIn, ByteBuffer dst) throws IOException;

    /**
     * @return true when the last {@link #open} made the session queue a record of its own to send (a KeyUpdate
     *         answer, an alert). From the thread that opens.
     */
    boolean controlPending();

    /**
     * Moves the queued control records into {@code netOut}, as far as it has room.
     *
     * @param netOut direct, in write mode.
     */
    void flushControl(ByteBuffer netOut);
}
