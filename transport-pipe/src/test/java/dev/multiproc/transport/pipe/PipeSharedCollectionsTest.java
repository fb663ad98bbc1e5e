package dev.multiproc.transport.pipe;

import dev.multiproc.tck.SharedCollectionsContract;

/** The tck's SharedCollectionsContract on the pipe transport. */
class PipeSharedCollectionsTest extends SharedCollectionsContract {
    @Override
    protected String transportName() {
        return "pipe";
    }
}
