"""Python's side of SyncBench: round trips between two processes through a pair of Events and a pair of
Semaphores, and generations of a Barrier of four processes (the parent and three children), with
multiprocessing's default start method on this platform. Prints one line of JSON, as SyncBench does:
event_us and semaphore_us are median microseconds per round trip over 5 batches of ROUNDS (after a warm-up
batch); barrier_us is per generation.

Usage: python3 benchmarks/python/sync_bench.py
"""
import json
import multiprocessing as mp
import statistics
import time

ROUNDS = 2000
BATCHES = 5
PARTIES = 4


def echo_events(ping, pong, rounds):
    for _ in range(rounds):
        ping.wait()
        ping.clear()
        pong.set()


def echo_semaphores(ping, pong, rounds):
    for _ in range(rounds):
        ping.acquire()
        pong.release()


def await_barrier(barrier, rounds):
    for _ in range(rounds):
        barrier.wait()


def timed_batches(step, rounds):
    micros = []
    for _ in range(BATCHES + 1):
        start = time.perf_counter()
        for _ in range(rounds):
            step()
        micros.append((time.perf_counter() - start) * 1e6 / rounds)
    return statistics.median(micros[1:])


def events():
    ping, pong = mp.Event(), mp.Event()
    child = mp.Process(target=echo_events, args=(ping, pong, ROUNDS * (BATCHES + 1)))
    child.start()

    def step():
        ping.set()
        pong.wait()
        pong.clear()

    result = timed_batches(step, ROUNDS)
    child.join()
    return result


def semaphores():
    ping, pong = mp.Semaphore(0), mp.Semaphore(0)
    child = mp.Process(target=echo_semaphores, args=(ping, pong, ROUNDS * (BATCHES + 1)))
    child.start()

    def step():
        ping.release()
        pong.acquire()

    result = timed_batches(step, ROUNDS)
    child.join()
    return result


def barrier():
    rounds = ROUNDS
    b = mp.Barrier(PARTIES)
    children = [mp.Process(target=await_barrier, args=(b, rounds * (BATCHES + 1))) for _ in range(PARTIES - 1)]
    for child in children:
        child.start()
    result = timed_batches(b.wait, rounds)
    for child in children:
        child.join()
    return result


if __name__ == "__main__":
    print(json.dumps({"transport": "python", "start_method": mp.get_start_method(), "event_us": events(),
                      "semaphore_us": semaphores(), "barrier_us": barrier()}))
