/**
 * The Hazelcast transport's cluster start-up: the time from {@code Pool} creation to the first result with 0, 1 and
 * 2 extra worker hosts, measured by {@link dev.multiproc.benchmarks.cluster.ClusterStart} in a parent that
 * {@code benchmarks/cluster_start.py} runs next to worker hosts made of Linux network namespaces.
 */
package dev.multiproc.benchmarks.cluster;
