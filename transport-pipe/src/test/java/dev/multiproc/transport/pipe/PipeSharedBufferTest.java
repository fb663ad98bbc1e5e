package dev.multiproc.transport.pipe;

import dev.multiproc.tck.SharedBufferContract;

/** The tck's SharedBufferContract on the pipe transport: buffers live in the parent's hub. */
class PipeSharedBufferTest extends SharedBufferContract {
    @Override
    protected String transportName() {
        return "pipe";
    }
}
