#!/usr/bin/env python3
"""One-command comparison of multiproc with Python's multiprocessing and with the raw media, on this machine.

Usage: python3 benchmarks/run.py [--quick] [--runs N] [--no-build] [--transports a,b] [--java PATH]

It builds the benchmarks and examples jars (./mvnw -pl benchmarks,examples -am package, skipping tests) unless
--no-build, then runs, in rounds that alternate every variant (the order rotates each round):
  - the JMH suite (dev.multiproc.benchmarks.jmh) on every transport the benchmarks jar holds;
  - the same workloads in Python (benchmarks/python/mp_bench.py), with the fork and the spawn start methods;
  - the raw media without the framework (stdio pipes, loopback TCP, Netty, mmap; dev.multiproc.benchmarks.raw);
  - the two seed demos' wall times: examples jar on every transport, and python3 pool_map_demo.py/counter_demo.py.
It takes the median of the rounds (5 by default, 3 with --quick, which also shortens every measurement) and writes
docs/benchmarks.md (tables, targets, machine), docs/benchmarks.json (every sample) and docs/benchmarks/*.png (charts
rendered with XChart from the benchmarks jar). Needs: JDK 17+, python3 (standard library only).
"""
import argparse
import datetime
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
HERE = os.path.join(ROOT, "benchmarks")
PY_DIR = os.path.join(HERE, "python")
BENCH_JAR = os.path.join(HERE, "target", "multiproc-benchmarks.jar")
EXAMPLES_JAR = os.path.join(ROOT, "examples", "target", "multiproc-examples.jar")
JMH = "dev.multiproc.benchmarks.jmh."

# workload key -> (label, unit, better: "higher"|"lower")
WORKLOADS = {
    "pool_start_ms": ("Pool start-up to first result", "ms", "lower"),
    "map_chunksize1_tasks_per_s": ("Pool.map x+1, chunksize 1 (2,000 tasks)", "tasks/s", "higher"),
    "map_default_tasks_per_s": ("Pool.map x+1, default chunking (100,000 tasks)", "tasks/s", "higher"),
    "pipe_rtt_object_us": ("Pipe round trip, small object (median)", "µs", "lower"),
    "pipe_rtt_bytes_us": ("Pipe round trip, 16 bytes (median)", "µs", "lower"),
    "pipe_bulk_mib_per_s": ("Pipe bulk, 1 MiB messages", "MiB/s", "higher"),
    "queue_small_msgs_per_s": ("Queue, 16-byte messages", "msgs/s", "higher"),
    "queue_1mib_mib_per_s": ("Queue, 1 MiB messages", "MiB/s", "higher"),
    "shared_locked_incr_per_s": ("Shared int, 2 processes, under a lock", "incr/s", "higher"),
    "shared_atomic_incr_per_s": ("Shared int, 2 processes, atomic getAndAdd", "incr/s", "higher"),
    "spawn_join_1_ms": ("Spawn + join, 1 child", "ms", "lower"),
    "spawn_join_10_ms": ("Spawn + join, 10 children", "ms", "lower"),
    "demo_pool_map_ms": ("pool-map demo, wall time of the whole program", "ms", "lower"),
    "demo_counter_ms": ("counter demo, wall time of the whole program", "ms", "lower"),
    "demo_pool_map_cpu_ms": ("pool-map demo, CPU (user+sys) of the whole program", "ms", "lower"),
    "demo_counter_cpu_ms": ("counter demo, CPU (user+sys) of the whole program", "ms", "lower"),
    "child_cpu_ms": ("CPU per additional child: (counter − pool-map demo CPU) ÷ 8", "ms", "lower"),
}
RAW_KEYS = {"rtt_us": ("Round trip, 16 bytes (median)", "µs", "lower"),
            "small_msgs_per_s": ("16-byte messages, one write each", "msgs/s", "higher"),
            "bulk_mib_per_s": ("1 MiB writes", "MiB/s", "higher")}
RAW_MEDIA = ["stdio", "tcp", "netty", "mmap"]
# the raw medium each transport runs on (the floor it is compared with); unknown transports get none
MEDIUM_OF = {"pipe": "stdio", "socket": "netty", "shm": "mmap"}
DEMOS = {"pool-map": ("Total result: 55", "pool_map_demo.py"), "counter": ("Final shared value: 10", "counter_demo.py")}


def jmh_key(benchmark, params):
    name = benchmark[len(JMH):] if benchmark.startswith(JMH) else benchmark
    if name == "SpawnBenchmark.spawnAndJoin":
        return f"spawn_join_{params.get('children')}_ms"
    return {
        "PoolStartBenchmark.startToFirstResult": "pool_start_ms",
        "PoolMapBenchmark.mapChunksize1": "map_chunksize1_tasks_per_s",
        "PoolMapBenchmark.mapDefaultChunking": "map_default_tasks_per_s",
        "PipeBenchmark.roundTripObject": "pipe_rtt_object_us",
        "PipeBenchmark.roundTripBytes": "pipe_rtt_bytes_us",
        "PipeBenchmark.bulk1MiB": "pipe_bulk_mib_per_s",
        "QueueBenchmark.small": "queue_small_msgs_per_s",
        "QueueBenchmark.bulk1MiB": "queue_1mib_mib_per_s",
        "SharedIntBenchmark.locked": "shared_locked_incr_per_s",
        "SharedIntBenchmark.atomic": "shared_atomic_incr_per_s",
    }.get(name)


EXPECTED_UNIT = {"ms": "ms/op", "µs": "us/op"}


class Runner:
    def __init__(self, args):
        self.args = args
        self.java = args.java
        self.java_flags = []
        self.native_access = []
        self.log_file = None

    def log(self, message):
        print(message, file=sys.stderr, flush=True)

    def run(self, command, timeout, **kwargs):
        return subprocess.run(command, capture_output=True, text=True, timeout=timeout, **kwargs)

    # ---- build and discovery ----
    def build(self):
        command = [os.path.join(ROOT, "mvnw"), "-B", "-q", "-DskipTests", "package", "-pl", "benchmarks,examples",
                   "-am"]
        self.log("building: " + " ".join(command))
        done = subprocess.run(command, cwd=ROOT)
        if done.returncode != 0:
            sys.exit("the build failed; fix it, or build the jars yourself and pass --no-build")

    def java_version(self):
        out = self.run([self.java, "-version"], 60).stderr.splitlines()
        feature = 0
        for line in out:
            if "version \"" in line:
                v = line.split("version \"")[1].split("\"")[0]
                feature = int(v.split(".")[0]) if not v.startswith("1.") else 8
        if feature >= 22:  # Netty's epoll in the raw medium, without the JVM's warning
            self.native_access = ["--enable-native-access=ALL-UNNAMED"]
        if feature >= 23:  # protobuf-java's sun.misc.Unsafe warning (protocolbuffers/protobuf#20760)
            self.java_flags = ["--sun-misc-unsafe-memory-access=allow"]
        return " ".join(out[:3]).strip(), feature

    def transports(self):
        if self.args.transports:
            return self.args.transports.split(",")
        done = self.run([self.java, *self.java_flags, "-jar", self.args.benchmarks_jar, "transports"], 120)
        if done.returncode != 0:
            sys.exit("cannot list the transports: " + done.stderr)
        return [line.strip() for line in done.stdout.splitlines() if line.strip()]

    # ---- one run of each kind of variant; each returns {key: value} ----
    def jmh(self, transport):
        quick = self.args.quick
        timing = ["-wi", "1", "-w", "1s", "-i", "2", "-r", "1s"] if quick else \
            ["-wi", "1", "-w", "2s", "-i", "3", "-r", "2s"]
        with tempfile.TemporaryDirectory(prefix="multiproc-jmh-") as tmp:
            out = os.path.join(tmp, "jmh.json")
            command = [self.java, *self.java_flags, "-jar", self.args.benchmarks_jar, "-f", "1", *timing,
                       "-p", f"transport={transport}", "-rf", "json", "-rff", out]
            if self.java_flags:
                command += ["-jvmArgsAppend", " ".join(self.java_flags)]
            if self.args.jmh_filter:
                command.append(self.args.jmh_filter)
            done = self.run(command, 3600)
            if self.log_file:
                self.log_file.write(f"\n==== jmh {transport}\n{done.stdout}\n{done.stderr}\n")
            if not os.path.exists(out):
                self.log(f"  JMH on {transport} produced no results (exit {done.returncode}): {done.stderr[-2000:]}")
                return {}
            with open(out) as f:
                data = json.load(f)
        results = {}
        for entry in data:
            key = jmh_key(entry["benchmark"], entry.get("params", {}))
            if key is None:
                continue
            metric = entry["primaryMetric"]
            unit = WORKLOADS[key][1]
            if key.startswith("shared_"):  # increments counted by the children, reported as a secondary metric
                value = entry.get("secondaryMetrics", {}).get("increments", {}).get("score")
                if value is None:
                    continue
            elif entry["mode"] == "sample":  # round trips: the median of the sampled calls
                value = metric["scorePercentiles"]["50.0"]
            else:
                value = metric["score"]
            if unit in EXPECTED_UNIT and metric["scoreUnit"] != EXPECTED_UNIT[unit]:
                raise RuntimeError(f"{key}: JMH unit {metric['scoreUnit']}, expected {EXPECTED_UNIT[unit]}")
            results[key] = value
        if done.returncode != 0:
            self.log(f"  JMH on {transport} exited {done.returncode}; kept the {len(results)} results it wrote")
        return results

    def python(self, method):
        seconds = "0.7" if self.args.quick else "2"
        done = self.run([sys.executable, os.path.join(PY_DIR, "mp_bench.py"), method, "--seconds", seconds], 1800)
        if done.returncode != 0:
            self.log(f"  python {method} failed: {done.stderr[-2000:]}")
            return {}
        return json.loads(done.stdout.strip().splitlines()[-1])["results"]

    def raw(self, medium):
        command = [self.java, *self.native_access, "-cp", self.args.benchmarks_jar,
                   "dev.multiproc.benchmarks.raw.RawMedia", medium]
        if self.args.quick:
            command.append("--quick")
        try:
            done = self.run(command, 600)
        except subprocess.TimeoutExpired:
            self.log(f"  raw {medium} timed out")
            return {}
        if done.returncode != 0:
            self.log(f"  raw {medium} failed: {done.stderr[-2000:]}")
            return {}
        data = json.loads(done.stdout.strip().splitlines()[-1])
        return {k: v for k, v in data.items() if isinstance(v, (int, float))}

    def demo(self, name, command):
        """@return (wall ms, CPU ms of the whole program: its own and that of the children it waited for), or None"""
        expected = DEMOS[name][0]
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        done = self.run(command, 300)
        elapsed = (time.perf_counter() - start) * 1000
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if done.returncode != 0 or done.stdout.strip() != expected:
            self.log(f"  demo {name} failed ({' '.join(command)}): exit {done.returncode} {done.stdout!r} "
                     f"{done.stderr[-1000:]!r}")
            return None
        cpu = (after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime) * 1000
        return elapsed, cpu

    def demos(self, commands):
        """Both demos, one command each: wall and CPU, and the CPU an additional child costs (the counter demo starts
        ten children, the pool-map demo two: the difference of their CPU over eight)."""
        results = {}
        for name, command in commands.items():
            value = self.demo(name, command)
            if value is not None:
                key = f"demo_{name.replace('-', '_')}"
                results[f"{key}_ms"], results[f"{key}_cpu_ms"] = value
        if "demo_counter_cpu_ms" in results and "demo_pool_map_cpu_ms" in results:
            results["child_cpu_ms"] = (results["demo_counter_cpu_ms"] - results["demo_pool_map_cpu_ms"]) / 8
        return results

    def demos_java(self, transport):
        return self.demos({name: [self.java, *self.java_flags, f"-Dmultiproc.transport={transport}", "-jar",
                                  self.args.examples_jar, name] for name in DEMOS})

    def demos_python(self, method):
        return self.demos({name: [sys.executable, os.path.join(PY_DIR, script), method]
                           for name, (_, script) in DEMOS.items()})


def median_table(samples):
    return {variant: {key: statistics.median(values) for key, values in keys.items() if values}
            for variant, keys in samples.items()}


def fmt(value, unit=""):
    if value is None:
        return "—"
    if value >= 100_000:
        text = f"{value / 1e6:.2f} M" if value >= 1e6 else f"{value / 1e3:.0f} k"
    elif value >= 100:
        text = f"{value:,.0f}"
    elif value >= 10:
        text = f"{value:.1f}"
    elif value >= 1:
        text = f"{value:.2f}"
    else:
        text = f"{value:.3f}"
    return text


def ratio_text(value):
    if value is None:
        return "—"
    if value >= 100:
        return f"{value:.0f}×"
    return f"{value:.2f}×" if value >= 0.1 else f"{value:.2g}×"


def source_description():
    """The commit measured, and whether the work tree had changes."""
    try:
        done = subprocess.run(["git", "-C", ROOT, "describe", "--always", "--dirty"], capture_output=True, text=True,
                              timeout=30)
        return f"git {done.stdout.strip()}" if done.returncode == 0 and done.stdout.strip() else "unknown"
    except (OSError, subprocess.SubprocessError):
        return "unknown"


def machine_description(java_version):
    cpu = "unknown"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    memory = "unknown"
    try:
        with open("/proc/meminfo") as f:
            kib = int(f.readline().split()[1])
            memory = f"{kib / 1024 / 1024:.1f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    return {"nproc": os.cpu_count(), "cpu": cpu, "memory": memory, "kernel": platform.release(),
            "os": platform.platform(), "jdk": java_version, "python": sys.version.split()[0],
            "load_average_at_start": os.getloadavg()}


def targets(med, transports):
    """Every target of issues 6 and 13: (target, transport, measured text, ratio, goal text, met)."""
    rows = []
    pf, ps = med.get("python-fork", {}), med.get("python-spawn", {})

    def best_python(key):
        values = [v for v in (pf.get(key), ps.get(key)) if v is not None]
        return max(values) if values else None

    for t in transports:
        m = med.get(f"multiproc-{t}", {})

        def add(name, key, reference, goal, kind, reference_name, limit=None):
            value = m.get(key)
            if value is None or reference is None:
                rows.append((name, t, fmt(value), None, goal, None, reference_name))
                return
            ratio = value / reference
            met = ratio <= limit if kind == "at most" else ratio >= limit
            rows.append((name, t, f"{fmt(value)} vs {fmt(reference)}", ratio, goal, met, reference_name))

        add("pool-map demo wall time ≤ Python spawn's", "demo_pool_map_ms", ps.get("demo_pool_map_ms"), "≤ 1×",
            "at most", "python spawn", 1.0)
        add("stretch: pool-map demo wall time ≤ Python fork's", "demo_pool_map_ms", pf.get("demo_pool_map_ms"),
            "≤ 1×", "at most", "python fork", 1.0)
        counter = 1.0 if t == "socket" else 0.8
        add(f"counter demo ≤ {counter:g} × Python spawn's", "demo_counter_ms", ps.get("demo_counter_ms"),
            f"≤ {counter:g}×", "at most", "python spawn", counter)
        add("one child started, run and joined ≤ Python spawn's", "spawn_join_1_ms", ps.get("spawn_join_1_ms"),
            "≤ 1×", "at most", "python spawn", 1.0)
        add("ten children in parallel ≤ 0.8 × Python spawn's", "spawn_join_10_ms", ps.get("spawn_join_10_ms"),
            "≤ 0.8×", "at most", "python spawn", 0.8)
        add("Pool(2) created to first result ≤ Python spawn's", "pool_start_ms", ps.get("pool_start_ms"), "≤ 1×",
            "at most", "python spawn", 1.0)
        factor = 20 if t == "shm" else 5
        add(f"Pool.map chunksize 1 ≥ {factor} × Python", "map_chunksize1_tasks_per_s",
            best_python("map_chunksize1_tasks_per_s"), f"≥ {factor}×", "at least", "best Python", factor)
        add("Pool.map default chunking ≥ Python fork", "map_default_tasks_per_s", pf.get("map_default_tasks_per_s"),
            "≥ 1×", "at least", "python fork", 1.0)
        medium = MEDIUM_OF.get(t)
        raw = med.get(f"raw-{medium}", {}).get("rtt_us") if medium else None
        add("round trip ≤ 1.25 × raw medium" + (f" ({medium})" if medium else " (no raw medium known)"),
            "pipe_rtt_bytes_us", raw, "≤ 1.25×", "at most", f"raw {medium}", 1.25)
        if t == "shm":
            value = m.get("pipe_rtt_bytes_us")
            rows.append(("shm round trip ≤ 2 µs", t, fmt(value), value / 2.0 if value else None, "≤ 2 µs",
                         (value <= 2.0) if value else None, "2 µs"))
        factor = 20 if t == "shm" else 2
        add(f"Queue small messages ≥ {factor} × Python", "queue_small_msgs_per_s",
            best_python("queue_small_msgs_per_s"), f"≥ {factor}×", "at least", "best Python", factor)
        add("Queue 1 MiB messages ≥ 3 × Python", "queue_1mib_mib_per_s", best_python("queue_1mib_mib_per_s"), "≥ 3×",
            "at least", "best Python", 3)
        add("locked increments ≥ 10 × Python Value+Lock", "shared_locked_incr_per_s",
            best_python("shared_locked_incr_per_s"), "≥ 10×", "at least", "best Python", 10)
        if t == "shm":
            add("atomic increments ≥ 30 × Python Value+Lock", "shared_atomic_incr_per_s",
                best_python("shared_locked_incr_per_s"), "≥ 30×", "at least", "best Python", 30)
    return rows


def write_charts(med, transports, jar, java, out_dir, log, image_format="png"):
    variants = ["python-fork", "python-spawn"] + [f"multiproc-{t}" for t in transports]
    raw_series = [f"raw-{m}" for m in RAW_MEDIA]
    # one colour per variant in every chart: Python blues, multiproc greens/oranges/purples, raw media greys
    multiproc_colors = ["#2ca02c", "#ff7f0e", "#9467bd", "#d62728", "#8c564b", "#e377c2"]
    palette = {"python-fork": "#1f4e9c", "python-spawn": "#6fa8dc"}
    palette.update({f"multiproc-{t}": multiproc_colors[i % len(multiproc_colors)] for i, t in enumerate(transports)})
    palette.update(dict(zip(raw_series, ["#404040", "#707070", "#a0a0a0", "#c8c8c8"])))
    lines = [f"color\t{name}\t{color}" for name, color in palette.items()]

    def chart(stem, title, y_title, log_scale, categories, series_names):
        lines.append("\t".join(["chart", stem, title, y_title, "log" if log_scale else "linear"]))
        for label, per_variant in categories:
            for variant in series_names:
                value = per_variant(variant)
                if value is not None and value > 0:
                    lines.append("\t".join(["bar", label, variant, repr(float(value))]))

    def workload(key):
        return lambda variant: med.get(variant, {}).get(key)

    chart("latency", "Start-up, spawn and demo wall times (ms, lower is better, log scale)", "ms", True,
          [("pool start-up", workload("pool_start_ms")), ("spawn+join 1", workload("spawn_join_1_ms")),
           ("spawn+join 10", workload("spawn_join_10_ms")), ("pool-map demo", workload("demo_pool_map_ms")),
           ("counter demo", workload("demo_counter_ms"))], variants)
    chart("round-trip", "Round trip of a small message (µs, median, lower is better, log scale)", "µs", True,
          [("Pipe, object", workload("pipe_rtt_object_us")), ("Pipe, 16 bytes", workload("pipe_rtt_bytes_us")),
           ("raw medium, 16 bytes", workload("rtt_us"))], variants + raw_series)
    chart("throughput", "Throughput of tasks, messages and increments (per second, higher is better, log scale)",
          "per second", True,
          [("map chunksize 1", workload("map_chunksize1_tasks_per_s")),
           ("map default chunks", workload("map_default_tasks_per_s")),
           ("Queue 16 B", workload("queue_small_msgs_per_s")),
           ("raw 16 B messages", workload("small_msgs_per_s")),
           ("locked increments", workload("shared_locked_incr_per_s")),
           ("atomic increments", workload("shared_atomic_incr_per_s"))], variants + raw_series)
    chart("bulk", "1 MiB messages (MiB/s, higher is better)", "MiB/s", False,
          [("Queue 1 MiB", workload("queue_1mib_mib_per_s")), ("Pipe 1 MiB", workload("pipe_bulk_mib_per_s")),
           ("raw 1 MiB writes", workload("bulk_mib_per_s"))], variants + raw_series)
    os.makedirs(out_dir, exist_ok=True)
    with tempfile.NamedTemporaryFile("w", suffix=".tsv", delete=False, encoding="utf-8") as spec:
        spec.write("\n".join(lines) + "\n")
    try:
        done = subprocess.run([java, "-Djava.awt.headless=true", "-cp", jar, "dev.multiproc.benchmarks.report.Charts",
                               spec.name, out_dir, image_format], capture_output=True, text=True, timeout=300)
        if done.returncode != 0:
            log("charts failed: " + done.stderr[-2000:])
            return []
    finally:
        os.unlink(spec.name)
    return ["latency", "round-trip", "throughput", "bulk"]


def write_markdown(path, data, med, transports, charts):
    info = data["machine"]
    variants = ["python-fork", "python-spawn"] + [f"multiproc-{t}" for t in transports]
    out = []
    w = out.append
    rounds = data["rounds"]
    kind = ("a **quick** run (`--quick`: " if data["quick"] else "a full run (") + \
        f"{rounds} alternating round{'s' if rounds != 1 else ''}, median of the rounds; JMH {data['jmh_timing']} " \
        f"per round)"
    w("# Benchmarks: multiproc against Python's multiprocessing and the raw media")
    w("")
    w(f"Generated by `python3 benchmarks/run.py{' --quick' if data['quick'] else ''}` on {data['date']}: {kind}. "
      f"The whole run took {data['elapsed_s'] / 60:.1f} min. Every figure below comes from that run; the raw samples "
      f"of every round are in [benchmarks.json](benchmarks.json). Re-run it to refresh this page (see the README's "
      f"Benchmarks section).")
    w("")
    w("## Machine")
    w("")
    w("| | |")
    w("|---|---|")
    w(f"| processors (nproc) | {info['nproc']} |")
    w(f"| CPU | {info['cpu']} |")
    w(f"| memory | {info['memory']} |")
    w(f"| kernel | {info['kernel']} |")
    w(f"| JDK | {info['jdk']} |")
    w(f"| Python | {info['python']} |")
    w(f"| load average (1, 5, 15 min) at start | {', '.join(f'{x:.2f}' for x in info['load_average_at_start'])} |")
    if "load_average_at_end" in info:
        w(f"| load average at end of measuring | {', '.join(f'{x:.2f}' for x in info['load_average_at_end'])} |")
    w(f"| transports measured | {', '.join(transports)} |")
    w(f"| source measured | {data.get('source', 'unknown')} |")
    w("")
    w("The machine is shared (other builds may run at the same time; a load average above the number of processors "
      "means they did); medians over alternating rounds keep the comparison fair, but absolute figures move between "
      "runs, and busy-spinning figures (mmap) suffer most when a spinning peer is descheduled.")
    w("")
    w("## Targets of issues 6 and 13")
    w("")
    w("Ratio = multiproc's figure ÷ the reference's (for times, lower is better; for rates, higher). "
      "\"Best Python\" is the faster of the fork and spawn start methods.")
    w("")
    w("| target | transport | measured (multiproc vs reference) | ratio | goal | result |")
    w("|---|---|---|---|---|---|")
    for name, t, measured, ratio, goal, met, reference in data["targets"]:
        result = "—" if met is None else ("**met**" if met else "**missed**")
        w(f"| {name} | {t} | {measured} ({reference}) | {ratio_text(ratio)} | {goal} | {result} |")
    w("")
    missed = [row for row in data["targets"] if row[5] is False]
    if missed:
        w("Missed here, by how much (goal ÷ measured for rates, measured ÷ goal for times):")
        w("")
        for name, t, measured, ratio, goal, met, reference in missed:
            limit = float(goal.split()[1].rstrip("×µs"))
            by = (limit / ratio) if goal.startswith("≥") else (ratio / limit)
            w(f"- {name}, {t}: {ratio_text(ratio)} against {goal}, short by a factor of {by:.3g}.")
        w("")
        why = os.path.join(HERE, "why.md")
        if os.path.exists(why):
            # hand-written: why each missed target is missed, from the profiles (docs/profiles.md,
            # benchmarks/profile.py); kept beside the runner so that every regenerated page carries it
            with open(why) as f:
                w(f.read().rstrip())
        else:
            w("Why: see `python3 benchmarks/profile.py`, which profiles the missed targets (docs/profiles.md).")
        w("")
    w("## Absolute figures")
    w("")
    w("| workload | unit | " + " | ".join(variants) + " |")
    w("|---|---|" + "---|" * len(variants))
    for key, (label, unit, better) in WORKLOADS.items():
        cells = [fmt(med.get(v, {}).get(key)) for v in variants]
        w(f"| {label} | {unit} ({better} is better) | " + " | ".join(cells) + " |")
    w("")
    w("— : not measured. Python has no atomic shared integer (its `Value` is updated under a lock), so it has no "
      "atomic-increment figure; the atomic targets compare with Python's Value+Lock.")
    w("")
    samples = data.get("samples", {})
    if data["rounds"] > 1:
        w("Spread over the rounds, largest ÷ smallest of each figure (1.00× = the rounds agreed):")
        w("")
        w("| workload | " + " | ".join(variants) + " |")
        w("|---|" + "---|" * len(variants))
        for key, (label, unit, better) in WORKLOADS.items():
            cells = []
            for v in variants:
                values = [x for x in samples.get(v, {}).get(key, []) if x]
                cells.append(ratio_text(max(values) / min(values)) if len(values) > 1 else "—")
            w(f"| {label} | " + " | ".join(cells) + " |")
        w("")
        raw_rtts = sorted(samples.get("raw-stdio", {}).get("rtt_us", []))
        if len(raw_rtts) > 1 and raw_rtts[-1] > 3 * raw_rtts[0]:
            w(f"Round trips were bimodal across the rounds of this run, framework or not: the raw stdio ping-pong "
              f"took {fmt(raw_rtts[0])} µs in some rounds and up to {fmt(raw_rtts[-1])} µs in others (samples: "
              f"{', '.join(fmt(x) for x in raw_rtts)} µs), that is, how long it takes to wake a blocked reader "
              f"changed with the state of the shared machine. Compare figures from the same round (the JSON "
              f"keeps them in order) before drawing conclusions from a round-trip median.")
            w("")
    w("## multiproc ÷ Python")
    w("")
    cols = [(t, p) for t in transports for p in ("fork", "spawn")]
    w("| workload | " + " | ".join(f"{t} ÷ {p}" for t, p in cols) + " |")
    w("|---|" + "---|" * len(cols))
    for key, (label, unit, better) in WORKLOADS.items():
        cells = []
        for t, p in cols:
            a = med.get(f"multiproc-{t}", {}).get(key)
            b = med.get(f"python-{p}", {}).get(key)
            if key == "shared_atomic_incr_per_s":
                b = med.get(f"python-{p}", {}).get("shared_locked_incr_per_s")
            cells.append(ratio_text(a / b) if a and b else "—")
        w(f"| {label} ({better} is better) | " + " | ".join(cells) + " |")
    w("")
    w("## Raw media (no framework)")
    w("")
    w("Two JVMs started from the benchmarks jar ping-pong 16-byte frames: over the child's stdin/stdout (stdio), "
      "loopback TCP with JDK sockets and TCP_NODELAY (tcp), Netty on both sides (netty; "
      "epoll where available), and a file in /dev/shm mapped by both, with a VarHandle and busy spinning (mmap). "
      "Small messages are written one write call (or one ring publication) each.")
    w("")
    w("| medium | " + " | ".join(f"{label} ({unit})" for label, unit, _ in RAW_KEYS.values()) + " |")
    w("|---|" + "---|" * len(RAW_KEYS))
    for m in RAW_MEDIA:
        cells = [fmt(med.get(f"raw-{m}", {}).get(k)) for k in RAW_KEYS]
        w(f"| {m} | " + " | ".join(cells) + " |")
    w("")
    w("— : Netty and mmap bulk are not measured (the socket transport's bulk floor is the tcp row; a mapped file "
      "has no writes to count).")
    w("")
    w("## multiproc ÷ raw medium")
    w("")
    w("| transport | medium | round trip 16 B (µs) | ÷ raw | Queue 16 B msgs/s | ÷ raw | Pipe 1 MiB MiB/s | ÷ raw |")
    w("|---|---|---|---|---|---|---|---|")
    for t in transports:
        mediums = [MEDIUM_OF[t]] if t in MEDIUM_OF else []
        if t == "socket":
            mediums.append("tcp")
        if not mediums:
            w(f"| {t} | (no raw medium known for this transport) | | | | | | |")
        for medium in mediums:
            m = med.get(f"multiproc-{t}", {})
            r = med.get(f"raw-{medium}", {})

            def pair(a, b):
                return fmt(a), (ratio_text(a / b) if a and b else "—")
            rtt, rtt_r = pair(m.get("pipe_rtt_bytes_us"), r.get("rtt_us"))
            q, q_r = pair(m.get("queue_small_msgs_per_s"), r.get("small_msgs_per_s"))
            b, b_r = pair(m.get("pipe_bulk_mib_per_s"), r.get("bulk_mib_per_s"))
            w(f"| {t} | {medium} | {rtt} | {rtt_r} | {q} | {q_r} | {b} | {b_r} |")
    w("")
    if charts:
        w("## Charts")
        w("")
        for stem in charts:
            w(f"![{stem}](benchmarks/{stem}.png)")
            w("")
        w("Rendered with XChart (`dev.multiproc.benchmarks.report.Charts`). Bars missing from a group were not "
          "measured for that variant.")
        w("")
    w("## What is measured")
    w("")
    w("- multiproc: the JMH suite in `benchmarks/src/main/java/dev/multiproc/benchmarks/jmh`, one fork per "
      "benchmark, on each transport. Opening the context is not timed; closing a pool is not timed in the "
      "start-up benchmark. Round trips are JMH sample-time medians (p50).")
    w("- Python: `benchmarks/python/mp_bench.py` with the same sizes, once with `fork` and once with `spawn`. "
      "Round trips are medians of timed calls; start-up and spawn are means (as JMH's average time).")
    w("- Shared int: two child processes increment one shared integer for 50 ms each per call and report how many "
      "increments they made; the rate is their sum over the whole call's time. The parent only gives the orders "
      "(so that no increment is local to a process that holds the state).")
    w("- Demos: wall time of `java -jar examples/target/multiproc-examples.jar pool-map|counter` with "
      "`-Dmultiproc.transport=NAME`, and of `python3 pool_map_demo.py|counter_demo.py spawn|fork` "
      "(copies in `benchmarks/python/` of the reference demos), the whole program, output checked.")
    w("")
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(out))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true",
                        help="3 rounds and shorter measurements (about 10 min with three transports on 2 cores)")
    parser.add_argument("--runs", type=int, help="rounds (default 5, or 3 with --quick)")
    parser.add_argument("--no-build", action="store_true", help="use the jars as they are")
    parser.add_argument("--java", default="java")
    parser.add_argument("--transports", help="comma-separated; default: every transport in the benchmarks jar")
    parser.add_argument("--benchmarks-jar", default=BENCH_JAR)
    parser.add_argument("--examples-jar", default=EXAMPLES_JAR)
    parser.add_argument("--jmh-filter", help="a JMH benchmark regex, to run part of the suite (for development)")
    parser.add_argument("--out", default=os.path.join(ROOT, "docs"), help="where benchmarks.md/.json go")
    parser.add_argument("--source", help="what was measured, for the report (default: git describe --dirty)")
    parser.add_argument("--report-only", action="store_true",
                        help="measure nothing: rewrite benchmarks.md and the charts from benchmarks.json")
    args = parser.parse_args()
    if args.report_only:
        with open(os.path.join(args.out, "benchmarks.json"), encoding="utf-8") as f:
            data = json.load(f)
        data["targets"] = targets(data["medians"], data["transports"])
        charts = write_charts(data["medians"], data["transports"], args.benchmarks_jar, args.java,
                              os.path.join(args.out, "benchmarks"), lambda m: print(m, file=sys.stderr))
        write_markdown(os.path.join(args.out, "benchmarks.md"), data, data["medians"], data["transports"], charts)
        return
    rounds = args.runs or (3 if args.quick else 5)
    started = time.time()
    source = args.source or source_description()   # before the build and the rounds: what the jars are built from
    runner = Runner(args)
    if not args.no_build:
        runner.build()
    for jar in (args.benchmarks_jar, args.examples_jar):
        if not os.path.exists(jar):
            sys.exit(f"{jar} is missing: run ./mvnw -B -q -DskipTests package -pl benchmarks,examples -am")
    java_version, _ = runner.java_version()
    machine = machine_description(java_version)
    transports = runner.transports()
    runner.log(f"transports: {', '.join(transports)}; {rounds} rounds{' (quick)' if args.quick else ''}")

    tasks = []
    for t in transports:
        tasks.append((f"multiproc-{t}", "jmh", lambda t=t: runner.jmh(t)))
        tasks.append((f"multiproc-{t}", "demos", lambda t=t: runner.demos_java(t)))
    for method in ("fork", "spawn"):
        tasks.append((f"python-{method}", "workloads", lambda m=method: runner.python(m)))
        tasks.append((f"python-{method}", "demos", lambda m=method: runner.demos_python(m)))
    for medium in RAW_MEDIA:
        tasks.append((f"raw-{medium}", "medium", lambda m=medium: runner.raw(m)))

    samples = {}
    os.makedirs(args.out, exist_ok=True)
    log_path = os.path.join(tempfile.gettempdir(), "multiproc-benchmarks-run.log")
    with open(log_path, "w") as runner.log_file:
        for r in range(rounds):
            shift = r % len(tasks)  # rotate, so that no variant always runs first or last
            for variant, what, task in tasks[shift:] + tasks[:shift]:
                t0 = time.time()
                results = task()
                runner.log(f"round {r + 1}/{rounds}: {variant} {what}: {len(results)} figures "
                           f"in {time.time() - t0:.0f} s")
                for key, value in results.items():
                    samples.setdefault(variant, {}).setdefault(key, []).append(value)
    med = median_table(samples)
    load_at_end = os.getloadavg()
    data = {
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "quick": args.quick, "rounds": rounds,
        "jmh_timing": "1 warm-up × 1 s, 2 measurements × 1 s" if args.quick else
        "1 warm-up × 2 s, 3 measurements × 2 s",
        "machine": machine, "transports": transports, "source": source,
        "workloads": {k: {"label": v[0], "unit": v[1], "better": v[2]} for k, v in WORKLOADS.items()},
        "raw_figures": {k: {"label": v[0], "unit": v[1], "better": v[2]} for k, v in RAW_KEYS.items()},
        "medians": med, "samples": samples,
    }
    data["machine"]["load_average_at_end"] = load_at_end
    data["targets"] = targets(med, transports)
    charts = write_charts(med, transports, args.benchmarks_jar, args.java, os.path.join(args.out, "benchmarks"),
                          runner.log)
    data["elapsed_s"] = time.time() - started
    with open(os.path.join(args.out, "benchmarks.json"), "w", encoding="utf-8") as f:
        json.dump(data, f, indent=1, ensure_ascii=False)
        f.write("\n")
    write_markdown(os.path.join(args.out, "benchmarks.md"), data, med, transports, charts)
    runner.log(f"wrote {os.path.join(args.out, 'benchmarks.md')} and .json, {len(charts)} charts, in "
               f"{data['elapsed_s'] / 60:.1f} min; JMH output in {log_path}")


if __name__ == "__main__":
    main()
