package dev.multiproc.examples;

import dev.multiproc.ChildProcess;
import dev.multiproc.Context;
import dev.multiproc.Multiproc;
import dev.multiproc.SharedInt;
import dev.multiproc.SharedLock;
import java.util.ArrayList;
import java.util.List;

/**
 * The shared-counter demo: ten processes each add one to a shared int under a shared lock, Python's
 * {@code Process(target=worker, args=(shared_counter, lock))}. Prints {@code Final shared value: 10} on every
 * transport.
 */
public final class CounterDemo {
    private CounterDemo() {
    }

    /**
     * Adds one under the lock, in a child process: the {@code with lock:} of Python.
     *
     * @param value the shared counter
     * @param lock the lock guarding it
     */
    @SuppressWarnings("try") // javac's -Xlint:try asks for a use of 'held'; holding it is the use
    static void worker(SharedInt value, SharedLock lock) {
        try (var held = lock.acquire()) {
            value.set(value.get() + 1);
        }
    }

    /**
     * Runs the demo.
     *
     * @param args ignored
     * @throws InterruptedException if interrupted while joining the children
     */
    public static void main(String[] args) throws InterruptedException {
        try (Context ctx = Multiproc.context()) {
            SharedInt counter = ctx.sharedInt(0);
            SharedLock lock = ctx.lock();
            List<ChildProcess> children = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                children.add(ctx.process(() -> worker(counter, lock)).start());
            }
            for (ChildProcess child : children) {
                child.join();
            }
            System.out.println("Final shared value: " + counter.get());
        }
    }
}
