#!/usr/bin/env bash
# bench/compare.sh — `accord compare` side by side with peer diff tools, on the same
# draft pairs, in one run, with ratios.
#
#   Usage (from the repo root):   bash bench/compare.sh
#
# Inputs: pairs OLD/NEW made by bench/make_pair.py (into bench/out/, gitignored):
# OLD = the seed draft's document part repeated k times (k in SIZES, default
# 1 10 100 1000: about 40 KB to 40 MB per file), NEW = the same with a fixed set of
# realistic edits in every copy (word changes, brackets removed, a paragraph
# deleted, inserted, moved, split, two merged, status tags changed), renumbered.
#
# Tools compared, per pair (all whole processes, end to end, stdout to /dev/null):
#   accord json   target/release/accord compare OLD NEW --format json
#   accord text   target/release/accord compare OLD NEW --format text (plain: not a tty)
#   git           git diff --no-index --word-diff=plain OLD NEW        (exit 1 = differences)
#   wdiff         GNU wdiff OLD NEW                                     (exit 1 = differences)
#   difflib       bench/difflib_words.py: difflib.SequenceMatcher(None, old_words,
#                 new_words, autojunk=False).get_opcodes() over whitespace-split words
#   dmp-py        bench/dmp_words.py py: PyPI diff-match-patch (pure Python), words
#                 mapped to private-use chars, diff_main with Diff_Timeout = 0
#   dmp-cpp       bench/dmp_words.py cpp: PyPI fast_diff_match_patch (C++), same
#                 word mapping, diff(timelimit=0, checklines=False, cleanup="No")
# The Python peers include interpreter start-up and import (~20-50 ms); their own
# diff-call-only time is in the notes (RESULT diff_s=...).
# seconds = best-of wall time: 3 runs for k <= 10, 2 above; a run longer than
# REPEAT_MAX_S (60 s) is not repeated. Every first run is under GNU time -v and
# `timeout PEER_TIMEOUT`; peak RSS = its "Maximum resident set size" (largest
# process of the tree, e.g. wdiff's diff child). MB = 10^6 bytes; input MB = old+new.
# A tool that times out at some k is not run at larger k. Ratio columns: this
# row's seconds / accord's seconds on the same pair (> 1: accord is faster).
#
# Requirements — the script installs what is missing itself:
#   * Rust toolchain (cargo)                 NOT installed here; must be present
#   * python3 (stdlib only, >= 3.8)          make_pair.py, difflib peer, the table
#   * GNU time at /usr/bin/time, timeout     apt-get install time coreutils
#   * git, GNU wdiff                         apt-get install git wdiff
#   * venv bench/out/venv-compare            python3 -m venv (apt-get install python3-venv)
#     with diff-match-patch, fast_diff_match_patch   pip, into that venv
# apt-get update is run once, only if an apt package is missing.
#
# Knobs (env): SIZES ("1 10 100 1000"), PEER_TIMEOUT (300 s per run, all tools),
#   REPEAT_MAX_S (60), ACCORD_BENCH_SEED (seed path), SKIP_INSTALL=1 (install
#   nothing; tools that are missing are reported as SKIPPED).
set -euo pipefail
export LC_ALL=C

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
OUT=bench/out
mkdir -p "$OUT"
SEED=${ACCORD_BENCH_SEED:-$ROOT/../shared/seeds/000_a85ec3b89659f1a1.txt}
SIZES=${SIZES:-1 10 100 1000}
# RENUMBER=1: pairs where every paragraph after an early insertion is renumbered (files pair-r-k*).
export RENUMBER=${RENUMBER:-0}
PAIR_TAG=$([ "$RENUMBER" = 1 ] && echo -r || true)
PEER_TIMEOUT=${PEER_TIMEOUT:-300}
REPEAT_MAX_S=${REPEAT_MAX_S:-60}
VENV=$OUT/venv-compare
ROWS=$OUT/compare$PAIR_TAG-rows.tsv
LOG=$OUT/compare$PAIR_TAG-bench.log
: >"$ROWS"
: >"$LOG"

say() { printf '%s\n' "$*" | tee -a "$LOG" >&2; }
[ -f "$SEED" ] || { say "seed draft not found: $SEED (set ACCORD_BENCH_SEED)"; exit 2; }

SUDO=()
if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null; then SUDO=(sudo); fi

# ---------------------------------------------------------------- installs
declare -A SKIP # tool -> reason
APT_UPDATED=""
apt_install() {
    say "installing with apt-get: $*"
    if [ -z "$APT_UPDATED" ]; then
        "${SUDO[@]}" apt-get update -qq >>"$LOG" 2>&1 || say "apt-get update failed (see $LOG)"
        APT_UPDATED=1
    fi
    DEBIAN_FRONTEND=noninteractive "${SUDO[@]}" apt-get install -y -qq "$@" >>"$LOG" 2>&1 \
        || say "apt-get install $* failed (see $LOG)"
}
venv_ok() { [ -x "$VENV/bin/python" ] && "$VENV/bin/python" -c 'import sys' 2>/dev/null; }
install_missing() {
    local apt=()
    [ -x /usr/bin/time ] || apt+=(time)
    command -v timeout >/dev/null || apt+=(coreutils)
    command -v git >/dev/null || apt+=(git)
    command -v wdiff >/dev/null || apt+=(wdiff)
    if ((${#apt[@]})); then apt_install "${apt[@]}"; fi

    if ! venv_ok; then
        rm -rf "$VENV"
        if ! python3 -m venv "$VENV" >>"$LOG" 2>&1; then
            rm -rf "$VENV"
            apt_install python3-venv
            python3 -m venv "$VENV" >>"$LOG" 2>&1 || say "python3 -m venv failed (see $LOG)"
        fi
    fi
    if venv_ok && ! "$VENV/bin/python" -c 'import diff_match_patch, fast_diff_match_patch' 2>/dev/null; then
        say "installing diff-match-patch + fast_diff_match_patch into $VENV"
        "$VENV/bin/python" -m pip install -q diff-match-patch fast_diff_match_patch >>"$LOG" 2>&1 \
            || say "pip install diff-match-patch fast_diff_match_patch failed (see $LOG)"
    fi
}
if [ "${SKIP_INSTALL:-}" != 1 ]; then install_missing; fi

[ -x /usr/bin/time ] || { say "GNU time (/usr/bin/time) is required: apt-get install time"; exit 2; }
command -v timeout >/dev/null || { say "timeout (coreutils) is required"; exit 2; }
command -v git >/dev/null || SKIP[git]="git not installed"
command -v wdiff >/dev/null || SKIP[wdiff]="wdiff not installed (apt-get install wdiff)"
if venv_ok; then
    PY=$VENV/bin/python
    "$PY" -c 'import diff_match_patch' 2>/dev/null || SKIP[dmp-py]="diff-match-patch not importable in $VENV"
    "$PY" -c 'import fast_diff_match_patch' 2>/dev/null || SKIP[dmp-cpp]="fast_diff_match_patch not importable in $VENV"
else
    PY=python3 # difflib is stdlib
    SKIP[dmp-py]="no venv $VENV"
    SKIP[dmp-cpp]="no venv $VENV"
fi

# ---------------------------------------------------------------- build + inputs
say "== building (release CLI)"
cargo build --release -q -p accord-cli
ACCORD=$ROOT/target/release/accord

for k in $SIZES; do
    python3 bench/make_pair.py "$OUT/pair$PAIR_TAG-k$k-old.txt" "$OUT/pair$PAIR_TAG-k$k-new.txt" "$k" "$SEED" 2>&1 | tee -a "$LOG" >&2
done

# Sanity check on the smallest pair: accord runs and finds the structural edits.
K0=${SIZES%% *}
say "== check: accord compare on the k=$K0 pair, .summary.relations"
"$ACCORD" compare "$OUT/pair$PAIR_TAG-k$K0-old.txt" "$OUT/pair$PAIR_TAG-k$K0-new.txt" --format json >"$OUT/compare-check.json"
python3 - "$OUT/compare-check.json" <<'PY' 2>&1 | tee -a "$LOG" >&2
import json, sys
s = json.load(open(sys.argv[1], encoding="utf-8"))["summary"]
rel = s["relations"]
print("relations:", json.dumps(rel, sort_keys=True))
print("classes:", json.dumps(s.get("classes"), sort_keys=True),
      "statuses_changed:", s.get("statuses_changed"), "brackets_resolved:", s.get("brackets_resolved"))
missing = [k for k in ("moved", "split", "merged", "new", "deleted") if not rel.get(k)]
print("WARNING: no " + ", ".join(missing) + " relation reported" if missing
      else "ok: moved, split, merged, new and deleted all reported")
PY

# ---------------------------------------------------------------- helpers
fsize() { stat -c %s "$1"; }
fsub() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.6f", a - b }'; }
fmin() { awk -v a="$1" -v b="$2" 'BEGIN { print (b == "" || a + 0 < b + 0) ? a : b }'; }
fgt() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a + 0 > b + 0) }'; }
row() { # tool k bytes seconds rss_kb status note
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$@" >>"$ROWS"
}

# measure_cmd REPEATS OK_RCS STDOUT cmd...  -> M_RC, M_SECS (best wall), M_RSS (peak kB)
# OK_RCS: exit codes that mean success, e.g. "0 1". First run under /usr/bin/time -v
# + timeout (RSS, exit status); further runs bare, unless the first took > REPEAT_MAX_S.
measure_cmd() {
    local reps=$1 okrcs=$2 sink=$3 t0 t1 i
    shift 3
    M_RC=0 M_SECS="" M_RSS=""
    t0=$EPOCHREALTIME
    /usr/bin/time -v -o "$OUT/time.txt" timeout "$PEER_TIMEOUT" "$@" >"$sink" 2>"$OUT/stderr.txt" || M_RC=$?
    t1=$EPOCHREALTIME
    if [[ " $okrcs " != *" $M_RC "* ]]; then
        [ "$M_RC" -eq 124 ] || { say "  command failed (rc=$M_RC): $*"; head -5 "$OUT/stderr.txt" | tee -a "$LOG" >&2; }
        return 0
    fi
    M_SECS=$(fsub "$t1" "$t0")
    M_RSS=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$OUT/time.txt")
    fgt "$M_SECS" "$REPEAT_MAX_S" && return 0
    for ((i = 1; i < reps; i++)); do
        t0=$EPOCHREALTIME
        "$@" >"$sink" 2>/dev/null || true
        t1=$EPOCHREALTIME
        M_SECS=$(fmin "$(fsub "$t1" "$t0")" "$M_SECS")
    done
}
reps_for() { if [ "$1" -le 10 ]; then echo 3; else echo 2; fi; }

declare -A TIMED_OUT # tool -> k at which it timed out

# run_tool TOOL K OK_RCS NOTE cmd...   (stdout to /dev/null)
# run_tool_py TOOL K NOTE cmd...       (stdout = one RESULT line, kept in the note)
run_any() {
    local tool=$1 k=$2 okrcs=$3 note=$4 sink=$5
    shift 5
    local bytes=$((BYTES_OLD + BYTES_NEW))
    if [ -n "${SKIP[$tool]:-}" ]; then
        say "-- $tool: SKIPPED (${SKIP[$tool]})"
        row "$tool" "$k" "$bytes" "" "" skipped "${SKIP[$tool]}"
        return 0
    fi
    if [ -n "${TIMED_OUT[$tool]:-}" ]; then
        say "-- $tool: not run (timed out at k=${TIMED_OUT[$tool]})"
        row "$tool" "$k" "$bytes" "" "" notrun "not run: timed out (> ${PEER_TIMEOUT} s) at k=${TIMED_OUT[$tool]}"
        return 0
    fi
    say "-- $tool k=$k: $*"
    measure_cmd "$(reps_for "$k")" "$okrcs" "$sink" "$@"
    if [ -n "$M_SECS" ]; then
        if [ "$sink" != /dev/null ]; then
            local res
            res=$(grep '^RESULT ' "$sink" | tail -1 || true)
            say "   $res"
            note+="; ${res#RESULT }"
        fi
        say "   best ${M_SECS} s, peak RSS ${M_RSS} kB"
        row "$tool" "$k" "$bytes" "$M_SECS" "$M_RSS" ok "$note"
    elif [ "$M_RC" -eq 124 ]; then
        say "   timed out after ${PEER_TIMEOUT} s"
        TIMED_OUT[$tool]=$k
        row "$tool" "$k" "$bytes" "" "" timeout "timed out after ${PEER_TIMEOUT} s"
    else
        row "$tool" "$k" "$bytes" "" "" failed "failed rc=$M_RC: $(head -c 300 "$OUT/stderr.txt" | tr '\n\t' '  ')"
    fi
}

# ---------------------------------------------------------------- versions
{
    echo "== environment"
    echo "cpu: $(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo) x $(nproc)"
    echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "rustc: $(rustc --version)"
    echo "git: $(git --version 2>/dev/null || echo missing)"
    echo "wdiff: $(wdiff --version 2>/dev/null | head -1 || echo missing)"
    echo "python: $("$PY" -c 'import sys; print(sys.version.split()[0])')"
    echo "dmp: $("$PY" -c 'import importlib.metadata as m
for p in ("diff-match-patch", "fast_diff_match_patch"):
    try: print(p, m.version(p), end="  ")
    except Exception: print(p, "missing", end="  ")' 2>/dev/null)"
} | tee -a "$LOG" >&2

# ---------------------------------------------------------------- runs
for k in $SIZES; do
    O=$OUT/pair$PAIR_TAG-k$k-old.txt
    N=$OUT/pair$PAIR_TAG-k$k-new.txt
    BYTES_OLD=$(fsize "$O")
    BYTES_NEW=$(fsize "$N")
    say ""
    say "== pair k=$k: $BYTES_OLD + $BYTES_NEW bytes"
    run_any "accord json" "$k" 0 "end to end, JSON to /dev/null" /dev/null \
        "$ACCORD" compare "$O" "$N" --format json
    run_any "accord text" "$k" 0 "end to end, plain text to /dev/null" /dev/null \
        "$ACCORD" compare "$O" "$N" --format text
    run_any git "$k" "0 1" "line diff, then words within changed lines" /dev/null \
        git diff --no-index --no-ext-diff --no-color --word-diff=plain "$O" "$N"
    run_any wdiff "$k" "0 1" "GNU wdiff (runs diff on one word per line)" /dev/null \
        wdiff "$O" "$N"
    run_any difflib "$k" 0 "whole process" "$OUT/peer.out" \
        "$PY" bench/difflib_words.py "$O" "$N"
    run_any dmp-py "$k" 0 "whole process" "$OUT/peer.out" \
        "$PY" bench/dmp_words.py py "$O" "$N"
    run_any dmp-cpp "$k" 0 "whole process" "$OUT/peer.out" \
        "$PY" bench/dmp_words.py cpp "$O" "$N"
done
say ""
say "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"

# ---------------------------------------------------------------- table
python3 - "$ROWS" "$PEER_TIMEOUT" <<'PY' | tee "$OUT/compare$PAIR_TAG-table.txt"
import sys

rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1], encoding="utf-8") if l.strip()]
cap = float(sys.argv[2])
ACC = ("accord json", "accord text")

def num(x):
    try:
        return float(x)
    except ValueError:
        return None

secs = {}    # (tool, k) -> seconds
status = {}  # (tool, k) -> ok|timeout|notrun|skipped|failed
for tool, k, b, s, rss, st, note in rows:
    status[(tool, k)] = st
    if num(s) is not None:
        secs[(tool, k)] = num(s)
tools = list(dict.fromkeys(r[0] for r in rows))
ks = list(dict.fromkeys(r[1] for r in rows))

def ratio(acc, tool, k):
    a = secs.get((acc, k))
    if a is None or tool in ACC:
        return "-"
    s = secs.get((tool, k))
    if s is not None:
        return f"{s / a:.1f}x" if s / a < 100 else f"{s / a:.0f}x"
    if status.get((tool, k)) in ("timeout", "notrun"):
        return f">{cap / a:.0f}x"
    return "-"

hdr = ["tool", "k", "input MB", "seconds", "peak RSS MB", "RSS/input", "vs json", "vs text"]
out, notes = [], []
for tool, k, b, s, rss, st, note in rows:
    b, s, rss = int(b), num(s), num(rss)
    if s is not None:
        sec = f"{s:.4f}" if s < 1 else f"{s:.2f}"
    elif st == "timeout":
        sec = f">{cap:.0f} (timed out)"
    elif st == "notrun":
        sec = f">{cap:.0f} (not run)"
    else:
        sec = st
    out.append([tool, k, f"{b / 1e6:.3f}", sec,
                f"{rss / 1024:.1f}" if rss else "-",
                f"{rss * 1024 / b:.2f}" if rss else "-",
                ratio("accord json", tool, k), ratio("accord text", tool, k)])
    notes.append(f"  [{tool} / k={k}] {note}")

w = [max(len(str(r[i])) for r in [hdr] + out) for i in range(len(hdr))]
line = lambda r: "  ".join(str(c).ljust(w[i]) if i == 0 else str(c).rjust(w[i]) for i, c in enumerate(r))
print()
print(f"== accord compare vs word-diff peers (MB = 1e6 bytes, input = old+new; seconds = best-of wall; cap {cap:.0f} s per run)")
print(line(hdr))
print("  ".join("-" * x for x in w))
prev = None
for r in out:
    if prev is not None and r[1] != prev:
        print()
    prev = r[1]
    print(line(r))
print()
print("vs json / vs text = this row's seconds / accord compare's seconds (--format json / text) on the same pair;")
print("> 1 means accord is faster; '>Nx' = the peer timed out (or was not run after timing out at a smaller k).")

print()
print("== growth: time(k) / time(previous k)   (target for accord: <= 12 per 10x input)")
for tool in tools:
    parts, fails = [], []
    for k0, k1 in zip(ks, ks[1:]):
        a, b = secs.get((tool, k0)), secs.get((tool, k1))
        if a and b:
            g = b / a
            parts.append(f"t({k1})/t({k0})={g:.2f}")
            if tool in ACC and int(k1) == 10 * int(k0) and g > 12:
                fails.append(f"t({k1})/t({k0})")
        else:
            parts.append(f"t({k1})/t({k0})=-")
    verdict = ""
    if tool in ACC:
        verdict = "  -> " + ("OK (all <= 12)" if not fails else "ABOVE TARGET: " + ", ".join(fails))
    print(f"  {tool:<12} " + "  ".join(parts) + verdict)
    if tool in ACC:
        print(f"RESULT growth tool={tool.replace(' ', '_')} " + " ".join(p.replace('/', '_over_') for p in parts))

print()
print("== is accord faster than every peer at every size?")
for acc in ACC:
    slower = []  # (k, peer, peer_s, acc_s)
    unknown = []
    for k in ks:
        a = secs.get((acc, k))
        for tool in tools:
            if tool in ACC:
                continue
            st = status.get((tool, k))
            s = secs.get((tool, k))
            if a is None:
                unknown.append(f"k={k} (accord {status.get((acc, k))})")
                break
            if s is not None:
                if s <= a:
                    slower.append(f"{tool} at k={k} ({s:.4g} s vs {a:.4g} s)")
            elif st in ("timeout", "notrun"):
                if a >= cap:
                    slower.append(f"{tool} at k={k} (both over cap)")
            else:
                unknown.append(f"{tool} at k={k} ({st})")
    verdict = "YES" if not slower else "NO"
    print(f"  {acc}: {verdict}" + ("" if not slower else "; peers as fast or faster: " + "; ".join(slower)))
    if unknown:
        print(f"    not compared: " + "; ".join(unknown))
    print(f"RESULT faster_than_all tool={acc.replace(' ', '_')} value={verdict.lower()} peers_faster={len(slower)}")

print()
for tool, k, b, s, rss, st, note in rows:
    print(f"RESULT row tool={tool.replace(' ', '_')} k={k} input_bytes={b} seconds={s or '-'} "
          f"peak_rss_kb={rss or '-'} status={st}")
print()
print("notes:")
print("\n".join(notes))
PY
say ""
say "rows: $ROWS   table: $OUT/compare$PAIR_TAG-table.txt   log: $LOG"
