package dev.multiproc.transport.socket;

import dev.multiproc.spi.MessageChannel;
import dev.multiproc.spi.RemoteWorkers;
import java.util.ArrayDeque;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The parent's remote workers: those that authenticated and wait for a pool, and the pools' claims that wait for a
 * worker. First come, first served on both sides. A waiting worker whose connection drops is forgotten.
 *
 * <p>Claims are completed outside this object's monitor: a claim's callbacks (the pool attaching the worker) never
 * run while it is held.
 */
final class SocketRemoteWorkers implements RemoteWorkers {
    private final String howToStart;
    private final ArrayDeque<Joined> waiting = new ArrayDeque<>();
    private final ArrayDeque<CompletableFuture<Joined>> claims = new ArrayDeque<>();
    private final Set<String> connectedIds = ConcurrentHashMap.newKeySet();
    private boolean closed;

    SocketRemoteWorkers(String howToStart) {
        this.howToStart = howToStart;
    }

    @Override
    public String howToStart() {
        return howToStart;
    }

    @Override
    public CompletableFuture<Joined> next() {
        CompletableFuture<Joined> claim = new CompletableFuture<>();
        Joined worker;
        synchronized (this) {
            if (closed) {
                claim.cancel(false);
                return claim;
            }
            worker = waiting.poll();
            if (worker == null) {
                claims.add(claim);
                return claim;
            }
        }
        claim.complete(worker);
        return claim;
    }

    /** @return false if a worker with this id is already connected: its id must be unique */
    boolean reserve(String childId) {
        return connectedIds.add(childId);
    }

    /** A remote worker authenticated: hand it to the oldest claim, or keep it until a pool claims it. */
    void joined(Joined worker) {
        while (true) {
            CompletableFuture<Joined> claim;
            synchronized (this) {
                if (closed) {
                    break;
                }
                claim = claims.poll();
                if (claim == null) {
                    waiting.add(worker);
                    return;
                }
            }
            if (claim.complete(worker)) {
                return; // else that pool withdrew its claim: try the next one
            }
        }
        worker.channel().close();
    }

    /**
     * A remote worker's connection closed; if no pool had it yet, forget it.
     *
     * @return true if no pool had it: then no pool will report how its connection ended
     */
    boolean left(String childId, MessageChannel channel) {
        connectedIds.remove(childId);
        synchronized (this) {
            return waiting.removeIf(worker -> worker.channel() == channel);
        }
    }

    /** The transport closes: no worker will come any more; waiting workers are closed with the listener. */
    void close() {
        ArrayDeque<CompletableFuture<Joined>> withdrawn;
        synchronized (this) {
            closed = true;
            withdrawn = new ArrayDeque<>(claims);
            claims.clear();
            waiting.clear();
        }
        withdrawn.forEach(claim -> claim.cancel(false));
    }
}
