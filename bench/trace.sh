#!/usr/bin/env bash
# bench/trace.sh — recall, precision, speed and scale of `accord_core::trace`
# (agreed-language tracing), with a peer on the same corpus and queries.
#
#   Usage (from anywhere):   bash bench/trace.sh
#
# 1. bench/make_trace_corpus.py (stdlib Python, fixed seed) writes into
#    bench/out/trace/ (gitignored):
#      corpus-$SIZE.tsv     SIZE corpus paragraphs ("units") made by recombining
#                           and perturbing clauses of the Universal Declaration,
#                           the seed draft, the Paris drafts and the SDG targets
#                           (10% of clauses verbatim, 20% lightly perturbed,
#                           70% word-shuffled);
#      queries/draft-NN.txt DRAFTS drafts of 70 paragraphs of novel filler, each
#                           paragraph with 0-2 planted reuses (12-60 words copied
#                           from known units, half of them edited: inserted,
#                           deleted or changed words, spelling variants,
#                           possessives);
#      truth.tsv            every plant: draft, paragraph, document, unit, span.
#    and corpus-$SCALE_SIZE.tsv, whose first SIZE units are exactly
#    corpus-$SIZE.tsv, so the same queries and truth hold against it.
# 2. crates/accord-core/examples/trace_eval.rs (release build) indexes a corpus
#    (time inside CorpusIndex::add; peak RSS = VmHWM), traces the seed draft and
#    the query drafts (time per draft = median of RUNS runs after a warm-up) and
#    scores the traces against the truth: recall and precision, by kind of plant,
#    with false reports checked for genuine overlap and every miss diagnosed.
#    Run at SIZE (eval-$SIZE.txt, misses-$SIZE.tsv) and at SCALE_SIZE
#    (eval-$SCALE_SIZE.txt, under GNU time -v as a cross-check of peak memory).
# 3. Peer, at SIZE only: datasketch MinHash LSH Ensemble on the same 5-word
#    shingles (bench/trace_datasketch.py, in venv bench/out/venv-trace), under
#    `timeout PEER_TIMEOUT`. passim (the usual text-reuse tool) is not on PyPI
#    (the PyPI package named "passim" is an unrelated password-similarity library)
#    and its source cannot be fetched here: not run.
# 4. summary.txt: the RESULT lines and the figures side by side.
#
# Requirements (installed if missing unless SKIP_INSTALL=1): cargo (must be
# present), python3 >= 3.8 with venv (apt python3-venv), GNU time, timeout,
# datasketch from PyPI (into the venv).
#
# Knobs (env): SIZE (100000), SCALE_SIZE (10 x SIZE; 0 skips the scale run),
#   DRAFTS (40), RUNS (3), SEED (20151212), PEER_TIMEOUT (900 s), PEER_PERM (64),
#   SKIP_PEERS=1, SKIP_INSTALL=1, ACCORD_BENCH_SEED (seed draft path),
#   CARGO_TARGET_DIR (as cargo).
# Takes about 6 minutes on 2 cores at the defaults (1M-unit corpus: ~5 GB RAM;
# datasketch at 100k: ~4 GB).
set -euo pipefail
export LC_ALL=C.UTF-8

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
OUT=bench/out/trace
mkdir -p "$OUT"
SIZE=${SIZE:-100000}
SCALE_SIZE=${SCALE_SIZE:-$((SIZE * 10))}
DRAFTS=${DRAFTS:-40}
RUNS=${RUNS:-3}
SEED=${SEED:-20151212}
PEER_TIMEOUT=${PEER_TIMEOUT:-900}
PEER_PERM=${PEER_PERM:-64}
SHARED=$ROOT/../shared
SEED_DRAFT=${ACCORD_BENCH_SEED:-$SHARED/seeds/000_a85ec3b89659f1a1.txt}
VENV=bench/out/venv-trace
LOG=$OUT/trace-bench.log
: >"$LOG"
say() { printf '%s\n' "$*" | tee -a "$LOG" >&2; }
[ -f "$SEED_DRAFT" ] || { say "seed draft not found: $SEED_DRAFT (set ACCORD_BENCH_SEED)"; exit 2; }
[ -d "$SHARED/corpus" ] || { say "shared data not found: $SHARED"; exit 2; }
START=$(date +%s)

# ---------------------------------------------------------------- installs
venv_ok() { [ -x "$VENV/bin/python" ] && "$VENV/bin/python" -c 'import sys' 2>/dev/null; }
if [ "${SKIP_INSTALL:-}" != 1 ]; then
    missing=()
    [ -x /usr/bin/time ] || missing+=(time)
    command -v timeout >/dev/null || missing+=(coreutils)
    python3 -c 'import ensurepip' 2>/dev/null || missing+=(python3-venv)
    if ((${#missing[@]})); then
        say "installing with apt-get: ${missing[*]}"
        { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"; } >>"$LOG" 2>&1 \
            || say "apt-get install failed (see $LOG)"
    fi
    if [ "${SKIP_PEERS:-}" != 1 ]; then
        venv_ok || { rm -rf "$VENV"; python3 -m venv "$VENV" >>"$LOG" 2>&1 || say "python3 -m venv failed"; }
        if venv_ok && ! "$VENV/bin/python" -c 'import datasketch' 2>/dev/null; then
            say "installing datasketch into $VENV"
            "$VENV/bin/python" -m pip install -q datasketch >>"$LOG" 2>&1 || say "pip install datasketch failed (see $LOG)"
        fi
    fi
fi
TIMEV=()
[ -x /usr/bin/time ] && TIMEV=(/usr/bin/time -v)

# ---------------------------------------------------------------- inputs
say "== corpus: $SIZE units + $DRAFTS query drafts (seed $SEED)"
python3 bench/make_trace_corpus.py --size "$SIZE" --seed "$SEED" --drafts "$DRAFTS" --plant-pool "$SIZE" \
    --out "$OUT" --shared "$SHARED" 2>&1 | tee -a "$LOG" >&2
if [ "$SCALE_SIZE" -gt "$SIZE" ]; then
    say "== corpus: $SCALE_SIZE units (same stream: its first $SIZE units are corpus-$SIZE.tsv)"
    python3 bench/make_trace_corpus.py --size "$SCALE_SIZE" --seed "$SEED" --no-queries --out "$OUT" \
        --shared "$SHARED" 2>&1 | tee -a "$LOG" >&2
    cmp -s <(head -n "$SIZE" "$OUT/corpus-$SCALE_SIZE.tsv") "$OUT/corpus-$SIZE.tsv" \
        || { say "corpus-$SCALE_SIZE.tsv does not start with corpus-$SIZE.tsv"; exit 1; }
fi

# ---------------------------------------------------------------- accord
say "== building crates/accord-core/examples/trace_eval.rs (release)"
cargo build --release -q -p accord-core --example trace_eval 2>&1 | tee -a "$LOG" >&2
EVAL=${CARGO_TARGET_DIR:-$ROOT/target}/release/examples/trace_eval
say "   accord commit $(git rev-parse --short HEAD 2>/dev/null || echo '?')$(git diff --quiet HEAD -- crates 2>/dev/null || echo ' + uncommitted changes in crates/')"

say "== accord trace at $SIZE units"
"$EVAL" --corpus "$OUT/corpus-$SIZE.tsv" --queries "$OUT/queries" --truth "$OUT/truth.tsv" --seed "$SEED_DRAFT" \
    --runs "$RUNS" --label "$SIZE" --misses "$OUT/misses-$SIZE.tsv" | tee "$OUT/eval-$SIZE.txt"
if [ "$SCALE_SIZE" -gt "$SIZE" ]; then
    say "== accord trace at $SCALE_SIZE units"
    "${TIMEV[@]}" "$EVAL" --corpus "$OUT/corpus-$SCALE_SIZE.tsv" --queries "$OUT/queries" --truth "$OUT/truth.tsv" \
        --seed "$SEED_DRAFT" --runs "$RUNS" --label "$SCALE_SIZE" --misses "$OUT/misses-$SCALE_SIZE.tsv" \
        >"$OUT/eval-$SCALE_SIZE.txt" 2>"$OUT/eval-$SCALE_SIZE.time"
    cat "$OUT/eval-$SCALE_SIZE.txt"
    grep -E "Maximum resident|Elapsed" "$OUT/eval-$SCALE_SIZE.time" | sed 's/^\s*/   GNU time: /' | tee -a "$LOG" >&2 || true
fi

# ---------------------------------------------------------------- peers
PEER_RESULT="peer=datasketch SKIPPED"
if [ "${SKIP_PEERS:-}" = 1 ]; then
    say "== peers skipped (SKIP_PEERS=1)"
elif venv_ok && "$VENV/bin/python" -c 'import datasketch' 2>/dev/null; then
    say "== datasketch MinHash LSH Ensemble at $SIZE units (timeout ${PEER_TIMEOUT}s)"
    set +e
    timeout "$PEER_TIMEOUT" "$VENV/bin/python" bench/trace_datasketch.py "$OUT/corpus-$SIZE.tsv" "$OUT/queries" \
        "$OUT/truth.tsv" --perm "$PEER_PERM" >"$OUT/peer-datasketch-$SIZE.txt" 2>>"$LOG"
    rc=$?
    set -e
    cat "$OUT/peer-datasketch-$SIZE.txt"
    if [ $rc = 124 ]; then
        PEER_RESULT="peer=datasketch TIMEOUT after ${PEER_TIMEOUT}s"
    elif [ $rc != 0 ]; then
        PEER_RESULT="peer=datasketch FAILED rc=$rc (see $LOG)"
    else
        PEER_RESULT=$(grep '^RESULT' "$OUT/peer-datasketch-$SIZE.txt" | sed 's/^RESULT //')
    fi
else
    PEER_RESULT="peer=datasketch SKIPPED (not installed in $VENV)"
fi
say "== passim: not run (not on PyPI: the PyPI 'passim' is an unrelated password-similarity library; its source cannot be fetched here)"

# ---------------------------------------------------------------- summary
{
    echo "bench/trace.sh $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, accord $(git rev-parse --short HEAD 2>/dev/null || echo '?')"
    echo "targets: recall and precision >= 0.95 on reuses of >= 12 words; 1,000,000 units indexed < 5 min and < 4 GiB; 70-paragraph draft traced < 50 ms"
    for f in "$OUT/eval-$SIZE.txt" "$OUT/eval-$SCALE_SIZE.txt"; do
        [ -f "$f" ] && grep '^RESULT' "$f" | sed 's/^RESULT /accord /'
    done
    echo "$PEER_RESULT"
    echo "passim: not run (not on PyPI; source not fetchable here)"
    python3 - "$OUT/eval-$SIZE.txt" "$OUT/eval-$SCALE_SIZE.txt" "$OUT/peer-datasketch-$SIZE.txt" <<'PY'
import sys
def res(path):
    try:
        line = next(l for l in open(path) if l.startswith("RESULT "))
    except (OSError, StopIteration):
        return None
    return dict(kv.split("=", 1) for kv in line.split()[1:])
rows = [(f"accord @{r['units']}", r) for r in map(res, sys.argv[1:3]) if r]
peer = res(sys.argv[3])
print()
print(f"{'':24} {'recall':>7} {'verb.':>7} {'edited':>7} {'prec.':>7} {'adj.':>7} {'index s':>8} {'peak MiB':>9} {'ms/draft':>9} {'seed ms':>8}")
for name, r in rows:
    print(f"{name:24} {r['recall']:>7} {r['recall_verbatim']:>7} {r['recall_edited']:>7} {r['precision']:>7} "
          f"{r['precision_adjusted']:>7} {r['index_s']:>8} {r['vmhwm_mib']:>9} {r['trace_ms_per_draft_mean']:>9} {r.get('seed_trace_ms', '-'):>8}")
if peer:
    print(f"{'datasketch @' + peer['units']:24} {peer['recall']:>7} {peer['recall_verbatim']:>7} {peer['recall_edited']:>7} "
          f"{peer['precision']:>7} {peer['precision_adjusted']:>7} {peer['index_s']:>8} {peer['peak_rss_mib']:>9} {peer['ms_per_draft']:>9} {'-':>8}")
    print("  (datasketch: raw LSH candidates per paragraph, no alignment; precision is candidate precision)")
PY
    echo "wall time of this run: $(( $(date +%s) - START )) s"
} | tee "$OUT/summary.txt"
