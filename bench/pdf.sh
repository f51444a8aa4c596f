#!/usr/bin/env bash
# bench/pdf.sh — PDF → model: Accord's reader (poppler's pdftotext -layout as a
# subprocess on a temporary file, then the parser) against `pdftotext -layout` alone,
# on the four Paris PDFs, end to end per process, best of N runs.
#
#   Usage (from the repo root):   bash bench/pdf.sh
#
#   accord     target/release/examples/read FILE.pdf (crates/accord-formats/examples/read.rs)
#   pdftotext  pdftotext -layout FILE.pdf /dev/null (text only: no model)
# Requirements: cargo, python3, poppler-utils. Knobs: RUNS (5).
set -euo pipefail
export LC_ALL=C
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
RUNS=${RUNS:-5}
cargo build --release -q -p accord-formats --example read
READ=target/release/examples/read
best() {
  python3 - "$RUNS" "$@" <<'PY'
import subprocess, sys, time
runs, cmd = int(sys.argv[1]), sys.argv[2:]
best = min((lambda t0: (subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True), time.perf_counter() - t0)[1])(time.perf_counter()) for _ in range(runs))
print(f"{best * 1000:.1f}")
PY
}
printf '%-40s %8s %12s %14s %8s\n' file "PDF KB" "accord ms" "pdftotext ms" ratio
for d in "$ROOT"/../shared/drafts/unfccc-paris-2015/*.pdf; do
  a=$(best "$READ" "$d")
  p=$(best pdftotext -layout "$d" /dev/null)
  printf '%-40s %8d %12s %14s %7.2fx\n' "$(basename "$d")" $(( $(stat -c %s "$d") / 1024 )) "$a" "$p" "$(python3 -c "print($p/$a)")"
done
