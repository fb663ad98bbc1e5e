package dev.multiproc.transport.hazelcast;

import com.hazelcast.client.HazelcastClient;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.collection.IQueue;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.LifecycleEvent;
import dev.multiproc.spi.AuthkeyFile;
import dev.multiproc.spi.RandomBytes;
import dev.multiproc.spi.RemoteWorkerMain;
import java.io.IOException;
import java.net.ProtocolException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A pool worker on another host (or any JVM the parent did not start) for a parent that uses the Hazelcast
 * transport: it joins the cluster as a Hazelcast client, proves that it holds the parent's authkey, waits until a
 * pool takes it, and then runs tasks like a spawned worker.
 *
 * <pre>
 * java -cp &lt;the parent's jars&gt; dev.multiproc.transport.hazelcast.HazelcastWorker \
 *      --members HOST:PORT[,HOST:PORT...] --authkey-file FILE [--cluster NAME] [--name NAME] [--connect-timeout SECONDS]
 * </pre>
 *
 * The parent must take remote workers ({@code -Dmultiproc.hazelcast.authkeyFile=FILE}, the same key) and its member
 * must be reachable from this host ({@code -Dmultiproc.hazelcast.bind} on an address of the network the workers are
 * on); its pool asks for remote workers with {@code Pool.Builder.remoteWorkers(n)} or
 * {@code -Dmultiproc.pool.remoteWorkers=n}. {@code --cluster} is the parent's cluster name, by default
 * {@value HazelcastTransport#SHARED_CLUSTER_NAME}, as a parent with an authkey file uses. The class path must hold the
 * classes of the tasks, as the parent's does.
 *
 * <p>The worker serves one pool. When the pool shuts it down it exits with status 0; when its parent is gone (the
 * parent's member left the cluster, or the connection to the cluster dropped) it exits with status 3. Status 2 means
 * a bad command line, a bad authkey file, or a parent that could not prove it knows the key. It may be started before
 * the parent: it waits {@code --connect-timeout} seconds (default 60) for the cluster, and as long again for a parent
 * to answer its join request.
 */
public final class HazelcastWorker {
    private static final String USAGE = "usage: java -cp <the parent's class path> " + HazelcastWorker.class.getName()
            + " --members HOST:PORT[,HOST:PORT...] --authkey-file FILE [--cluster NAME] [--name NAME]"
            + " [--connect-timeout SECONDS]";
    private static final int EXIT_USAGE = 2;
    private static final int EXIT_UNREACHABLE = 3;

    private HazelcastWorker() {
    }

    /**
     * Runs a remote worker; never returns. Exit statuses: 0 shut down by its pool, 2 bad arguments, bad key file or
     * an impostor parent, 3 the cluster or a parent could not be reached, or the parent left.
     *
     * @param args {@code --members HOST:PORT[,...] --authkey-file FILE [--cluster NAME] [--name NAME]
     *        [--connect-timeout SECONDS]}
     */
    public static void main(String[] args) {
        String members = null;
        String keyFile = null;
        String cluster = HazelcastTransport.SHARED_CLUSTER_NAME;
        String name = null;
        long connectTimeoutSeconds = 60;
        try {
            for (int i = 0; i < args.length; i++) {
                String option = args[i];
                if (option.equals("--help") || option.equals("-h")) {
                    System.out.println(USAGE);
                    System.exit(0);
                }
                if (i + 1 >= args.length) {
                    fail(EXIT_USAGE, option + " needs a value");
                }
                String value = args[++i];
                switch (option) {
                    case "--members" -> members = value;
                    case "--authkey-file" -> keyFile = value;
                    case "--cluster" -> cluster = value;
                    case "--name" -> name = value;
                    case "--connect-timeout" -> connectTimeoutSeconds = Long.parseLong(value);
                    default -> fail(EXIT_USAGE, "unknown option " + option);
                }
            }
        } catch (NumberFormatException e) {
            fail(EXIT_USAGE, "--connect-timeout takes a number of seconds");
        }
        if (members == null || keyFile == null) {
            fail(EXIT_USAGE, "--members and --authkey-file are required");
        }
        List<String> addresses = Arrays.stream(members.split(",")).map(String::trim).filter(m -> !m.isEmpty())
                .toList();
        if (addresses.isEmpty()) {
            fail(EXIT_USAGE, "--members takes HOST:PORT of one or more members of the parent's cluster");
        }
        if (name == null) {
            name = defaultName();
        }
        if (name.isEmpty() || name.length() > HazelcastJoin.MAX_NAME_LENGTH) {
            fail(EXIT_USAGE, "--name takes 1 to " + HazelcastJoin.MAX_NAME_LENGTH + " characters");
        }
        byte[] key = null;
        try {
            key = AuthkeyFile.load(Path.of(keyFile));
        } catch (IOException e) {
            fail(EXIT_USAGE, e.getMessage());
        }
        HazelcastConfigs.silenceLogging();
        HazelcastInstance client = null;
        try {
            client = HazelcastClient.newHazelcastClient(HazelcastConfigs.client(cluster, addresses,
                    TimeUnit.SECONDS.toMillis(connectTimeoutSeconds)));
        } catch (RuntimeException e) {
            fail(EXIT_UNREACHABLE, "cannot reach the Hazelcast cluster '" + cluster + "' at " + members + " ("
                    + e.getMessage() + "): is the parent running with -D" + HazelcastTransport.AUTHKEY_FILE.name()
                    + ", its member bound to an address this host reaches (-D" + HazelcastTransport.BIND_ADDRESS.name()
                    + ") and the cluster name the same (--cluster)?");
        }
        join(client, key, name, keyFile, TimeUnit.SECONDS.toNanos(connectTimeoutSeconds));
    }

    private static void join(HazelcastInstance client, byte[] authkey, String name, String keyFile,
            long timeoutNanos) {
        AtomicBoolean disconnected = new AtomicBoolean();
        client.getLifecycleService().addLifecycleListener(event -> {
            if (event.getState() == LifecycleEvent.LifecycleState.CLIENT_DISCONNECTED
                    || event.getState() == LifecycleEvent.LifecycleState.SHUTTING_DOWN) {
                disconnected.set(true);
            }
        });
        String id = "remote-" + name + "-" + HexFormat.of().formatHex(RandomBytes.next(4));
        HazelcastJoin.Request request = new HazelcastJoin.Request(id, name,
                client.getLocalEndpoint().getUuid(), RandomBytes.next(HazelcastJoin.NONCE_LENGTH));
        IQueue<byte[]> down = client.getQueue(HazelcastDescriptor.queueName(HazelcastJoin.REMOTE, id, true));
        IQueue<byte[]> up = client.getQueue(HazelcastDescriptor.queueName(HazelcastJoin.REMOTE, id, false));
        byte[] downLabel = HazelcastFrame.label(HazelcastJoin.REMOTE, id, true);
        byte[] upLabel = HazelcastFrame.label(HazelcastJoin.REMOTE, id, false);
        byte[][] session = new byte[1][];
        HazelcastJoin.Welcome welcome = null;
        try {
            client.<byte[]>getQueue(HazelcastJoin.joinQueue(authkey)).put(HazelcastJoin.request(authkey, request));
            byte[] answer = down.poll(timeoutNanos, TimeUnit.NANOSECONDS);
            if (answer == null) {
                fail(EXIT_UNREACHABLE, "no parent with the key in " + keyFile + " answered within "
                        + TimeUnit.NANOSECONDS.toSeconds(timeoutNanos) + " s: is it running with -D"
                        + HazelcastTransport.AUTHKEY_FILE.name() + " (a copy of this file) in this cluster?");
            }
            welcome = HazelcastJoin.parseWelcome(authkey, request, downLabel, answer, session);
            up.put(HazelcastFrame.encode(session[0], upLabel, HazelcastFrame.HELLO, 0, null));
        } catch (ProtocolException e) {
            fail(EXIT_USAGE, "the parent did not prove that it knows the key in " + keyFile + " (" + e.getMessage()
                    + "): the two authkey files differ, or someone else answered");
        } catch (InterruptedException e) {
            fail(EXIT_UNREACHABLE, "interrupted while joining");
        } catch (RuntimeException e) {
            fail(EXIT_UNREACHABLE, "the connection to the cluster broke while joining: " + e);
        }
        UUID parentMember = welcome.parentMember();
        AtomicBoolean parentLeft = new AtomicBoolean();
        client.getCluster().addMembershipListener(new MembershipListener() {
            @Override
            public void memberAdded(MembershipEvent event) {
                // only the parent's departure matters
            }

            @Override
            public void memberRemoved(MembershipEvent event) {
                if (event.getMember().getUuid().equals(parentMember)) {
                    parentLeft.set(true);
                }
            }
        });
        HazelcastInstance connected = client;
        HazelcastQueueChannel channel = new HazelcastQueueChannel("the parent", welcome.maxMessageSize(), down, up,
                session[0], downLabel, upLabel, 1, 1, () -> disconnected.get() || parentLeft.get(),
                connected::shutdown);
        HazelcastInstances.register(welcome.contextId(), connected, channel,
                HazelcastJoin.sealObjectsKey(session[0], welcome.sealedObjectsKey()));
        RemoteWorkerMain.serve(welcome.contextId(), id, channel);
    }

    private static String defaultName() {
        String host = null;
        try {
            Path hostname = Path.of("/etc/hostname");
            if (Files.isReadable(hostname)) {
                host = Files.readString(hostname).trim();
            }
        } catch (IOException | RuntimeException e) {
            // fall back below
        }
        if (host == null || host.isEmpty()) {
            host = "worker";
        }
        String name = host + "-" + ProcessHandle.current().pid();
        return name.length() > HazelcastJoin.MAX_NAME_LENGTH
                ? name.substring(name.length() - HazelcastJoin.MAX_NAME_LENGTH) : name;
    }

    private static void fail(int status, String message) {
        System.err.println("multiproc remote worker: " + message);
        if (status == EXIT_USAGE && message.endsWith("required")) {
            System.err.println(USAGE);
        }
        System.exit(status);
    }
}
