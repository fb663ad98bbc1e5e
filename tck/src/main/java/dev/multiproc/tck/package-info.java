/**
 * The multiproc conformance suite. Every transport's test sources subclass each contract here with a few lines:
 * <pre>{@code
 * class PipePoolTest extends PoolContract {
 *     @Override protected String transportName() { return "pipe"; }
 * }
 * }</pre>
 * A contract beyond a transport's declared capabilities is skipped with an assumption that says why, never passed
 * silently. Deadlines scale with {@link dev.multiproc.tck.TckTimeouts#factor()}.
 */
package dev.multiproc.tck;
