"""SharedValue's Python counterparts: Manager().Value and multiprocessing.Value('i').

Median microseconds per get and set of an int (and of 1 KiB of bytes for Manager().Value) in a child, and per
get-and-set of an int from two children at once, as SyncBench's value_* figures. Python has no getAndSet: under
the value's lock (Value('i').get_lock(); a Manager lock for Manager().Value) it is a read then a write.
Usage: python3 value_bench.py
"""
import json
import multiprocessing as mp
import statistics
import time

ROUNDS = 2000
BATCHES = 5


def timed(op):
    micros = []
    for _ in range(BATCHES + 1):
        start = time.perf_counter_ns()
        for _ in range(ROUNDS):
            op()
        micros.append((time.perf_counter_ns() - start) / 1000 / ROUNDS)
    return statistics.median(micros[1:])


def latencies(small, kib, raw, out):
    data = bytes(1024)
    out.put([timed(lambda: small.value), timed(lambda: setattr(small, "value", 42)),
             timed(lambda: kib.value), timed(lambda: setattr(kib, "value", data)),
             timed(lambda: raw.value), timed(lambda: setattr(raw, "value", 42))])


def swaps(value, lock, barrier, me, out):
    def swap():
        with lock:
            previous = value.value
            value.value = me
            return previous
    barrier.wait()
    out.put(timed(swap))


def main():
    with mp.Manager() as manager:
        small = manager.Value("i", 0)
        kib = manager.Value("b", bytes(1024))
        raw = mp.Value("i", 0)
        out = mp.Queue()
        child = mp.Process(target=latencies, args=(small, kib, raw, out))
        child.start()
        got = out.get()
        child.join()
        result = {"manager_get_int_us": got[0], "manager_set_int_us": got[1], "manager_get_1k_us": got[2],
                  "manager_set_1k_us": got[3], "value_i_get_us": got[4], "value_i_set_us": got[5]}
        for name, value, lock in (("manager", small, manager.Lock()), ("value_i", raw, raw.get_lock())):
            barrier = mp.Barrier(2)
            procs = [mp.Process(target=swaps, args=(value, lock, barrier, me, out)) for me in range(2)]
            for p in procs:
                p.start()
            micros = [out.get(), out.get()]
            for p in procs:
                p.join()
            result[name + "_get_and_set_2p_us"] = sum(micros) / 2
        print(json.dumps(result))


if __name__ == "__main__":
    main()
