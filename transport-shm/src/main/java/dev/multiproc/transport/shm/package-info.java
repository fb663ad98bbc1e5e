/**
 * The {@code shm} transport: multiproc over memory-mapped files in {@code /dev/shm}. Messages between the parent and
 * each child travel through a pair of one-to-one rings in a mapped segment; {@code SharedInt}, {@code SharedLong}
 * and {@code SharedLock} are cells of shared memory updated with {@link java.lang.invoke.VarHandle} atomics, so an
 * increment or an uncontended lock never leaves user space. Segments are named after their owner's pid and start
 * time, deleted when the context closes, and swept by the next context when their owner died without closing.
 */
package dev.multiproc.transport.shm;
