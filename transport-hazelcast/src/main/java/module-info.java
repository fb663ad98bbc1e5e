/**
 * The Hazelcast transport: the parent runs (or joins) a Hazelcast member, children join its cluster as clients, and
 * parent and child exchange HMAC-authenticated byte messages through Hazelcast queues.
 *
 * @provides dev.multiproc.spi.Transport
 */
module dev.multiproc.transport.hazelcast {
    requires dev.multiproc;
    // Hazelcast's jar has no module descriptor; its automatic module name is com.hazelcast.core.
    requires com.hazelcast.core;

    provides dev.multiproc.spi.Transport with dev.multiproc.transport.hazelcast.HazelcastTransport;
}
