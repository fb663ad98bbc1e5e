package dev.multiproc.transport.pipe;

import dev.multiproc.tck.MessageChannelContract;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.nio.channels.Channels;
import java.nio.channels.Pipe;

/** The tck's channel contract on the pipe framing, over two OS pipes in this JVM. */
class PipeMessageChannelTest extends MessageChannelContract {
    @Override
    protected ChannelPair connect(int parentMax, int childMax) throws Exception {
        Pipe down = Pipe.open();
        Pipe up = Pipe.open();
        PipeChannel parent = new PipeChannel(new BufferedInputStream(Channels.newInputStream(up.source())),
                new BufferedOutputStream(Channels.newOutputStream(down.sink())), parentMax, "child", null);
        PipeChannel child = new PipeChannel(new BufferedInputStream(Channels.newInputStream(down.source())),
                new BufferedOutputStream(Channels.newOutputStream(up.sink())), childMax, "parent", null);
        return new ChannelPair(parent, child, () -> {
            down.source().close();
            up.source().close();
        });
    }
}
