/**
 * The socket transport: children, and remote workers on other hosts, connect to the parent over TCP (Netty),
 * authenticated by a shared key and optionally TLS.
 *
 * @provides dev.multiproc.spi.Transport
 */
module dev.multiproc.transport.socket {
    requires dev.multiproc;
    requires io.netty.buffer;
    requires io.netty.codec;
    requires io.netty.common;
    requires io.netty.handler;
    requires io.netty.transport;
    requires io.netty.transport.classes.epoll;
    // TCP keep-alive tuning of a remote worker's connection (jdk.net.ExtendedSocketOptions).
    requires jdk.net;

    provides dev.multiproc.spi.Transport with dev.multiproc.transport.socket.SocketTransport;
}
