package dev.multiproc.benchmarks.raw;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;

/**
 * Ping-pong over a byte stream between two JVMs: the child's stdin/stdout pipes, or a loopback TCP connection
 * with plain JDK sockets and {@code TCP_NODELAY}. Frames are 16 bytes whose first byte says what to do: {@code P}
 * echo it, {@code S} count it, {@code E} acknowledge the stream so far, {@code B} receive the given number of
 * 1 MiB blocks and acknowledge, {@code Q} exit. The sender writes each small frame with its own write call; the
 * receiver reads through a 64 KiB buffer.
 */
final class StreamPingPong {
    private static final int FRAME = 16;
    private static final int BLOCK = 1 << 20;

    private StreamPingPong() {
    }

    static Report stdio(boolean quick) throws IOException, InterruptedException {
        Process child = PeerJvm.start("stdio");
        try {
            return measure("stdio", child.getInputStream(), child.getOutputStream(), quick);
        } finally {
            PeerJvm.reap(child);
        }
    }

    static void stdioChild() throws IOException {
        serve(new FileInputStream(FileDescriptor.in), new FileOutputStream(FileDescriptor.out));
    }

    static Report tcp(boolean quick) throws IOException, InterruptedException {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Process child = PeerJvm.start("tcp", Integer.toString(server.getLocalPort()));
            try (Socket socket = server.accept()) {
                socket.setTcpNoDelay(true);
                return measure("tcp", socket.getInputStream(), socket.getOutputStream(), quick);
            } finally {
                PeerJvm.reap(child);
            }
        }
    }

    static void tcpChild(int port) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setTcpNoDelay(true);
            serve(socket.getInputStream(), socket.getOutputStream());
        }
    }

    private static Report measure(String medium, InputStream rawIn, OutputStream out, boolean quick)
            throws IOException {
        DataInputStream in = new DataInputStream(new BufferedInputStream(rawIn, 1 << 16));
        byte[] frame = new byte[FRAME];
        byte[] reply = new byte[FRAME];

        frame[0] = 'P';
        int roundTrips = quick ? 5_000 : 20_000;
        for (int i = 0; i < roundTrips / 2; i++) {
            pingPong(in, out, frame, reply);
        }
        long[] samples = new long[roundTrips];
        for (int i = 0; i < roundTrips; i++) {
            long start = System.nanoTime();
            pingPong(in, out, frame, reply);
            samples[i] = System.nanoTime() - start;
        }
        double rttMicros = Report.median(samples) / 1_000.0;

        int messages = quick ? 50_000 : 200_000;
        stream(in, out, messages / 4, frame, reply);
        long start = System.nanoTime();
        stream(in, out, messages, frame, reply);
        double messagesPerSecond = messages / ((System.nanoTime() - start) / 1e9);

        int blocks = quick ? 128 : 512;
        byte[] block = new byte[BLOCK];
        bulk(in, out, blocks / 4, frame, reply, block);
        start = System.nanoTime();
        bulk(in, out, blocks, frame, reply, block);
        double mibPerSecond = blocks / ((System.nanoTime() - start) / 1e9);

        frame[0] = 'Q';
        out.write(frame);
        out.flush();
        return new Report(medium).put("rtt_us", rttMicros).put("small_msgs_per_s", messagesPerSecond)
                .put("bulk_mib_per_s", mibPerSecond);
    }

    private static void pingPong(DataInputStream in, OutputStream out, byte[] frame, byte[] reply)
            throws IOException {
        out.write(frame);
        out.flush();
        in.readFully(reply);
    }

    private static void stream(DataInputStream in, OutputStream out, int messages, byte[] frame, byte[] reply)
            throws IOException {
        frame[0] = 'S';
        for (int i = 0; i < messages; i++) {
            out.write(frame);
            out.flush();
        }
        frame[0] = 'E';
        out.write(frame);
        out.flush();
        in.readFully(reply);
    }

    private static void bulk(DataInputStream in, OutputStream out, int blocks, byte[] frame, byte[] reply,
            byte[] block) throws IOException {
        frame[0] = 'B';
        ByteBuffer.wrap(frame).putInt(1, blocks);
        out.write(frame);
        for (int i = 0; i < blocks; i++) {
            out.write(block);
        }
        out.flush();
        in.readFully(reply);
    }

    private static void serve(InputStream rawIn, OutputStream out) throws IOException {
        DataInputStream in = new DataInputStream(new BufferedInputStream(rawIn, 1 << 16));
        byte[] frame = new byte[FRAME];
        byte[] block = new byte[BLOCK];
        long counted = 0;
        while (true) {
            in.readFully(frame);
            switch (frame[0]) {
                case 'P' -> {
                    out.write(frame);
                    out.flush();
                }
                case 'S' -> counted++;
                case 'E' -> {
                    frame[1] = (byte) counted;
                    out.write(frame);
                    out.flush();
                }
                case 'B' -> {
                    int blocks = ByteBuffer.wrap(frame).getInt(1);
                    for (int i = 0; i < blocks; i++) {
                        in.readFully(block);
                    }
                    out.write(frame);
                    out.flush();
                }
                case 'Q' -> {
                    return;
                }
                default -> throw new IOException("unexpected frame type " + frame[0]);
            }
        }
    }
}
