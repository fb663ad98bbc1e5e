package dev.multiproc.spi;

import java.util.ArrayDeque;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A ready-made {@link RemoteWorkers} for a transport: the remote workers that authenticated and wait for a pool,
 * and the pools' claims that wait for a worker, first come, first served on both sides. The transport reports what
 * its medium sees ({@link #reserve}, {@link #joined}, {@link #left}, {@link #close}); a waiting worker whose
 * connection drops is forgotten. The socket and Hazelcast transports use it.
 *
 * <p>Claims are completed outside this object's monitor: a claim's callbacks (the pool attaching the worker) never
 * run while it is held. Thread-safe.
 */
public final class RemoteWorkerLobby implements RemoteWorkers {
    private final String howToStart;
    private final ArrayDeque<Joined> waiting = new ArrayDeque<>();
    private final ArrayDeque<CompletableFuture<Joined>> claims = new ArrayDeque<>();
    private final Set<String> connectedIds = ConcurrentHashMap.newKeySet();
    private boolean closed;

    /**
     * @param howToStart the shell command that starts a remote worker, as {@link #howToStart()} returns it
     */
    public RemoteWorkerLobby(String howToStart) {
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

    /**
     * Reserves a joining worker's id, before it is authenticated.
     *
     * @param childId the id the worker asks for
     * @return false if a worker with this id is already connected: its id must be unique
     */
    public boolean reserve(String childId) {
        return connectedIds.add(childId);
    }

    /**
     * A remote worker authenticated: hands it to the oldest claim, or keeps it until a pool claims it; after
     * {@link #close()}, closes its channel.
     *
     * @param worker the worker, its channel not yet started
     */
    public void joined(Joined worker) {
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
     * A remote worker's connection closed; if no pool had it yet, forgets it. Frees its id.
     *
     * @param childId the worker's id
     * @param channel its channel
     * @return true if no pool had it: then no pool will report how its connection ended
     */
    public boolean left(String childId, MessageChannel channel) {
        connectedIds.remove(childId);
        synchronized (this) {
            return waiting.removeIf(worker -> worker.channel() == channel);
        }
    }

    /**
     * The transport closes: cancels every claim, and forgets the waiting workers (the transport closes their
     * channels with its medium). Idempotent.
     */
    public void close() {
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
