/**
 * QUIC for Hayate: {@link dev.hayate.quic.QuicEndpoint} (server or client), {@link dev.hayate.quic.QuicConnection}
 * (streams, ordered events, {@code observe()}, graceful {@code disconnect}) and {@link dev.hayate.quic.QuicStream}
 * ({@code send}/{@code recv} with deadlines, {@code finish}, {@code stop}, {@code observe()}), over one of two
 * backends: Netty's native QUIC codec (quiche, Apache-2.0) where its native library loads, kwik (pure Java,
 * LGPL-3.0) everywhere else. {@link dev.hayate.quic.QuicTransportProvider} adapts a stream to the core transport
 * SPI so any {@code Clt}/{@code Svc} runs over QUIC.
 *
 * <p>kwik is LGPL-3.0 and stays inside this module: nothing outside {@code dev.hayate.quic} sees its types.
 */
package dev.hayate.quic;
