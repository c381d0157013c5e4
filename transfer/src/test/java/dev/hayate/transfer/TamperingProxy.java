package dev.hayate.transfer;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A man in the middle for tests: forwards SOFH frames between a sender and a receiver on loopback, and lets a
 * test rewrite the sender's sealed chunk frames (drop, replay, reorder, flip a byte, cut the stream). It reads
 * frames, not bytes, so it can act on whole chunks the way a hostile relay would.
 */
final class TamperingProxy implements AutoCloseable
{
    /** Template id of a sealed frame in the transfer schema, and where its kind byte sits in a frame. */
    static final int SEALED_TEMPLATE = 3;
    static final int KIND_OFFSET = 6 + 8;

    /** Decides what to forward for one sealed chunk frame of the sender. */
    interface Tamper
    {
        /**
         * @param chunkNumber 0 for the first sealed chunk frame the sender sent, then 1, 2 ...
         * @param frame       the whole frame, SOFH header included.
         * @return the frames to forward in its place (empty to drop); null to cut the connection here.
         */
        List<byte[]> onChunk(int chunkNumber, byte[] frame);
    }

    private final ServerSocket server;
    private final InetSocketAddress target;
    private final Tamper tamper;
    private final AtomicInteger chunks = new AtomicInteger();
    private volatile Socket left;
    private volatile Socket right;
    private final Thread acceptor;

    TamperingProxy(final InetSocketAddress target, final Tamper tamper) throws IOException
    {
        this.server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        this.target = target;
        this.tamper = tamper;
        this.acceptor = new Thread(this::serve, "tampering-proxy");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    InetSocketAddress address()
    {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort());
    }

    int chunksSeen()
    {
        return chunks.get();
    }

    private void serve()
    {
        try
        {
            left = server.accept();
            right = new Socket(target.getAddress(), target.getPort());
            left.setTcpNoDelay(true);
            right.setTcpNoDelay(true);
            final Thread back = new Thread(() -> pump(right, left, false), "tampering-proxy-back");
            back.setDaemon(true);
            back.start();
            pump(left, right, true);
        }
        catch (final IOException ex)
        {
            closeQuietly();
        }
    }

    private void pump(final Socket from, final Socket to, final boolean tampering)
    {
        try
        {
            final DataInputStream in = new DataInputStream(from.getInputStream());
            final OutputStream out = to.getOutputStream();
            while (true)
            {
                final byte[] frame = readFrame(in);
                if (frame == null)
                {
                    break;
                }
                final boolean chunk = tampering && isSealedChunk(frame);
                final List<byte[]> forward = chunk ? tamper.onChunk(chunks.getAndIncrement(), frame) : List.of(frame);
                if (forward == null)
                {
                    break;
                }
                for (final byte[] f : forward)
                {
                    out.write(f);
                }
                out.flush();
            }
        }
        catch (final IOException ex)
        {
            // Either side went away: close both, as a relay would.
        }
        closeQuietly();
    }

    static boolean isSealedChunk(final byte[] frame)
    {
        if (frame.length <= KIND_OFFSET)
        {
            return false;
        }
        final int template = (frame[6 + 2] & 0xFF) | (frame[6 + 3] & 0xFF) << 8;
        return template == SEALED_TEMPLATE && frame[KIND_OFFSET] == dev.hayate.transfer.wire.Kind.CHUNK;
    }

    private static byte[] readFrame(final InputStream in) throws IOException
    {
        final byte[] header = new byte[6];
        final DataInputStream data = (DataInputStream)in;
        try
        {
            data.readFully(header);
        }
        catch (final EOFException ex)
        {
            return null;
        }
        final int length = (header[0] & 0xFF) << 24 | (header[1] & 0xFF) << 16 | (header[2] & 0xFF) << 8 |
            (header[3] & 0xFF);
        if (length < 6 || length > (32 << 20))
        {
            throw new IOException("bad frame length " + length);
        }
        final byte[] frame = new byte[length];
        System.arraycopy(header, 0, frame, 0, 6);
        data.readFully(frame, 6, length - 6);
        return frame;
    }

    private void closeQuietly()
    {
        for (final Socket s : new Socket[] {left, right})
        {
            if (s != null)
            {
                try
                {
                    s.close();
                }
                catch (final IOException ignored)
                {
                    // Closing is all that is left to do.
                }
            }
        }
    }

    @Override
    public void close() throws IOException
    {
        closeQuietly();
        server.close();
    }
}
