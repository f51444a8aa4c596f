#!/usr/bin/env bash
# bench/web_documents.sh — the web's document routes timed end to end with curl: a draft file
# uploaded for the import (multipart, as the secretariat), then that draft downloaded as Word,
# PDF and Akoma Ntoso, and its comparison with the previous draft as Word tracked changes and
# as the AKN concordance.
#
#   Usage (from the repository root):  bash bench/web_documents.sh [path/to/accord] [FILE]
#
# FILE defaults to the Paris negotiating text PDF in ../shared (0.9 MB, 158 pages printed).
# The binary defaults to target/release/accord; a debug build works but typesets many times
# slower (typst unoptimized). One request at a time: these are latencies, not throughput.
set -euo pipefail
BIN=${1:-target/release/accord}
FILE=${2:-../shared/drafts/unfccc-paris-2015/negotiating_text_12022015@2200.pdf}
D=$(mktemp -d)
"$BIN" serve --demo --data-dir "$D/data" --addr 127.0.0.1:0 2> "$D/log" &
PID=$!
trap 'kill $PID 2>/dev/null; rm -rf "$D"' EXIT
for _ in $(seq 120); do grep -q "serving http" "$D/log" && break; sleep 1; done
BASE=$(grep -o "serving http://[^ /]*" "$D/log" | head -1 | cut -d' ' -f2)
PW=$(grep -o "password for all: [^) ]*" "$D/log" | head -1 | cut -d' ' -f4)
J=$D/jar
csrf() { grep -o 'name="csrf" value="[^"]*"' | head -1 | cut -d'"' -f4; }
CSRF=$(curl -s -c "$J" "$BASE/login" | csrf)
curl -s -b "$J" -c "$J" -o /dev/null -d "csrf=$CSRF&username=secretariat&password=$PW&next=/" "$BASE/login"
CSRF=$(curl -s -b "$J" "$BASE/p/ocean-data" | csrf)
OUT=$(curl -s -b "$J" -o /dev/null -w "%{http_code} %{redirect_url} %{time_total}" \
  -F "csrf=$CSRF" -F label=Bench -F publication=public -F "file=@$FILE" "$BASE/p/ocean-data/import")
echo "import upload of $(basename "$FILE") ($(stat -c %s "$FILE") B): ${OUT%% *} in ${OUT##* } s"
DID=${OUT#* }; DID=${DID%% *}; DID=${DID##*/}
PREV=d$(( ${DID#d} - 1 ))
for ext in docx pdf xml; do
  curl -s -b "$J" -o "$D/out.$ext" -w "$DID export.$ext: %{http_code}, %{size_download} B in %{time_total} s\n" \
    "$BASE/p/ocean-data/drafts/$DID/export.$ext"
done
echo "  ($(pdfinfo "$D/out.pdf" 2>/dev/null | grep Pages | tr -s ' '))"
for ext in docx xml; do
  curl -s -b "$J" -o /dev/null -w "compare $PREV→$DID export.$ext: %{http_code}, %{size_download} B in %{time_total} s\n" \
    "$BASE/p/ocean-data/compare/export.$ext?old=$PREV&new=$DID"
done
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
