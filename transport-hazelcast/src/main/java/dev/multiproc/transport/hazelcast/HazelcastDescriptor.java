package dev.multiproc.transport.hazelcast;

import java.io.IOException;

/**
 * What a child needs to find its parent's queues: a member's address, the cluster's name and the context's id, as
 * {@code HOST:PORT|CLUSTER|CONTEXT}. It travels on the child's command line, so it holds no secret.
 *
 * @param address a member's {@code HOST:PORT}
 * @param clusterName the cluster's name
 * @param contextId the context's id, which names its queues
 */
record HazelcastDescriptor(String address, String clusterName, String contextId) {
    private static final char SEPARATOR = '|';

    String encode() {
        return address + SEPARATOR + clusterName + SEPARATOR + contextId;
    }

    static HazelcastDescriptor parse(String descriptor) throws IOException {
        int first = descriptor.indexOf(SEPARATOR);
        int last = descriptor.lastIndexOf(SEPARATOR);
        if (first <= 0 || last == first || last == descriptor.length() - 1) {
            throw new IOException("hazelcast transport expects a HOST:PORT|CLUSTER|CONTEXT descriptor, got '"
                    + descriptor + "'");
        }
        return new HazelcastDescriptor(descriptor.substring(0, first), descriptor.substring(first + 1, last),
                descriptor.substring(last + 1));
    }

    /** @return the name of the queue that carries one direction of one child's channel */
    static String queueName(String contextId, String childId, boolean toChild) {
        return "multiproc." + contextId + "." + childId + (toChild ? ".down" : ".up");
    }
}
