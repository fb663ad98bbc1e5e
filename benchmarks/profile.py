#!/usr/bin/env python3
"""Where the time goes in the workloads that miss their targets: JFR recordings of every JVM involved, summarised.

Usage: python3 benchmarks/profile.py [--no-build] [--only name,name] [--out docs/profiles.md] [--keep DIR]

For each scenario it runs one JMH benchmark (or one demo) with Java Flight Recorder on in the measuring JVM and in
every child JVM multiproc starts (through JDK_JAVA_OPTIONS, which every `java` launch reads), then summarises each
recording with the JDK's `jfr` tool:
  - CPU: execution samples per thread, the hottest methods (top frame), and the innermost multiproc (or Netty)
    method each sample ran under;
  - waiting: time each thread spent parked (LockSupport.park, which is how a thread waits for another here), in
    monitors, and in blocking reads of pipes/files and sockets.
The summaries come from dev.multiproc.benchmarks.report.JfrSummary (in the benchmarks jar), which streams each
recording.
A demo scenario logs class loading with uptimes instead (-Xlog:class+load), which shows where a JVM's start-up goes
without JFR's own start-up cost. Recordings use the JDK's `profile` settings, with the park and I/O thresholds lowered to 20 µs so that a wait of one
round trip shows. JFR costs a little (a few per cent) and start-up (a recording adds ~0.3 s to a JVM's start), so
the figures the profiles are taken with are not the benchmark's figures; docs/benchmarks.md has those.
Needs: JDK 17+ (java and jfr on the PATH), python3.
"""
import argparse
import datetime
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BENCH_JAR = os.path.join(ROOT, "benchmarks", "target", "multiproc-benchmarks.jar")
EXAMPLES_JAR = os.path.join(ROOT, "examples", "target", "multiproc-examples.jar")

# name -> (transport, JMH benchmark regex or "demo:<name>", the target it misses)
SCENARIOS = {
    "pipe-round-trip": ("pipe", "PipeBenchmark.roundTripBytes$", "Pipe round trip ≤ 1.25 × raw stdio ping-pong"),
    "socket-round-trip": ("socket", "PipeBenchmark.roundTripBytes$", "Pipe round trip ≤ 1.25 × raw Netty ping-pong"),
    "pipe-map-chunksize1": ("pipe", "PoolMapBenchmark.mapChunksize1$", "Pool.map chunksize 1 ≥ 5 × Python"),
    "shm-map-chunksize1": ("shm", "PoolMapBenchmark.mapChunksize1$", "Pool.map chunksize 1 ≥ 20 × Python"),
    "socket-queue-small": ("socket", "QueueBenchmark.small$", "Queue small messages ≥ 2 × Python"),
    "pipe-queue-1mib": ("pipe", "QueueBenchmark.bulk1MiB$", "Queue 1 MiB messages ≥ 3 × Python"),
    "pipe-locked-increments": ("pipe", "SharedIntBenchmark.locked$", "locked increments ≥ 10 × Python"),
    "shm-locked-increments": ("shm", "SharedIntBenchmark.locked$", "locked increments ≥ 10 × Python"),
    "pipe-demo-counter": ("pipe", "demo:counter", "counter demo ≤ 0.8 × Python spawn"),
}
OURS = ("dev.multiproc.", "io.netty.")
TOP = 8


def jfc_file(directory):
    """The JDK's profile settings with park and I/O thresholds at 20 µs."""
    java_home = subprocess.run(["java", "-XshowSettings:properties", "-version"], capture_output=True,
                               text=True).stderr
    home = re.search(r"java\.home = (.+)", java_home).group(1).strip()
    with open(os.path.join(home, "lib", "jfr", "profile.jfc")) as f:
        text = f.read()
    for event in ("jdk.ThreadPark", "jdk.FileRead", "jdk.SocketRead", "jdk.JavaMonitorEnter", "jdk.JavaMonitorWait"):
        text = re.sub(r'(<event name="%s">.*?<setting name="threshold"[^>]*>)[^<]*(</setting>)' % re.escape(event),
                      r"\g<1>20 us\g<2>", text, flags=re.S)
    path = os.path.join(directory, "waits.jfc")
    with open(path, "w") as f:
        f.write(text)
    return path


def run_scenario(name, transport, what, work, seconds, settings):
    record_dir = os.path.join(work, name)
    os.makedirs(record_dir)
    env = dict(os.environ)
    if what.startswith("demo:"):
        # JFR would double a JVM's start; the class-loading log, with uptimes, shows where start-up time goes
        env["JDK_JAVA_OPTIONS"] = f"-Xlog:class+load=info:file={record_dir}/classes-%p.log:uptime"
    else:
        env["JDK_JAVA_OPTIONS"] = f"-XX:StartFlightRecording=filename={record_dir}/,settings={settings}"
    if what.startswith("demo:"):
        command = ["java", f"-Dmultiproc.transport={transport}", "-jar", EXAMPLES_JAR, what[5:]]
    else:
        command = ["java", "-jar", BENCH_JAR, "-f", "1", "-wi", "1", "-w", "1s", "-i", "1", "-r", f"{seconds}s",
                   "-p", f"transport={transport}", what]
    started = time.perf_counter()
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    out, err = process.communicate(timeout=900)
    wall = time.perf_counter() - started
    score = None
    for line in out.splitlines():
        if re.match(r"^\w+Benchmark\.\w+\s", line):
            score = " ".join(line.split()[1:])
    recordings = sorted(os.path.join(record_dir, f) for f in os.listdir(record_dir) if f.endswith(".jfr"))
    class_logs = sorted(os.path.join(record_dir, f) for f in os.listdir(record_dir) if f.endswith(".log"))
    if process.returncode != 0:
        print(f"{name}: exit {process.returncode}: {err[-1500:]}", file=sys.stderr)
    return {"name": name, "transport": transport, "what": what, "wall_s": wall, "score": score,
            "class_logs": class_logs,
            "recordings": recordings}


def summarise(recording):
    """Streams the recording through the benchmarks jar's JfrSummary (the JSON of every wait would not fit)."""
    done = subprocess.run(["java", "-cp", BENCH_JAR, "dev.multiproc.benchmarks.report.JfrSummary", recording],
                          capture_output=True, text=True, env={k: v for k, v in os.environ.items()
                                                               if k != "JDK_JAVA_OPTIONS"})
    if done.returncode != 0:
        raise RuntimeError(f"JfrSummary {recording}: {done.stderr}")
    data = json.loads(done.stdout.strip().splitlines()[-1])
    return {"samples": data["samples"], "arguments": data["arguments"] or "", "by_thread": data["threads"], "top": data["top"],
            "ours": data["ours"], "waits": data["waits"]}


def class_loading(log):
    """From a -Xlog:class+load log with uptimes: when the JVM reached our code, when it loaded its last class, and
    how many classes came from the class-data-sharing archive."""
    first_ours = last = None
    shared = other = 0
    role = "JVM"
    with open(log, errors="replace") as f:
        for line in f:
            match = re.match(r"\[([\d.]+)s\] (\S+) source: (.*)", line)
            if not match:
                continue
            uptime, name, source = float(match.group(1)), match.group(2), match.group(3)
            last = uptime
            if "shared" in source:
                shared += 1
            else:
                other += 1
            if name.startswith("dev.multiproc.") and first_ours is None:
                first_ours = uptime
                role = "child" if name == "dev.multiproc.internal.child.ChildMain" else \
                    "parent" if name.startswith("dev.multiproc.examples.") else "JVM"
    return {"role": role, "first_ours_ms": (first_ours or 0) * 1000, "last_ms": (last or 0) * 1000,
            "shared": shared, "other": other}


def describe_start_up(logs):
    rows = [class_loading(log) for log in logs]
    rows = [row for row in rows if row["role"] != "JVM"]   # class-data-sharing archivers and the like
    rows.sort(key=lambda row: row["role"] != "parent")
    lines = ["| JVM | reached multiproc code at (uptime) | last class loaded at | classes from the CDS archive | "
             "classes loaded from jars / generated |", "|---|---|---|---|---|"]
    for index, row in enumerate(rows):
        label = "parent (the demo)" if row["role"] == "parent" else f"child {index}"
        lines.append(f"| {label} | {row['first_ours_ms']:.0f} ms | {row['last_ms']:.0f} ms | {row['shared']:,} | "
                     f"{row['other']:,} |")
    return lines


def describe_process(summary, label):
    lines = [f"**{label}**: {summary['samples']} CPU samples (JFR samples a running Java thread about every 10 ms)."]
    if summary["samples"]:
        total = summary["samples"]
        lines.append("")
        lines.append("| threads by CPU samples | share |")
        lines.append("|---|---|")
        for thread, count in summary["by_thread"][:5]:
            lines.append(f"| {thread} | {100 * count / total:.0f}% |")
        lines.append("")
        lines.append("| hottest methods (top frame) | share |")
        lines.append("|---|---|")
        for method, count in summary["top"][:TOP]:
            lines.append(f"| `{method}` | {100 * count / total:.0f}% |")
        if summary["ours"]:
            lines.append("")
            lines.append("| under which multiproc / Netty method (innermost) | share |")
            lines.append("|---|---|")
            for method, count in summary["ours"][:TOP]:
                lines.append(f"| `{method}` | {100 * count / total:.0f}% |")
    waits = summary["waits"][:TOP]
    if waits:
        lines.append("")
        lines.append("| waiting thread | how | waits ≥ 20 µs | total |")
        lines.append("|---|---|---|---|")
        for thread, kind, count, total_s in waits:
            lines.append(f"| {thread} | {kind} | {count:,} | {total_s:.2f} s |")
    return lines


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--no-build", action="store_true")
    parser.add_argument("--only", help="comma-separated scenario names: " + ", ".join(SCENARIOS))
    parser.add_argument("--seconds", type=int, default=5, help="JMH measurement time per scenario")
    parser.add_argument("--out", default=os.path.join(ROOT, "docs", "profiles.md"))
    parser.add_argument("--keep", help="keep the recordings in this directory")
    args = parser.parse_args()
    if not args.no_build:
        subprocess.run([os.path.join(ROOT, "mvnw"), "-B", "-q", "-DskipTests", "-pl", "benchmarks,examples", "-am",
                        "package"], cwd=ROOT, check=True)
    names = args.only.split(",") if args.only else list(SCENARIOS)
    work = args.keep or tempfile.mkdtemp(prefix="multiproc-profile-")
    if args.keep:
        os.makedirs(work, exist_ok=True)
    lines = ["# Profiles of the missed targets", "",
             f"Generated by `python3 benchmarks/profile.py` on {datetime.datetime.utcnow():%Y-%m-%d %H:%M} UTC, "
             "JFR in every JVM (see the script's header for what is recorded). Read with "
             "[benchmarks.md](benchmarks.md), which has the figures and the analysis; these are the raw summaries "
             "the analysis rests on. Recording costs a little, so the scores below are not the benchmark's.", ""]
    try:
        settings = jfc_file(work)   # once: every recording uses the same settings file
        for name in names:
            transport, what, target = SCENARIOS[name]
            print(f"profiling {name} ...", file=sys.stderr)
            result = run_scenario(name, transport, what, work, args.seconds, settings)
            lines.append(f"## {name}: {target}")
            lines.append("")
            score = f"; JMH score while recording: {result['score']}" if result["score"] else ""
            lines.append(f"`{what}` on {transport}; wall time {result['wall_s']:.1f} s{score}.")
            lines.append("")
            if result["class_logs"]:
                lines += describe_start_up(result["class_logs"])
                lines.append("")
            seen = set()
            for recording in result["recordings"]:
                pid = os.path.basename(recording).split("-")[2]
                if pid in seen:   # a JMH fork inherits the host's JFR option and adds its own: one is enough
                    continue
                seen.add(pid)
                summary = summarise(recording)
                arguments = summary["arguments"]
                if "ChildMain" in arguments:
                    label = f"child JVM {arguments.split()[3]} (pid {pid})"
                elif "ForkedMain" in arguments:
                    label = f"measuring JVM (JMH fork, pid {pid})"
                elif what.startswith("demo:") and "multiproc-examples" in arguments:
                    label = f"parent JVM (the demo, pid {pid})"
                else:
                    continue   # JMH's probes of the JVM, class-data-sharing archivers
                lines += describe_process(summary, label)
                lines.append("")
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    with open(args.out, "w") as f:
        f.write("\n".join(lines).rstrip() + "\n")
    print(f"wrote {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
