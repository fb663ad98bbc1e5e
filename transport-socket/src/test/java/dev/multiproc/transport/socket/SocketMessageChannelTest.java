package dev.multiproc.transport.socket;

import dev.multiproc.spi.MessageChannel;
import dev.multiproc.spi.TransportConfig;
import dev.multiproc.tck.MessageChannelContract;
import dev.multiproc.tck.TckTimeouts;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The tck's channel contract on the socket transport: the parent's Netty end and a child's blocking end, connected
 * and authenticated over loopback in this JVM.
 */
class SocketMessageChannelTest extends MessageChannelContract {
    @Override
    protected ChannelPair connect(int parentMax, int childMax) throws Exception {
        SocketParentTransport transport = SocketParentTransport.open(new TransportConfig("channel-test", parentMax),
                "127.0.0.1", 0);
        try {
            CompletableFuture<MessageChannel> slot = transport.prepare("c1").connected();
            String descriptor = transport.prepare("probe").descriptor();
            int colon = descriptor.lastIndexOf(':');
            Socket socket = new Socket();
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(descriptor.substring(0, colon),
                    Integer.parseInt(descriptor.substring(colon + 1))));
            DataInputStream in = new DataInputStream(new BufferedInputStream(socket.getInputStream(), 1 << 16));
            DataOutputStream out = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream(), 1 << 16));
            SocketChildChannel.authenticate(in, out, transport.key(), "c1");
            SocketChildChannel child = SocketChildChannel.over(socket, in, out, childMax);
            MessageChannel parent = slot.get(TckTimeouts.millis(10), TimeUnit.MILLISECONDS);
            return new ChannelPair(parent, child, transport::close);
        } catch (Exception | Error e) {
            transport.close();
            throw e;
        }
    }
}
