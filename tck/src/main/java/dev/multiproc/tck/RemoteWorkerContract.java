package dev.multiproc.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.multiproc.Multiproc;
import dev.multiproc.ParentProcess;
import dev.multiproc.ProcessInfo;
import dev.multiproc.Context;
import dev.multiproc.Pool;
import dev.multiproc.Queue;
import dev.multiproc.SharedEvent;
import dev.multiproc.WorkerCrashedException;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a transport that takes remote workers ({@link dev.multiproc.spi.ParentTransport#remoteWorkers()}) must do
 * with a pool of one local and one remote worker, wherever the remote worker runs: both take tasks, a remote worker
 * knows its role and parent, a remote worker killed mid-task (SIGKILL) fails (or, with retries, re-runs) only its
 * chunk, its slot is refilled by the next remote worker, and a remote worker exits with status 3 when its parent goes
 * away and with 0 when its pool shuts it down. Subclasses open the context, say how a remote worker is started, and
 * where (on this host, or in another network namespace).
 *
 * <p>Tasks report {@code "index pid netns"} into a shared queue and then wait for a shared event, so that two
 * tasks submitted with two idle workers are provably held by both at once (a worker holds one chunk at a time).
 */
public abstract class RemoteWorkerContract {
    /** A directory of the test's own: the authkey file, the remote workers' output. */
    @TempDir
    protected Path dir;
    private Path keyFile;
    private Context context;
    private final List<Process> remotes = new ArrayList<>();

    /** Subclasses are JUnit test classes. */
    protected RemoteWorkerContract() {
    }

    /**
     * Opens the context under test, whose transport takes remote workers that hold the key in {@code keyFile}.
     *
     * @param keyFile the authkey file; it does not exist yet, and the transport must create it
     * @return the open context
     * @throws IOException if the transport cannot start
     */
    protected abstract Context openRemoteContext(Path keyFile) throws IOException;

    /**
     * @param context the context {@link #openRemoteContext} opened
     * @param name the remote worker's name
     * @param keyFile the authkey file
     * @return the command that starts a remote worker joining {@code context}, without {@link #remotePrefix()};
     *         the worker should give up if it cannot join within 30 seconds
     */
    protected abstract List<String> remoteWorkerCommand(Context context, String name, Path keyFile);

    /** @return what goes before the command to start a remote worker, e.g. {@code ip netns exec NS} */
    protected abstract List<String> remotePrefix();

    /** @return true if the remote worker runs in a network namespace other than this JVM's */
    protected abstract boolean remoteIsElsewhere();

    /** @return the authkey file the parent made */
    protected Path keyFile() {
        return keyFile;
    }

    @BeforeEach
    void openContext() throws IOException {
        keyFile = dir.resolve("authkey");
        context = openRemoteContext(keyFile);
        assertTrue(Files.exists(keyFile), "the parent did not create the authkey file");
    }

    @AfterEach
    void closeAll() {
        try {
            if (context != null) {
                Context closing = context;
                assertTimeoutPreemptively(TckTimeouts.seconds(30), closing::close, "closing the context");
            }
        } finally {
            for (Process remote : remotes) {
                remote.descendants().forEach(ProcessHandle::destroyForcibly);
                remote.destroyForcibly();
            }
        }
    }

    // ---- tasks (static: they run in workers) ----

    static String identity() {
        String netns;
        try {
            netns = Files.readSymbolicLink(Path.of("/proc/self/ns/net")).toString();
        } catch (IOException | UnsupportedOperationException e) {
            netns = "net:?";
        }
        return ProcessHandle.current().pid() + " " + netns;
    }

    static String checkIn(Queue<String> arrived, SharedEvent go, int index) throws InterruptedException {
        String me = identity();
        arrived.put(index + " " + me);
        go.await();
        return me;
    }

    /** Checks in as {@link #checkIn} does, then says who this worker is and who its parent is. */
    static List<Object> whoIsWho(Queue<String> arrived, SharedEvent go, int index) throws InterruptedException {
        checkIn(arrived, go, index);
        ParentProcess parent = Multiproc.parentProcess().orElseThrow();
        return List.of(Multiproc.currentProcess(), parent.name(), parent.pid(), parent.isAlive());
    }

    // ---- helpers ----

    /**
     * Starts a remote worker with stdin from /dev/null: it needs no lifeline from anyone.
     *
     * @param name its name
     * @return its process, killed at the end of the test
     * @throws IOException if it cannot be started
     */
    protected Process startRemote(String name) throws IOException {
        List<String> command = new ArrayList<>(remotePrefix());
        command.addAll(remoteWorkerCommand(context, name, keyFile));
        Process remote = new ProcessBuilder(command)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(dir.resolve(name + ".out").toFile())
                .redirectError(dir.resolve(name + ".err").toFile())
                .start();
        remotes.add(remote);
        return remote;
    }

    private String remoteOutput(String name) {
        try {
            return "stdout: " + Files.readString(dir.resolve(name + ".out"), StandardCharsets.UTF_8) + "\nstderr: "
                    + Files.readString(dir.resolve(name + ".err"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no output: " + e + ")";
        }
    }

    private Pool pool(int retries) {
        Duration wait = TckTimeouts.seconds(60);
        return assertTimeoutPreemptively(wait.plusSeconds(5), () -> context.poolBuilder().workers(2)
                .remoteWorkers(1).retries(retries).startTimeout(wait).build(), "building the pool");
    }

    private static int exitStatus(Process process, String name) {
        return assertTimeoutPreemptively(TckTimeouts.seconds(20), () -> process.waitFor(), name + " did not exit");
    }

    /**
     * Returns who holds which of two blocking tasks, once both have checked in: index -> identity. If one does not
     * check in, releases the held tasks (so that the pool can close) and fails.
     */
    private Map<Integer, String> holders(Queue<String> arrived, SharedEvent go) throws Exception {
        Map<Integer, String> holders = new HashMap<>();
        for (int i = 0; i < 2; i++) {
            String line;
            try {
                line = arrived.get(TckTimeouts.seconds(60).toMillis(), TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                go.set();
                return fail("only " + holders.size() + " of 2 tasks checked in within 60 s (did the remote worker's"
                        + " put arrive?): " + holders + "\n" + remoteOutput("box-1"));
            }
            int space = line.indexOf(' ');
            holders.put(Integer.parseInt(line.substring(0, space)), line.substring(space + 1));
        }
        return holders;
    }

    private static long pidOf(String identity) {
        return Long.parseLong(identity.substring(0, identity.indexOf(' ')));
    }

    private static String netnsOf(String identity) {
        return identity.substring(identity.indexOf(' ') + 1);
    }

    private static <T> T get(CompletableFuture<T> future) throws Exception {
        return future.get(TckTimeouts.seconds(30).toMillis(), TimeUnit.MILLISECONDS);
    }

    private static Throwable failureOf(CompletableFuture<?> future) throws Exception {
        try {
            get(future);
        } catch (ExecutionException e) {
            return e.getCause();
        }
        return fail("the task of the killed worker did not fail");
    }

    private List<CompletableFuture<String>> submitTwo(Pool pool, Queue<String> arrived, SharedEvent go) {
        List<CompletableFuture<String>> futures = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            futures.add(pool.applyAsync(index -> checkIn(arrived, go, index), i));
        }
        return futures;
    }

    // ---- scenarios ----

    /**
     * Two tasks held at once by a pool of one local and one remote worker run on both; the remote one runs where it was
     * started, and exits with status 0 when its pool shuts it down.
     */
    @Test
    public void oneLocalAndOneRemoteWorkerBothTakeTasks() throws Exception {
        Process remote = startRemote("box-1");
        try (Pool pool = pool(0)) {
            Queue<String> arrived = context.queue();
            SharedEvent go = context.event();
            List<CompletableFuture<String>> futures = submitTwo(pool, arrived, go);
            Map<Integer, String> holders = holders(arrived, go);
            go.set();
            List<Long> pids = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                assertEquals(holders.get(i), get(futures.get(i)));
                pids.add(pidOf(holders.get(i)));
            }
            assertTrue(pids.contains(remote.pid()), "the remote worker (pid " + remote.pid() + ") took no task: "
                    + holders + "\n" + remoteOutput("box-1"));
            assertNotEquals(pids.get(0), pids.get(1), "one worker took both tasks: " + holders);
            String here = netnsOf(identity());
            for (String holder : holders.values()) {
                boolean isRemote = pidOf(holder) == remote.pid();
                assertEquals(isRemote && remoteIsElsewhere(), !netnsOf(holder).equals(here),
                        "network namespace of " + holder + " (this JVM: " + here + ")");
            }
            assertEquals(List.of(1, 4, 9), pool.map(x -> x * x, List.of(1, 2, 3), 1));
        }
        assertEquals(0, exitStatus(remote, "the remote worker, shut down with its pool"), remoteOutput("box-1"));
    }

    /**
     * A remote worker's {@code currentProcess()} says it is a pool worker, named as the pool names it, and its
     * {@code parentProcess()} is this process, on another host as far as the worker can tell, and alive.
     */
    @Test
    public void aRemoteWorkerKnowsItIsAWorkerAndWhoItsParentIs() throws Exception {
        Process remote = startRemote("box-1");
        try (Pool pool = pool(0)) {
            Queue<String> arrived = context.queue();
            SharedEvent go = context.event();
            List<CompletableFuture<List<Object>>> futures = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                futures.add(pool.applyAsync(index -> whoIsWho(arrived, go, index), i));
            }
            holders(arrived, go);   // both workers hold a task: the remote one answers too
            go.set();
            boolean remoteAnswered = false;
            for (CompletableFuture<List<Object>> future : futures) {
                List<Object> seen = get(future);
                ProcessInfo self = (ProcessInfo) seen.get(0);
                assertEquals(ProcessInfo.Role.POOL_WORKER, self.role(), "a worker's role: " + seen);
                boolean isRemote = self.pid() == remote.pid();
                remoteAnswered |= isRemote;
                assertTrue(self.name().matches(isRemote ? "pool-[0-9]+-remote-[0-9]+" : "pool-[0-9]+-worker-[0-9]+"),
                        "a worker's name: " + seen);
                assertEquals(List.of(ProcessInfo.MAIN_NAME, ProcessHandle.current().pid(), true), seen.subList(1, 4),
                        "a worker's parent's name, pid and liveness");
            }
            assertTrue(remoteAnswered, "the remote worker (pid " + remote.pid() + ") took no task\n"
                    + remoteOutput("box-1"));
        }
    }

    /**
     * A remote worker killed mid-task fails only its task, with a {@code WorkerCrashedException} that names it; the
     * next remote worker to join takes its slot.
     */
    @Test
    public void remoteWorkerKilledMidTaskFailsOnlyItsTaskAndTheNextRemoteWorkerTakesItsSlot() throws Exception {
        Process first = startRemote("box-1");
        try (Pool pool = pool(0)) {
            Queue<String> arrived = context.queue();
            SharedEvent go = context.event();
            List<CompletableFuture<String>> futures = submitTwo(pool, arrived, go);
            Map<Integer, String> holders = holders(arrived, go);
            int remoteIndex = pidOf(holders.get(0)) == first.pid() ? 0 : 1;
            assertEquals(first.pid(), pidOf(holders.get(remoteIndex)), "the remote worker took no task: " + holders);
            first.destroyForcibly(); // SIGKILL, mid-task
            Throwable failure = failureOf(futures.get(remoteIndex));
            assertTrue(failure instanceof WorkerCrashedException, "expected WorkerCrashedException: " + failure);
            String message = failure.getMessage();
            assertTrue(message.contains("-remote-") && message.contains("'box-1'") && message.contains("disconnected")
                    && message.contains("pid " + first.pid()), message);
            go.set();
            assertEquals(holders.get(1 - remoteIndex), get(futures.get(1 - remoteIndex)));

            // The slot is open for the next remote worker; the pool goes on meanwhile.
            assertEquals(List.of(2, 3), pool.map(x -> x + 1, List.of(1, 2)));
            Process second = startRemote("box-2");
            go.clear();
            futures = submitTwo(pool, arrived, go);
            holders = holders(arrived, go);
            go.set();
            for (CompletableFuture<String> future : futures) {
                get(future);
            }
            assertTrue(pidOf(holders.get(0)) == second.pid() || pidOf(holders.get(1)) == second.pid(),
                    "the second remote worker did not take the slot: " + holders + "\n" + remoteOutput("box-2"));
        }
    }

    /** With retries, the chunk of a remote worker killed mid-task runs again on the local worker: nothing is lost. */
    @Test
    public void withRetriesTheChunkOfAKilledRemoteWorkerRunsAgainOnTheLocalWorker() throws Exception {
        Process remote = startRemote("box-1");
        try (Pool pool = pool(1)) {
            Queue<String> arrived = context.queue();
            SharedEvent go = context.event();
            List<CompletableFuture<String>> futures = submitTwo(pool, arrived, go);
            Map<Integer, String> holders = holders(arrived, go);
            int remoteIndex = pidOf(holders.get(0)) == remote.pid() ? 0 : 1;
            String local = holders.get(1 - remoteIndex);
            assertEquals(remote.pid(), pidOf(holders.get(remoteIndex)), "the remote worker took no task: " + holders);
            remote.destroyForcibly();
            go.set();
            assertEquals(local, get(futures.get(remoteIndex)), "the retried chunk ran elsewhere");
            assertEquals(local, get(futures.get(1 - remoteIndex)));
        }
    }

    /** A remote worker exits with status 3 when its parent's context closes under it. */
    @Test
    public void remoteWorkerExitsWhenItsConnectionDrops() throws Exception {
        Process remote = startRemote("box-1");
        Pool pool = pool(0);
        assertEquals(List.of(2), pool.map(x -> x * 2, List.of(1)));
        Context closing = context;
        context = null;
        assertTimeoutPreemptively(TckTimeouts.seconds(30), closing::close, "closing the context");
        assertEquals(3, exitStatus(remote, "the remote worker, after its parent went away"), remoteOutput("box-1"));
    }
}
