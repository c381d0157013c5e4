package dev.hayate.core;

/**
 * Which optional hooks a protocol class overrides, looked up once per class: a hook left at its default
 * costs nothing per connection (no handshake thread, no clock reads).
 */
final class Hooks
{
    private static final ClassValue<Boolean> OVERRIDES_ON_CONNECT = overrides("onConnect", Session.class);
    private static final ClassValue<Boolean> OVERRIDES_IS_CONNECTED = overrides("isConnected", long.class);

    private Hooks()
    {
    }

    private static ClassValue<Boolean> overrides(final String name, final Class<?>... parameters)
    {
        return new ClassValue<>()
        {
            @Override
            protected Boolean computeValue(final Class<?> type)
            {
                try
                {
                    return type.getMethod(name, parameters).getDeclaringClass() != Protocol.class;
                }
                catch (final NoSuchMethodException ex)
                {
                    return Boolean.FALSE;
                }
            }
        };
    }

    static boolean overridesOnConnect(final Protocol<?> protocol)
    {
        return OVERRIDES_ON_CONNECT.get(protocol.getClass());
    }

    static boolean overridesIsConnected(final Protocol<?> protocol)
    {
        return OVERRIDES_IS_CONNECTED.get(protocol.getClass());
    }
}
