package dev.hayate.core;

import java.net.SocketAddress;

/**
 * Identity of one connection, for callbacks, logs and counters.
 *
 * <p>Thread-safety: immutable.
 *
 * @param role   whether this side initiated the connection or accepted it.
 * @param name   the endpoint's configured name, for humans.
 * @param local  local transport address, or {@code null} if not known.
 * @param remote remote transport address, or {@code null} if not known.
 */
public record ConId(Role role, String name, SocketAddress local, SocketAddress remote)
{
    /** Which side of the connection this is. */
    public enum Role
    {
        /** A client: it connected to a service. */
        INITIATOR,
        /** A service's side of a connection it accepted. */
        ACCEPTOR
    }

    @Override
    public String toString()
    {
        return (role == Role.INITIATOR ? "Clt" : "Svc") + '(' + name + ' ' + local + (role == Role.INITIATOR ? "->" : "<-") + remote + ')';
    }
}
