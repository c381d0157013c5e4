/**
 * The order-entry example: a gateway ({@link dev.hayate.examples.Gateway}) and a trading client
 * ({@link dev.hayate.examples.TraderSession}, driven by {@link dev.hayate.examples.Trader}) speaking the SBE
 * order-entry schema ({@code codec/src/main/resources/sbe/order-entry.xml}) in SOFH frames, run from the command
 * line by {@link dev.hayate.examples.ExamplesMain} ({@code ./hayate gateway}, {@code ./hayate trader}).
 *
 * <h2>Session layer</h2>
 * <pre>
 *   trader                                                   gateway
 *   Login(user, password, lastSeqNoSeen, hb)        ──▶      credentials, session rules (GatewaySession.login)
 *                                                   ◀──      LoginAccepted(sessionId, nextSeqNo, hb) | LoginRejected
 *   resend own seqNo nextSeqNo..lastSent            ──▶      (trader's journal, inside its handshake)
 *                                                   ◀──      replay gateway seqNo lastSeqNoSeen+1..last (gateway journal)
 *   NewOrder/Cancel(seqNo n, n+1, ...)              ──▶      exactly the next seqNo: processed; lower: ignored;
 *                                                            higher: Reject(SEQUENCE_GAP) and close
 *                                                   ◀──      OrderAccepted / ExecutionReport / Reject(seqNo 1, 2, ...)
 *   Heartbeat after an interval of silence          ◀─▶      dead after 3 intervals without a frame
 *   Logout                                          ──▶      session ended, Logout back, close
 * </pre>
 *
 * <h2>Sessions and recovery</h2>
 * <ul>
 *   <li>A session belongs to a user and outlives connections. {@code lastSeqNoSeen = 0} with no open session opens a
 *   new one (both directions numbered from 1); any Login while the session is open resumes it, and the gateway
 *   resends everything after {@code lastSeqNoSeen} — the same bytes with the same seqNos — before any new message,
 *   as SoupBinTCP does. The session ends with a Logout, when the gateway gives up on a trader that fell behind its
 *   journal, or after an expiry without a connection.</li>
 *   <li>Each side journals what it sends ({@link dev.hayate.examples.Journal}): bounded by messages and by bytes,
 *   so memory is fixed per session. A resume that needs a message the gateway no longer has is refused with
 *   {@code LoginRejected(NOT_AVAILABLE)}; a resume ahead of what the gateway sent, or of an ended session, with
 *   {@code SEQUENCE_TOO_HIGH}; a second connection of a live session with {@code ALREADY_LOGGED_IN}.</li>
 *   <li>The gateway's journal is its sequencer and its send queue: a seqNo is assigned when a message is journaled,
 *   and a connection that is back-pressured or gone has simply not caught up yet. The trader stamps its seqNos in
 *   the protocol's {@code onSend} hook, once per message taken, and journals in {@code onSent}; state that must
 *   survive a reconnect (last gateway seqNo seen, the journal) lives outside the per-connection protocol.</li>
 * </ul>
 *
 * <h2>Threads</h2>
 * The gateway serves every connection on one thread (a core {@link dev.hayate.core.PollHandler} with the service's
 * {@link dev.hayate.core.Acceptor}); logins run on the acceptor's handshake threads, bounded by the connection
 * gate. The trader uses one thread for sending and receiving (a reconnecting nonblocking {@code Clt}); reconnects and
 * their logins run on the reconnector's thread. Both hot paths use SBE flyweights and allocate nothing per message.
 */
package dev.hayate.examples;
