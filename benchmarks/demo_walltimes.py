#!/usr/bin/env python3
"""Wall time of the two seed demos: multiproc (each transport in the examples jar) next to Python's own
multiprocessing versions (spawn and fork), alternating runs on the same machine, medians.

Usage: python3 benchmarks/demo_walltimes.py [--runs N] [--java PATH] [--transports pipe,...]
Needs: ./mvnw -B -q -DskipTests install (builds examples/target/multiproc-examples.jar); python3, stdlib only.
The Python demos are read from benchmarks/python (copies of the reference demos) or from --python-demos.
run.py measures the same wall times as part of the whole comparison; this script is the quick look at the demos alone.
"""
import argparse
import os
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
JAR = os.path.join(ROOT, "examples", "target", "multiproc-examples.jar")
EXPECTED = {"pool-map": "Total result: 55", "counter": "Final shared value: 10"}
PY_SCRIPT = {"pool-map": "pool_map_demo.py", "counter": "counter_demo.py"}


def timed(command):
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True)
    elapsed = (time.perf_counter() - start) * 1000
    return elapsed, done


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--java", default="java")
    parser.add_argument("--transports", default="pipe")
    parser.add_argument("--python-demos", default=os.path.join(ROOT, "benchmarks", "python"))
    args = parser.parse_args()
    if not os.path.exists(JAR):
        sys.exit(f"{JAR} is missing: run ./mvnw -B -q -DskipTests install first")
    java_version = subprocess.run([args.java, "-version"], capture_output=True, text=True).stderr.splitlines()[0]
    extra = ["--sun-misc-unsafe-memory-access=allow"] if "version \"2" in java_version else []

    variants = []
    for demo in ("pool-map", "counter"):
        for transport in args.transports.split(","):
            variants.append((f"multiproc {transport}", demo,
                             [args.java, *extra, f"-Dmultiproc.transport={transport}", "-jar", JAR, demo]))
        for method in ("spawn", "fork"):
            variants.append((f"python {method}", demo,
                             [sys.executable, os.path.join(args.python_demos, PY_SCRIPT[demo]), method]))

    times = {(name, demo): [] for name, demo, _ in variants}
    for _ in range(args.runs):  # alternate: one run of every variant per round
        for name, demo, command in variants:
            elapsed, done = timed(command)
            if done.returncode != 0 or done.stdout.strip() != EXPECTED[demo]:
                sys.exit(f"{name} {demo} failed (exit {done.returncode}): {done.stdout!r} {done.stderr!r}")
            times[(name, demo)].append(elapsed)

    print(f"# demo wall times, median of {args.runs} alternating runs ({java_version}; Python {sys.version.split()[0]};"
          f" {os.cpu_count()} CPUs)")
    print(f"| {'variant':<20} | {'demo':<8} | {'median ms':>9} | {'runs (ms)':<40} |")
    print(f"|{'-' * 22}|{'-' * 10}|{'-' * 11}|{'-' * 42}|")
    for (name, demo), samples in times.items():
        runs = " ".join(f"{t:.0f}" for t in samples)
        print(f"| {name:<20} | {demo:<8} | {statistics.median(samples):>9.0f} | {runs:<40} |")


if __name__ == "__main__":
    main()
