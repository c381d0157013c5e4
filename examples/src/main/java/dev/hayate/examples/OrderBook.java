package dev.hayate.examples;

import java.util.ArrayDeque;

import org.agrona.collections.Long2ObjectHashMap;

/**
 * One session's resting orders ({@code LIMIT} / {@code GOOD_TILL_CANCEL}), keyed by the trader's clOrdId, so a
 * {@code Cancel} can find them. Bounded: at most {@code capacity} live orders, their entries allocated once.
 *
 * <p>Thread-safety: the gateway thread only.
 */
final class OrderBook
{
    /**
     * A resting order; reused once it leaves the book.
     */
    static final class Order
    {
        long clOrdId;
        long orderId;
        long price;
        long quantity;
        byte side;
    }

    private final int capacity;
    private final Long2ObjectHashMap<Order> live;
    private final ArrayDeque<Order> free;

    /**
     * @param capacity most live orders.
     */
    OrderBook(final int capacity)
    {
        this.capacity = capacity;
        this.live = new Long2ObjectHashMap<>(Math.max(8, capacity * 2), 0.65f);
        this.free = new ArrayDeque<>(capacity);
        for (int i = 0; i < capacity; i++)
        {
            free.add(new Order());
        }
    }

    /**
     * @return an entry to fill and {@link #add}, or {@code null} when the book is full.
     */
    Order claim()
    {
        return free.poll();
    }

    /**
     * @param order claimed and filled in.
     */
    void add(final Order order)
    {
        live.put(order.clOrdId, order);
    }

    /**
     * @param clOrdId of a live order.
     * @return true if an order with that clOrdId is live.
     */
    boolean contains(final long clOrdId)
    {
        return live.containsKey(clOrdId);
    }

    /**
     * Takes an order out of the book; read it, then {@link #recycle} it.
     *
     * @param clOrdId of the order.
     * @return the order, or {@code null} if none is live with that clOrdId.
     */
    Order remove(final long clOrdId)
    {
        return live.remove(clOrdId);
    }

    /**
     * @param order removed and read.
     */
    void recycle(final Order order)
    {
        free.add(order);
    }

    /**
     * Forgets every order (a new session).
     */
    void clear()
    {
        live.values().forEach(free::add);
        live.clear();
    }

    /**
     * @return live orders.
     */
    int size()
    {
        return live.size();
    }

    /**
     * @return most live orders.
     */
    int capacity()
    {
        return capacity;
    }
}
