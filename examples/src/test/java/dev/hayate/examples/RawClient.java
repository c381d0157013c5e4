package dev.hayate.examples;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

/**
 * A plain socket for hostile bytes: whatever it is told to write, nothing more.
 */
final class RawClient implements AutoCloseable
{
    private final Socket socket;

    RawClient(final InetSocketAddress address) throws IOException
    {
        socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.connect(address, 5_000);
    }

    int localPort()
    {
        return socket.getLocalPort();
    }

    void write(final byte[] bytes) throws IOException
    {
        socket.getOutputStream().write(bytes);
        socket.getOutputStream().flush();
    }

    /**
     * @param length   SOFH message length, header included.
     * @param encoding SOFH encoding type.
     * @return the 6-byte header.
     */
    static byte[] sofh(final long length, final int encoding)
    {
        return ByteBuffer.allocate(6).putInt((int)length).putShort((short)encoding).array();
    }

    /**
     * Reads (and discards) until the peer closes or the time is up.
     *
     * @param timeoutMs bound.
     * @return true if the gateway closed the connection (end of stream or reset) in time.
     */
    boolean awaitClosed(final long timeoutMs) throws IOException
    {
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        final InputStream in = socket.getInputStream();
        final byte[] sink = new byte[4096];
        while (System.nanoTime() - deadline < 0)
        {
            socket.setSoTimeout((int)Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            try
            {
                if (in.read(sink) < 0)
                {
                    return true;
                }
            }
            catch (final SocketTimeoutException ex)
            {
                return false;
            }
            catch (final SocketException ex)
            {
                return true;
            }
        }
        return false;
    }

    @Override
    public void close() throws IOException
    {
        socket.close();
    }
}
