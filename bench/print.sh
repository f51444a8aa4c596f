#!/usr/bin/env bash
# bench/print.sh — speed of the circulation PDF (crates/accord-print, typst as a library).
#
#   Usage (from anywhere):   bash bench/print.sh            # RUNS=20 by default
#                            SCREENSHOTS=1 bash bench/print.sh   # also redo docs/screenshots/print-*.png
#
# What it does:
#   1. cargo build --release -p accord-print --example print
#      (crates/accord-print/examples/print.rs: parse a draft file, print it RUNS times
#      in one process, write the PDF, report the first run — which reads the Noto
#      fonts from /usr/share/fonts — and the median of all runs, and pages/s).
#   2. runs it on the seed (../shared/seeds/000_a85ec3b89659f1a1.txt: two letters and
#      the 70-paragraph draft, 16 pages), and on the UDHR in Arabic (right to left) and
#      Chinese, made into drafts from ../shared/corpus/udhr/*.html as the tests do.
#   3. times one whole process per input with GNU time (start, parse, fonts, typeset,
#      PDF, exit; wall seconds and peak RSS), the cost of `accord export --to pdf`.
#   4. writes a Markdown table to bench/out/print.md (gitignored), with the commands.
#
# Requirements: cargo; python3 (stdlib); GNU time at /usr/bin/time (apt-get install time);
# fonts-noto-core and fonts-noto-cjk (apt-get install); for SCREENSHOTS=1 also
# poppler-utils (pdftoppm) and pngquant.
#
# The target: the seed's PDF in under a second (issue 14).
set -euo pipefail
export LC_ALL=C.UTF-8

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
OUT=bench/out
mkdir -p "$OUT"
RUNS=${RUNS:-20}
SHARED=$ROOT/../shared
SEED=$SHARED/seeds/000_a85ec3b89659f1a1.txt
[ -f "$SEED" ] || { echo "seed draft not found: $SEED" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "GNU time missing: apt-get install time" >&2; exit 2; }

# SKIP_BUILD=1 times the release binaries already built (a rebuild after a small
# change takes long on a shared machine).
if [ "${SKIP_BUILD:-}" != 1 ]; then
    cargo build --release -q -p accord-print --example print
    cargo build --release -q -p accord-cli --bin accord
fi
BIN=${CARGO_TARGET_DIR:-target}/release/examples/print
ACCORD=${CARGO_TARGET_DIR:-target}/release/accord

# The UDHR as drafts: title, date line, each <p> a numbered paragraph.
for lang in arb cmn_hans; do
    python3 - "$SHARED/corpus/udhr/udhr-$lang.html" "$OUT/udhr-$lang.txt" <<'EOF'
import re, sys
html = open(sys.argv[1], encoding="utf-8").read()
strip = lambda s: " ".join(re.sub(r"<[^>]*>", " ", s).split())
paras = [strip(p) for p in re.findall(r"<p>(.*?)</p>", html, re.S)]
title = strip(re.search(r"<h1>(.*?)</h1>", html, re.S).group(1))
with open(sys.argv[2], "w", encoding="utf-8") as f:
    f.write(title + "\n\n10/12/1948\n\n")
    f.writelines(f"{i}. {p}\n" for i, p in enumerate(paras, 1))
EOF
done

ROWS=$OUT/print-rows.txt
: >"$ROWS"
for input in "$SEED" "$OUT/udhr-arb.txt" "$OUT/udhr-cmn_hans.txt"; do
    name=$(basename "$input" .txt)
    pdf=$OUT/print-$name.pdf
    line=$("$BIN" "$input" "$pdf" "$RUNS")
    echo "$line"
    /usr/bin/time -f "%e %M" -o "$OUT/print-time.txt" "$BIN" "$input" "$pdf" 1 >/dev/null
    read -r wall rss <"$OUT/print-time.txt"
    echo "$name|$line|$wall|$rss" >>"$ROWS"
done

# The whole command as a user runs it: start, read, parse, fonts, typeset, write.
/usr/bin/time -f "%e %M" -o "$OUT/print-time.txt" "$ACCORD" export "$SEED" --to pdf -o "$OUT/export-seed.pdf"
read -r export_wall export_rss <"$OUT/print-time.txt"

python3 - "$ROWS" "$RUNS" >"$OUT/print.md" <<'EOF'
import re, sys, os
rows = [l.rstrip("\n").split("|") for l in open(sys.argv[1], encoding="utf-8")]
print("# Circulation PDF speed (bench/print.sh)\n")
print(f"nproc {os.cpu_count()}, load {os.getloadavg()[0]:.1f}; in-process: `print INPUT OUT.pdf {sys.argv[2]}` (median of {sys.argv[2]} runs); process: GNU time of one run.\n")
print("| input | paragraphs | pages | PDF bytes | first run s | median s | pages/s | one process s | peak RSS MB |")
print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
for name, line, wall, rss in rows:
    m = re.search(r"(\d+) paragraphs, (\d+) pages, (\d+) bytes; first run ([\d.]+) s.*median of \d+ ([\d.]+) s = ([\d.]+) pages/s", line)
    p, pages, size, first, median, pps = m.groups()
    print(f"| {name} | {p} | {pages} | {size} | {first} | {median} | {pps} | {wall} | {int(rss) / 1000:.0f} |")
EOF
echo "
\`accord export SEED --to pdf -o OUT.pdf\` (one whole process): $export_wall s wall, $((export_rss / 1000)) MB peak RSS." >>"$OUT/print.md"
cat "$OUT/print.md"

if [ "${SCREENSHOTS:-}" = 1 ]; then
    # Page 2 is the co-facilitators' letter, page 4 the draft's first page.
    for spec in 2:letter 4:draft; do
        page=${spec%%:*}; what=${spec##*:}
        pdftoppm -png -r 80 -f "$page" -l "$page" -singlefile "$OUT/print-000_a85ec3b89659f1a1.pdf" "$OUT/shot-$what"
        pngquant 16 --force --output "docs/screenshots/print-$what.png" "$OUT/shot-$what.png"
    done
    ls -l docs/screenshots/print-*.png
fi
