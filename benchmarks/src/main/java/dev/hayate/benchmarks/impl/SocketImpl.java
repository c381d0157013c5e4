package dev.hayate.benchmarks.impl;

import dev.hayate.benchmarks.rig.JvmImpl;
import dev.hayate.benchmarks.rig.PingClient;
import dev.hayate.benchmarks.rig.Server;
import dev.hayate.benchmarks.rig.Spec;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * {@code socket}: plain blocking {@link java.net.Socket} with {@code TCP_NODELAY}; each side blocks in the
 * kernel while waiting (no spinning).
 */
public final class SocketImpl implements JvmImpl {
    @Override
    public String name() {
        return "socket";
    }

    @Override
    public String description() {
        return "blocking java.net.Socket, both sides block in read (TCP_NODELAY)";
    }

    @Override
    public Server pongServer(Spec spec) {
        return new Pong(spec);
    }

    @Override
    public PingClient pingClient(Spec spec, String address) throws IOException {
        Socket s = new Socket();
        s.setTcpNoDelay(true);
        s.connect(Loopback.port(address), 10_000);
        return new Client(spec, s);
    }

    private static final class Pong implements Server {
        private final Spec spec;
        private ServerSocket listener;
        private Socket socket;

        Pong(Spec spec) {
            this.spec = spec;
        }

        @Override
        public String bind() throws IOException {
            listener = new ServerSocket(0, 1, Loopback.ADDRESS);
            return Integer.toString(listener.getLocalPort());
        }

        @Override
        public void serve() throws IOException {
            socket = listener.accept();
            socket.setTcpNoDelay(true);
            DataInputStream in = new DataInputStream(socket.getInputStream());
            OutputStream out = socket.getOutputStream();
            byte[] buf = new byte[spec.size()];
            while (true) {
                int n = in.read(buf, 0, buf.length);
                if (n < 0) {
                    return;
                }
                in.readFully(buf, n, buf.length - n);
                out.write(buf);
            }
        }

        @Override
        public void close() throws IOException {
            if (socket != null) {
                socket.close();
            }
            if (listener != null) {
                listener.close();
            }
        }
    }

    private static final class Client implements PingClient {
        private final Socket socket;
        private final DataInputStream in;
        private final OutputStream out;
        private final byte[] tx;
        private final byte[] rx;

        Client(Spec spec, Socket socket) throws IOException {
            this.socket = socket;
            in = new DataInputStream(socket.getInputStream());
            out = socket.getOutputStream();
            tx = Loopback.payload(spec.size());
            rx = new byte[spec.size()];
        }

        @Override
        public void roundTrip() throws IOException {
            out.write(tx);
            try {
                in.readFully(rx);
            } catch (EOFException e) {
                throw new EOFException("server closed");
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
