import com.hazelcast.client.HazelcastClient;
import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.cp.IAtomicLong;
import com.hazelcast.cp.ISemaphore;
import com.hazelcast.cp.lock.FencedLock;
import com.hazelcast.collection.IQueue;
import java.util.concurrent.TimeUnit;

/** Probes what the open-source Hazelcast gives. Modes: basic, member, victim, client-victim, observer, startclient. */
public class Probe {
    static final String CLUSTER = "probe-" + System.getProperty("probe.cluster", "x");
    static final int PORT = Integer.getInteger("probe.port", 27100);

    static Config memberConfig(boolean lite) {
        Config c = new Config();
        c.setClusterName(CLUSTER);
        c.setProperty("hazelcast.logging.type", "none");
        c.setProperty("hazelcast.phone.home.enabled", "false");
        c.setProperty("hazelcast.socket.bind.any", "false");
        c.setLiteMember(lite);
        if (Integer.getInteger("probe.ttl", 0) > 0) {
            c.getCPSubsystemConfig().setSessionTimeToLiveSeconds(Integer.getInteger("probe.ttl"));
            c.getCPSubsystemConfig().setSessionHeartbeatIntervalSeconds(1);
        }
        NetworkConfig n = c.getNetworkConfig();
        n.setPort(PORT).setPortAutoIncrement(true);
        n.getInterfaces().setEnabled(true).addInterface("127.0.0.1");
        JoinConfig j = n.getJoin();
        j.getMulticastConfig().setEnabled(false);
        j.getAutoDetectionConfig().setEnabled(false);
        j.getTcpIpConfig().setEnabled(true).addMember("127.0.0.1:" + PORT).addMember("127.0.0.1:" + (PORT + 1));
        return c;
    }

    static HazelcastInstance client() {
        ClientConfig cc = new ClientConfig();
        cc.setClusterName(CLUSTER);
        cc.setProperty("hazelcast.logging.type", "none");
        cc.setProperty("hazelcast.phone.home.enabled", "false");
        cc.getNetworkConfig().addAddress("127.0.0.1:" + PORT);
        return HazelcastClient.newHazelcastClient(cc);
    }

    static void p(String s) { System.out.println(s); System.out.flush(); }

    static String tryIt(String what, java.util.concurrent.Callable<Object> c) {
        try { Object r = c.call(); p(what + ": OK " + r); return "ok"; }
        catch (Throwable t) { p(what + ": THROWS " + t); return "throws"; }
    }

    /** A name in a CP group whose partition the given instance owns (or not). */
    static String groupOwnedBy(HazelcastInstance hz, boolean local) {
        long end = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < end) for (int i = 0; i < 1000; i++) {
            String g = "g" + i;
            var owner = hz.getPartitionService().getPartition(g).getOwner();
            if (owner != null && owner.localMember() == local) return g;
        }
        throw new IllegalStateException();
    }

    public static void main(String[] a) throws Exception {
        long t0 = System.nanoTime();
        switch (a[0]) {
            case "basic" -> {
                HazelcastInstance hz = Hazelcast.newHazelcastInstance(memberConfig(false));
                p("version " + hz.getCluster().getClusterVersion() + " build " + com.hazelcast.instance.BuildInfoProvider.getBuildInfo().getVersion()
                  + " member start ms " + (System.nanoTime() - t0) / 1_000_000);
                tryIt("cp.getAtomicLong.incrementAndGet", () -> hz.getCPSubsystem().getAtomicLong("c").incrementAndGet());
                tryIt("cp.getLock.lock/unlock", () -> { FencedLock l = hz.getCPSubsystem().getLock("l"); l.lock(); long f = l.getFence(); l.unlock(); return "fence " + f; });
                tryIt("cp.getSemaphore.init/acquire", () -> { ISemaphore s = hz.getCPSubsystem().getSemaphore("s"); s.init(1); s.acquire(); s.release(); return s.availablePermits(); });
                tryIt("cp.getCountDownLatch", () -> { var l = hz.getCPSubsystem().getCountDownLatch("d"); l.trySetCount(1); l.countDown(); return l.getCount(); });
                tryIt("cp.getAtomicReference", () -> hz.getCPSubsystem().getAtomicReference("r").get());
                tryIt("cp.getMap (CPMap)", () -> hz.getCPSubsystem().getMap("m"));
                tryIt("cpSubsystemManagementService.getCPMembers", () -> hz.getCPSubsystem().getCPSubsystemManagementService().getCPMembers().toCompletableFuture().get());
                tryIt("getQueue.offer/poll", () -> { IQueue<byte[]> q = hz.getQueue("q"); q.offer(new byte[]{1}); return q.poll().length; });
                tryIt("getRingbuffer.add", () -> hz.getRingbuffer("rb").add(new byte[]{1}));
                tryIt("getFlakeIdGenerator", () -> hz.getFlakeIdGenerator("f").newId());
                tryIt("map.lock (IMap pessimistic lock)", () -> { var m = hz.getMap("lm"); m.lock("k"); m.unlock("k"); return "ok"; });
                long t1 = System.nanoTime();
                HazelcastInstance c = client();
                p("client connect ms " + (System.nanoTime() - t1) / 1_000_000);
                tryIt("client cp.getAtomicLong.incrementAndGet", () -> c.getCPSubsystem().getAtomicLong("c").incrementAndGet());
                tryIt("client cp.getLock.lock/unlock", () -> { FencedLock l = c.getCPSubsystem().getLock("l"); l.lock(); l.unlock(); return "ok"; });
                c.shutdown();
                hz.shutdown();
            }
            case "startmember" -> { // time a second member joining
                HazelcastInstance hz = Hazelcast.newHazelcastInstance(memberConfig(Boolean.getBoolean("probe.lite")));
                hz.getQueue("q").offer(new byte[]{1});
                p("member(lite=" + Boolean.getBoolean("probe.lite") + ") start+first op ms " + (System.nanoTime() - t0) / 1_000_000);
                hz.getLifecycleService().terminate();
            }
            case "startclient" -> {
                HazelcastInstance c = client();
                c.getQueue("q").offer(new byte[]{1});
                p("client start+first op ms " + (System.nanoTime() - t0) / 1_000_000);
                c.shutdown();
            }
            case "member" -> { // a plain member that stays up: the survivor
                HazelcastInstance hz = Hazelcast.newHazelcastInstance(memberConfig(false));
                p("READY");
                Thread.sleep(Long.MAX_VALUE);
            }
            case "victim", "client-victim" -> { // does acknowledged work, then holds a lock until killed
                boolean isClient = a[0].equals("client-victim");
                HazelcastInstance hz = isClient ? client() : Hazelcast.newHazelcastInstance(memberConfig(false));
                String gLocal = isClient ? "g0" : groupOwnedBy(hz, true);
                p("group " + gLocal);
                boolean cp = Boolean.parseBoolean(System.getProperty("probe.cp", "true"));
                IAtomicLong counter = cp ? hz.getCPSubsystem().getAtomicLong("counter@" + gLocal) : null;
                IQueue<byte[]> q = hz.getQueue(gLocal); // IQueue partition = its name's partition
                com.hazelcast.map.IMap<String, Long> m = hz.getMap("m");
                if (cp) {
                hz.getCPSubsystem().getSemaphore("sem@" + gLocal).init(1);
                hz.getCPSubsystem().getSemaphore("sem@" + gLocal).acquire();
                hz.getCPSubsystem().getLock("lock@" + gLocal).lock();
                }
                m.lock(gLocal);
                p("LOCKED");
                long n = 0;
                while (true) {
                    if (cp) counter.incrementAndGet();
                    q.offer(new byte[]{1});
                    m.executeOnKey(gLocal, (com.hazelcast.map.EntryProcessor<String, Long, Long>) e -> { e.setValue(e.getValue() == null ? 1L : e.getValue() + 1); return null; });
                    n++;
                    p("ACK " + n);
                }
            }
            case "observer" -> { // client or member of the survivor, after the kill
                String g = a[1];
                HazelcastInstance hz = client();
                long ack = Long.parseLong(a[2]);
                boolean cp = Boolean.parseBoolean(System.getProperty("probe.cp", "true"));
                int wait = Integer.parseInt(a[3]);
                p("victim acknowledged >= " + ack);
                if (cp) p("cp counter=" + hz.getCPSubsystem().getAtomicLong("counter@" + g).get());
                p("imap entry-processor counter=" + hz.getMap("m").get(g));
                p("queue size=" + hz.getQueue(g).size());
                long s = System.nanoTime();
                com.hazelcast.map.IMap<String, Long> m = hz.getMap("m");
                boolean ml = m.tryLock(g, wait, TimeUnit.SECONDS);
                p("imap lock acquired=" + ml + " after ms " + (System.nanoTime() - s) / 1_000_000);
                if (!cp) { hz.shutdown(); System.exit(0); }
                s = System.nanoTime();
                FencedLock l = hz.getCPSubsystem().getLock("lock@" + g);
                boolean got = l.tryLock(wait, TimeUnit.SECONDS);
                p("lock acquired=" + got + " after ms " + (System.nanoTime() - s) / 1_000_000 + (got ? " fence " + l.getFence() : ""));
                s = System.nanoTime();
                boolean sem = hz.getCPSubsystem().getSemaphore("sem@" + g).tryAcquire(got ? wait : 1, TimeUnit.SECONDS);
                p("semaphore acquired=" + sem + " after ms " + (System.nanoTime() - s) / 1_000_000);
                hz.shutdown();
            }
            default -> throw new IllegalArgumentException(a[0]);
        }
        System.exit(0);
    }
}
