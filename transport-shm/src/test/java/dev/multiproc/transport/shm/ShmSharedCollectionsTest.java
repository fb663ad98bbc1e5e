package dev.multiproc.transport.shm;

import dev.multiproc.tck.SharedCollectionsContract;

/** The tck's SharedCollectionsContract on the shm transport. */
class ShmSharedCollectionsTest extends SharedCollectionsContract {
    @Override
    protected String transportName() {
        return "shm";
    }
}
