package dev.multiproc.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.multiproc.ChildProcess;
import dev.multiproc.Context;
import dev.multiproc.Multiproc;
import dev.multiproc.ParentProcess;
import dev.multiproc.Pool;
import dev.multiproc.ProcessInfo;
import dev.multiproc.Queue;
import dev.multiproc.SharedEvent;
import java.io.Serializable;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The contract of process introspection (issue 15, item 5): {@link Multiproc#currentProcess()},
 * {@link Multiproc#parentProcess()} and {@link Multiproc#activeChildren()}, as Python's {@code current_process()},
 * {@code parent_process()} and {@code active_children()}. What a child says of itself and of its parent must match
 * what the parent knows of it; the list of active children must hold exactly the children that run.
 *
 * <p>Children that wait for the test to release them are daemons: should an assertion fail first, closing the
 * context stops them instead of waiting for them.
 */
public abstract class ProcessIntrospectionContract extends TransportContract {

    /** For a transport's subclass, which JUnit instantiates. */
    protected ProcessIntrospectionContract() {
    }

    /**
     * What a process says of itself and of its parent.
     *
     * @param self its {@link Multiproc#currentProcess()}
     * @param isChild its {@link Multiproc#isChild()}
     * @param parentName its parent's name, or null if it has none
     * @param parentPid its parent's pid, or 0
     * @param parentAlive whether its parent is alive
     */
    record Seen(ProcessInfo self, boolean isChild, String parentName, long parentPid, boolean parentAlive)
            implements Serializable {
        private static final long serialVersionUID = 1L;
    }

    static Seen seen() {
        ParentProcess parent = Multiproc.parentProcess().orElse(null);
        return new Seen(Multiproc.currentProcess(), Multiproc.isChild(), parent == null ? null : parent.name(),
                parent == null ? 0 : parent.pid(), parent != null && parent.isAlive());
    }

    private static long myPid() {
        return ProcessHandle.current().pid();
    }

    /** The main process is Python's {@code MainProcess}: not a child, with no parent. */
    @Test
    public void theMainProcessIsMainProcessAndHasNoParent() {
        Seen seen = seen();
        assertEquals(new ProcessInfo(ProcessInfo.MAIN_NAME, myPid(), ProcessInfo.Role.MAIN), seen.self());
        assertFalse(seen.self().isChild() || seen.isChild(), "the main process says it is a child");
        assertFalse(seen.self().isPoolWorker());
        assertTrue(Multiproc.parentProcess().isEmpty(), "the main process has a parent");
    }

    /**
     * A child's {@code currentProcess()} gives the name and pid its parent's {@link ChildProcess} has, the name it was
     * given or the default one; its {@code parentProcess()} is this process, by name and pid, and alive.
     */
    @Test
    public void aChildKnowsItsNamePidAndParent() {
        within(60, "two children to say who they are", () -> {
            Queue<Seen> reports = context.queue();
            SharedEvent release = context.event();
            ChildProcess named = context.process(() -> {
                reports.put(seen());
                release.await();
            }).name("loader").daemon(true).start();
            Seen fromNamed = reports.get(TckTimeouts.millis(30), TimeUnit.MILLISECONDS);
            ChildProcess unnamed = context.process(() -> reports.put(seen())).start();
            Seen fromUnnamed = reports.get(TckTimeouts.millis(30), TimeUnit.MILLISECONDS);
            release.set();
            for (ChildProcess child : List.of(named, unnamed)) {
                Seen seen = child == named ? fromNamed : fromUnnamed;
                assertEquals(child.name(), seen.self().name(), "the child's name as the child gives it");
                assertEquals(child.pid(), seen.self().pid(), "the child's pid as the child gives it");
                assertEquals(ProcessInfo.Role.PROCESS, seen.self().role(), "the child's role");
                assertTrue(seen.isChild() && seen.self().isChild(), "the child does not say it is a child");
                assertEquals(myPid(), seen.parentPid(), "the parent's pid as the child gives it");
                assertEquals(ProcessInfo.MAIN_NAME, seen.parentName(), "the parent's name as the child gives it");
                assertTrue(seen.parentAlive(), "the child says its parent is not alive");
            }
            assertEquals("loader", fromNamed.self().name());
            assertTrue(fromUnnamed.self().name().startsWith("process-"), fromUnnamed.self().name());
            named.join();
            unnamed.join();
            return null;
        });
    }

    /**
     * A child of a child has the child for its parent, by name and pid, and the child lists it among its active
     * children while it runs.
     */
    @Test
    public void aGrandchildHasTheChildForItsParent() {
        String transport = transportName();
        within(90, "a grandchild to say who it is", () -> {
            Queue<List<Object>> out = context.queue();
            ChildProcess child = context.process(() -> {
                try (Context inner = Multiproc.context(transport)) {
                    Queue<Seen> fromGrandchild = inner.queue();
                    SharedEvent release = inner.event();
                    ChildProcess grandchild = inner.process(() -> {
                        fromGrandchild.put(seen());
                        release.await();
                    }).name("grandchild").start();
                    Seen seen = fromGrandchild.get(TckTimeouts.millis(30), TimeUnit.MILLISECONDS);
                    List<Long> active = Multiproc.activeChildren().stream().map(ChildProcess::pid).toList();
                    out.put(List.of(seen, grandchild.pid(), active, seen()));
                    release.set();
                    grandchild.join();
                }
            }).name("middle").start();
            List<Object> report = out.get(TckTimeouts.millis(60), TimeUnit.MILLISECONDS);
            child.join();
            assertEquals(0, child.exitCode().getAsInt(), () -> "child failed: " + child.failure());
            Seen grandchild = (Seen) report.get(0);
            long grandchildPid = (Long) report.get(1);
            Seen middle = (Seen) report.get(3);
            assertEquals(new ProcessInfo("grandchild", grandchildPid, ProcessInfo.Role.PROCESS), grandchild.self());
            assertEquals("middle", grandchild.parentName(), "the grandchild's parent's name");
            assertEquals(child.pid(), grandchild.parentPid(), "the grandchild's parent's pid");
            assertTrue(grandchild.parentAlive(), "the grandchild says its parent is not alive");
            assertEquals(List.of(grandchildPid), report.get(2), "the child's active children");
            assertEquals(new ProcessInfo("middle", child.pid(), ProcessInfo.Role.PROCESS), middle.self());
            assertEquals(myPid(), middle.parentPid(), "the child's parent's pid");
            return null;
        });
    }

    /**
     * @param before the active children when the test began: those of other contexts of this JVM (another test's
     *        that could not close, say), which this test must not count
     * @return {@link Multiproc#activeChildren()} without {@code before}
     */
    private static List<ChildProcess> activeSince(List<ChildProcess> before) {
        List<ChildProcess> now = new java.util.ArrayList<>(Multiproc.activeChildren());
        now.removeAll(before);
        return now;
    }

    /**
     * {@code activeChildren()} lists the children started from every open context while they run, in the order
     * they were started, and neither one not yet started nor one that has been joined.
     */
    @Test
    public void activeChildrenListsRunningChildrenUntilTheyExit() {
        String transport = transportName();
        within(60, "children to run and exit", () -> {
            List<ChildProcess> before = Multiproc.activeChildren();
            try (Context other = Multiproc.context(transport)) {
                SharedEvent release = context.event();
                SharedEvent releaseOther = other.event();
                Queue<String> started = context.queue();
                Queue<String> startedOther = other.queue();
                ChildProcess unstarted = context.process(() -> { });
                ChildProcess first = context.process(() -> {
                    started.put("first");
                    release.await();
                }).daemon(true).start();
                assertEquals("first", started.get(TckTimeouts.millis(30), TimeUnit.MILLISECONDS));
                ChildProcess second = other.process(() -> {
                    startedOther.put("second");
                    releaseOther.await();
                }).daemon(true).start();
                ChildProcess third = context.process(() -> {
                    started.put("third");
                    release.await();
                }).daemon(true).start();
                assertEquals("second", startedOther.get(TckTimeouts.millis(30), TimeUnit.MILLISECONDS));
                assertEquals("third", started.get(TckTimeouts.millis(30), TimeUnit.MILLISECONDS));
                // all three run their targets now, and wait for their event
                assertEquals(List.of(first, second, third), activeSince(before),
                        "the active children while three run, two in one context and one in another");
                assertFalse(unstarted.isAlive());
                release.set();
                first.join();
                third.join();
                assertEquals(List.of(second), activeSince(before), "the active children after two joined");
                releaseOther.set();
                second.join();
                assertEquals(List.of(), activeSince(before), "the active children after all joined");
            }
            return null;
        });
    }

    /** A child killed with SIGKILL from outside leaves {@code activeChildren()} once its exit is known. */
    @Test
    public void aChildKilledWithSigkillLeavesActiveChildren() {
        within(60, "a killed child to leave the active children", () -> {
            List<ChildProcess> before = Multiproc.activeChildren();
            Queue<String> started = context.queue();
            SharedEvent never = context.event();
            ChildProcess child = context.process(() -> {
                started.put("started");
                never.await();
            }).start();
            assertEquals("started", started.get(TckTimeouts.millis(30), TimeUnit.MILLISECONDS));
            assertEquals(List.of(child), activeSince(before));
            // not child.kill(): the kill -9 of someone else, which the parent learns of only by the child's exit
            assertTrue(ProcessHandle.of(child.pid()).orElseThrow().destroyForcibly());
            await(20, "the killed child to leave activeChildren()", () -> activeSince(before).isEmpty());
            assertFalse(child.isAlive());
            assertEquals(137, child.exitCode().getAsInt());
            return null;
        });
    }

    /**
     * A pool worker's {@code currentProcess()} says it is a pool worker, with the name the pool gives it and the
     * pool's process for its parent. Pool workers are not among {@code activeChildren()} (they are the pool's), while
     * a process started beside them is.
     */
    @Test
    public void poolWorkersKnowTheyAreWorkersAndAreNotActiveChildren() {
        within(90, "pool workers to say who they are", () -> {
            List<ChildProcess> before = Multiproc.activeChildren();
            Queue<String> started = context.queue();
            SharedEvent release = context.event();
            ChildProcess process = context.process(() -> {
                started.put("started");
                release.await();
            }).daemon(true).start();
            try (Pool pool = context.pool(2)) {
                List<Seen> seen = pool.map(x -> seen(), List.of(1, 2, 3, 4, 5, 6, 7, 8), 1);
                Set<Long> workers = new HashSet<>();
                for (Seen each : seen) {
                    assertEquals(ProcessInfo.Role.POOL_WORKER, each.self().role(), "a worker's role");
                    assertTrue(each.self().isPoolWorker() && each.isChild(), "a worker does not say it is one");
                    assertTrue(each.self().name().matches("pool-[0-9]+-worker-[0-9]+"), each.self().name());
                    assertEquals(myPid(), each.parentPid(), "a worker's parent's pid");
                    assertEquals(ProcessInfo.MAIN_NAME, each.parentName(), "a worker's parent's name");
                    workers.add(each.self().pid());
                }
                assertTrue(workers.size() <= 2 && !workers.contains(myPid()), "worker pids " + workers);
                assertEquals("started", started.get(TckTimeouts.millis(30), TimeUnit.MILLISECONDS));
                assertTrue(context.stats().childrenAlive() >= 1 + workers.size(), "the workers are not running");
                assertEquals(List.of(process), activeSince(before), "the active children beside a pool");
            }
            release.set();
            process.join();
            return null;
        });
    }
}
