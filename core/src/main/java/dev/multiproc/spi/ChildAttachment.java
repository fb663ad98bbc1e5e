package dev.multiproc.spi;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;

/**
 * The parent's half of one child's channel, from before the child is spawned until it is connected.
 */
public interface ChildAttachment {

    /**
     * @return what the child needs to connect: an opaque string that core passes on the child's command line and
     *         hands to {@link Transport#connect(ChildEndpoint)} there. It is visible to {@code ps}: never put a
     *         secret in it.
     */
    String descriptor();

    /**
     * @return bytes that only this child may know (a key it proves itself with, say): core hands them to the child
     *         privately, on its standard input before anything else (never on its command line), and gives them to
     *         {@link Transport#connect(ChildEndpoint)} there as {@link ChildEndpoint#secret()}. The default is none.
     */
    default byte[] secret() {
        return new byte[0];
    }

    /**
     * Called once the child's process is spawned.
     *
     * @param process the child's process, with its standard streams
     * @return the channel to the child, completed when the child has connected; core applies the start timeout
     *         and calls {@link #abort()} if it runs out
     * @throws IOException if the channel cannot be set up
     */
    CompletableFuture<MessageChannel> attach(Process process) throws IOException;

    /**
     * Gives up on this child (it failed to spawn or to connect in time) and releases what was prepared for it.
     */
    void abort();
}
