#!/usr/bin/env bash
# Reproduce BENCHMARKS.md. Usage: bench/run_all.sh OUTDIR   (from backend/scheduler)
# Needs the shared benchmark folder beside the project and `pip install ortools`.
set -euo pipefail
OUT=${1:-/tmp/mes-bench}
HERE=$(cd "$(dirname "$0")" && pwd)
SHARED=${SHARED:-$HERE/../../../../shared/bench}
mkdir -p "$OUT"
cargo build --release -p mes-scheduler --example bench
BIN=${CARGO_TARGET_DIR:-$HERE/../../../target}/release/examples/bench

# Classic sets: all 43 instances at 1 s; la21-la40 at 10 s.
"$BIN" jssp-suite "$SHARED/jssp" --time-limit-ms 1000 > "$OUT/jssp-1s.json"
mkdir -p "$OUT/la21-40"
for i in $(seq 21 40); do ln -sf "$SHARED/jssp/la$i.txt" "$OUT/la21-40/"; done
ln -sf "$SHARED/jssp/bks.json" "$OUT/la21-40/"
"$BIN" jssp-suite "$OUT/la21-40" --time-limit-ms 10000 > "$OUT/la21-40-10s.json"
"$BIN" fjsp-suite "$SHARED/fjsp" --time-limit-ms 10000 > "$OUT/fjsp-10s.json"

# Larger instances, ours and CP-SAT with the same limit and 2 workers.
python3 "$HERE/taillard.py" "$OUT/ta" ta01 ta11 ta21 ta31 ta41 ta51 ta61 ta71
python3 "$HERE/gen_fjsp.py" "$OUT/fjl"
for f in "$OUT"/ta/ta*.txt; do "$BIN" jssp "$f" --time-limit-ms 10000 | python3 -c 'import json,sys; d=json.load(sys.stdin); del d["starts"]; print(json.dumps(d))'; done > "$OUT/ta-ours.jsonl"
python3 "$HERE/cpsat.py" jssp "$OUT"/ta/ta*.txt --time-limit-ms 10000 --workers 2 > "$OUT/ta-cpsat.jsonl"
for f in "$OUT"/fjl/*.txt; do "$BIN" fjsp "$f" --time-limit-ms 10000 | python3 -c 'import json,sys; d=json.load(sys.stdin); del d["ops"]; print(json.dumps(d))'; done > "$OUT/fjl-ours.jsonl"
python3 "$HERE/cpsat.py" fjsp "$OUT"/fjl/*.txt --time-limit-ms 10000 --workers 2 > "$OUT/fjl-cpsat.jsonl"
python3 "$HERE/cpsat.py" fjsp "$SHARED"/fjsp/mk*.txt --time-limit-ms 10000 --workers 2 > "$OUT/mk-cpsat.jsonl"
python3 "$HERE/cpsat.py" jssp "$OUT"/la21-40/la*.txt --time-limit-ms 10000 --workers 2 > "$OUT/la-cpsat.jsonl"

# Plant-size timings.
"$BIN" plant --time-limit-ms 5000 > "$OUT/plant.json"
uptime > "$OUT/uptime.txt"
