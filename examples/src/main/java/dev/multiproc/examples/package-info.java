/**
 * Runnable examples: the two seed demos ({@link dev.multiproc.examples.PoolMapDemo},
 * {@link dev.multiproc.examples.CounterDemo}) whose source is the same for every transport, a few richer ones, and
 * the {@link dev.multiproc.examples.Examples} runner that is the main class of {@code multiproc-examples.jar}.
 */
package dev.multiproc.examples;
