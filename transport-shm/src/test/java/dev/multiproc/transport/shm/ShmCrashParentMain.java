package dev.multiproc.transport.shm;

import dev.multiproc.ChildProcess;
import dev.multiproc.Context;
import dev.multiproc.Multiproc;
import dev.multiproc.SharedInt;
import dev.multiproc.SharedLock;

/**
 * A parent that dies badly: opens an shm context with a shared int, a lock it holds, and a child that waits, prints
 * the child's pid and {@code READY}, and sleeps until it is killed.
 */
public final class ShmCrashParentMain {
    private ShmCrashParentMain() {
    }

    /**
     * @param args unused
     * @throws Exception if the setup fails (the test then fails on the missing READY)
     */
    public static void main(String[] args) throws Exception {
        Context context = Multiproc.context("shm");
        SharedInt started = context.sharedInt(0);
        SharedLock lock = context.lock();
        lock.lock();
        ChildProcess child = context.process(() -> {
            started.set((int) ProcessHandle.current().pid());
            Thread.sleep(120_000);
        }).start();
        while (started.get() == 0) {
            Thread.sleep(5);
        }
        System.out.println(child.pid());
        System.out.println("READY");
        System.out.flush();
        Thread.sleep(120_000);
    }
}
