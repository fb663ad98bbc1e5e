#!/usr/bin/env python3
"""Time from Pool creation to first result on the Hazelcast transport, with 0, 1 and 2 extra worker hosts.

Usage: python3 benchmarks/cluster_start.py [--runs N] [--java PATH]   (as root: it makes network namespaces)

Needs benchmarks/target/multiproc-benchmarks.jar (./mvnw -B -q -DskipTests package -pl benchmarks -am) and iproute2.
Two worker hosts are Linux network namespaces joined to this one by veth pairs with private addresses no interface
here uses; the parent (dev.multiproc.benchmarks.cluster.ClusterStart) binds its Hazelcast member to this side of the
first pair. Each round runs, in an order that rotates, every configuration:
  - hosts 0, 1, 2: how many worker hosts add one HazelcastWorker each to a pool of the machine's processors;
  - "standing": the workers were started 10 s before the pool, and wait in the parent's lobby;
  - "cold": the workers are started at the moment the pool is built, so their JVM and client start is timed too.
It prints the medians of FIRST_RESULT_MS (build() to the first apply's result) and ALL_WORKERS_MS (build() to the end
of a map of one 200 ms task per worker, which workers that are up early may share), and removes the namespaces and
files it made.
"""
import argparse
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
JAR = os.path.join(ROOT, "benchmarks", "target", "multiproc-benchmarks.jar")


def sh(*command):
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


class Host:
    """A network namespace with a veth pair to this one and a default route back through it."""

    def __init__(self, used):
        tag = "%06x" % random.getrandbits(24)
        while True:
            subnet = "10.%d.%d." % (200 + random.randrange(50), random.randrange(256))
            if subnet not in used:
                break
        used.add(subnet)
        self.name = "mp-bench-" + tag
        self.link = "mpb" + tag + "a"
        self.host_address = subnet + "1"
        self.address = subnet + "2"
        sh("ip", "netns", "add", self.name)
        try:
            sh("ip", "link", "add", self.link, "type", "veth", "peer", "name", "mpb" + tag + "b")
            sh("ip", "link", "set", "mpb" + tag + "b", "netns", self.name)
            sh("ip", "addr", "add", self.host_address + "/30", "dev", self.link)
            sh("ip", "link", "set", self.link, "up")
            sh("ip", "netns", "exec", self.name, "ip", "addr", "add", self.address + "/30", "dev", "mpb" + tag + "b")
            sh("ip", "netns", "exec", self.name, "ip", "link", "set", "mpb" + tag + "b", "up")
            sh("ip", "netns", "exec", self.name, "ip", "link", "set", "lo", "up")
            sh("ip", "netns", "exec", self.name, "ip", "route", "add", "default", "via", self.host_address)
        except Exception:
            self.remove()
            raise

    def remove(self):
        pids = subprocess.run(["ip", "netns", "pids", self.name], capture_output=True, text=True).stdout.split()
        for pid in pids:
            try:
                os.kill(int(pid), 9)
            except (ProcessLookupError, ValueError):
                pass
        subprocess.run(["ip", "netns", "del", self.name], capture_output=True)
        subprocess.run(["ip", "link", "del", self.link], capture_output=True)


def free_port(address):
    with socket.socket() as s:
        s.bind((address, 0))
        return s.getsockname()[1]


def one_run(java, hosts, used_hosts, mode, workdir):
    bind = used_hosts[0].host_address
    key = os.path.join(workdir, "authkey")
    parent = subprocess.Popen([java, "-cp", JAR, "dev.multiproc.benchmarks.cluster.ClusterStart", bind,
                               str(free_port(bind)), key, str(hosts)],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    workers = []
    try:
        line = parent.stdout.readline()
        if not line.startswith("MEMBER "):
            raise RuntimeError("the parent did not start: " + line)
        members = line.split()[1]

        def start_workers():
            for i in range(hosts):
                err = open(os.path.join(workdir, "worker-%d.err" % i), "w")
                workers.append(subprocess.Popen(
                    ["ip", "netns", "exec", used_hosts[i].name, java, "-cp", JAR,
                     "dev.multiproc.transport.hazelcast.HazelcastWorker", "--members", members,
                     "--authkey-file", key, "--name", "host-%d" % i, "--connect-timeout", "60"],
                    stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=err))

        if mode == "standing":
            start_workers()
            time.sleep(10)
            parent.stdin.write("GO\n")
            parent.stdin.flush()
        else:
            parent.stdin.write("GO\n")
            parent.stdin.flush()
            start_workers()
        figures = {}
        for line in parent.stdout:
            parts = line.split()
            if len(parts) == 2 and parts[0].endswith("_MS"):
                figures[parts[0]] = float(parts[1])
        if parent.wait(timeout=120) != 0 or len(figures) != 2:
            raise RuntimeError("the parent failed (exit %s): %s" % (parent.returncode, figures))
        for worker in workers:
            worker.wait(timeout=30)
        return figures
    finally:
        for process in [parent] + workers:
            if process.poll() is None:
                process.kill()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--java", default="java")
    args = parser.parse_args()
    if os.geteuid() != 0 or shutil.which("ip") is None:
        sys.exit("needs root and the ip command (iproute2): it makes network namespaces")
    if not os.path.exists(JAR):
        sys.exit(JAR + " is missing: ./mvnw -B -q -DskipTests package -pl benchmarks -am")
    used = {line.split()[3].rsplit(".", 1)[0] + "." for line in
            subprocess.run(["ip", "-o", "-4", "addr", "show"], capture_output=True, text=True).stdout.splitlines()}
    hosts = []
    workdir = tempfile.mkdtemp(prefix="multiproc-cluster-")
    os.chmod(workdir, 0o700)
    configs = [(h, m) for h in (0, 1, 2) for m in (("standing", "cold") if h else ("standing",))]
    samples = {c: [] for c in configs}
    try:
        hosts = [Host(used), Host(used)]
        for r in range(args.runs):
            order = configs[r % len(configs):] + configs[:r % len(configs)]
            for hosts_count, mode in order:
                figures = one_run(args.java, hosts_count, hosts, mode, workdir)
                samples[(hosts_count, mode)].append(figures)
                print("round %d/%d: %d worker hosts, %s: %s" % (r + 1, args.runs, hosts_count, mode, figures),
                      file=sys.stderr, flush=True)
    finally:
        for host in hosts:
            host.remove()
        shutil.rmtree(workdir, ignore_errors=True)
    print("| worker hosts | workers | Pool build to first result (ms) | to the end of a map of one 200 ms task per worker (ms) |")
    print("|---|---|---|---|")
    for hosts_count, mode in configs:
        s = samples[(hosts_count, mode)]
        print("| %d | %s | %.0f | %.0f |" % (
            hosts_count, "none" if not hosts_count else mode,
            statistics.median(f["FIRST_RESULT_MS"] for f in s), statistics.median(f["ALL_WORKERS_MS"] for f in s)))


if __name__ == "__main__":
    main()
