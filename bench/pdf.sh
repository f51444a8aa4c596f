#!/usr/bin/env bash
# bench/pdf.sh — PDF → model: Accord's reader (poppler's pdftotext -layout as a
# subprocess on a temporary file, then the parser) against `pdftotext -layout` alone,
# on the four Paris PDFs, end to end per process, best of N runs.
#
#   Usage (from the repo root):   bash bench/pdf.sh
#
#   accord     target/release/examples/read FILE.pdf (crates/accord-formats/examples/read.rs)
#   pdftotext  pdftotext -layout FILE.pdf /dev/null (text only: no model)
#   2 procs    the same reader with ACCORD_PDF_PROCESSES=2: the pages in two halves laid out
#              by two poppler processes at once (the default when a core is free)
#   1 proc     ACCORD_PDF_PROCESSES=1: poppler once over all pages (the default on a busy machine)
# Requirements: cargo, python3, poppler-utils. Knobs: RUNS (5).
set -euo pipefail
export LC_ALL=C
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
RUNS=${RUNS:-5}
cargo build --release -q -p accord-formats --example read
READ=target/release/examples/read
# Best of RUNS: wall ms and CPU ms (user + sys of the process and its children:
# poppler runs as a child of accord). On the shared machine wall time is
# mostly the wait for a core; CPU time is what the work costs.
best() {
  python3 - "$RUNS" "$@" <<'PY'
import resource, subprocess, sys, time
runs, cmd = int(sys.argv[1]), sys.argv[2:]
walls, cpus = [], []
for _ in range(runs):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    walls.append(time.perf_counter() - t0)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpus.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
print(f"{min(walls) * 1000:.1f} {min(cpus) * 1000:.1f}")
PY
}
printf '%-36s %7s %10s %10s %13s %13s %9s %9s %12s %12s %9s %12s %12s %9s\n' file "PDF KB" "accord ms" "accord CPU" \
  "pdftotext ms" "pdftotext CPU" "wall ×" "CPU ×" "2 procs ms" "2 procs CPU" "2 procs ×" "1 proc ms" "1 proc CPU" "1 proc ×"
for d in "$ROOT"/../shared/drafts/unfccc-paris-2015/*.pdf; do
  read -r aw ac <<<"$(best "$READ" "$d")"
  read -r pw pc <<<"$(best pdftotext -layout "$d" /dev/null)"
  printf '%-36s %7d %10s %10s %13s %13s %8.2fx %8.2fx' "$(basename "$d")" $(( $(stat -c %s "$d") / 1024 )) "$aw" "$ac" "$pw" "$pc" \
    "$(python3 -c "print($pw/$aw)")" "$(python3 -c "print($pc/$ac)")"
  read -r tw tc <<<"$(ACCORD_PDF_PROCESSES=2 best "$READ" "$d")"
  read -r ow oc <<<"$(ACCORD_PDF_PROCESSES=1 best "$READ" "$d")"
  printf ' %12s %12s %8.2fx %12s %12s %8.2fx\n' "$tw" "$tc" "$(python3 -c "print($pw/$tw)")" "$ow" "$oc" "$(python3 -c "print($pw/$ow)")"
done
echo "× = pdftotext alone / accord (1.00x: as fast; below 1: accord slower); accord = the default (2 processes"
echo "when a core is free, else 1); 2 procs / 1 proc = ACCORD_PDF_PROCESSES=2 / 1."
echo "Load: $(cut -d' ' -f1 /proc/loadavg)"
