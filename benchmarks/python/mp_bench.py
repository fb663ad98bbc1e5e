#!/usr/bin/env python3
"""The JMH suite's workloads in Python's multiprocessing (standard library only), for the side-by-side comparison.

Usage: python3 mp_bench.py fork|spawn [--seconds S] [--only NAME,...]
Prints one JSON object: {"variant": "python-fork", "results": {NAME: value, ...}, ...}.

Each workload is set up (pool, peer processes), run once to warm up, then repeated for about S seconds. Sizes match
the JMH suite (dev.multiproc.benchmarks.jmh): 16-byte small messages, 1 MiB blocks, 2,000 tasks with chunksize 1,
100,000 with the default chunking, 1,000 small or 16 bulk queue messages per call, two children incrementing for
50 ms per call. Latencies of start-up and spawn are means (as JMH's average time), round trips medians (as the runner takes
JMH's sampled p50), throughputs total work over total time.
"""
import argparse
import json
import multiprocessing
import statistics
import sys
import time

SMALL = b"x" * 16
BLOCK = bytes(1 << 20)
STOP = b"stop"
CHUNKSIZE_1_TASKS = 2_000
DEFAULT_CHUNKING_TASKS = 100_000
SMALL_PER_CALL = 1_000
BULK_PER_CALL = 16
BLOCKS_PER_CALL = 16
SLICE_SECONDS = 0.05


def inc(x):
    return x + 1


def noop():
    pass


def echo_objects(conn):
    # With fork, both children inherit the parent's ends too, so EOF never comes: stop on None instead.
    while True:
        message = conn.recv()
        if message is None:
            return
        conn.send(message)


def serve_bytes(conn):
    while True:
        message = conn.recv_bytes()
        if not message:
            conn.send_bytes(b"\x01")
        elif message == STOP:
            return
        elif len(message) <= len(SMALL):
            conn.send_bytes(message)


def consume(items, acks):
    while True:
        item = items.get()
        if item is None:
            return
        if not item:
            acks.put(1)


def increment(orders, acks, value, lock):
    while True:
        seconds = orders.get()
        if seconds is None:
            return
        deadline = time.perf_counter() + seconds
        done = 0
        while True:
            for _ in range(64):  # the clock is read once per 64 increments, as in the JMH benchmark
                with lock:
                    value.value += 1
            done += 64
            if time.perf_counter() >= deadline:
                break
        acks.put(done)


def repeat(call, seconds, minimum=3):
    """Runs call once to warm up, then again until `seconds` have passed (at least `minimum` times); per-call times."""
    call()
    times = []
    deadline = time.perf_counter() + seconds
    while len(times) < minimum or time.perf_counter() < deadline:
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return times


def rate(times, per_call):
    return per_call * len(times) / sum(times)


def pool_start(ctx, seconds):
    times = []

    def timed():
        start = time.perf_counter()
        pool = ctx.Pool()
        pool.apply(inc, (1,))
        times.append(time.perf_counter() - start)
        pool.close()  # not timed, as in the JMH benchmark
        pool.join()
    timed()
    times.clear()
    deadline = time.perf_counter() + seconds
    while len(times) < 3 or time.perf_counter() < deadline:
        timed()
    return {"pool_start_ms": statistics.mean(times) * 1000}


def pool_map(ctx, seconds):
    few = list(range(CHUNKSIZE_1_TASKS))
    many = list(range(DEFAULT_CHUNKING_TASKS))
    with ctx.Pool() as pool:
        chunk1 = repeat(lambda: pool.map(inc, few, 1), seconds)
        default = repeat(lambda: pool.map(inc, many), seconds)
    return {"map_chunksize1_tasks_per_s": rate(chunk1, CHUNKSIZE_1_TASKS),
            "map_default_tasks_per_s": rate(default, DEFAULT_CHUNKING_TASKS)}


def pipe(ctx, seconds):
    objects, objects_peer_end = ctx.Pipe()
    raw, raw_peer_end = ctx.Pipe()
    peers = [ctx.Process(target=echo_objects, args=(objects_peer_end,), daemon=True),
             ctx.Process(target=serve_bytes, args=(raw_peer_end,), daemon=True)]
    for peer in peers:
        peer.start()
    objects_peer_end.close()
    raw_peer_end.close()

    def round_trip_object():
        objects.send(12345)
        objects.recv()

    def round_trip_bytes():
        raw.send_bytes(SMALL)
        raw.recv_bytes()

    def bulk():
        for _ in range(BLOCKS_PER_CALL):
            raw.send_bytes(BLOCK)
        raw.send_bytes(b"")
        raw.recv_bytes()

    def many(call, n):
        return lambda: [call() for _ in range(n)]
    many(round_trip_object, 1000)()  # warm-up
    many(round_trip_bytes, 1000)()
    rtt_object = repeat(round_trip_object, seconds, minimum=100)
    rtt_bytes = repeat(round_trip_bytes, seconds, minimum=100)
    bulk_times = repeat(bulk, seconds)
    objects.send(None)
    raw.send_bytes(STOP)
    for peer in peers:
        peer.join()
    return {"pipe_rtt_object_us": statistics.median(rtt_object) * 1e6,
            "pipe_rtt_bytes_us": statistics.median(rtt_bytes) * 1e6,
            "pipe_bulk_mib_per_s": rate(bulk_times, BLOCKS_PER_CALL)}


def queue(ctx, seconds):
    items, acks = ctx.Queue(), ctx.Queue()
    consumer = ctx.Process(target=consume, args=(items, acks), daemon=True)
    consumer.start()

    def batch(message, count):
        def call():
            for _ in range(count):
                items.put(message)
            items.put(b"")
            acks.get()
        return call
    small = repeat(batch(SMALL, SMALL_PER_CALL), seconds)
    bulk = repeat(batch(BLOCK, BULK_PER_CALL), seconds)
    items.put(None)
    consumer.join()
    return {"queue_small_msgs_per_s": rate(small, SMALL_PER_CALL),
            "queue_1mib_mib_per_s": rate(bulk, BULK_PER_CALL)}


def shared(ctx, seconds):
    value, lock = ctx.Value("i", 0), ctx.Lock()
    orders, acks = ctx.Queue(), ctx.Queue()
    children = [ctx.Process(target=increment, args=(orders, acks, value, lock), daemon=True) for _ in range(2)]
    for child in children:
        child.start()
    counted = []

    def call():
        orders.put(SLICE_SECONDS)
        orders.put(SLICE_SECONDS)
        counted.append(acks.get() + acks.get())
    times = repeat(call, seconds)
    for child in children:
        orders.put(None)
    for child in children:
        child.join()
    return {"shared_locked_incr_per_s": sum(counted[1:]) / sum(times)}  # counted[0] is the warm-up call


def spawn_join(ctx, seconds):
    results = {}
    for n in (1, 10):
        def call():
            processes = [ctx.Process(target=noop) for _ in range(n)]
            for p in processes:
                p.start()
            for p in processes:
                p.join()
        results[f"spawn_join_{n}_ms"] = statistics.mean(repeat(call, seconds)) * 1000
    return results


WORKLOADS = {"pool_start": pool_start, "pool_map": pool_map, "pipe": pipe, "queue": queue, "shared": shared,
             "spawn_join": spawn_join}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("method", choices=["fork", "spawn", "forkserver"])
    parser.add_argument("--seconds", type=float, default=2.0, help="measured time per workload (default 2)")
    parser.add_argument("--only", default=",".join(WORKLOADS), help="comma-separated: " + ", ".join(WORKLOADS))
    args = parser.parse_args()
    ctx = multiprocessing.get_context(args.method)
    results = {}
    for name in args.only.split(","):
        results.update(WORKLOADS[name](ctx, args.seconds))
    print(json.dumps({"variant": f"python-{args.method}", "python": sys.version.split()[0],
                      "seconds": args.seconds, "results": results}))


if __name__ == "__main__":
    main()
