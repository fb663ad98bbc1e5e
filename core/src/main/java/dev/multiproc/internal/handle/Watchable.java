package dev.multiproc.internal.handle;

/**
 * A connection that says by itself when it may have become ready to receive, so that
 * {@link ConnectionWait} needs no thread to watch it (multiproc's listener and client connections, whose reader
 * thread sees every arrival).
 */
public interface Watchable {

    /** @return true if a receive would not block: a message is there, or the connection has ended */
    boolean isReady();

    /**
     * Calls {@code onChange} after each change that may make this connection ready (an arrival, an end), from the
     * thread that saw it, until {@link #unwatch}. It must not block.
     *
     * @param onChange what to call
     */
    void watch(Runnable onChange);

    /** @param onChange a callback given to {@link #watch}; calls already under way may still happen */
    void unwatch(Runnable onChange);
}
