-- make bench: the ceiling — the same server answering a trivial POST (/healthz).
wrk.method = "POST"
wrk.body = "x=1"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
