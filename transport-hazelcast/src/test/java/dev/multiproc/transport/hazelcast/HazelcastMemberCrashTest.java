package dev.multiproc.transport.hazelcast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import dev.multiproc.ChildProcess;
import dev.multiproc.Context;
import dev.multiproc.Multiproc;
import dev.multiproc.SharedInt;
import dev.multiproc.tck.TckTimeouts;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * What a parent that joined an existing cluster keeps when another member dies: a shared int whose entry lives on a
 * member that is killed with SIGKILL while two children increment it loses no increment and counts none twice (the
 * entry's synchronous backup on the parent's member takes over; an increment whose call failed with the member is
 * checked by its tag, not repeated blindly).
 */
class HazelcastMemberCrashTest {
    private static final int PER_CHILD = 1500;

    static void increment(SharedInt counter, SharedInt done) {
        for (int i = 0; i < PER_CHILD; i++) {
            counter.getAndAdd(1);
        }
        done.incrementAndGet();
    }

    static int freePort() throws java.io.IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        }
    }

    @Test
    void incrementsLoseNothingAndCountNothingTwiceWhenTheMemberHoldingThemIsKilled() throws Exception {
        String cluster = "mp-crash-" + UUID.randomUUID();
        int otherPort = freePort();
        Process other = new ProcessBuilder(Multiproc.javaCommand(OtherMemberMain.class.getName(), List.of(), cluster,
                Integer.toString(otherPort))).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(other.getInputStream(),
                    StandardCharsets.UTF_8));
            assertEquals("READY", assertTimeoutPreemptively(TckTimeouts.seconds(60), out::readLine),
                    "the other member did not start");
            countWhileTheOtherMemberDies(cluster, otherPort, other::destroyForcibly);
        } finally {
            other.destroyForcibly();
        }
    }

    /**
     * Opens a context whose member joins the member at {@code 127.0.0.1:otherPort} in {@code cluster}, has two
     * children increment a shared int whose entry that member owns, calls {@code killOther} mid-way, and checks the
     * count.
     */
    static void countWhileTheOtherMemberDies(String cluster, int otherPort, Runnable killOther) throws Exception {
        try (Context context = Multiproc.contextBuilder().transport("hazelcast")
                .option(HazelcastTransport.CLUSTER_NAME, cluster)
                .option(HazelcastTransport.MEMBERS, "127.0.0.1:" + otherPort)
                .option(HazelcastTransport.PORT, freePort()).build()) {
            HazelcastInstance parent = Hazelcast.getAllHazelcastInstances().stream()
                    .filter(instance -> instance.getConfig().getClusterName().equals(cluster)).findFirst()
                    .orElseThrow();
            assertEquals(2, parent.getCluster().getMembers().size(), "the parent's member joined the other");
            // a counter whose entry the other member owns (its backup is on the parent's member)
            SharedInt counter = null;
            for (int i = 0; i < 200 && counter == null; i++) {
                SharedInt candidate = context.sharedInt(0);
                String key = candidate.toString().replaceAll(".*/(.*)]$", "$1");
                if (!parent.getPartitionService().getPartition(key).getOwner().localMember()) {
                    counter = candidate;
                }
            }
            assertTrue(counter != null, "no key of 200 lands on the other member");
            SharedInt done = context.sharedInt(0);
            SharedInt shared = counter;
            List<ChildProcess> children = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                children.add(context.process(() -> increment(shared, done)).start());
            }
            long deadline = System.nanoTime() + TckTimeouts.seconds(120).toNanos();
            while (counter.get() < PER_CHILD / 2 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            int before = counter.get();
            assertTrue(before > 0 && before < 2 * PER_CHILD, "the kill must come mid-way: " + before);
            killOther.run(); // SIGKILL: the owner of the counter's entry dies
            for (ChildProcess child : children) {
                child.join(TckTimeouts.seconds(120).toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
                assertEquals(0, child.exitCode().orElse(-1), () -> "a child failed: " + child.failure());
            }
            assertEquals(2, done.get(), "both children finished");
            assertEquals(2 * PER_CHILD, counter.get(), "increments lost or counted twice (killed at " + before
                    + ")");
        }
    }
}
