package dev.multiproc;

/**
 * A snapshot of a pool's metrics, from {@link Pool#stats()}: its workers and what happened to them, and its tasks
 * (items of {@code map}, {@code imap} and the like; one per {@code apply} or {@code submit}) over its life. Take one
 * as often as a dashboard needs; it takes the pool's lock briefly.
 *
 * @param workers the worker processes the pool has now, ready or starting
 * @param workersReady those of them ready to take tasks
 * @param workersStarted the workers the pool has started (or, remote, taken on) over its life
 * @param workersDied the workers that exited without being asked to: crashed, killed for a task that would not stop,
 *        died before they were ready, or a remote worker disconnected
 * @param tasksDone the tasks that returned a result
 * @param tasksFailed the tasks that failed: threw, timed out, or were lost with workers
 * @param tasksRunning the tasks workers hold now
 * @param tasksQueued the tasks waiting for a worker: the calls' tasks not yet sent, and those to run again after a
 *        worker died (an {@code imap}'s input not yet read is not counted)
 */
public record PoolStats(int workers, int workersReady, long workersStarted, long workersDied, long tasksDone,
        long tasksFailed, long tasksRunning, long tasksQueued) {
}
