package dev.multiproc.internal.child;

import dev.multiproc.ParentProcess;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The {@link ParentProcess} of a child, from what the parent said in its {@code Start}. The parent is alive while
 * the channel to it is open and, when it runs on this host, while its process exists. Its process is looked up by
 * pid once, when first asked, and taken for the parent only if its start time is the one the parent gave: a parent
 * on another host (a remote worker's), or out of this child's sight (a child in a container), has only the channel.
 */
final class ParentProcessImpl implements ParentProcess {
    private final String name;
    private final long pid;
    private final long startMillis;
    /** True for a remote worker, whose parent runs on another host. */
    private final boolean remote;
    /** Completes when the channel to the parent closes. */
    private final CompletableFuture<Void> channelClosed;
    /** The parent's process on this host, once looked up; empty if it is not here (or not visible). */
    private volatile Optional<ProcessHandle> process;

    ParentProcessImpl(String name, long pid, long startMillis, boolean remote, CompletableFuture<Void> channelClosed) {
        this.name = name;
        this.pid = pid;
        this.startMillis = startMillis;
        this.remote = remote;
        this.channelClosed = channelClosed;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public long pid() {
        return pid;
    }

    @Override
    public boolean isAlive() {
        return !channelClosed.isDone() && process().map(ProcessHandle::isAlive).orElse(true);
    }

    @Override
    public void join() throws InterruptedException {
        try {
            exit().get();
        } catch (ExecutionException e) {
            // neither future fails
        }
    }

    @Override
    public boolean join(long timeout, TimeUnit unit) throws InterruptedException {
        try {
            exit().get(timeout, unit);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            return true;
        }
    }

    /** @return completes when the parent is gone: its channel closed, or its process here exited */
    private CompletableFuture<?> exit() {
        Optional<ProcessHandle> here = process();
        return here.isEmpty() ? channelClosed : CompletableFuture.anyOf(channelClosed, here.get().onExit());
    }

    private Optional<ProcessHandle> process() {
        Optional<ProcessHandle> found = process;
        if (found == null) {
            found = remote ? Optional.empty() : ProcessHandle.of(pid).filter(this::startedWhenTheParentSaid);
            process = found;
        }
        return found;
    }

    /** A pid may be reused, and a pid namespace may hide the parent behind another process with its pid. */
    private boolean startedWhenTheParentSaid(ProcessHandle handle) {
        return startMillis == 0 || handle.info().startInstant().map(start -> start.toEpochMilli() == startMillis)
                .orElse(true);
    }

    @Override
    public String toString() {
        return name + " (pid " + pid + (remote ? ", on another host)" : ")");
    }
}
