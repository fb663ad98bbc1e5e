"""Python's multiprocessing.JoinableQueue doing what SyncBench's joinable case does, for comparison.

The parent puts 2,000 ints and joins while a child takes each and calls task_done (microseconds per element), then
puts one and joins, 500 times (microseconds per round trip); medians of 5 batches after one warm-up batch. Prints one
line of JSON. Usage: python3 joinable_bench.py [start method, default fork]
"""
import json
import multiprocessing as mp
import statistics
import sys
import time

ROUNDS = 2000
BATCHES = 5


def mark_each_done(queue):
    while True:
        item = queue.get()
        if item < 0:
            return
        queue.task_done()


def timed(step, times, per):
    """Runs step `times` times in each batch; returns the median of each batch's microseconds divided by `per`,
    leaving out the first batch (the warm-up)."""
    micros = []
    for _ in range(BATCHES + 1):
        start = time.perf_counter()
        for _ in range(times):
            step()
        micros.append((time.perf_counter() - start) * 1e6 / per)
    return statistics.median(micros[1:])


def main():
    method = sys.argv[1] if len(sys.argv) > 1 else "fork"
    ctx = mp.get_context(method)
    queue = ctx.JoinableQueue()
    child = ctx.Process(target=mark_each_done, args=(queue,))
    child.start()

    def put_all_then_join():
        for i in range(ROUNDS):
            queue.put(i)
        queue.join()

    def put_one_and_join():
        queue.put(0)
        queue.join()

    per_element = timed(put_all_then_join, 1, ROUNDS)
    per_join = timed(put_one_and_join, ROUNDS // 4, ROUNDS // 4)
    queue.put(-1)
    child.join()
    print(json.dumps({"transport": "python-" + method, "joinable_us": per_element,
                      "join_us": per_join}))


if __name__ == "__main__":
    main()
