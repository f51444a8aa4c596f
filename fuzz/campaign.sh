#!/bin/sh
# One fuzz campaign per target, one at a time, niced (2 shared cores):
#   ./campaign.sh SECONDS TARGET...      (from fuzz/; logs in logs/TARGET.log)
# Each run starts from corpus/TARGET (see "Seed corpora" in README.md) with
# the target's dictionary when there is one; a summary line per target
# (executions, seconds, corpus size, crashes) is appended to logs/summary.txt.
set -u
secs=$1; shift
mkdir -p logs
for t in "$@"; do
    mkdir -p "corpus/$t" "artifacts/$t"
    dict=""; [ -f "dict/$t.dict" ] && dict="-dict=dict/$t.dict"
    case $t in
        docx) len=262144 ;;
        *) len=65536 ;;
    esac
    # The PDF reader's own limit (5 s here) must answer before libFuzzer's
    # -timeout: a poppler hang is then a named error, counted in the log.
    ACCORD_PDF_TIMEOUT=5 nice -n 10 cargo +nightly fuzz run "$t" "corpus/$t" -- \
        -max_total_time="$secs" -rss_limit_mb=2048 -timeout=30 -max_len=$len \
        -print_final_stats=1 $dict >"logs/$t.log" 2>&1
    rc=$?
    runs=$(grep -o 'stat::number_of_executed_units: [0-9]*' "logs/$t.log" | tail -1 | grep -o '[0-9]*$')
    took=$(grep -o 'Done [0-9]* runs in [0-9]* second' "logs/$t.log" | tail -1 | grep -o 'in [0-9]*' | grep -o '[0-9]*')
    corpus=$(ls "corpus/$t" | wc -l)
    crashes=$(ls "artifacts/$t" 2>/dev/null | wc -l)
    slow=$(grep -c 'poppler timed out' "logs/$t.log")
    echo "$t rc=$rc executions=${runs:-?} seconds=${took:-?} corpus=$corpus artifacts=$crashes pdf-timeouts=$slow $(date -u +%H:%M)" | tee -a logs/summary.txt
done
