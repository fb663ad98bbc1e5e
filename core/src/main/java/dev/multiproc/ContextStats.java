package dev.multiproc;

/**
 * A snapshot of a context's metrics, from {@link Context#stats()}: its child processes (pool workers and
 * {@link ChildProcess}es alike), its pools, and the shared objects its hub keeps. Take one as often as needed; it
 * reads counters and takes no lock that work waits for.
 *
 * @param childrenAlive the child processes running now (started and not yet exited)
 * @param childrenStarted the child processes started (or, remote workers, taken on) over the context's life
 * @param poolsOpen the pools not yet terminated
 * @param sharedObjects the shared objects (queues, values, locks, pipes...) made in the context, which its hub keeps
 *        until the context closes (a transport's native ones, such as shm's queues, are not counted)
 * @param hubBytesHeld the bytes the hub holds for them now: queued elements, pipe messages, shared buffers (off shm),
 *        and the contents of shared maps and lists
 * @param hubBytesLimit the most the hub holds ({@link ContextOption#HUB_MAX_BYTES}): past it a put waits, and a map,
 *        list or buffer that would grow past it is refused
 */
public record ContextStats(int childrenAlive, long childrenStarted, int poolsOpen, int sharedObjects,
        long hubBytesHeld, long hubBytesLimit) {
}
