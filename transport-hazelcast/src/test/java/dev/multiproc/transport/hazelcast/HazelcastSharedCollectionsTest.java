package dev.multiproc.transport.hazelcast;

import dev.multiproc.tck.SharedCollectionsContract;

/** The tck's SharedCollectionsContract on the Hazelcast transport. */
class HazelcastSharedCollectionsTest extends SharedCollectionsContract {
    @Override
    protected String transportName() {
        return "hazelcast";
    }
}
