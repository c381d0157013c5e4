package dev.hayate.core.transport;

import java.io.IOException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.function.Consumer;

/**
 * Selector waits that allocate nothing: the consumer form of {@code select} skips the selected-key set,
 * whose every insertion allocates a hash node.
 */
final class Selectors
{
    private static final Consumer<SelectionKey> IGNORE = key -> { };

    private Selectors()
    {
    }

    /**
     * @param selector     to wait on.
     * @param timeoutNanos longest wait; 0 or negative checks once.
     * @return number of keys whose readiness was updated.
     * @throws IOException if the selector failed.
     */
    static int select(final Selector selector, final long timeoutNanos) throws IOException
    {
        if (timeoutNanos <= 0)
        {
            return selector.selectNow(IGNORE);
        }
        return selector.select(IGNORE, Math.max(1, (timeoutNanos + 999_999) / 1_000_000));
    }
}
