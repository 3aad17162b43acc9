#!/usr/bin/env python3
"""Runs the benchmark comparisons, alternating Megaphone and its peers in the same
run, and prints one table: figure, Megaphone, peer, ratio (median of the runs, with
min and max). These machines are shared and noisy: the ratio is the result."""
import glob
import hashlib
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
WORK = os.path.join(ROOT, "bench", "work")
MEGAPHONE = os.path.join(ROOT, ".build", "release", "megaphone")
RENDER_BENCH = os.path.join(ROOT, "bench", "swift", ".build", "release", "render-bench")
PY = sys.executable
RUNS = int(os.environ.get("BENCH_RUNS", "5"))
RENDER_ROWS = int(os.environ.get("BENCH_ROWS", "100000"))
MBOX_ROWS = int(os.environ.get("BENCH_MBOX_ROWS", "100000"))
MAILMERGE_ROWS = int(os.environ.get("BENCH_MAILMERGE_ROWS", "10000"))
SEND_ROWS = int(os.environ.get("BENCH_SEND_ROWS", "10000"))
MEM_LARGE = int(os.environ.get("BENCH_MEM_ROWS", "1000000"))

results = []


def run(cmd, stdout=subprocess.DEVNULL, env=None, cwd=None):
    start = time.perf_counter()
    subprocess.run(cmd, stdout=stdout, stderr=subprocess.DEVNULL, check=True, env=env, cwd=cwd)
    return time.perf_counter() - start


def alternate(name_a, cmd_a, name_b, cmd_b, count, setup=None):
    """Times A and B alternately; returns the rates (items/s) of each run."""
    a, b = [], []
    for _ in range(RUNS):
        for label, cmd, out in ((name_a, cmd_a, a), (name_b, cmd_b, b)):
            if setup:
                setup(label)
            out.append(count / run(cmd))
    return a, b


def record(figure, mine, peer_name, theirs, unit):
    results.append((figure, mine, peer_name, theirs, unit))
    print(f"  measured {figure} vs {peer_name}", file=sys.stderr, flush=True)


def fmt(rates):
    return f"{statistics.median(rates):,.0f} ({min(rates):,.0f}–{max(rates):,.0f})"


def sha(cmd):
    return hashlib.sha256(subprocess.run(cmd, stdout=subprocess.PIPE, check=True).stdout).hexdigest()


def render_benchmarks():
    rows = f"{WORK}/rows-{RENDER_ROWS}.csv"
    engines = {
        "Megaphone": [RENDER_BENCH, "megaphone", WORK, rows],
        "Megaphone (| upper filter)": [RENDER_BENCH, "megaphone-filters", WORK, rows],
        "Jinja2 (compiled)": [PY, f"{ROOT}/bench/peers/render_python.py", "jinja2", WORK, rows],
        "chevron": [PY, f"{ROOT}/bench/peers/render_python.py", "chevron", WORK, rows],
        "swift-mustache": [RENDER_BENCH, "swift-mustache", WORK, rows],
        "Stencil": [RENDER_BENCH, "stencil", WORK, rows],
    }
    digests = {name: sha(cmd) for name, cmd in engines.items()}
    reference = digests["Megaphone"]
    for name, digest in digests.items():
        status = "identical" if digest == reference else "DIFFERENT"
        print(f"  output of {name}: {status} ({digest[:12]})", file=sys.stderr)
    for peer in ["Jinja2 (compiled)", "chevron", "swift-mustache", "Stencil"]:
        mine, theirs = alternate("Megaphone", engines["Megaphone"], peer, engines[peer], RENDER_ROWS)
        record(f"template render, {RENDER_ROWS:,} letters (letters/s)", mine, peer + ("" if digests[peer] == reference else " [output differs]"), theirs, "/s")
    mine, theirs = alternate("Megaphone", engines["Megaphone"], "filters", engines["Megaphone (| upper filter)"], RENDER_ROWS)
    record(f"template render, {RENDER_ROWS:,} letters (letters/s)", mine, "Megaphone with | upper", theirs, "/s")


def mbox_benchmarks():
    tmp = tempfile.mkdtemp(prefix="megaphone-bench-")
    try:
        mine = []
        for _ in range(RUNS):
            mine.append(MBOX_ROWS / run([MEGAPHONE, "render", f"{WORK}/campaign-{MBOX_ROWS}.json", "--mbox", f"{tmp}/out.mbox"]))
            theirs_once = MAILMERGE_ROWS / run(["mailmerge", "--dry-run", "--no-limit", "--output-format", "raw",
                                                "--template", f"{WORK}/mailmerge_template.txt",
                                                "--database", f"{WORK}/rows-{MAILMERGE_ROWS}.csv",
                                                "--config", f"{WORK}/mailmerge_server.conf"])
            results_mm.append(theirs_once)
        record(f"whole campaign to mbox (messages/s; mailmerge on {MAILMERGE_ROWS:,})", mine, "mailmerge --dry-run", results_mm, "/s")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


results_mm = []


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Sink:
    """Postfix's smtp-sink on loopback, dumping each transaction to a file to count them."""

    def __init__(self):
        self.port = free_port()
        self.dir = tempfile.mkdtemp(prefix="megaphone-sink-")
        os.chmod(self.dir, 0o777)
        self.process = subprocess.Popen(["smtp-sink", "-u", "postfix", "-d", f"{self.dir}/%M.", f"127.0.0.1:{self.port}", "256"],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.05)

    def reset(self):
        for path in glob.glob(f"{self.dir}/*"):
            os.remove(path)

    def recipients(self):
        found = []
        for path in glob.glob(f"{self.dir}/*"):
            with open(path, "rb") as f:
                text = f.read().decode("utf-8", "replace")
            match = re.search(r"^To: .*?<?([^<>\s]+@[^<>\s]+)>?\s*$", text, re.M | re.I)
            found.append(match.group(1) if match else "?")
        return found

    def stop(self):
        self.process.send_signal(signal.SIGTERM)
        self.process.wait()
        shutil.rmtree(self.dir, ignore_errors=True)


def send_benchmarks():
    sink = Sink()
    tmp = tempfile.mkdtemp(prefix="megaphone-send-")
    campaign = f"{WORK}/campaign-{SEND_ROWS}.json"
    eml = f"{tmp}/eml"
    subprocess.run([MEGAPHONE, "render", campaign, "--out", eml], check=True, stderr=subprocess.DEVNULL)
    files = sorted(glob.glob(f"{eml}/*.eml"))
    with open(f"{tmp}/curl.conf", "w") as f:
        for index, path in enumerate(files):
            if index:
                f.write("next\n")
            f.write(f'url = "smtp://127.0.0.1:{sink.port}"\nmail-from = "campaign@example.org"\n'
                    f'mail-rcpt = "supporter{index}@example.org"\nupload-file = "{path}"\n')
    conf = f"{tmp}/mailmerge.conf"
    with open(conf, "w") as f:
        f.write(f"[smtp_server]\nhost = 127.0.0.1\nport = {sink.port}\nsecurity = Never\n")

    def megaphone(connections):
        return [MEGAPHONE, "send", campaign, "--smtp", f"smtp://127.0.0.1:{sink.port}", "--starttls", "never",
                "--connections", str(connections), "--log", f"{tmp}/send.jsonl", "--quiet"]

    def fresh(label):
        sink.reset()
        for path in glob.glob(f"{tmp}/send.jsonl"):
            os.remove(path)

    def check(label):
        got = sink.recipients()
        ok = len(got) == SEND_ROWS and len(set(got)) == SEND_ROWS
        print(f"  {label}: the sink received {len(got)} messages, {len(set(got))} distinct recipients: {'OK' if ok or 'smtp-source' in label else 'WRONG'}", file=sys.stderr)

    try:
        for connections in (1, 4):
            mine, theirs = [], []
            for _ in range(RUNS):
                fresh("megaphone")
                mine.append(SEND_ROWS / run(megaphone(connections)))
                check(f"megaphone send, {connections} connection(s)")
                fresh("smtp-source")
                theirs.append(SEND_ROWS / run(["smtp-source", "-s", str(connections), "-m", str(SEND_ROWS), "-l", "3000",
                                               "-f", "campaign@example.org", "-t", "sink@example.org", f"127.0.0.1:{sink.port}"]))
            record(f"send {SEND_ROWS:,} to smtp-sink, {connections} connection(s), log fsync'd (messages/s)", mine, "smtp-source", theirs, "/s")
        mine, theirs = [], []
        for _ in range(RUNS):
            fresh("megaphone")
            mine.append(SEND_ROWS / run(megaphone(1)))
            fresh("curl")
            theirs.append(SEND_ROWS / run(["curl", "-s", "-K", f"{tmp}/curl.conf"]))
            check("curl, one reused connection")
        record(f"send {SEND_ROWS:,}, 1 connection (messages/s)", mine, "curl (one reused connection)", theirs, "/s")
        if os.environ.get("BENCH_SKIP_MAILMERGE_SEND") != "1":
            mine, theirs = [], []
            for _ in range(RUNS):
                fresh("megaphone")
                mine.append(SEND_ROWS / run(megaphone(1)))
                fresh("mailmerge")
                theirs.append(SEND_ROWS / run(["mailmerge", "--no-dry-run", "--no-limit", "--template", f"{WORK}/mailmerge_template.txt",
                                               "--database", f"{WORK}/rows-{SEND_ROWS}.csv", "--config", conf]))
                check("mailmerge")
            record(f"send {SEND_ROWS:,}, 1 connection (messages/s)", mine, "mailmerge (a connection per message)", theirs, "/s")
    finally:
        sink.stop()
        shutil.rmtree(tmp, ignore_errors=True)


def peak_rss(cmd):
    out = subprocess.run(["/usr/bin/time", "-v"] + cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, check=True).stderr
    return int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", out).group(1)) / 1024


def memory_benchmarks():
    tmp = tempfile.mkdtemp(prefix="megaphone-mem-")
    try:
        for size in (10000, MEM_LARGE):
            rss = peak_rss([MEGAPHONE, "render", f"{WORK}/campaign-{size}.json", "--mbox", f"{tmp}/out.mbox"])
            results.append((f"peak RSS, render --mbox, {size:,} recipients (MB)", [rss], "", None, "MB"))
            print(f"  measured render RSS at {size}", file=sys.stderr, flush=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def table():
    print()
    print(f"Megaphone benchmark, {time.strftime('%Y-%m-%d')}, {os.uname().nodename}, {os.cpu_count()} cores; median of {RUNS} runs (min–max)")
    print()
    print(f"| figure | Megaphone | peer | peer's figure | ratio |")
    print(f"|---|---|---|---|---|")
    for figure, mine, peer, theirs, unit in results:
        if theirs is None:
            print(f"| {figure} | {statistics.median(mine):,.1f} | | | |")
            continue
        ratio = statistics.median(mine) / statistics.median(theirs)
        print(f"| {figure} | {fmt(mine)} | {peer} | {fmt(theirs)} | {ratio:.2f}× |")


if __name__ == "__main__":
    parts = sys.argv[1:] or ["render", "mbox", "send", "memory"]
    failures = []
    for name, function in [("render", render_benchmarks), ("mbox", mbox_benchmarks), ("send", send_benchmarks), ("memory", memory_benchmarks)]:
        if name in parts:
            try:
                function()
            except Exception as error:  # report, and still print what was measured
                failures.append(f"{name}: {error}")
    table()
    for failure in failures:
        print(f"FAILED {failure}")
    sys.exit(1 if failures else 0)
