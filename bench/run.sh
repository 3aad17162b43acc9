#!/usr/bin/env bash
# make bench: installs the peers if missing, builds Megaphone (release) and the
# benchmark-only Swift package, generates the data, and runs every comparison.
# Sizes can be lowered for a quick look: BENCH_RUNS=3 BENCH_ROWS=10000 ... make bench
set -euo pipefail
cd "$(dirname "$0")/.."
make --no-print-directory install-packages PACKAGES="libcurl4-openssl-dev libsqlite3-dev pkg-config postfix curl time wrk"
# Postfix's package may start its daemon; the benchmark only uses smtp-sink and smtp-source.
postfix stop >/dev/null 2>&1 || true
python3 -c "import jinja2, chevron" 2>/dev/null && command -v mailmerge >/dev/null || python3 -m pip install -q jinja2 chevron mailmerge
swift build -c release --product megaphone
swift build -c release --product store-bench
(cd bench/swift && swift build -c release --product render-bench)
python3 bench/generate.py bench/work "${BENCH_SEND_ROWS:-10000}" "${BENCH_MAILMERGE_ROWS:-10000}" "${BENCH_ROWS:-100000}" "${BENCH_MBOX_ROWS:-100000}" 10000 "${BENCH_MEM_ROWS:-1000000}"
python3 bench/measure.py "$@"
