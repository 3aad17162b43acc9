#!/usr/bin/env python3
"""Posts signatures to a running `megaphone serve`, several at a time.

Usage: serve_load.py BASE CAMPAIGN COUNT THREADS ACKED_FILE

Each signature first GETs the page for a fresh csrf token, then POSTs the form.
Every address whose POST was answered 303 is appended to ACKED_FILE at once
(flushed), so the file stays true when the server is killed mid-run.
"""
import http.client
import re
import sys
import threading
import urllib.parse

base, campaign, count, threads, acked_path = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
host, port = urllib.parse.urlsplit(base).hostname, urllib.parse.urlsplit(base).port
lock = threading.Lock()
acked = open(acked_path, "a", buffering=1)
next_index = [0]


def letters(n):
    out = ""
    n += 1
    while n:
        n, r = divmod(n - 1, 26)
        out = chr(65 + r) + out
    return out


def one(i):
    conn = http.client.HTTPConnection(host, port, timeout=10)
    conn.request("GET", f"/{campaign}")
    page = conn.getresponse().read().decode()
    token = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
    email = f"load{i}@example.org"
    body = urllib.parse.urlencode({"csrf": token, "name": f"Signer {letters(i)}", "email": email, "city": "Leeds"})
    conn.request("POST", f"/{campaign}/sign", body, {"Content-Type": "application/x-www-form-urlencoded"})
    response = conn.getresponse()
    response.read()
    conn.close()
    if response.status == 303:
        with lock:
            acked.write(email + "\n")
            acked.flush()


def worker():
    while True:
        with lock:
            i = next_index[0]
            next_index[0] += 1
        if i >= count:
            return
        try:
            one(i)
        except Exception:
            pass  # the server was killed: this one was not acknowledged


pool = [threading.Thread(target=worker) for _ in range(threads)]
for t in pool:
    t.start()
for t in pool:
    t.join()
