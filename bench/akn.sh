#!/usr/bin/env bash
# bench/akn.sh — Akoma Ntoso export and import of the large benchmark draft,
# against xmllint parsing the same XML.
#
#   Usage (from the repo root):   bash bench/akn.sh
#
# Input: the seed repeated to ~40 MB by bench/make_large.py (as bench/parse.sh
# makes its inputs), into bench/out/ (gitignored). The draft is parsed once
# (untimed); accord_formats::akn::write and ::read are timed in process, best
# of ACCORD_BENCH_SAMPLES (3) (crates/accord-formats/benches/akn.rs). The
# export is saved and `xmllint --noout` parses it, best of 5 runs, wall and CPU
# (the whole process, as a user runs it). Peak RSS from GNU time.
# MB = 10^6 bytes. "read/xmllint" > 1 means Accord reads faster than xmllint parses.
#
# Requirements: cargo, python3, xmllint (apt-get install libxml2-utils),
# GNU time at /usr/bin/time (apt-get install time).
# Knobs (env): LARGE_BYTES (40000000), ACCORD_BENCH_SEED, ACCORD_BENCH_SAMPLES.
set -euo pipefail
export LC_ALL=C
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
OUT=$ROOT/bench/out
mkdir -p "$OUT"
SEED=${ACCORD_BENCH_SEED:-$ROOT/../shared/seeds/000_a85ec3b89659f1a1.txt}
LARGE_BYTES=${LARGE_BYTES:-40000000}
for tool in xmllint python3 /usr/bin/time; do
    command -v "$tool" >/dev/null || { echo "missing: $tool (apt-get install libxml2-utils time)" >&2; exit 2; }
done

LARGE=$OUT/akn-large.txt
XML=$OUT/akn-large.xml
python3 bench/make_large.py "$LARGE" "$LARGE_BYTES" "$SEED" >&2
cargo bench -q -p accord-formats --bench akn --no-run 2>/dev/null
RESULT=$(cargo bench -q -p accord-formats --bench akn -- "$LARGE" "$XML" | tee /dev/stderr | grep '^RESULT ')
kv() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<" $RESULT"; }
WRITE=$(kv write_s); READ=$(kv read_s); XMLB=$(kv xml_bytes); WCPU=$(kv write_cpu); RCPU=$(kv read_cpu)

# xmllint: best wall and best CPU (user + system) of 5 runs.
best=""; cpu=""; rss=""
for _ in 1 2 3 4 5; do
    /usr/bin/time -f '%e %U %S %M' -o "$OUT/akn-time.txt" xmllint --noout "$XML"
    read -r s u y kb <"$OUT/akn-time.txt"
    c=$(awk -v u="$u" -v y="$y" 'BEGIN { print u + y }')
    best=$(awk -v a="$s" -v b="$best" 'BEGIN { print (b == "" || a + 0 < b + 0) ? a : b }')
    cpu=$(awk -v a="$c" -v b="$cpu" 'BEGIN { print (b == "" || a + 0 < b + 0) ? a : b }')
    rss=$kb
done

awk -v x="$XMLB" -v w="$WRITE" -v r="$READ" -v l="$best" -v wc="$WCPU" -v rc="$RCPU" -v lc="$cpu" -v rss="$rss" 'BEGIN {
    mb = x / 1e6
    printf "\n| step | wall s | CPU s | MB of XML per CPU s | CPU vs xmllint --noout |\n|---|---:|---:|---:|---:|\n"
    printf "| accord akn::write (export) | %.3f | %.2f | %.1f | %.2f× |\n", w, wc, mb / wc, lc / wc
    printf "| accord akn::read (import, to the model) | %.3f | %.2f | %.1f | %.2f× |\n", r, rc, mb / rc, lc / rc
    printf "| xmllint --noout (parse only, whole process, peak RSS %.0f MB) | %.3f | %.2f | %.1f | 1.00× |\n", rss / 1000, l, lc, mb / lc
    printf "\nXML: %.1f MB. read/xmllint (CPU) = %.2f (above 1: Accord reads faster)\n", mb, lc / rc
    printf "On a shared machine wall time is mostly the wait for a core; CPU time is the fair comparison.\n"
}'
