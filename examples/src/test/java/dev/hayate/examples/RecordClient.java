package dev.hayate.examples;

import java.io.IOException;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.hayate.blocking.Clt;
import dev.hayate.codec.orderentry.OrderEntryCodecs;
import dev.hayate.codec.orderentry.OrderEntryMessage;
import dev.hayate.codec.orderentry.OrderEntryMessage.Login;
import dev.hayate.codec.orderentry.OrderEntryMessage.NewOrder;
import dev.hayate.codec.orderentry.sbe.OrdType;
import dev.hayate.codec.orderentry.sbe.Side;
import dev.hayate.codec.orderentry.sbe.TimeInForce;
import dev.hayate.core.Codec;
import dev.hayate.core.Context;
import dev.hayate.core.Status;
import dev.hayate.core.transport.TransportProvider;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * A bare order-entry client for protocol-level assertions: records on the wire as the application writes them, no
 * session layer (no stamping, no heartbeats, no resend), blocking receives with timeouts.
 */
final class RecordClient implements AutoCloseable
{
    final Clt<OrderEntryMessage> clt;

    RecordClient(final SocketAddress gateway) throws IOException
    {
        this(gateway, null);
    }

    RecordClient(final SocketAddress gateway, final TransportProvider transport) throws IOException
    {
        final Context context = new Context().name("record-client").maxFrameLength(4_096)
            .connectTimeout(5, TimeUnit.SECONDS);
        if (transport != null)
        {
            context.transportProvider(transport);
        }
        this.clt = Clt.connect(gateway, id ->
        {
            final Codec<OrderEntryMessage> codec = OrderEntryCodecs.records();
            return () -> codec;
        }, context);
    }

    void send(final OrderEntryMessage message)
    {
        assertEquals(Status.OK, clt.send(message, 5, TimeUnit.SECONDS), () -> "send " + message + ": " + clt.closeDetail());
    }

    OrderEntryMessage recv()
    {
        return clt.recv(5, TimeUnit.SECONDS);
    }

    OrderEntryMessage recv(final long millis)
    {
        return clt.recv(millis, TimeUnit.MILLISECONDS);
    }

    /**
     * @param type expected.
     * @param <M>  its type.
     * @return the next message, which must be of that type.
     */
    <M extends OrderEntryMessage> M expect(final Class<M> type)
    {
        final OrderEntryMessage message = recv();
        assertNotNull(message, () -> "expected " + type.getSimpleName() + " but nothing came: " + clt.closeReason() +
            " " + clt.closeDetail());
        assertEquals(type, message.getClass(), () -> "expected " + type.getSimpleName() + ", got " + message);
        return type.cast(message);
    }

    /**
     * @param count messages to receive.
     * @return them.
     */
    List<OrderEntryMessage> take(final int count)
    {
        final List<OrderEntryMessage> messages = new ArrayList<>();
        for (int i = 0; i < count; i++)
        {
            final OrderEntryMessage message = recv();
            assertNotNull(message, () -> "message " + messages.size() + " of " + count + " missing: " + clt.closeDetail());
            messages.add(message);
        }
        return messages;
    }

    /**
     * @return true if the gateway closed the connection within 5 s (after any messages still queued).
     */
    boolean awaitClosedByGateway()
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() - deadline < 0)
        {
            if (clt.recv(100, TimeUnit.MILLISECONDS) == null && clt.isClosed())
            {
                return true;
            }
        }
        return false;
    }

    static Login login(final String user, final String password, final long lastSeqNoSeen)
    {
        return new Login(lastSeqNoSeen, 1_000, user, password);
    }

    static NewOrder order(final long seqNo, final long clOrdId, final long quantity)
    {
        return new NewOrder(seqNo, clOrdId, "HAYATE", Side.BUY, OrdType.LIMIT, 1_012_500, quantity, TimeInForce.DAY, 0);
    }

    @Override
    public void close()
    {
        clt.close();
    }
}
