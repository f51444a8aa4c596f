#!/usr/bin/env bash
# bench/parse.sh — parse throughput of Accord side by side with peer tools, on the
# same inputs, in one run, with ratios.
#
#   Usage (from the repo root):   bash bench/parse.sh
#
# Inputs: the seed draft (44 KB), a ~5 MB and a ~50 MB draft generated from it by
# bench/make_large.py (into bench/out/, gitignored; the 5 MB one is a byte prefix
# of the 50 MB one).
#
# Tools compared, per input:
#   accord lib    accord_core::parse in-process (crates/accord-core/benches/parse.rs),
#                 parse only, best-of; also prints its byte-scan floors
#   accord cli    target/release/accord parse FILE --format json > /dev/null,
#                 end to end (process start, read, parse, JSON out), best-of wall
#   accord status target/release/accord status FILE --format json > /dev/null,
#                 end to end (read, parse, readiness, JSON out), best-of wall
#   pandoc        pandoc -f markdown -t json FILE > /dev/null, end to end, best-of wall
#   bluebell-rs   bluebell-akn 5 + bluebell-akn-rs (Rust extension), root "statement",
#                 parse call only (text already in memory), best-of (bench/bluebell_parse.py)
# Peak RSS is GNU time's "Maximum resident set size" of the whole process (for
# accord lib: the bench process's VmHWM; for bluebell: the whole Python process).
# MB = 10^6 bytes. Ratio columns = Accord's MB/s / that row's MB/s on the same input.
#
# Requirements — the script installs what is missing itself:
#   * Rust toolchain (cargo)                 NOT installed here; must be present
#   * python3 (stdlib only)                  make_large.py and the final table
#   * GNU time at /usr/bin/time              apt-get install time
#   * timeout (coreutils)                    present on Debian
#   * pandoc                                 apt-get install pandoc
#   * Python >= 3.12 for bluebell            python3.12 on PATH or a pyenv 3.12/3.13
#                                            version (tries `pyenv install -s 3.12`)
#   * bluebell-akn 5, bluebell-akn-rs 5      pip, into the venv bench/out/venv
# apt-get update is run once, only if an apt package is missing.
#
# Knobs (env): ACCORD_BENCH_SEED (seed path), LARGE_BYTES (50000000),
#   PROBE_BYTES (5000000), PEER_TIMEOUT (600 s per peer run), SKIP_INSTALL=1.
# A peer whose 50 MB run is projected (from its 5 MB run) to exceed PEER_TIMEOUT,
# or that times out, gets an extrapolated 50 MB row, marked as such.
set -euo pipefail
export LC_ALL=C

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
OUT=bench/out
mkdir -p "$OUT"
SEED=${ACCORD_BENCH_SEED:-$ROOT/../shared/seeds/000_a85ec3b89659f1a1.txt}
LARGE_BYTES=${LARGE_BYTES:-50000000}
PROBE_BYTES=${PROBE_BYTES:-5000000}
PEER_TIMEOUT=${PEER_TIMEOUT:-600}
ROWS=$OUT/rows.tsv
LOG=$OUT/parse-bench.log
: >"$ROWS"
: >"$LOG"

say() { printf '%s\n' "$*" | tee -a "$LOG" >&2; }
[ -f "$SEED" ] || { say "seed draft not found: $SEED (set ACCORD_BENCH_SEED)"; exit 2; }

SUDO=()
if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null; then SUDO=(sudo); fi

# ---------------------------------------------------------------- installs
BLUEBELL_PY=""
BLUEBELL_SKIP=""
install_missing() {
    local apt=()
    [ -x /usr/bin/time ] || apt+=(time)
    command -v pandoc >/dev/null || apt+=(pandoc)
    command -v timeout >/dev/null || apt+=(coreutils)
    if ((${#apt[@]})); then
        say "installing with apt-get: ${apt[*]}"
        "${SUDO[@]}" apt-get update -qq
        DEBIAN_FRONTEND=noninteractive "${SUDO[@]}" apt-get install -y -qq "${apt[@]}" >/dev/null
    fi

    # Python >= 3.12 for bluebell.
    local py="" c v
    is_py312() { "$1" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' 2>/dev/null; }
    find_py() {
        for c in python3.12 python3.13 python3; do
            if command -v "$c" >/dev/null && is_py312 "$(command -v "$c")"; then command -v "$c"; return 0; fi
        done
        local proot
        proot=$(pyenv root 2>/dev/null || echo "${PYENV_ROOT:-$HOME/.pyenv}")
        for v in $(ls -d "$proot"/versions/3.1[2-9]* 2>/dev/null | sort -V); do
            if [ -x "$v/bin/python3" ] && is_py312 "$v/bin/python3"; then echo "$v/bin/python3"; return 0; fi
        done
        return 1
    }
    if ! py=$(find_py); then
        if command -v pyenv >/dev/null; then
            say "no Python >= 3.12 found; trying: pyenv install -s 3.12"
            pyenv install -s 3.12 >>"$LOG" 2>&1 || say "pyenv install 3.12 failed (offline?)"
        fi
        py=$(find_py) || py=""
    fi
    if [ -z "$py" ]; then
        BLUEBELL_SKIP="no Python >= 3.12 available (bluebell-akn needs it)"
        return 0
    fi

    local venv=$OUT/venv
    if [ ! -x "$venv/bin/python" ] || ! is_py312 "$venv/bin/python"; then
        rm -rf "$venv"
        "$py" -m venv "$venv"
    fi
    if ! "$venv/bin/python" -c 'import bluebell, _bluebell_rs' 2>/dev/null; then
        say "installing bluebell-akn + bluebell-akn-rs into $venv"
        "$venv/bin/python" -m pip install -q 'bluebell-akn>=5,<6' 'bluebell-akn-rs>=5,<6' >>"$LOG" 2>&1 \
            || { BLUEBELL_SKIP="pip install bluebell-akn bluebell-akn-rs failed (see $LOG)"; return 0; }
    fi
    BLUEBELL_PY=$venv/bin/python
}
if [ "${SKIP_INSTALL:-}" = 1 ]; then
    [ -x "$OUT/venv/bin/python" ] && BLUEBELL_PY=$OUT/venv/bin/python || BLUEBELL_SKIP="SKIP_INSTALL=1 and no venv"
else
    install_missing
fi

# ---------------------------------------------------------------- build + inputs
say "== building (release CLI, bench profile lib bench)"
cargo build --release -q -p accord-cli
cargo bench -q -p accord-core --bench parse --no-run 2>>"$LOG"
ACCORD=$ROOT/target/release/accord

# Absolute paths: cargo bench runs the bench binary from the crate directory.
LARGE=$ROOT/$OUT/large.txt
PROBE=$ROOT/$OUT/probe.txt
SEED=$(cd "$(dirname "$SEED")" && pwd)/$(basename "$SEED")
LARGE_LABEL="$((LARGE_BYTES / 1000000))MB"
PROBE_LABEL="$((PROBE_BYTES / 1000000))MB"
python3 bench/make_large.py "$LARGE" "$LARGE_BYTES" "$SEED" 2>&1 | tee -a "$LOG" >&2
python3 bench/make_large.py "$PROBE" "$PROBE_BYTES" "$SEED" 2>&1 | tee -a "$LOG" >&2

INPUTS=("seed=$SEED" "$PROBE_LABEL=$PROBE" "$LARGE_LABEL=$LARGE")

# ---------------------------------------------------------------- helpers
fsize() { stat -c %s "$1"; }
fsub() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.6f", a - b }'; }
fmin() { awk -v a="$1" -v b="$2" 'BEGIN { print (b == "" || a + 0 < b + 0) ? a : b }'; }
kv() { # kv KEY "RESULT line"  -> value
    sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<" $2"
}
row() { # tool input bytes seconds rss_kb note
    printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$@" >>"$ROWS"
}

# measure_cmd REPEATS TIMEOUT cmd...  -> sets M_RC, M_SECS (best wall), M_RSS (peak kB)
# First run under /usr/bin/time -v + timeout (RSS, exit status); further runs bare.
measure_cmd() {
    local reps=$1 tmo=$2 t0 t1 i
    shift 2
    M_RC=0 M_SECS="" M_RSS=""
    t0=$EPOCHREALTIME
    /usr/bin/time -v -o "$OUT/time.txt" timeout "$tmo" "$@" >/dev/null 2>"$OUT/stderr.txt" || M_RC=$?
    t1=$EPOCHREALTIME
    if [ "$M_RC" -ne 0 ]; then
        [ "$M_RC" -eq 124 ] || { say "  command failed (rc=$M_RC): $*"; head -5 "$OUT/stderr.txt" | tee -a "$LOG" >&2; }
        return 0
    fi
    M_SECS=$(fsub "$t1" "$t0")
    M_RSS=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$OUT/time.txt")
    for ((i = 1; i < reps; i++)); do
        t0=$EPOCHREALTIME
        "$@" >/dev/null 2>&1 || true
        t1=$EPOCHREALTIME
        M_SECS=$(fmin "$(fsub "$t1" "$t0")" "$M_SECS")
    done
}

reps_for() { # small inputs: more repetitions
    local b=$1
    if [ "$b" -lt 1000000 ]; then echo "$2"; elif [ "$b" -lt 10000000 ]; then echo "$3"; else echo "$4"; fi
}

declare -A PEER_SECS PEER_BYTES
# peer_run TOOL LABEL FILE — wraps the extrapolation rule for the large input
extrapolate() { # tool label bytes note
    local tool=$1 label=$2 bytes=$3 note=$4
    local s5=${PEER_SECS[$tool]:-} b5=${PEER_BYTES[$tool]:-}
    if [ -n "$s5" ]; then
        local est
        est=$(awk -v s="$s5" -v b="$b5" -v B="$bytes" 'BEGIN { printf "%.3f", s * B / b }')
        row "$tool" "$label" "$bytes" "$est" "" "EXTRAPOLATED linearly from the $PROBE_LABEL run; $note"
    else
        row "$tool" "$label" "$bytes" "" "" "not run: $note"
    fi
}
should_run_large() { # tool bytes -> 0 if the projected time fits under the cap
    local s5=${PEER_SECS[$1]:-} b5=${PEER_BYTES[$1]:-}
    [ -z "$s5" ] && return 0
    awk -v s="$s5" -v b="$b5" -v B="$2" -v T="$PEER_TIMEOUT" 'BEGIN { exit !(s * B / b <= 0.8 * T) }'
}

# ---------------------------------------------------------------- versions
{
    echo "== environment"
    echo "cpu: $(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo) x $(nproc)"
    echo "rustc: $(rustc --version)"
    echo "pandoc: $(pandoc --version | head -1)"
    if [ -n "$BLUEBELL_PY" ]; then
        echo "bluebell: $("$BLUEBELL_PY" -c 'import sys, importlib.metadata as m; print("bluebell-akn", m.version("bluebell-akn"), "+ bluebell-akn-rs", m.version("bluebell-akn-rs"), "on Python", sys.version.split()[0])')"
    else
        echo "bluebell: SKIPPED — $BLUEBELL_SKIP"
    fi
} | tee -a "$LOG" >&2

# ---------------------------------------------------------------- runs
for spec in "${INPUTS[@]}"; do
    label=${spec%%=*}
    file=${spec#*=}
    bytes=$(fsize "$file")
    say ""
    say "== input $label: $file ($bytes bytes)"

    # (a) accord lib, in-process
    say "-- accord lib (cargo bench -p accord-core --bench parse -- $file)"
    : >"$OUT/lib.txt"
    cargo bench -q -p accord-core --bench parse -- "$file" 2>>"$LOG" | tee "$OUT/lib.txt" | tee -a "$LOG" >&2 || true
    res=$(grep '^RESULT ' "$OUT/lib.txt" | tail -1 || true)
    if [ -n "$res" ]; then
        note="median $(kv median_mbps "$res") MB/s; $(kv paragraphs "$res") paragraphs, $(kv diagnostics "$res") diagnostics;"
        note+=" floors MB/s: loop $(kv floor_loop_mbps "$res"), filter $(kv floor_filter_mbps "$res"),"
        note+=" lines() $(kv floor_lines_mbps "$res"), chunked $(kv floor_chunked_mbps "$res")"
        row "accord lib" "$label" "$bytes" "$(kv best_s "$res")" "$(kv peak_rss_kb "$res")" "$note"
    else
        row "accord lib" "$label" "$bytes" "" "" "bench failed (see $LOG)"
    fi

    # (b) accord CLI, end to end
    say "-- accord cli: $ACCORD parse $file --format json > /dev/null"
    measure_cmd "$(reps_for "$bytes" 10 5 3)" "$PEER_TIMEOUT" "$ACCORD" parse "$file" --format json
    if [ -n "$M_SECS" ]; then
        row "accord cli" "$label" "$bytes" "$M_SECS" "$M_RSS" "end to end, JSON to /dev/null"
    else
        row "accord cli" "$label" "$bytes" "" "" "failed rc=$M_RC"
    fi

    # (b2) accord status --format json, end to end (issue 12: 200 MB/s or more)
    say "-- accord status: $ACCORD status $file --format json > /dev/null"
    measure_cmd "$(reps_for "$bytes" 10 5 3)" "$PEER_TIMEOUT" "$ACCORD" status "$file" --format json
    if [ -n "$M_SECS" ]; then
        row "accord status" "$label" "$bytes" "$M_SECS" "$M_RSS" "end to end, status JSON to /dev/null"
    else
        row "accord status" "$label" "$bytes" "" "" "failed rc=$M_RC"
    fi

    # (c) pandoc, markdown reader, end to end
    say "-- pandoc -f markdown -t json $file > /dev/null"
    if [ "$label" = "$LARGE_LABEL" ] && ! should_run_large pandoc "$bytes"; then
        extrapolate pandoc "$label" "$bytes" "projected time > 0.8 x ${PEER_TIMEOUT}s cap, not run"
    else
        measure_cmd "$(reps_for "$bytes" 5 1 1)" "$PEER_TIMEOUT" pandoc -f markdown -t json "$file"
        if [ -n "$M_SECS" ]; then
            note="end to end, JSON to /dev/null"
            if [ "$label" = seed ]; then
                note+="; structure: $(pandoc -f markdown -t json "$file" | python3 -c '
import json, sys, collections
b = json.load(sys.stdin)["blocks"]
c = collections.Counter(x["t"] for x in b)
items = sum(len(x["c"][1]) for x in b if x["t"] == "OrderedList")
print(items, "ordered-list items in", c["OrderedList"], "lists,", c["Header"], "headers,", c["Para"], "paras")' || echo "?")"
            fi
            row pandoc "$label" "$bytes" "$M_SECS" "$M_RSS" "$note"
            PEER_SECS[pandoc]=$M_SECS PEER_BYTES[pandoc]=$bytes
        elif [ "$M_RC" = 124 ]; then
            extrapolate pandoc "$label" "$bytes" "timed out after ${PEER_TIMEOUT}s"
        else
            row pandoc "$label" "$bytes" "" "" "failed rc=$M_RC"
        fi
    fi

    # (d) bluebell-akn + bluebell-akn-rs, parse only
    say "-- bluebell: bench/bluebell_parse.py $file (root statement)"
    if [ -z "$BLUEBELL_PY" ]; then
        row bluebell-rs "$label" "$bytes" "" "" "SKIPPED: $BLUEBELL_SKIP"
    elif [ "$label" = "$LARGE_LABEL" ] && ! should_run_large bluebell-rs "$bytes"; then
        extrapolate bluebell-rs "$label" "$bytes" "projected time > 0.8 x ${PEER_TIMEOUT}s cap, not run"
    else
        rc=0
        /usr/bin/time -v -o "$OUT/time.txt" timeout "$PEER_TIMEOUT" "$BLUEBELL_PY" bench/bluebell_parse.py "$file" \
            "$(reps_for "$bytes" 20 3 3)" statement >"$OUT/bluebell.txt" 2>"$OUT/stderr.txt" || rc=$?
        res=$(grep '^RESULT ' "$OUT/bluebell.txt" | tail -1 || true)
        tee -a "$LOG" <"$OUT/bluebell.txt" >&2 || true
        if [ "$rc" -eq 0 ] && [ -n "$res" ]; then
            rss=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$OUT/time.txt")
            note="parse only ($(kv impl "$res") impl, root statement); structure: $(kv p "$res") <p>, $(kv paragraph "$res") <paragraph>,"
            note+=" $(kv section "$res") <section>, $(kv num "$res") <num> -> paragraph structure found: $(kv structured "$res")"
            row bluebell-rs "$label" "$bytes" "$(kv best_s "$res")" "$rss" "$note"
            PEER_SECS[bluebell-rs]=$(kv best_s "$res") PEER_BYTES[bluebell-rs]=$bytes
        elif [ "$rc" -eq 124 ]; then
            extrapolate bluebell-rs "$label" "$bytes" "timed out after ${PEER_TIMEOUT}s"
        else
            head -5 "$OUT/stderr.txt" | tee -a "$LOG" >&2
            row bluebell-rs "$label" "$bytes" "" "" "failed rc=$rc (see $OUT/stderr.txt)"
        fi
    fi
done

# ---------------------------------------------------------------- table
python3 - "$ROWS" <<'PY' | tee "$OUT/table.txt"
import sys

rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1], encoding="utf-8") if l.strip()]

def num(x):
    try:
        return float(x)
    except ValueError:
        return None

acc = {}  # (tool, input) -> MB/s
for tool, inp, b, s, rss, note in rows:
    s = num(s)
    if s and tool.startswith("accord"):
        acc[(tool, inp)] = int(b) / 1e6 / s

hdr = ["tool", "input", "size MB", "seconds", "MB/s", "peak RSS MB", "RSS/input",
       "lib/this", "cli/this"]
out = []
notes = []
for i, (tool, inp, b, s, rss, note) in enumerate(rows, 1):
    b = int(b)
    s = num(s)
    rss = num(rss)
    mbps = b / 1e6 / s if s else None
    extrap = note.startswith("EXTRAPOLATED")
    def ratio(key):
        a = acc.get((key, inp))
        return f"{a / mbps:.1f}x" if a and mbps else "-"
    out.append([
        tool + (" *" if extrap else ""),
        inp,
        f"{b / 1e6:.3f}",
        f"{s:.4g}" if s else "-",
        f"{mbps:.1f}" if mbps else "-",
        f"{rss / 1024:.1f}" if rss else "-",
        f"{rss * 1024 / b:.2f}" if rss else "-",
        ratio("accord lib"),
        ratio("accord cli"),
    ])
    notes.append(f"  [{tool} / {inp}] {note}")

w = [max(len(str(r[i])) for r in [hdr] + out) for i in range(len(hdr))]
line = lambda r: "  ".join(str(c).ljust(w[i]) if i < 2 else str(c).rjust(w[i]) for i, c in enumerate(r))
print()
print("== parse throughput (MB = 1e6 bytes; seconds = best-of per run; * = extrapolated)")
print(line(hdr))
print("  ".join("-" * x for x in w))
prev = None
for r in out:
    if prev is not None and r[1] != prev:
        print()
    prev = r[1]
    print(line(r))
print()
print("lib/this, cli/this = Accord lib (in-process) / Accord CLI (end to end) MB/s divided by this row's MB/s on the same input.")
print("accord lib and bluebell-rs time the parse call only; accord cli and pandoc are whole processes (start-up, read, parse, JSON out).")
print("notes:")
print("\n".join(notes))
PY
say ""
say "rows: $ROWS   table: $OUT/table.txt   log: $LOG"
