package dev.multiproc.tck.support;

import dev.multiproc.tck.TckTimeouts;
import dev.multiproc.Context;
import dev.multiproc.Multiproc;
import dev.multiproc.Pool;
import dev.multiproc.Queue;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * A parent for the orphan check: starts a pool of two workers and one sleeping child process, prints their three
 * pids one per line and then {@code DONE}, and sleeps until it is killed.
 */
public final class OrphanCheckMain {
    private OrphanCheckMain() {
    }

    static long pid(int ignored) throws InterruptedException {
        Thread.sleep(20);
        return ProcessHandle.current().pid();
    }

    /**
     * @param args the transport name
     * @throws Exception if the setup fails (the test then fails on the missing pids)
     */
    public static void main(String[] args) throws Exception {
        Context context = Multiproc.context(args[0]);
        Pool pool = context.pool(2);
        Set<Long> pids = new LinkedHashSet<>();
        pids.add(pool.submit(() -> ProcessHandle.current().pid()).get(TckTimeouts.millis(60), TimeUnit.MILLISECONDS));
        for (int round = 0; round < 50 && pids.size() < 2; round++) {
            List<Integer> items = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                items.add(i);
            }
            pids.addAll(pool.map(OrphanCheckMain::pid, items, 1));
        }
        Queue<Long> started = context.queue();
        context.process(() -> {
            started.put(ProcessHandle.current().pid());
            Thread.sleep(120_000);
        }).start();
        pids.add(started.get(TckTimeouts.millis(60), TimeUnit.MILLISECONDS));
        for (long pid : pids) {
            System.out.println(pid);
        }
        System.out.println("DONE");
        System.out.flush();
        Thread.sleep(120_000);
    }
}
