package dev.multiproc.transport.hazelcast;

import java.io.IOException;

/**
 * What a child needs to find its parent's queues: a member's address, the cluster's name, the context's id and the
 * partition key that places the context's channel queues on the parent's own member, as
 * {@code HOST:PORT|CLUSTER|CONTEXT|PARTITIONKEY}. It travels on the child's command line, so it holds no secret.
 *
 * @param address a member's {@code HOST:PORT}
 * @param clusterName the cluster's name
 * @param contextId the context's id, which names its queues
 * @param partitionKey a key of a partition the parent's member owned when the context opened: queues named
 *        {@code ...@partitionKey} live there, so that another member's death does not take a child's channel with it
 */
record HazelcastDescriptor(String address, String clusterName, String contextId, String partitionKey) {
    private static final char SEPARATOR = '|';

    String encode() {
        return address + SEPARATOR + clusterName + SEPARATOR + contextId + SEPARATOR + partitionKey;
    }

    static HazelcastDescriptor parse(String descriptor) throws IOException {
        int first = descriptor.indexOf(SEPARATOR);
        int last = descriptor.lastIndexOf(SEPARATOR);
        int context = last > 0 ? descriptor.lastIndexOf(SEPARATOR, last - 1) : -1;
        if (first <= 0 || context <= first || last == descriptor.length() - 1) {
            throw new IOException("hazelcast transport expects a HOST:PORT|CLUSTER|CONTEXT|PARTITIONKEY descriptor,"
                    + " got '" + descriptor + "'");
        }
        return new HazelcastDescriptor(descriptor.substring(0, first), descriptor.substring(first + 1, context),
                descriptor.substring(context + 1, last), descriptor.substring(last + 1));
    }

    /** @return the name of the queue that carries one direction of a local child's channel */
    String queueName(String childId, boolean toChild) {
        return queueName(contextId, childId, toChild) + "@" + partitionKey;
    }

    /** @return the name of the queue that carries one direction of one child's channel, wherever it lives */
    static String queueName(String contextId, String childId, boolean toChild) {
        return "multiproc." + contextId + "." + childId + (toChild ? ".down" : ".up");
    }
}
