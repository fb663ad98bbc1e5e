package dev.multiproc.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.multiproc.ChildProcess;
import dev.multiproc.Context;
import dev.multiproc.JoinableQueue;
import dev.multiproc.Multiproc;
import dev.multiproc.Pipe;
import dev.multiproc.Pool;
import dev.multiproc.Queue;
import dev.multiproc.SharedBarrier;
import dev.multiproc.SharedEvent;
import dev.multiproc.SharedInt;
import dev.multiproc.SharedIntArray;
import dev.multiproc.SharedList;
import dev.multiproc.SharedLock;
import dev.multiproc.SharedLong;
import dev.multiproc.SharedMap;
import dev.multiproc.SharedSemaphore;
import dev.multiproc.SharedValue;
import java.io.IOException;
import java.lang.ref.WeakReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Nothing a context made outlives its {@code close()}: no child process, no thread of the transport, no file. Threads
 * and files are found by the naming rules of the SPI (see "Resources" in {@link dev.multiproc.spi}): threads named
 * {@code multiproc-...}; files named {@code multiproc-...} that contain {@code -PID-}, in {@code /dev/shm},
 * {@code java.io.tmpdir} and any directory {@link #fileDirectories()} adds.
 */
public abstract class ResourceContract extends TransportContract {

    /** For a transport's subclass, which JUnit instantiates. */
    protected ResourceContract() {
    }

    static int work(SharedInt counter, SharedLock lock, int x) {
        lock.lock();
        try {
            counter.set(counter.get() + 1);
        } finally {
            lock.unlock();
        }
        return x + 1;
    }

    static void child(Queue<Integer> in, Queue<Integer> out, Pipe<String> pipe, SharedEvent event,
            SharedSemaphore semaphore) throws InterruptedException {
        out.put(in.get() + 1);
        pipe.right().send(pipe.right().recv() + "!");
        semaphore.release();
        event.set();
    }

    /**
     * Every shared object a context made refuses to work once that context has closed, with the same exception on
     * every transport: an {@link IllegalStateException} that says the context closed (not a hang, not a stale
     * answer, not a transport's own exception).
     */
    @Test
    public void everySharedObjectRefusesToWorkAfterItsContextCloses() {
        within(30, "shared objects after their context closed", () -> {
            Context own = Multiproc.context(transportName());
            Map<String, Executable> uses = new LinkedHashMap<>();
            SharedInt sharedInt = own.sharedInt(1);
            uses.put("SharedInt.get", sharedInt::get);
            SharedLong sharedLong = own.sharedLong(1);
            uses.put("SharedLong.getAndAdd", () -> sharedLong.getAndAdd(1));
            SharedValue<String> value = own.sharedValue("v");
            uses.put("SharedValue.get", value::get);
            SharedIntArray array = own.sharedIntArray(4);
            uses.put("SharedIntArray.get", () -> array.get(0));
            SharedMap<String, Integer> map = own.sharedMap();
            uses.put("SharedMap.put", () -> map.put("k", 1));
            SharedList<String> list = own.sharedList();
            uses.put("SharedList.size", list::size);
            SharedLock lock = own.lock();
            uses.put("SharedLock.tryLock", lock::tryLock);
            SharedSemaphore semaphore = own.semaphore(1);
            uses.put("SharedSemaphore.tryAcquire", semaphore::tryAcquire);
            SharedEvent event = own.event();
            uses.put("SharedEvent.set", event::set);
            SharedBarrier barrier = own.barrier(2);
            uses.put("SharedBarrier.getNumberWaiting", barrier::getNumberWaiting);
            Queue<String> queue = own.queue();
            uses.put("Queue.offer", () -> queue.offer("x"));
            JoinableQueue<String> joinable = own.joinableQueue();
            uses.put("JoinableQueue.poll", joinable::poll);
            own.close();
            List<String> wrong = new ArrayList<>();
            uses.forEach((what, use) -> {
                try {
                    use.execute();
                    wrong.add(what + " worked");
                } catch (IllegalStateException expected) {
                    if (!String.valueOf(expected.getMessage()).contains("closed")) {
                        wrong.add(what + " did not say the context closed: " + expected.getMessage());
                    }
                } catch (Throwable other) {
                    wrong.add(what + " threw " + other);
                }
            });
            assertEquals(List.of(), wrong, "uses of shared objects after their context closed");
            return null;
        });
    }

    /**
     * Uses every kind of object, closes the context, and requires that nothing of it remains.
     *
     * @throws Exception if listing this JVM's files fails, or the waits are interrupted
     */
    @Test
    public void closeReleasesEveryProcessThreadAndFile() throws Exception {
        Set<Long> childrenBefore = children();
        Set<Thread> threadsBefore = multiprocThreads();
        List<Path> filesBefore = files();
        within(60, "a context's whole life", () -> {
            try (Context used = Multiproc.context(transportName())) {
                SharedInt counter = used.sharedInt(0);
                SharedLock lock = used.lock();
                try (Pool pool = used.pool(2)) {
                    assertEquals(List.of(2, 3, 4), pool.map(x -> work(counter, lock, x), List.of(1, 2, 3), 1));
                }
                Queue<Integer> toChild = used.queue();
                Queue<Integer> fromChild = used.queue();
                Pipe<String> pipe = used.pipe();
                SharedEvent event = used.event();
                SharedSemaphore semaphore = used.semaphore(0);
                used.sharedLong(1).incrementAndGet();
                used.sharedValue("v").set("w");
                ChildProcess child = used.process(() -> child(toChild, fromChild, pipe, event, semaphore)).start();
                toChild.put(41);
                pipe.left().send("hi");
                assertEquals(42, fromChild.get(TckTimeouts.millis(20), TimeUnit.MILLISECONDS));
                assertEquals("hi!", pipe.left().recv());
                assertTrue(semaphore.tryAcquire(TckTimeouts.millis(20), TimeUnit.MILLISECONDS));
                assertTrue(event.await(20_000, TimeUnit.MILLISECONDS));
                child.join();
                assertEquals(3, counter.get());
            }
            return null;
        });
        await(10, "the context's child processes to exit", () -> children().stream()
                .filter(pid -> !childrenBefore.contains(pid)).findAny().isEmpty());
        await(10, "the context's threads to end", () -> multiprocThreads().stream()
                .filter(thread -> !threadsBefore.contains(thread)).findAny().isEmpty());
        List<Path> left = new ArrayList<>(files());
        left.removeAll(filesBefore);
        assertEquals(List.of(), left, "files of the closed context remain");
    }

    /**
     * A long-lived context keeps nothing of what has ended: a process that exited and a pool that terminated can be
     * garbage-collected while the context stays open (a context that runs for days, starting a process a second,
     * must not grow).
     */
    @Test
    public void aContextKeepsNothingOfEndedProcessesAndPools() {
        within(60, "ended processes and pools collected", () -> {
            List<WeakReference<Object>> ended = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                ended.add(endedProcess());
            }
            ended.add(closedPool());
            await(20, "the context to let go of ended processes and pools", () -> {
                System.gc();
                return ended.stream().allMatch(reference -> reference.get() == null);
            });
            return null;
        });
    }

    private WeakReference<Object> endedProcess() throws InterruptedException {
        ChildProcess child = context.process(ResourceContract::noop).start();
        child.join();
        assertEquals(0, child.exitCode().getAsInt(), () -> "child failed: " + child.failure());
        return new WeakReference<>(child);
    }

    private WeakReference<Object> closedPool() throws InterruptedException {
        Pool pool = context.pool(1);
        assertEquals(List.of(2), pool.map(x -> x + 1, List.of(1)));
        pool.close();
        assertTrue(pool.awaitTermination(TckTimeouts.millis(20), TimeUnit.MILLISECONDS), "pool terminated");
        return new WeakReference<>(pool);
    }

    static void noop() {
    }

    private static Set<Long> children() {
        return ProcessHandle.current().children().filter(ProcessHandle::isAlive).map(ProcessHandle::pid)
                .collect(Collectors.toSet());
    }

    private Set<Thread> multiprocThreads() {
        List<String> shared = new ArrayList<>(sharedThreadPrefixes());
        shared.add("multiproc-callbacks"); // shared by every context of the JVM, by design: see Pool's callbacks
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.isAlive() && thread.getName().startsWith("multiproc-")
                        && shared.stream().noneMatch(thread.getName()::startsWith))
                .collect(Collectors.toSet());
    }

    /**
     * @return name prefixes of daemon threads the transport shares among every context of the JVM: a fixed pool
     *         that does not grow with contexts (an I/O event loop, say), which a context's close need not end. The
     *         default names none.
     */
    protected List<String> sharedThreadPrefixes() {
        return List.of();
    }

    /**
     * @return where the transport may put files, besides {@code /dev/shm} and {@code java.io.tmpdir}: override for a
     *         transport whose context under test puts them elsewhere. The default adds none.
     */
    protected List<Path> fileDirectories() {
        return List.of();
    }

    /**
     * @return this JVM's multiproc files in {@code /dev/shm}, {@code java.io.tmpdir} and {@link #fileDirectories()}
     * @throws IOException if a directory cannot be listed
     */
    protected List<Path> files() throws IOException {
        String pid = Long.toString(ProcessHandle.current().pid());
        List<Path> found = new ArrayList<>();
        List<Path> directories = new ArrayList<>(List.of(Paths.get("/dev/shm"),
                Paths.get(System.getProperty("java.io.tmpdir"))));
        directories.addAll(fileDirectories());
        for (Path directory : directories) {
            if (!Files.isDirectory(directory)) {
                continue;
            }
            try (Stream<Path> entries = Files.list(directory)) {
                entries.filter(p -> {
                    String name = p.getFileName().toString();
                    return name.startsWith("multiproc-") && name.contains("-" + pid + "-");
                }).forEach(found::add);
            }
        }
        return found;
    }
}
