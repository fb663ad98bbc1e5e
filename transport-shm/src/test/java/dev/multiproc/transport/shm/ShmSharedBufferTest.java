package dev.multiproc.transport.shm;

import dev.multiproc.tck.SharedBufferContract;

/** The tck's SharedBufferContract on the shm transport: buffers are shared memory, attachable from any process. */
class ShmSharedBufferTest extends SharedBufferContract {
    @Override
    protected String transportName() {
        return "shm";
    }

    @Override
    protected boolean buffersAttachByNameFromAnyProcess() {
        return true;
    }

    @Override
    protected long largestBuffer() {
        return 1L << 30;
    }
}
