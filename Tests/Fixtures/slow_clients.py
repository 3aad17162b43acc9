#!/usr/bin/env python3
"""Holds idle and slow connections open to a running `megaphone serve` and reports,
as one JSON object, what the server did with each.

Usage: slow_clients.py PORT SOURCE KIND=COUNT... [--normal ADDRESS] [--wait SECONDS]

SOURCE is the loopback address the connections come from (127.0.0.3, say). Kinds:
  nothing     connects and sends nothing
  half-line   sends half a request line ("GET /heal")
  drip-head   sends a request line, then one header byte a second
  slow-body   sends a POST head with Content-Length: 100, then one body byte a second
  idle        sends GET /healthz, reads the answer, then sends nothing more
Connections are opened in that order, all of them before any is watched. Then, with
--normal, one GET /healthz from ADDRESS is timed. Each connection's report: its kind,
the status line of each answer it received, and the seconds from a moment before the
server's timeout for it began (its connecting; for `slow-body` and `idle`, sending
its head) until the server closed it (null if still open after --wait seconds,
default 40).
"""
import json
import socket
import sys
import threading
import time

port = int(sys.argv[1])
source = sys.argv[2]
kinds = []
normal = None
wait = 40.0
args = sys.argv[3:]
while args:
    arg = args.pop(0)
    if arg == "--normal":
        normal = args.pop(0)
    elif arg == "--wait":
        wait = float(args.pop(0))
    else:
        kind, count = arg.split("=")
        kinds += [kind] * int(count)


def connect(address):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.bind((address, 0))
    s.settimeout(10)
    s.connect(("127.0.0.1", port))
    return s


def statuses(data):
    return [line.decode("latin-1") for line in data.split(b"\r\n") if line.startswith(b"HTTP/1.1 ")]


def watch(s, opened, kind, report):
    """Feeds the connection as its kind says until the server closes it."""
    data = b""
    start = opened
    deadline = time.monotonic() + wait
    try:
        if kind == "half-line":
            s.sendall(b"GET /heal")
        elif kind == "drip-head":
            s.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        elif kind == "slow-body":
            start = time.monotonic()
            s.sendall(b"POST /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\n")
        elif kind == "idle":
            start = time.monotonic()
            s.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            while b"ok\n" not in data and b"HTTP/1.1 503" not in data:
                chunk = s.recv(4096)
                if not chunk:
                    break
                data += chunk
        s.settimeout(1)
        while time.monotonic() < deadline:
            try:
                chunk = s.recv(4096)
                if not chunk:
                    break
                data += chunk
            except socket.timeout:
                if kind == "drip-head":
                    s.sendall(b"X")
                elif kind == "slow-body":
                    s.sendall(b"a")
                continue
        else:
            report.update(kind=kind, statuses=statuses(data), text=data.decode("utf-8", "replace"), closed_after=None)
            return
    except (ConnectionResetError, BrokenPipeError):
        pass
    report.update(kind=kind, statuses=statuses(data), text=data.decode("utf-8", "replace"), closed_after=round(time.monotonic() - start, 2))


opened = []
for _ in kinds:
    at = time.monotonic()
    opened.append((connect(source), at))
reports = [dict() for _ in kinds]
threads = [threading.Thread(target=watch, args=(s, at, k, r)) for (s, at), k, r in zip(opened, kinds, reports)]
for t in threads:
    t.start()

result = {}
if normal:
    time.sleep(1)
    began = time.monotonic()
    try:
        s = connect(normal)
        s.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        answer = b""
        while True:
            chunk = s.recv(4096)
            if not chunk:
                break
            answer += chunk
        result["normal"] = {"statuses": statuses(answer), "text": answer.decode("utf-8", "replace"), "seconds": round(time.monotonic() - began, 2)}
    except OSError as error:
        result["normal"] = {"statuses": [], "text": str(error), "seconds": round(time.monotonic() - began, 2)}

for t in threads:
    t.join()
result["connections"] = reports
print(json.dumps(result))
