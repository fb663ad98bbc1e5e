package dev.multiproc.transport.hazelcast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.multiproc.Context;
import dev.multiproc.Pool;
import dev.multiproc.Queue;
import dev.multiproc.SharedEvent;
import dev.multiproc.SharedInt;
import dev.multiproc.SharedLock;
import dev.multiproc.tck.TckTimeouts;
import dev.multiproc.tck.support.NetworkNamespace;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A cluster of three hosts built from Linux network namespaces: this JVM is the parent's host (its member bound to
 * this side of host A's veth pair), and two worker hosts, A and B, each a namespace of its own running
 * {@link HazelcastWorker}s that join the member over the veth addresses the test created. Checks what a user who
 * outgrew one machine needs: a {@code Pool.map} spread over both worker hosts; one worker host's JVMs killed with
 * SIGKILL mid-map, and the results still exact; and the counter demo's increments, made from both hosts, exact.
 *
 * <p>Skipped, with the reason, where namespaces cannot be created (not root, no {@code ip}, no permission).
 */
class HazelcastNetnsClusterTest {
    private static NetworkNamespace hostA;
    private static NetworkNamespace hostB;

    @TempDir
    Path dir;
    private Context context;
    private String members;
    private Path keyFile;
    private final List<Process> workers = new ArrayList<>();

    @BeforeAll
    static void createHosts() throws Exception {
        hostA = NetworkNamespace.create();
        hostB = NetworkNamespace.create();
    }

    @AfterAll
    static void removeHosts() {
        for (NetworkNamespace host : new NetworkNamespace[] {hostA, hostB}) {
            if (host != null) {
                host.close();
            }
        }
        hostA = null;
        hostB = null;
    }

    @BeforeEach
    void openContext() throws IOException {
        keyFile = dir.resolve("authkey");
        HazelcastRemoteWorkerTest.Opened opened = HazelcastRemoteWorkerTest.open(hostA.hostAddress(), keyFile);
        context = opened.context();
        members = opened.members();
    }

    @AfterEach
    void closeAll() {
        try {
            if (context != null) {
                assertTimeoutPreemptively(TckTimeouts.seconds(30), context::close, "closing the context");
            }
        } finally {
            workers.forEach(Process::destroyForcibly);
        }
    }

    // ---- tasks (static: they run in the workers) ----

    /** @return this process's pid and network namespace */
    static String identity() {
        String netns;
        try {
            netns = Files.readSymbolicLink(Path.of("/proc/self/ns/net")).toString();
        } catch (IOException e) {
            netns = "net:?";
        }
        return ProcessHandle.current().pid() + " " + netns;
    }

    static String holdUntilGo(Queue<String> arrived, SharedEvent go) throws InterruptedException {
        String me = identity();
        arrived.put(me);
        go.await();
        return me;
    }

    static long slowSquare(int x, Queue<String> started) throws InterruptedException {
        started.put(identity());
        Thread.sleep(50);
        return (long) x * x;
    }

    /** The counter demo's step: read, pause, write, under the lock (without the lock, increments are lost). */
    static String increment(SharedLock lock, SharedInt counter) throws InterruptedException {
        lock.lock();
        try {
            int seen = counter.get();
            Thread.sleep(20);
            counter.set(seen + 1);
        } finally {
            lock.unlock();
        }
        return identity();
    }

    // ---- helpers ----

    private Process startWorker(NetworkNamespace host, String name) throws IOException {
        List<String> command = new ArrayList<>(host.prefix());
        command.addAll(HazelcastRemoteWorkerTest.command(members, name, keyFile));
        Process worker = new ProcessBuilder(command)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(dir.resolve(name + ".out").toFile())
                .redirectError(dir.resolve(name + ".err").toFile())
                .start();
        workers.add(worker);
        return worker;
    }

    private String output(String... names) {
        StringBuilder all = new StringBuilder();
        for (String name : names) {
            try {
                all.append('\n').append(name).append(" stderr: ")
                        .append(Files.readString(dir.resolve(name + ".err"), StandardCharsets.UTF_8));
            } catch (IOException e) {
                all.append('\n').append(name).append(": no output (").append(e).append(')');
            }
        }
        return all.toString();
    }

    private static String next(Queue<String> queue, String otherwise) throws InterruptedException {
        try {
            return queue.get(TckTimeouts.seconds(60).toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError(otherwise, e);
        }
    }

    private static String netnsOf(String identity) {
        return identity.substring(identity.indexOf(' ') + 1);
    }

    private static String netnsOf(NetworkNamespace host) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(host.prefix());
        command.addAll(List.of("readlink", "/proc/self/ns/net"));
        Process readlink = new ProcessBuilder(command).redirectErrorStream(true).start();
        String link = new String(readlink.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertEquals(0, readlink.waitFor(), link);
        return link;
    }

    private Pool pool(int remoteWorkers, int retries) {
        Duration wait = TckTimeouts.seconds(90);
        return assertTimeoutPreemptively(wait.plusSeconds(5), () -> context.poolBuilder().workers(remoteWorkers)
                .remoteWorkers(remoteWorkers).retries(retries).startTimeout(wait).build(), "building the pool");
    }

    // ---- scenarios ----

    /**
     * Four workers, two on each worker host, hold one task each at once (a start barrier: each task waits for the
     * others), so the pool's work provably spreads over both hosts; then a map whose tasks run on both hosts loses
     * nothing when host A's two JVMs are killed with SIGKILL mid-map.
     */
    @Test
    void poolMapSpreadsOverBothWorkerHostsAndSurvivesTheLossOfOne() throws Exception {
        List<Process> onA = List.of(startWorker(hostA, "a1"), startWorker(hostA, "a2"));
        startWorker(hostB, "b1");
        startWorker(hostB, "b2");
        String netnsA = netnsOf(hostA);
        String netnsB = netnsOf(hostB);
        try (Pool pool = pool(4, 2)) {
            Queue<String> arrived = context.queue();
            SharedEvent go = context.event();
            List<CompletableFuture<String>> held = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                held.add(pool.applyAsync(ignored -> holdUntilGo(arrived, go), i));
            }
            Set<String> holders = new HashSet<>();
            for (int i = 0; i < 4; i++) {
                holders.add(next(arrived, "only " + holders + " held a task" + output("a1", "a2", "b1", "b2")));
            }
            go.set();
            for (CompletableFuture<String> future : held) {
                future.get(TckTimeouts.seconds(30).toMillis(), TimeUnit.MILLISECONDS);
            }
            assertEquals(4, holders.size(), "four workers, four holders: " + holders);
            assertEquals(2, holders.stream().filter(h -> netnsOf(h).equals(netnsA)).count(),
                    "two holders on host A (" + netnsA + "): " + holders);
            assertEquals(2, holders.stream().filter(h -> netnsOf(h).equals(netnsB)).count(),
                    "two holders on host B (" + netnsB + "): " + holders);

            Queue<String> started = context.queue();
            List<Integer> items = IntStream.range(0, 200).boxed().toList();
            CompletableFuture<List<Long>> squares = pool.mapAsync(x -> slowSquare(x, started), items, 2);
            boolean aWorked = false;
            while (!aWorked) {
                aWorked = netnsOf(next(started, "no task started on host A" + output("a1", "a2"))).equals(netnsA);
            }
            onA.forEach(Process::destroyForcibly); // SIGKILL, mid-map, while host A holds chunks
            List<Long> expected = items.stream().map(x -> (long) x * x).toList();
            assertEquals(expected, squares.get(TckTimeouts.seconds(120).toMillis(), TimeUnit.MILLISECONDS),
                    "the map's results after host A died" + output("b1", "b2"));
            for (Process worker : onA) {
                assertTrue(worker.waitFor(TckTimeouts.seconds(10).toMillis(), TimeUnit.MILLISECONDS));
                assertEquals(137, worker.exitValue(), "host A's worker was killed with SIGKILL");
            }
        }
    }

    /**
     * The counter demo across hosts: ten increments of a shared int, each a read, a pause and a write under a shared
     * lock, made by tasks on workers of both hosts, end at exactly ten.
     */
    @Test
    void theCounterDemosIncrementsFromBothHostsAreExact() throws Exception {
        startWorker(hostA, "a1");
        startWorker(hostB, "b1");
        String netnsA = netnsOf(hostA);
        String netnsB = netnsOf(hostB);
        try (Pool pool = pool(2, 0)) {
            SharedLock lock = context.lock();
            SharedInt counter = context.sharedInt(0);
            List<String> who = pool.map(ignored -> increment(lock, counter), IntStream.range(0, 10).boxed().toList(),
                    1);
            assertEquals(10, counter.get(), "Final shared value");
            Set<String> hosts = new HashSet<>();
            who.forEach(identity -> hosts.add(netnsOf(identity)));
            assertTrue(hosts.contains(netnsA) && hosts.contains(netnsB),
                    "the increments ran on " + hosts + ", not on both hosts " + netnsA + " and " + netnsB);
        }
    }
}
