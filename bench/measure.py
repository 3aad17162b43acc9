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
import json
import urllib.request

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
MEM_SEND = int(os.environ.get("BENCH_MEM_SEND_ROWS", str(MEM_LARGE)))

results = []


def run(cmd, stdout=subprocess.DEVNULL, env=None, cwd=None):
    start = time.perf_counter()
    subprocess.run(cmd, stdout=stdout, stderr=subprocess.DEVNULL, check=True, env=env, cwd=cwd)
    return time.perf_counter() - start


def render_loop_seconds(cmd):
    """Runs a render harness; returns the seconds its render loop took, as it reports
    them (process start, loading the CSV and compiling the template are left out:
    they are not template rendering, and interpreter start-up would flatter the ratio)."""
    out = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, check=True).stderr
    return float(re.search(r"render-seconds ([0-9.]+)", out).group(1))


def alternate(name_a, cmd_a, name_b, cmd_b, count):
    """Times A's and B's render loops alternately; returns the rates (items/s) of each run."""
    a, b = [], []
    for _ in range(RUNS):
        for cmd, out in ((cmd_a, a), (cmd_b, b)):
            out.append(count / render_loop_seconds(cmd))
    return a, b


def record(figure, mine, peer_name, theirs, unit, target=None):
    """target: (text, test on the ratio and Megaphone's median), or None for a figure shown for context."""
    results.append((figure, mine, peer_name, theirs, unit, target))
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
    # mailmerge renders about a thousand messages a second: it runs on MAILMERGE_ROWS
    # rows of the same generated list (the rate, not the total, is compared).
    tmp = tempfile.mkdtemp(prefix="megaphone-bench-")
    try:
        mine, theirs = [], []
        for _ in range(RUNS):
            mine.append(MBOX_ROWS / run([MEGAPHONE, "render", f"{WORK}/campaign-{MBOX_ROWS}.json", "--mbox", f"{tmp}/out.mbox"]))
            theirs.append(MAILMERGE_ROWS / run(["mailmerge", "--dry-run", "--no-limit", "--output-format", "raw",
                                                "--template", f"{WORK}/mailmerge_template.txt",
                                                "--database", f"{WORK}/rows-{MAILMERGE_ROWS}.csv",
                                                "--config", f"{WORK}/mailmerge_server.conf"]))
        record(f"render --mbox, {MBOX_ROWS:,} letters, whole process (messages/s; mailmerge on {MAILMERGE_ROWS:,})", mine,
               "mailmerge --dry-run, whole process", theirs, "/s", ("≥ 30×", lambda ratio, _: ratio >= 30))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Sink:
    """Postfix's smtp-sink on loopback. Timed runs count deliveries with its -c
    counter (dumping messages would slow the sink itself); `verify` runs a client
    once more against a second sink that dumps every transaction (-D), to check
    that each recipient got exactly one message."""

    def __init__(self, dump=False):
        self.port = free_port()
        self.dir = tempfile.mkdtemp(prefix="megaphone-sink-")
        os.chmod(self.dir, 0o777)
        self.counter = f"{self.dir}/counter"
        self.dump = f"{self.dir}/dump" if dump else None
        args = ["smtp-sink", "-u", "postfix"] + (["-D", self.dump] if dump else ["-c"]) + [f"127.0.0.1:{self.port}", "256"]
        self.output = open(self.counter, "wb")
        self.process = subprocess.Popen(args, stdout=self.output, stderr=subprocess.DEVNULL)
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.05)
        self.seen = 0

    def delivered(self):
        """Messages received since the last call (the counter's mesg= figure)."""
        time.sleep(0.2)   # the counter is written when a session ends
        with open(self.counter, "rb") as f:
            text = f.read().decode("ascii", "replace")
        counts = re.findall(r"mesg=(\d+)", text)
        total = int(counts[-1]) if counts else 0
        new, self.seen = total - self.seen, total
        return new

    def recipients(self):
        """Envelope recipients of every dumped transaction, and the dump emptied."""
        found = []
        if self.dump and os.path.exists(self.dump):
            with open(self.dump, "rb") as f:
                for line in f:
                    if line.startswith(b"X-Rcpt-Args: "):
                        found.append(line[13:].strip().strip(b"<>").lower())
            os.remove(self.dump)
        return found

    def stop(self):
        self.process.send_signal(signal.SIGTERM)
        self.process.wait()
        self.output.close()
        shutil.rmtree(self.dir, ignore_errors=True)


def fsync_latency(folder, count=2000):
    """Seconds an append of one send-log-sized line plus fsync takes on `folder`'s disk
    (the median of `count`), as the send log does for each attempt."""
    path = os.path.join(folder, "fsync-probe.jsonl")
    line = (b'{"time":"2026-12-02T00:00:00.000Z","campaign":"bench","state":"attempt","key":"supporter1@example.org",'
            b'"number":1,"message_id":"megaphone.0123456789abcdef@example.org","recipients":["supporter1@example.org"],'
            b'"hash":"' + b"0" * 64 + b'","attempt":1}\n')
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    times = []
    try:
        for _ in range(count):
            start = time.perf_counter()
            os.write(fd, line)
            os.fsync(fd)
            times.append(time.perf_counter() - start)
    finally:
        os.close(fd)
        os.remove(path)
    return statistics.median(times)


def send_benchmarks():
    sink = Sink()
    dump_sink = Sink(dump=True)
    tmp = tempfile.mkdtemp(prefix="megaphone-send-")
    campaign = f"{WORK}/campaign-{SEND_ROWS}.json"
    eml = f"{tmp}/eml"
    subprocess.run([MEGAPHONE, "render", campaign, "--out", eml], check=True, stderr=subprocess.DEVNULL)
    files = sorted(glob.glob(f"{eml}/*.eml"))
    message_size = sum(os.path.getsize(path) for path in files) // max(len(files), 1)

    def curl_config(port):
        path = f"{tmp}/curl-{port}.conf"
        with open(path, "w") as f:
            for index, file in enumerate(files):
                if index:
                    f.write("next\n")
                f.write(f'url = "smtp://127.0.0.1:{port}"\nmail-from = "campaign@example.org"\n'
                        f'mail-rcpt = "supporter{index}@example.org"\nupload-file = "{file}"\n')
        return path

    def mailmerge_config(port):
        path = f"{tmp}/mailmerge-{port}.conf"
        with open(path, "w") as f:
            f.write(f"[smtp_server]\nhost = 127.0.0.1\nport = {port}\nsecurity = Never\n")
        return path

    def megaphone(port, connections):
        return [MEGAPHONE, "send", campaign, "--smtp", f"smtp://127.0.0.1:{port}", "--starttls", "never",
                "--connections", str(connections), "--log", f"{tmp}/send.jsonl", "--quiet"]

    def source(port, connections):
        # -d: one connection reused for many messages, as the other clients do.
        return ["smtp-source", "-d", "-s", str(connections), "-m", str(SEND_ROWS), "-l", str(message_size),
                "-f", "campaign@example.org", "-t", "sink@example.org", f"127.0.0.1:{port}"]

    def curl(port):
        return ["curl", "-s", "-K", curl_config(port)]

    def mailmerge(port):
        return ["mailmerge", "--no-dry-run", "--no-limit", "--template", f"{WORK}/mailmerge_template.txt",
                "--database", f"{WORK}/rows-{SEND_ROWS}.csv", "--config", mailmerge_config(port)]

    def fresh():
        for path in glob.glob(f"{tmp}/send.jsonl"):
            os.remove(path)

    def timed(label, cmd):
        fresh()
        rate = SEND_ROWS / run(cmd)
        got = sink.delivered()
        if got != SEND_ROWS:
            raise RuntimeError(f"{label}: the sink counted {got} messages, not {SEND_ROWS}")
        return rate

    def verify(label, cmd):
        fresh()
        run(cmd)
        got = dump_sink.recipients()
        ok = len(got) == SEND_ROWS and len(set(got)) == SEND_ROWS
        print(f"  {label}: the dumping sink received {len(got)} messages for {len(set(got))} distinct recipients: "
              f"{'each exactly once' if ok else 'WRONG'}", file=sys.stderr)
        if not ok:
            raise RuntimeError(f"{label} did not deliver each message exactly once")

    try:
        for connections in (1, 4):
            verify(f"megaphone send, {connections} connection(s)", megaphone(dump_sink.port, connections))
        verify("curl", curl(dump_sink.port))
        if os.environ.get("BENCH_SKIP_MAILMERGE_SEND") != "1":
            verify("mailmerge", mailmerge(dump_sink.port))
        latencies = []
        for connections in (1, 4):
            mine, theirs, bounds = [], [], []
            for _ in range(RUNS):
                mine.append(timed("megaphone", megaphone(sink.port, connections)))
                theirs.append(timed("smtp-source", source(sink.port, connections)))
                latency = fsync_latency(tmp)
                latencies.append(latency)
                # The journaled bound: no client that makes each attempt durable before its
                # final dot can beat the sink's ceiling, nor one fsync per message per connection.
                bounds.append(min(theirs[-1], connections / latency))
            record(f"send {SEND_ROWS:,} to smtp-sink, {connections} connection(s), log fsync'd, whole process (messages/s)", mine,
                   "smtp-source -d (the sink's ceiling)", theirs, "/s")
            record(f"send {SEND_ROWS:,} to smtp-sink, {connections} connection(s), log fsync'd, whole process (messages/s)", mine,
                   f"journaled bound: min(smtp-source, {connections} ÷ fsync latency)", bounds, "/s", ("≥ 0.8×", lambda ratio, _: ratio >= 0.8))
        extra.append(f"Append + fsync of a send-log line on the log's disk: median {statistics.median(latencies) * 1e6:,.0f} µs "
                     f"(runs {min(latencies) * 1e6:,.0f}–{max(latencies) * 1e6:,.0f} µs), so one connection's ceiling is "
                     f"{1 / statistics.median(latencies):,.0f} messages/s.")
        mine, theirs = [], []
        for _ in range(RUNS):
            mine.append(timed("megaphone", megaphone(sink.port, 1)))
            theirs.append(timed("curl", curl(sink.port)))
        record(f"send {SEND_ROWS:,}, 1 connection (messages/s)", mine, "curl (one reused connection)", theirs, "/s")
        if os.environ.get("BENCH_SKIP_MAILMERGE_SEND") != "1":
            mine, theirs = [], []
            for _ in range(RUNS):
                mine.append(timed("megaphone", megaphone(sink.port, 4)))
                theirs.append(timed("mailmerge", mailmerge(sink.port)))
            record(f"send {SEND_ROWS:,}, 4 connections, whole process (messages/s)", mine, "mailmerge (a connection per message)", theirs, "/s",
                   ("≥ 5×", lambda ratio, _: ratio >= 5))
    finally:
        sink.stop()
        dump_sink.stop()
        shutil.rmtree(tmp, ignore_errors=True)


def peak_rss(cmd):
    out = subprocess.run(["/usr/bin/time", "-v"] + cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, check=True).stderr
    return int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", out).group(1)) / 1024


def memory_benchmarks():
    """Peak RSS at 10,000 and at MEM_LARGE recipients; the ratio column is large/small
    (target: at most 1.5, and the large figure under 100 MB)."""
    tmp = tempfile.mkdtemp(prefix="megaphone-mem-")
    sink = Sink()
    try:
        render = {size: peak_rss([MEGAPHONE, "render", f"{WORK}/campaign-{size}.json", "--mbox", f"{tmp}/out.mbox"])
                  for size in (10000, MEM_LARGE)}
        rss_target = ("≤ 1.5× and < 100 MB", lambda ratio, mine: ratio <= 1.5 and mine < 100)
        record(f"peak RSS, render --mbox, {MEM_LARGE:,} recipients (MB)", [render[MEM_LARGE]],
               "Megaphone at 10,000 recipients", [render[10000]], "MB", rss_target)
        send = {}
        for size in (10000, MEM_SEND):
            send[size] = peak_rss([MEGAPHONE, "send", f"{WORK}/campaign-{size}.json", "--smtp", f"smtp://127.0.0.1:{sink.port}",
                                   "--starttls", "never", "--connections", "4", "--log", f"{tmp}/send-{size}.jsonl", "--quiet"])
            got = sink.delivered()
            if got != size:
                raise RuntimeError(f"send of {size} for the memory figure: the sink counted {got}")
        record(f"peak RSS, send to smtp-sink, {MEM_SEND:,} recipients (MB)", [send[MEM_SEND]],
               "Megaphone at 10,000 recipients", [send[10000]], "MB", rss_target)
    finally:
        sink.stop()
        shutil.rmtree(tmp, ignore_errors=True)


STORE_BENCH = os.path.join(ROOT, ".build", "release", "store-bench")
SIGN_SECONDS = int(os.environ.get("BENCH_SIGN_SECONDS", "8"))
extra = []


def wrk(args):
    return subprocess.run(["wrk"] + args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, check=True).stdout


def wrk_rate(output):
    return float(re.search(r"Requests/sec:\s+([0-9.]+)", output).group(1))


def outbox_count(folder):
    """Messages delivered into an outbox Maildir (new/)."""
    try:
        return len(os.listdir(os.path.join(folder, "new")))
    except FileNotFoundError:
        return 0


def sign_benchmarks():
    """Signing through the built server: sustained POST /NAME/sign (each with a
    fresh csrf token and address; every 303 is sent after its transaction is on
    disk), against the two ceilings it sits under, measured in the same run: the
    same server answering a trivial POST, and the store inserting rows with the
    same durability (bench/store-bench: group commit, WAL, synchronous=FULL)."""
    tmp = tempfile.mkdtemp(prefix="megaphone-sign-bench-")
    try:
        os.makedirs(os.path.join(tmp, "data"))
        with open(os.path.join(tmp, "t.txt"), "w") as f:
            f.write("Subject: Petition\n\nTo {{recipient.name}}:\n{{#signers}}\n{{name}}, {{city}}\n{{/signers}}\n")
        with open(os.path.join(tmp, "r.csv"), "w") as f:
            f.write("name,email\nMinistry,ministry@example.org\n")
        with open(os.path.join(tmp, "petition.json"), "w") as f:
            json.dump({"name": "petition", "sender": {"name": "Campaign", "address": "campaign@example.org"},
                       "template": "t.txt", "recipients": "r.csv", "signers": {"store": "data/s.sqlite"}, "mode": "joint",
                       "page": {"title": "Sign", "fields": ["name", "email", "organisation", "city"]}}, f)
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        log = open(os.path.join(tmp, "serve.log"), "w")
        server = subprocess.Popen([MEGAPHONE, "serve", "petition.json", "--listen", f"127.0.0.1:{port}", "--per-ip", "0",
                                   "--outbox", os.path.join(tmp, "outbox")], cwd=tmp, stdout=subprocess.DEVNULL, stderr=log)
        try:
            for _ in range(100):
                try:
                    urllib.request.urlopen(base + "/healthz").read()
                    break
                except Exception:
                    time.sleep(0.1)
            signs, posts, counts, p50s, p99s, mails, behind = [], [], [], [], [], [], []
            acked_total = 0
            for run_index in range(RUNS):
                posts.append(wrk_rate(wrk(["-t2", "-c64", f"-d{SIGN_SECONDS}s", "-s", os.path.join(ROOT, "bench", "post.lua"), base + "/healthz"])))
                prefix = os.path.join(tmp, f"tokens{run_index}")
                wrk(["-t2", "-c16", f"-d{SIGN_SECONDS + 4}s", "-s", os.path.join(ROOT, "bench", "tokens.lua"), base + "/petition", "--", prefix])
                handed_before = outbox_count(os.path.join(tmp, "outbox"))
                out = wrk(["-t2", "-c64", f"-d{SIGN_SECONDS}s", "-s", os.path.join(ROOT, "bench", "sign.lua"), base, "--", prefix, "/petition/sign", str(run_index)])
                handed = outbox_count(os.path.join(tmp, "outbox")) - handed_before
                m = re.search(r"acked (\d+) other (\d+) seconds ([0-9.]+) p50-ms ([0-9.]+) p99-ms ([0-9.]+)", out)
                acked, other, seconds = int(m.group(1)), int(m.group(2)), float(m.group(3))
                if other:
                    raise RuntimeError(f"{other} signing requests were not answered 303 (tokens ran out, or errors): {out}")
                acked_total += acked
                signs.append(acked / seconds)
                mails.append(handed / seconds)
                # What the signing left queued, and how long the signer mail takes to catch up.
                caught_up = time.time()
                while outbox_count(os.path.join(tmp, "outbox")) < acked_total and time.time() - caught_up < 120:
                    time.sleep(0.2)
                behind.append((acked_total - handed_before - handed, time.time() - caught_up))
                p50s.append(float(m.group(4)))
                p99s.append(float(m.group(5)))
                counts.append(wrk_rate(wrk(["-t2", "-c64", f"-d{SIGN_SECONDS}s", base + "/petition/count.json"])))
        finally:
            server.terminate()
            server.wait()
        stored = subprocess.run([MEGAPHONE, "signatures", "petition.json", "--state", "pending", "--json"], cwd=tmp,
                                stdout=subprocess.PIPE, text=True, check=True).stdout.count("\n")
        if stored < acked_total:
            raise RuntimeError(f"{acked_total} signatures were acknowledged but only {stored} are in the store")
        stores = []
        for run_index in range(RUNS):
            path = os.path.join(tmp, f"ceiling{run_index}.sqlite")
            out = subprocess.run([STORE_BENCH, path, str(max(5000, int(statistics.median(signs) * SIGN_SECONDS))), "64"],
                                 stdout=subprocess.PIPE, text=True, check=True).stdout
            stores.append(float(re.search(r"rows-per-second ([0-9.]+)", out).group(1)))
        record("signing: acknowledged POST /NAME/sign per s (64 connections)", signs, "same server, trivial POST", posts, "/s")
        record("signing: acknowledged POST /NAME/sign per s", signs, "store inserts, same durability (64 callers)", stores, "/s")
        record("GET /NAME/count.json per s", counts, "same server, trivial POST", posts, "/s")
        record("confirmation mails handed over per s while signing at full speed", mails, "signatures acknowledged per s, same run", signs, "/s",
               # Each mail follows its signature by milliseconds, so over the same window the
               # mail rate can at most equal the signing rate: 1% is left for those in flight
               # when wrk stops (the line below says how many, and how soon they went).
               target=("≥ 0.99× (keeps up)", lambda ratio, mine: ratio >= 0.99))
        # Below zero: the store holds a few signatures whose 303 came after wrk stopped counting.
        extra.append("Confirmation mail while signing: " + "; ".join(
            (f"{left:,} queued when signing stopped, all handed over {wait:.1f} s later" if left > 0 else "none queued when signing stopped")
            for left, wait in behind) + ".")
        extra.append(f"Signing latency (wrk, 64 connections): p50 {statistics.median(p50s):.1f} ms, p99 {statistics.median(p99s):.1f} ms "
                     f"(runs' p99 {min(p99s):.1f}–{max(p99s):.1f} ms); {acked_total:,} signatures acknowledged, {stored:,} in the store.")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


SCALE_SMALL = int(os.environ.get("BENCH_SCALE_SMALL", "10000"))
SCALE_LARGE = int(os.environ.get("BENCH_SCALE_LARGE", "1000000"))
SCALE_SECONDS = int(os.environ.get("BENCH_SCALE_SECONDS", "6"))
SCALE_RUNS = int(os.environ.get("BENCH_SCALE_RUNS", "3"))


def signatures_csv(path, count):
    """COUNT distinct signers written with letters (the import checks names as the form does)."""
    syllables = ["ka", "ra", "to", "be", "li", "sa", "mu", "ne", "ri", "do"]
    def word(number, length=4):
        text = ""
        for _ in range(length):
            text += syllables[number % 10]
            number //= 10
        return text.capitalize()
    countries = ["Kazakhstan", "United Kingdom", "Germany", "France", "Poland"]
    with open(path, "w") as f:
        f.write("name,email,organisation,city,country\n")
        for number in range(count):
            f.write(f"{word(number)} {word(number // 10000 + 7, 3)},s{number}@example.org,Union {word(number % 97, 2)},"
                    f"{word(number % 300, 3)},{countries[number % 5]}\n")


def rss_mb(pid):
    with open(f"/proc/{pid}/status") as f:
        return int(re.search(r"VmRSS:\s+(\d+)", f.read()).group(1)) / 1024


def wrk_latency_ms(output, percentile):
    m = re.search(rf"^\s+{percentile}%\s+([0-9.]+)(us|ms|s)\s*$", output, re.M)
    if not m:
        return float("nan")
    value, unit = float(m.group(1)), m.group(2)
    return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value


def scale_benchmarks():
    """The same petition with SCALE_SMALL and with SCALE_LARGE confirmed signatures
    (made by `signatures --import`, the path organisers use): the ratio column is
    large/small, and a campaign's worst day should be the day it succeeds."""
    tmp = tempfile.mkdtemp(prefix="megaphone-scale-")
    try:
        with open(os.path.join(tmp, "t.txt"), "w") as f:
            f.write("Subject: Petition\n\nTo {{recipient.name}}:\n\nWe, the undersigned:\n{{#signers}}\n{{@number}}. {{name | upper}}, {{organisation}}, {{city}}\n{{/signers}}\n")
        with open(os.path.join(tmp, "r.csv"), "w") as f:
            f.write("name,email\nMinistry,ministry@example.org\nBoard,board@example.org\n")
        figures = {}
        for size in (SCALE_SMALL, SCALE_LARGE):
            folder = os.path.join(tmp, str(size))
            os.makedirs(os.path.join(folder, "data"))
            with open(os.path.join(folder, "petition.json"), "w") as f:
                json.dump({"name": "petition", "sender": {"name": "Campaign", "address": "campaign@example.org"},
                           "template": "../t.txt", "recipients": "../r.csv", "signers": {"store": "data/s.sqlite"}, "mode": "joint",
                           "page": {"title": "Sign", "fields": ["name", "email", "organisation", "city", "country"]}}, f)
            csv_path = os.path.join(tmp, f"signers-{size}.csv")
            signatures_csv(csv_path, size)
            seconds = run([MEGAPHONE, "signatures", "petition.json", "--import", csv_path], cwd=folder)
            figures[(size, "import")] = [seconds]
            os.remove(csv_path)
            figures[(size, "serve")] = serve_figures(folder)
            for name, args in (("csv", ["signatures", "petition.json", "--csv"]), ("json", ["signatures", "petition.json", "--json"]),
                               ("check", ["check", "petition.json"]), ("render", ["render", "petition.json", "--out", os.path.join(folder, "out")])):
                start = time.perf_counter()
                peak = peak_rss_in([MEGAPHONE] + args, folder)
                figures[(size, name)] = (time.perf_counter() - start, peak)
            shutil.rmtree(folder, ignore_errors=True)
        small, large = SCALE_SMALL, SCALE_LARGE
        at = f"at {small:,}"
        big = f"{large:,} signatures"
        flat = ("≤ 1.2×", lambda ratio, _: ratio <= 1.2)
        fast = ("≥ 0.9×", lambda ratio, _: ratio >= 0.9)
        s_small, s_large = figures[(small, "serve")], figures[(large, "serve")]
        record(f"serve start-up, {big} (s)", [s_large["startup"]], at, [s_small["startup"]], "s", flat)
        record(f"serve idle memory, {big} (MB)", [s_large["idle"]], at, [s_small["idle"]], "MB", flat)
        record(f"petition page per s, {big} (wrk, 64 connections)", s_large["page"], at, s_small["page"], "/s", fast)
        record(f"count.json per s, {big}", s_large["count"], at, s_small["count"], "/s", fast)
        record(f"signing per s, {big} (64 connections)", s_large["sign"], at, s_small["sign"], "/s", fast)
        record(f"signing p99, {big} (ms)", s_large["p99"], at, s_small["p99"], "ms", ("< 100 ms", lambda _, mine: mine < 100))
        record(f"/healthz per s while pages and signing run flat out, {big}", s_large["health"], at, s_small["health"], "/s",
               ("never starved (≥ 0.5×)", lambda ratio, mine: mine > 0 and ratio >= 0.5))
        for name, label in (("csv", "signatures --csv"), ("json", "signatures --json"), ("check", "check of the joint petition"),
                            ("render", "render of the joint petition")):
            (t_small, m_small), (t_large, m_large) = figures[(small, name)], figures[(large, name)]
            record(f"{label}, {big}: time (s)", [t_large], at, [t_small], "s")
            record(f"{label}, {big}: peak memory (MB)", [m_large], at, [m_small], "MB", ("≤ 100 MB", lambda _, mine: mine <= 100))
        json_time, csv_time = figures[(large, "json")][0], figures[(large, "csv")][0]
        record(f"signatures --json vs --csv time, {big} (s)", [json_time], "--csv", [csv_time], "s", ("≤ 2×", lambda ratio, _: ratio <= 2))
        record(f"signatures --import of {large:,} rows (s)", figures[(large, "import")], f"{small:,} rows", figures[(small, "import")], "s",
               ("< 60 s", lambda _, mine: mine < 60))
        for key in ("health_p99",):
            extra.append(f"/healthz p99 under mixed load: {statistics.median(s_large[key]):.1f} ms at {big}, {statistics.median(s_small[key]):.1f} ms {at}.")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def peak_rss_in(cmd, cwd):
    out = subprocess.run(["/usr/bin/time", "-v"] + cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, cwd=cwd).stderr
    return int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", out).group(1)) / 1024


def serve_figures(folder):
    """Start-up, idle memory, page and count.json rates, signing rate and p99, and
    /healthz while pages are read and signatures arrive at once."""
    result = {"page": [], "count": [], "sign": [], "p99": [], "health": [], "health_p99": []}
    # Start-up: the median of 5 starts, each until /healthz answers (polled every 5 ms).
    starts = []
    for attempt in range(5):
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        start = time.perf_counter()
        server = subprocess.Popen([MEGAPHONE, "serve", "petition.json", "--listen", f"127.0.0.1:{port}", "--per-ip", "0",
                                   "--outbox", os.path.join(folder, "outbox")], cwd=folder, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(6000):
            try:
                urllib.request.urlopen(base + "/healthz").read()
                break
            except Exception:
                time.sleep(0.005)
        starts.append(time.perf_counter() - start)
        if attempt < 4:
            server.terminate()
            server.wait()
    result["startup"] = statistics.median(starts)
    try:
        urllib.request.urlopen(base + "/petition").read()
        time.sleep(1)
        result["idle"] = rss_mb(server.pid)
        for run_index in range(SCALE_RUNS):
            result["page"].append(wrk_rate(wrk(["-t2", "-c64", f"-d{SCALE_SECONDS}s", base + "/petition"])))
            result["count"].append(wrk_rate(wrk(["-t2", "-c64", f"-d{SCALE_SECONDS}s", base + "/petition/count.json"])))
            prefix = os.path.join(folder, f"tokens{run_index}")
            wrk(["-t2", "-c16", f"-d{SCALE_SECONDS * 2 + 4}s", "-s", os.path.join(ROOT, "bench", "tokens.lua"), base + "/petition", "--", prefix])
            out = wrk(["-t2", "-c64", f"-d{SCALE_SECONDS}s", "-s", os.path.join(ROOT, "bench", "sign.lua"), base, "--", prefix, "/petition/sign", f"a{run_index}"])
            m = re.search(r"acked (\d+) other (\d+) seconds ([0-9.]+) p50-ms ([0-9.]+) p99-ms ([0-9.]+)", out)
            result["sign"].append(int(m.group(1)) / float(m.group(3)))
            result["p99"].append(float(m.group(5)))
            # Everything at once: readers of the page, signers, and a load balancer's health check.
            prefix2 = os.path.join(folder, f"mixed{run_index}")
            wrk(["-t2", "-c16", f"-d{SCALE_SECONDS + 4}s", "-s", os.path.join(ROOT, "bench", "tokens.lua"), base + "/petition", "--", prefix2])
            loads = [subprocess.Popen(["wrk", "-t1", "-c48", f"-d{SCALE_SECONDS}s", base + "/petition"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL),
                     subprocess.Popen(["wrk", "-t1", "-c32", f"-d{SCALE_SECONDS}s", "-s", os.path.join(ROOT, "bench", "sign.lua"), base, "--",
                                       prefix2, "/petition/sign", f"m{run_index}"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)]
            health = wrk(["-t1", "-c2", f"-d{SCALE_SECONDS}s", "--latency", base + "/healthz"])
            for load in loads:
                load.wait()
            result["health"].append(wrk_rate(health))
            result["health_p99"].append(wrk_latency_ms(health, 99))
    finally:
        server.terminate()
        server.wait()
    return result


def table():
    print()
    print(f"Megaphone benchmark, {time.strftime('%Y-%m-%d')}, {os.uname().nodename}, {os.cpu_count()} cores; median of {RUNS} runs (min–max)")
    print()
    print(f"| figure | Megaphone | peer | peer's figure | ratio | target | met |")
    print(f"|---|---|---|---|---|---|---|")
    for figure, mine, peer, theirs, unit, target in results:
        figure, peer = figure.replace("|", "\\|"), peer.replace("|", "\\|")
        ratio = statistics.median(mine) / statistics.median(theirs)
        goal, met = (target[0], "yes" if target[1](ratio, statistics.median(mine)) else "**no**") if target else ("", "")
        if unit in ("MB", "s", "ms") and len(mine) == 1 and len(theirs) == 1:
            print(f"| {figure} | {mine[0]:,.2f} | {peer} | {theirs[0]:,.2f} | {ratio:.2f}× | {goal} | {met} |")
        else:
            print(f"| {figure} | {fmt(mine)} | {peer} | {fmt(theirs)} | {ratio:.2f}× | {goal} | {met} |")


if __name__ == "__main__":
    parts = sys.argv[1:] or ["render", "mbox", "send", "memory", "sign", "scale"]
    failures = []
    for name, function in [("render", render_benchmarks), ("mbox", mbox_benchmarks), ("send", send_benchmarks), ("memory", memory_benchmarks), ("sign", sign_benchmarks),
                           ("scale", scale_benchmarks)]:
        if name in parts:
            try:
                function()
            except Exception as error:  # report, and still print what was measured
                failures.append(f"{name}: {error}")
    table()
    for line in extra:
        print(line)
    for failure in failures:
        print(f"FAILED {failure}")
    sys.exit(1 if failures else 0)
