package dev.multiproc.transport.socket;

import dev.multiproc.tck.ResourceContract;
import java.util.List;

/** The tck's ResourceContract on the socket transport. */
class SocketResourceTest extends ResourceContract {
    @Override
    protected String transportName() {
        return "socket";
    }

    @Override
    protected List<String> sharedThreadPrefixes() {
        return List.of(SocketParentTransport.SHARED_THREADS);
    }
}
