#!/usr/bin/env bash
# bench/docx.sh — Word → model: Accord's reader against `pandoc -t plain` on the
# same .docx files, end to end per process, best of N runs, in one run.
#
#   Usage (from the repo root):   bash bench/docx.sh
#
# Inputs, made here into bench/out/docx/ (gitignored):
#   seed.docx           the seed draft (44 KB of text) through LibreOffice (typed numbers)
#   seed-auto.docx      the same as HTML with <ol start=N> through LibreOffice (Word numbering)
#   paris-neg.docx      the Geneva negotiating text (418 KB of text, 1,681 paragraphs)
#                       through LibreOffice
#   paris-neg-ours.docx the same draft written by `accord export --to docx` (our writer)
#   large.docx          the seed's body repeated to ~5 MB of text, by our writer
# Tools:
#   accord   target/release/examples/read FILE (crates/accord-formats/examples/read.rs):
#            read bytes, unzip, walk the XML, numbering, parse, place changes — the
#            whole import, as `accord parse` does before printing
#   pandoc   pandoc -f docx -t plain FILE -o /dev/null (text only: no model at all)
# Requirements: cargo, python3, soffice (libreoffice-writer-nogui), pandoc.
# Knobs: RUNS (5).
set -euo pipefail
export LC_ALL=C
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
OUT=bench/out/docx
mkdir -p "$OUT"
RUNS=${RUNS:-5}
SEED=$ROOT/../shared/seeds/000_a85ec3b89659f1a1.txt
NEG=$ROOT/../shared/drafts/unfccc-paris-2015/negotiating_text_12022015@2200.txt

cargo build --release -q -p accord-formats --example read
cargo build -q -p accord-cli
READ=target/release/examples/read
ACCORD=target/debug/accord

cp "$SEED" "$OUT/seed.txt"
cp "$NEG" "$OUT/paris-neg.txt"
python3 - "$OUT" <<'PY'
import html, re, sys
out = sys.argv[1]
lines = open(f"{out}/seed.txt", encoding="utf-8").read().split("\n")
h = ['<html><head><meta charset="utf-8"></head><body>']
prev = None
for l in lines:
    m = re.match(r"^(\d+)\. (.*)$", l.strip())
    if m:
        n = int(m.group(1))
        if prev is None or n != prev + 1:
            if prev is not None: h.append("</ol>")
            h.append(f'<ol start="{n}">')
        h.append(f"<li>{html.escape(m.group(2))}</li>"); prev = n; continue
    if prev is not None and not l.strip(): continue
    if prev is not None: h.append("</ol>"); prev = None
    h.append(f"<p>{html.escape(l.strip())}</p>")
if prev is not None: h.append("</ol>")
open(f"{out}/seed-auto.html", "w", encoding="utf-8").write("\n".join(h) + "</body></html>")
# ~5 MB: the seed's numbered paragraphs repeated, renumbered.
body = [l.split(". ", 1)[1] for l in lines if re.match(r"^\d+\. ", l)]
text, n = ["Draft outcome document\n"], 0
while sum(map(len, text)) < 5_000_000:
    for b in body:
        n += 1; text.append(f"{n}. {b}\n")
open(f"{out}/large.txt", "w", encoding="utf-8").write("".join(text))
PY
soffice -env:UserInstallation=file://$PWD/$OUT/lo-profile --headless --norestore \
  --convert-to "docx:MS Word 2007 XML" --outdir "$OUT" "$OUT/seed.txt" "$OUT/seed-auto.html" "$OUT/paris-neg.txt" >/dev/null 2>&1
"$ACCORD" export "$OUT/paris-neg.txt" --to docx -o "$OUT/paris-neg-ours.docx" 2>/dev/null
"$ACCORD" export "$OUT/large.txt" --to docx -o "$OUT/large.docx" 2>/dev/null

best() { # best wall time in ms of RUNS runs of the command
  python3 - "$RUNS" "$@" <<'PY'
import subprocess, sys, time
runs, cmd = int(sys.argv[1]), sys.argv[2:]
best = min((lambda t0: (subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True), time.perf_counter() - t0)[1])(time.perf_counter()) for _ in range(runs))
print(f"{best * 1000:.1f}")
PY
}
printf '%-22s %10s %12s %12s %8s\n' file "docx KB" "accord ms" "pandoc ms" ratio
for f in seed seed-auto paris-neg paris-neg-ours large; do
  d=$OUT/$f.docx
  a=$(best "$READ" "$d")
  p=$(best pandoc -f docx -t plain "$d" -o /dev/null)
  printf '%-22s %10d %12s %12s %7.1fx\n' "$f" $(( $(stat -c %s "$d") / 1024 )) "$a" "$p" "$(python3 -c "print($p/$a)")"
done
