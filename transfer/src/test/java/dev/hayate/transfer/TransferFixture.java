package dev.hayate.transfer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.UnaryOperator;

import dev.hayate.core.transport.TransportProvider;
import dev.hayate.transfer.crypto.CodePhrase;

/**
 * Runs a receiver on an ephemeral loopback port and a sender against it, every wait bounded.
 */
final class TransferFixture
{
    static final Duration BOUND = Duration.ofSeconds(60);

    /** The transports the suite runs over: the engine does not know which it has. */
    enum Wire
    {
        TCP, QUIC;

        /** @return the two sides' providers (null for the default TCP), closed by the caller. */
        Providers open()
        {
            if (this == TCP)
            {
                return new Providers(null, null);
            }
            return new Providers(
                dev.hayate.quic.QuicTransportProvider.client(new dev.hayate.quic.QuicConfig()
                    .backend(dev.hayate.quic.QuicConfig.Backend.NETTY).insecureTrustAnyCertificateForDevelopment()),
                dev.hayate.quic.QuicTransportProvider.server(new dev.hayate.quic.QuicConfig()
                    .backend(dev.hayate.quic.QuicConfig.Backend.NETTY)));
        }
    }

    record Providers(TransportProvider sender, TransportProvider receiver) implements AutoCloseable
    {
        @Override
        public void close() throws java.io.IOException
        {
            for (final TransportProvider p : new TransportProvider[] {sender, receiver})
            {
                if (p instanceof java.io.Closeable c)
                {
                    c.close();
                }
                else if (p instanceof AutoCloseable c)
                {
                    try
                    {
                        c.close();
                    }
                    catch (final Exception ex)
                    {
                        throw new java.io.IOException(ex);
                    }
                }
            }
        }
    }

    private TransferFixture()
    {
    }

    record Outcome(TransferResult sent, Throwable sendFailure, TransferResult received, Throwable receiveFailure)
    {
        TransferException sendError()
        {
            return sendFailure instanceof TransferException te ? te : null;
        }

        TransferException receiveError()
        {
            return receiveFailure instanceof TransferException te ? te : null;
        }
    }

    static Outcome run(final List<Path> paths, final Path out, final CodePhrase senderCode,
        final CodePhrase receiverCode, final UnaryOperator<TransferSender.Builder> senderTweak,
        final UnaryOperator<TransferReceiver.Builder> receiverTweak, final ConsentCallback consent,
        final TransportProvider senderTransport, final TransportProvider receiverTransport) throws Exception
    {
        return run(paths, out, senderCode, receiverCode, senderTweak, receiverTweak, consent, senderTransport,
            receiverTransport, null);
    }

    static Outcome run(final List<Path> paths, final Path out, final CodePhrase senderCode,
        final CodePhrase receiverCode, final UnaryOperator<TransferSender.Builder> senderTweak,
        final UnaryOperator<TransferReceiver.Builder> receiverTweak, final ConsentCallback consent,
        final TransportProvider senderTransport, final TransportProvider receiverTransport,
        final TamperingProxy.Tamper tamper) throws Exception
    {
        final TransferReceiver.Builder rb = TransferReceiver.builder()
            .listen(new InetSocketAddress("127.0.0.1", 0))
            .code(receiverCode)
            .outputDir(out)
            .acceptTimeout(BOUND)
            .idleTimeout(Duration.ofSeconds(30));
        if (receiverTransport != null)
        {
            rb.transport(receiverTransport);
        }
        final TransferReceiver receiver = receiverTweak.apply(rb).build();
        final CompletableFuture<TransferResult> receiving = receiver.receiveAsync(consent);
        final SocketAddress bound = receiver.awaitBound(BOUND);
        if (bound == null)
        {
            receiving.get(BOUND.toSeconds(), TimeUnit.SECONDS);
            throw new IllegalStateException("receiver never bound");
        }
        final TamperingProxy proxy = tamper == null ? null :
            new TamperingProxy((InetSocketAddress)bound, tamper);
        final TransferSender.Builder sb = TransferSender.builder()
            .to(proxy == null ? bound : proxy.address())
            .code(senderCode)
            .connectTimeout(Duration.ofSeconds(20))
            .idleTimeout(Duration.ofSeconds(30));
        if (senderTransport != null)
        {
            sb.transport(senderTransport);
        }
        final TransferSender sender = senderTweak.apply(sb).build();
        final CompletableFuture<TransferResult> sending = sender.sendAsync(paths);
        TransferResult sent = null;
        Throwable sendFailure = null;
        TransferResult received = null;
        Throwable receiveFailure = null;
        try
        {
            sent = sending.get(BOUND.toSeconds(), TimeUnit.SECONDS);
        }
        catch (final ExecutionException ex)
        {
            sendFailure = ex.getCause();
        }
        catch (final TimeoutException ex)
        {
            sender.cancel();
            sendFailure = ex;
        }
        try
        {
            received = receiving.get(BOUND.toSeconds(), TimeUnit.SECONDS);
        }
        catch (final ExecutionException ex)
        {
            receiveFailure = ex.getCause();
        }
        catch (final TimeoutException ex)
        {
            receiver.cancel();
            receiveFailure = ex;
        }
        if (proxy != null)
        {
            proxy.close();
        }
        return new Outcome(sent, sendFailure, received, receiveFailure);
    }

    static Outcome run(final List<Path> paths, final Path out, final CodePhrase senderCode,
        final CodePhrase receiverCode, final UnaryOperator<TransferSender.Builder> senderTweak,
        final UnaryOperator<TransferReceiver.Builder> receiverTweak, final ConsentCallback consent, final Wire wire)
        throws Exception
    {
        try (Providers providers = wire.open())
        {
            return run(paths, out, senderCode, receiverCode, senderTweak, receiverTweak, consent, providers.sender(),
                providers.receiver());
        }
    }

    static Outcome run(final List<Path> paths, final Path out) throws Exception
    {
        final CodePhrase code = CodePhrase.generate(new SecureRandom());
        return run(paths, out, code, code, b -> b, b -> b, ConsentCallback.ACCEPT_ALL, null, null);
    }

    static byte[] randomBytes(final long seed, final int length)
    {
        final byte[] bytes = new byte[length];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    static byte[] textBytes(final int length)
    {
        final StringBuilder b = new StringBuilder(length + 80);
        int line = 0;
        while (b.length() < length)
        {
            b.append("line ").append(line++).append(": the quick brown fox jumps over the lazy dog\n");
        }
        return b.substring(0, length).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

    /** @return a 200,000-byte text file {@code src/report.txt} under {@code dir}, the pairing tests' offer. */
    static Path report(final Path dir) throws IOException
    {
        final Path src = dir.resolve("src/report.txt");
        write(src, textBytes(200_000));
        return src;
    }

    /** @return true if the folder holds nothing at all. */
    static boolean isEmpty(final Path dir) throws IOException
    {
        try (java.util.stream.Stream<Path> all = Files.list(dir))
        {
            return all.findAny().isEmpty();
        }
    }

    static void write(final Path file, final byte[] bytes) throws IOException
    {
        Files.createDirectories(file.getParent());
        Files.write(file, bytes);
    }
}
