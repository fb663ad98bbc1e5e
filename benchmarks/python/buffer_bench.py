#!/usr/bin/env python3
"""One round of the shared-buffer comparison in Python, printed as one line of JSON (the counterpart of
dev.multiproc.benchmarks.buffers.BufferBench):
  memcpy_gbps   memoryview slice assignment of 64 MiB between two bytearrays (a memcpy), the floor
  set_gbps      shm.buf[:n] = data of a multiprocessing.shared_memory.SharedMemory
  get_gbps      memoryview(dst)[:] = shm.buf[:n]
(memoryview assignment is Python's fast copy; `bytearray[:] = data` is about 60 times slower here)
  attach_ms     in a spawned child: SharedMemory(name=...) of a 1 GiB block and one read of its last byte (median of 3)
  locked_mops   millions of `with arr.get_lock(): arr[0] += 1` per second from two processes (Array('q', 1))
  add_mops      the same without the lock is not atomic in Python (it loses increments), so it is not measured
Usage: python3 buffer_bench.py [--start-method fork|spawn]
"""
import argparse
import json
import multiprocessing as mp
import os
import statistics
import time
from multiprocessing import shared_memory

BULK = 64 << 20
BULK_REPS = 15
ATTACH_SIZE = 1 << 30
ATTACHES = 3
LOCKED = 200_000


def gbps(seconds):
    return BULK / seconds / 1e9


def bulk():
    src = os.urandom(BULK)
    dst = memoryview(bytearray(BULK))
    shm = shared_memory.SharedMemory(create=True, size=BULK)
    try:
        memcpy, set_, get = [], [], []
        for _ in range(5):
            dst[:] = src
            shm.buf[:BULK] = src
            dst[:] = shm.buf[:BULK]
        for _ in range(BULK_REPS):
            start = time.perf_counter()
            dst[:] = src
            memcpy.append(gbps(time.perf_counter() - start))
            start = time.perf_counter()
            shm.buf[:BULK] = src
            set_.append(gbps(time.perf_counter() - start))
            start = time.perf_counter()
            dst[:] = shm.buf[:BULK]
            get.append(gbps(time.perf_counter() - start))
        assert bytes(dst) == src
        return statistics.median(memcpy), statistics.median(set_), statistics.median(get)
    finally:
        shm.close()
        shm.unlink()


def attach_child(name, out):
    start = time.perf_counter()
    shm = shared_memory.SharedMemory(name=name)
    shm.buf[ATTACH_SIZE - 1]
    out.put((time.perf_counter() - start) * 1e3)
    shm.close()


def attach(ctx):
    shm = shared_memory.SharedMemory(create=True, size=ATTACH_SIZE)
    try:
        times = []
        for _ in range(ATTACHES):
            out = ctx.Queue()
            child = ctx.Process(target=attach_child, args=(shm.name, out))
            child.start()
            times.append(out.get())
            child.join()
        return statistics.median(times)
    finally:
        shm.close()
        shm.unlink()


def locked_child(arr, arrived, elapsed, slot):
    with arrived.get_lock():
        arrived.value += 1
    while arrived.value < 2:
        pass
    start = time.perf_counter()
    for _ in range(LOCKED):
        with arr.get_lock():
            arr[0] += 1
    elapsed[slot] = time.perf_counter() - start


def locked(ctx):
    arr = ctx.Array('q', 1)
    arrived = ctx.Value('i', 0)
    elapsed = ctx.Array('d', 2)
    children = [ctx.Process(target=locked_child, args=(arr, arrived, elapsed, i)) for i in range(2)]
    for child in children:
        child.start()
    for child in children:
        child.join()
    assert arr[0] == 2 * LOCKED, arr[0]
    return 2 * LOCKED / max(elapsed[0], elapsed[1]) / 1e6


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--start-method", default="fork")
    args = parser.parse_args()
    ctx = mp.get_context(args.start_method)
    memcpy, set_, get = bulk()
    print(json.dumps({"python": args.start_method, "memcpy_gbps": memcpy, "set_gbps": set_, "get_gbps": get,
                      "attach_ms": attach(mp.get_context("spawn")), "locked_mops": locked(ctx)}))


if __name__ == "__main__":
    main()
