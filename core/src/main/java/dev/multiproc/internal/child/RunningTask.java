package dev.multiproc.internal.child;

import java.util.HashSet;
import java.util.Set;

/**
 * Which pool task a worker's main thread runs, so that the parent can stop it: an {@code Interrupt} message,
 * handled on the channel's thread, interrupts the main thread if it runs that task, and has a task that has not
 * started yet skipped when its turn comes. Task ids rise in the order the worker receives its tasks, so an id above
 * the last started one has not started, and one at or below it is done (or running).
 *
 * <p>The main thread's interrupt status is set only while it runs the task it was set for, and cleared before it
 * takes the next: a late interrupt never reaches the worker's own wait for tasks.
 */
final class RunningTask {
    private final Thread runner;
    /** The task the runner runs now, or -1. */
    private long running = -1;
    /** The last task the runner started. */
    private long lastStarted = -1;
    /** Whether the parent asked to stop {@code running}. */
    private boolean stopped;
    /** Tasks the parent stopped before they started. */
    private final Set<Long> skip = new HashSet<>();

    /** @param runner the thread that runs the tasks */
    RunningTask(Thread runner) {
        this.runner = runner;
    }

    /** The parent stops {@code taskId} (called on the channel's thread). */
    synchronized void interrupt(long taskId) {
        if (taskId == running) {
            stopped = true;
            runner.interrupt();
        } else if (taskId > lastStarted) {
            skip.add(taskId);
        }
    }

    /**
     * Called by the runner before it runs a task.
     *
     * @return false if the parent stopped the task already: it is not to run
     */
    synchronized boolean start(long taskId) {
        lastStarted = Math.max(lastStarted, taskId);
        if (skip.remove(taskId)) {
            return false;
        }
        running = taskId;
        stopped = false;
        return true;
    }

    /** @return whether the parent stopped the task the runner runs (called by the runner) */
    synchronized boolean stopped() {
        return stopped;
    }

    /** Called by the runner when its task is done: clears an interrupt meant for it. */
    synchronized void finish() {
        running = -1;
        stopped = false;
        Thread.interrupted();
    }
}
