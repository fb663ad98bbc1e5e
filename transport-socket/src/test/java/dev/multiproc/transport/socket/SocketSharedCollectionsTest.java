package dev.multiproc.transport.socket;

import dev.multiproc.tck.SharedCollectionsContract;

/** The tck's SharedCollectionsContract on the socket transport. */
class SocketSharedCollectionsTest extends SharedCollectionsContract {
    @Override
    protected String transportName() {
        return "socket";
    }
}
