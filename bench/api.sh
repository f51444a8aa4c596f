#!/usr/bin/env bash
# bench/api.sh — load benchmark of Accord's JSON API (`accord serve`) on loopback, with wrk.
#
#   Usage (from anywhere):   bash bench/api.sh
#
# What it does:
#   1. cargo build --release -p accord-cli  (target/release/accord)
#   2. starts `accord serve --demo` on a fresh temp data dir (SQLite, synchronous=FULL),
#      reads the demo API tokens it prints on stderr, waits for /api/health.
#   3. runs, each with 100 and then 1,000 concurrent connections (wrk -t2, DURATION each):
#        reads        GET  /api/processes/ocean-data/drafts/d2           (valdoria token)
#        proposals    POST /api/processes/ocean-data/proposals           (valdoria token,
#                     a unique Idempotency-Key per request: bench/api/proposals.lua)
#        compilation  GET  /api/processes/ocean-data/compilation         (valdoria token,
#                     after the proposals runs, so it carries every proposal they tabled)
#      Reads run on server #1; proposals and then compilation on server #2 (a fresh data
#      dir), so the reads see the demo state only and the compilation sees the proposals.
#   4. prints a Markdown table and writes it to bench/out/api.md (gitignored), with
#      nproc and the exact commands; raw wrk output goes to bench/out/api-*.txt and the
#      servers' stderr to bench/out/api-server-*.log.
#   5. stops the servers it started (trap), and removes the temp data dirs.
#
# How to read the numbers:
#   * wrk is closed-loop: each connection sends its next request when the previous one
#     is answered, so requests/s is the throughput at that concurrency and p50/p99 are
#     per-request latencies under it (wrk, not wrk2: no coordinated-omission correction).
#   * wrk and the server share this machine's cores (2 here): wrk's two threads take CPU
#     the server does not get, so the figures are a floor for the server on its own.
#   * non-2xx/errors: statuses outside 2xx (per code for proposals, where a Lua
#     `response` hook counts them; for the GETs wrk's own count of statuses >= 400, as
#     a `response` hook would make wrk copy every large body into Lua), plus wrk socket
#     errors (connect/read/write) and timeouts (wrk counts, every 2 s, each connection
#     whose request is older than WRK_TIMEOUT, so one slow request can count several
#     times; such requests are left out of the latency percentiles). Requests still in
#     flight when the run ends are not counted at all (which is why the server records a
#     few more proposals than wrk counts 2xx answers).
#   * server CPU = (utime+stime delta of the server process) / wall time of the run, in
#     cores; peak RSS = the largest VmRSS of the server sampled every 0.2 s during the run.
#   * Other work on the machine skews everything: the load average at the start is in
#     the report.
#
# Targets the project reports against: >= 5,000 reads/s and >= 1,000 proposals/s, with
# p99 < 50 ms. This script only measures; it changes nothing in the server.
#
# Requirements — installed if missing: wrk (apt-get install wrk), curl; python3 (stdlib)
# must be present, and a Rust toolchain (cargo).
#
# Knobs (env): DURATION (10s), CONNS ("100 1000"), THREADS (2), WRK_TIMEOUT (10s),
#   MEM_LIMIT_GB (8: the server's address-space cap, see start_server),
#   SKIP_BUILD=1 (use the existing target/release/accord), SKIP_INSTALL=1.
set -euo pipefail
export LC_ALL=C
START_SECONDS=$SECONDS
LOAD0=$(cut -d' ' -f1-3 /proc/loadavg)

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
OUT=bench/out
mkdir -p "$OUT"
LUA=$ROOT/bench/api
DURATION=${DURATION:-10s}
CONNS=${CONNS:-100 1000}
THREADS=${THREADS:-2}
WRK_TIMEOUT=${WRK_TIMEOUT:-10s}
MEM_LIMIT_GB=${MEM_LIMIT_GB:-8}
PROCESS=ocean-data
LOG=$OUT/api-bench.log
ROWS=$OUT/api-rows.tsv
: >"$LOG"
: >"$ROWS"

say() { printf '%s\n' "$*" | tee -a "$LOG" >&2; }

# ---------------------------------------------------------------- installs
SUDO=()
if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null; then SUDO=(sudo); fi
if [ "${SKIP_INSTALL:-}" != 1 ]; then
    apt=()
    command -v wrk >/dev/null || apt+=(wrk)
    command -v curl >/dev/null || apt+=(curl)
    if ((${#apt[@]})); then
        say "installing with apt-get: ${apt[*]}"
        # apt-get update once, before the install: the package lists may be absent or stale.
        "${SUDO[@]}" apt-get update -qq >>"$LOG" 2>&1 || say "apt-get update failed (see $LOG)"
        DEBIAN_FRONTEND=noninteractive "${SUDO[@]}" apt-get install -y -qq "${apt[@]}" >>"$LOG" 2>&1 \
            || say "apt-get install ${apt[*]} failed (see $LOG)"
    fi
fi
for tool in wrk curl python3; do
    command -v "$tool" >/dev/null || { say "$tool is required (apt-get install $tool)"; exit 2; }
done

# 1,000 connections: wrk holds 1,000 sockets and the server 1,000 more (plus its own
# files); the usual soft limit of 1,024 descriptors is not enough. Raised here, for
# this shell and its children (wrk, the server).
if [ "$(ulimit -n)" != unlimited ] && [ "$(ulimit -n)" -lt 4096 ]; then
    ulimit -n 4096 || { say "cannot raise the open-files limit to 4096 (hard limit: $(ulimit -Hn))"; exit 2; }
fi

# ---------------------------------------------------------------- build
ACCORD=$ROOT/target/release/accord
if [ "${SKIP_BUILD:-}" != 1 ]; then
    say "== building: cargo build --release -p accord-cli"
    cargo build --release -q -p accord-cli 2>&1 | tee -a "$LOG" >&2
fi
[ -x "$ACCORD" ] || { say "no binary at $ACCORD"; exit 2; }

# ---------------------------------------------------------------- servers
SERVER_PID=""
SERVER_LOG=""
TMPDIRS=()
stop_server() {
    if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
        kill "$SERVER_PID" 2>/dev/null || true
        # SIGTERM ends it (its graceful shutdown only listens for SIGINT); give it 10 s.
        for _ in $(seq 100); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
        kill -9 "$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true
    fi
    SERVER_PID=""
}
cleanup() {
    stop_server
    for d in "${TMPDIRS[@]}"; do rm -rf "$d"; done
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

declare -A TOKEN
# start_server NAME: a fresh data dir, `accord serve --demo`, tokens into TOKEN[...].
start_server() {
    local name=$1 data port
    data=$(mktemp -d /tmp/accord-bench-api.XXXXXX)
    TMPDIRS+=("$data")
    port=$(free_port)
    SERVER_LOG=$OUT/api-server-$name.log
    BASE=http://127.0.0.1:$port
    SERVER_CMD="target/release/accord serve --demo --data-dir $data --addr 127.0.0.1:$port"
    say "== server $name: $SERVER_CMD"
    # ACCORD_DATABASE_URL would switch the store to PostgreSQL: this bench measures SQLite.
    # The address-space cap (ulimit -v, in the subshell that execs the server, so only the
    # server has it) is a guard for the machine, not a tuning: memory that grows with
    # connections x body size (the compilation of many proposals) ends in the server's
    # own allocation failure, reported below, instead of the kernel's OOM killer
    # picking some other process on a shared machine.
    (
        ulimit -v $((MEM_LIMIT_GB * 1024 * 1024))
        exec env -u ACCORD_DATABASE_URL "$ACCORD" serve --demo --data-dir "$data" --addr "127.0.0.1:$port"
    ) 2>"$SERVER_LOG" >/dev/null &
    SERVER_PID=$!
    SERVER_NAME=$name
    local ok=""
    for _ in $(seq 300); do
        if curl -sf "$BASE/api/health" >/dev/null 2>&1; then ok=1; break; fi
        kill -0 "$SERVER_PID" 2>/dev/null || break
        sleep 0.1
    done
    if [ -z "$ok" ]; then
        say "server $name did not answer $BASE/api/health within 30 s; its stderr:"
        cat "$SERVER_LOG" >&2
        exit 1
    fi
    # The demo prints `  ROLE<padding> acc_SECRET` per token; the serving line comes after
    # them, and the health check passed, so they are all in the log by now.
    TOKEN=()
    local who
    for who in delegation:valdoria delegation:kestrel delegation:norland co-facilitator:Norland; do
        TOKEN[$who]=$(awk -v w="$who" '$1 == w && $2 ~ /^acc_/ { print $2; exit }' "$SERVER_LOG")
        [ -n "${TOKEN[$who]}" ] || { say "no token for $who in $SERVER_LOG"; cat "$SERVER_LOG" >&2; exit 1; }
    done
    VALDORIA=${TOKEN[delegation:valdoria]}
    say "   tokens: valdoria=$VALDORIA kestrel=${TOKEN[delegation:kestrel]} norland=${TOKEN[delegation:norland]} co-facilitator:Norland=${TOKEN[co-facilitator:Norland]}"
}

# The number of proposals the valdoria token can read ("?" if the server does not answer).
proposal_count() {
    curl -sf --max-time 60 -H "Authorization: Bearer $VALDORIA" "$BASE/api/processes/$PROCESS/proposals" \
        | python3 -c 'import json, sys; print(len(json.load(sys.stdin)["proposals"]))' 2>/dev/null || echo "?"
}

# minus A B: A - B, or "?" if either is not a number.
minus() { if [[ $1 =~ ^[0-9]+$ && $2 =~ ^[0-9]+$ ]]; then echo $(($1 - $2)); else echo "?"; fi; }

declare -A DIED
# check_server WHEN: if the server has died, a note with its exit status and the end
# of its stderr (e.g. Rust's "memory allocation of N bytes failed" before SIGABRT).
check_server() {
    [ -n "$SERVER_PID" ] || return 0
    kill -0 "$SERVER_PID" 2>/dev/null && return 0
    local status=0 sig=""
    wait "$SERVER_PID" 2>/dev/null || status=$?
    SERVER_PID=""
    DIED[$SERVER_NAME]=1
    if ((status > 128)); then sig=", signal $((status - 128)) ($(kill -l $((status - 128)) 2>/dev/null || echo '?'))"; fi
    NOTES+=("THE SERVER ($SERVER_NAME) DIED $1: exit status $status$sig; its stderr after start-up: $(grep -vE '^(accord: loaded the demo|  [a-z-]+:|accord: serving )' "$SERVER_LOG" | head -n 5 | tr '\n' ' ' | head -c 600 || true)")
    say "   ${NOTES[-1]}"
}

# cpu_ticks PID: utime + stime of the process, in clock ticks.
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
rss_mib() { awk '/^VmRSS/ { printf "%.0f", $2 / 1024 }' "/proc/$1/status"; }
CLK_TCK=$(getconf CLK_TCK)

COMMANDS=()
NOTES=()
# bench SCENARIO CONNS URL SCRIPT [EXTRA wrk ARGS...] [-- SCRIPT ARGS]: one wrk run, one row.
bench() {
    local scenario=$1 conns=$2 url=$3 script=$4
    shift 4
    local raw=$OUT/api-$scenario-c$conns.txt
    local cmd=(wrk -t"$THREADS" -c"$conns" -d"$DURATION" --timeout "$WRK_TIMEOUT" --latency
        -H "Authorization: Bearer $VALDORIA" -s "$script" "$@")
    # wrk takes the URL before the script's own arguments (after `--`).
    local args=() url_done=""
    for a in "${cmd[@]}"; do
        if [ "$a" = -- ] && [ -z "$url_done" ]; then args+=("$url"); url_done=1; fi
        args+=("$a")
    done
    [ -n "$url_done" ] || args+=("$url")
    local printable
    printable=$(for a in "${args[@]}"; do
        a=${a//$VALDORIA/\$VALDORIA}
        a=${a//$ROOT\//}
        if [[ $a =~ ^[A-Za-z0-9_./:=@%+,-]+$ ]]; then printf '%s ' "$a"; else printf '"%s" ' "$a"; fi
    done)
    COMMANDS+=("$scenario c$conns: ${printable% }")
    say "== $scenario, $conns connections: ${printable% }"
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then
        say "   not run: the server is gone"
        echo -e "$scenario\t$conns\t-\t-\t-\tnot run: the server had died\t-\t-\t-\t-\t-" >>"$ROWS"
        return 0
    fi
    local t0 t1 w0 w1 sampler peak_file=$OUT/api-peak-rss.txt
    # Peak RSS of the server during the run, sampled in the background (stopped below).
    echo 0 >"$peak_file"
    (
        peak=0
        while kill -0 "$SERVER_PID" 2>/dev/null; do
            r=$(rss_mib "$SERVER_PID" 2>/dev/null || echo 0)
            if [ "${r:-0}" -gt "$peak" ]; then peak=$r; echo "$peak" >"$peak_file"; fi
            sleep 0.2
        done
    ) &
    sampler=$!
    t0=$(cpu_ticks "$SERVER_PID")
    w0=$(date +%s.%N)
    "${args[@]}" >"$raw" 2>&1 || say "   wrk exited with status $? (see $raw)"
    w1=$(date +%s.%N)
    kill "$sampler" 2>/dev/null || true
    wait "$sampler" 2>/dev/null || true
    local cpu rss died=""
    rss=$(cat "$peak_file")
    if kill -0 "$SERVER_PID" 2>/dev/null; then
        t1=$(cpu_ticks "$SERVER_PID")
        cpu=$(python3 -c "print(f'{($t1 - $t0) / $CLK_TCK / ($w1 - $w0):.2f}')")
    else
        cpu="-"
        died="server died"
        check_server "during $scenario c$conns"
    fi
    grep -E '^(ACCORD_|  Socket errors|  Non-2xx)' "$raw" | tee -a "$LOG" >&2 || true
    local line
    line=$(grep '^ACCORD_BENCH ' "$raw" | tail -n 1 || true)
    if [ -z "$line" ]; then
        say "   no ACCORD_BENCH line from wrk; its output:"
        cat "$raw" >&2
        echo -e "$scenario\t$conns\t-\t-\t-\twrk failed${died:+; server died}\t-\t-\t-\t$cpu\t$rss" >>"$ROWS"
        return 0
    fi
    # One row: the fields of the ACCORD_BENCH line, formatted by python (see the table below).
    python3 - "$scenario" "$conns" "$cpu" "$rss" "$line" "$died" >>"$ROWS" <<'PY'
import sys
scenario, conns, cpu, rss, line, died = sys.argv[1:7]
f = dict(kv.split("=", 1) for kv in line.split()[1:])
done_n = int(f["requests"])
# wrk's percentiles of zero completed requests are 0: print "-" rather than 0.0 ms.
ms = lambda us: f"{int(us) / 1000:.1f} ms" if done_n else "-"
errs = []
if not done_n:
    errs.append("no request completed within the run")
codes = f["statuses"]
if codes != "-":
    # Per-status counts from the response hook: report everything outside 2xx.
    bad = [c for c in codes.split(",") if not c.split(":")[0].startswith("2")]
    errs += [f"{c.split(':')[1]}× {c.split(':')[0]}" for c in bad]
elif int(f["err_status"]):
    errs.append(f"{f['err_status']}× status >= 400")
for k in ("connect", "read", "write", "timeout"):
    if int(f["err_" + k]):
        errs.append(f"{k} errors {f['err_' + k]}")
if died:
    errs.append("server died")
mbps = int(f["bytes"]) / 1e6 / float(f["duration_s"])
print("\t".join([scenario, conns, f"{float(f['rps']):,.0f}", ms(f["p50_us"]), ms(f["p99_us"]),
                 ", ".join(errs) or "0", ms(f["max_us"]), f"{done_n:,}", f"{mbps:,.0f}", cpu, rss]))
PY
    tail -n 1 "$ROWS" | tee -a "$LOG" >&2
}

# After a run with status errors on a GET: one request with curl, to show status and body.
sample_get() {
    local url=$1 code
    code=$(curl -s --max-time 60 -o "$OUT/api-sample.txt" -w '%{http_code}' -H "Authorization: Bearer $VALDORIA" "$url" || true)
    NOTES+=("after status errors, one GET $url by curl: $code $(head -c 300 "$OUT/api-sample.txt" | tr '\n' ' ')")
    say "   ${NOTES[-1]}"
}

say "== nproc $(nproc), load average $LOAD0"
# ---------------------------------------------------------------- reads (server #1)
start_server reads
DRAFT_URL=$BASE/api/processes/$PROCESS/drafts/d2
# Sanity check, which also fills the server's cache of the draft's JSON.
code=$(curl -s -o "$OUT/api-draft-d2.json" -w '%{http_code}' -H "Authorization: Bearer $VALDORIA" "$DRAFT_URL")
[ "$code" = 200 ] || { say "GET $DRAFT_URL answered $code: $(head -c 300 "$OUT/api-draft-d2.json")"; exit 1; }
DRAFT_BYTES=$(stat -c %s "$OUT/api-draft-d2.json")
say "   GET drafts/d2: 200, $DRAFT_BYTES bytes"
for c in $CONNS; do
    bench reads "$c" "$DRAFT_URL" "$LUA/get.lua"
    if grep -q '^ACCORD_BENCH .*err_status=[1-9]' "$OUT/api-reads-c$c.txt"; then sample_get "$DRAFT_URL"; fi
done
stop_server
READS_SERVER_CMD=$SERVER_CMD

# ---------------------------------------------------------------- proposals + compilation (server #2)
start_server proposals
PROPOSALS_URL=$BASE/api/processes/$PROCESS/proposals
COMP_URL=$BASE/api/processes/$PROCESS/compilation
BODY='{"paragraph":"27","on_behalf_of":"valdoria","edit":{"kind":"insert","at":0,"text":"Furthermore, "},"rationale":"bench"}'
# Sanity check: one proposal by curl, the same request the Lua script sends.
code=$(curl -s -o "$OUT/api-proposal-check.json" -w '%{http_code}' -X POST \
    -H "Authorization: Bearer $VALDORIA" -H 'Content-Type: application/json' \
    -H "Idempotency-Key: bench-check-$$" --data "$BODY" "$PROPOSALS_URL")
case $code in
    2??) say "   POST proposals (check): $code $(head -c 200 "$OUT/api-proposal-check.json")" ;;
    *) say "POST $PROPOSALS_URL answered $code: $(head -c 300 "$OUT/api-proposal-check.json")"; exit 1 ;;
esac
for c in $CONNS; do
    before=$(proposal_count)
    # RUN tag for the Idempotency-Keys: distinct per run, and per invocation of this script.
    bench proposals "$c" "$PROPOSALS_URL" "$LUA/proposals.lua" \
        -H 'Content-Type: application/json' -- "p$c-$$"
    after=$(proposal_count)
    check_server "after proposals c$c, while counting the proposals"
    wrk_2xx=$(grep '^ACCORD_BENCH ' "$OUT/api-proposals-c$c.txt" | grep -o 'statuses=[^ ]*' \
        | tr ',=' '\n\n' | awk -F: '$1 ~ /^2/ { n += $2 } END { print n + 0 }')
    NOTES+=("proposals c$c: proposals listed before $before, after $after (+$(minus "$after" "$before")); wrk counted $wrk_2xx 2xx answers")
    say "   ${NOTES[-1]}"
done
PROPOSALS_TOTAL=$after
# One GET by curl first (it also fills the server's cache of the compilation JSON).
# Not fatal: a server that fails here is what the compilation rows are about.
comp=$(curl -s --max-time 300 -o "$OUT/api-compilation.json" -w '%{http_code} %{time_total}' \
    -H "Authorization: Bearer $VALDORIA" "$COMP_URL" || true)
COMP_BYTES=$(stat -c %s "$OUT/api-compilation.json" 2>/dev/null || echo 0)
rm -f "$OUT/api-compilation.json" # up to hundreds of MB; only its size is reported
NOTES+=("compilation: $PROPOSALS_TOTAL proposals in the process (GET .../proposals); one GET .../compilation by curl first: status ${comp% *} in ${comp#* } s, body $COMP_BYTES bytes")
say "   ${NOTES[-1]}"
check_server "at that first GET of the compilation"
for c in $CONNS; do
    bench compilation "$c" "$COMP_URL" "$LUA/get.lua"
    if grep -q '^ACCORD_BENCH .*err_status=[1-9]' "$OUT/api-compilation-c$c.txt"; then sample_get "$COMP_URL"; fi
done
stop_server
PROPOSALS_SERVER_CMD=$SERVER_CMD

# Anything the servers said besides the start-up lines (panics, store errors ...).
for name in reads proposals; do
    [ -z "${DIED[$name]:-}" ] || continue # already reported with its stderr
    extra=$(grep -vE '^(accord: loaded the demo|  [a-z-]+:|accord: serving )' "$OUT/api-server-$name.log" || true)
    if [ -n "$extra" ]; then
        NOTES+=("server $name stderr beyond start-up: $(printf '%s' "$extra" | head -c 600 | tr '\n' ' ')")
        say "   ${NOTES[-1]}"
    fi
done

# ---------------------------------------------------------------- report
ELAPSED=$((SECONDS - START_SECONDS))
{
    echo "# Accord JSON API under load (bench/api.sh)"
    echo
    echo "$(date -u +%Y-%m-%dT%H:%MZ), accord $(git rev-parse --short HEAD 2>/dev/null || echo '?')$(git diff --quiet HEAD -- crates 2>/dev/null || echo ' + uncommitted changes in crates/'), nproc $(nproc), cpu: $(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo), $(wrk -v 2>&1 | head -n 1 | awk '{ print $1, $2 }'), open files $(ulimit -n)."
    echo "Load average at the start: $LOAD0 (other work on the machine skews the figures). Server address space capped at $MEM_LIMIT_GB GiB (ulimit -v)."
    echo "wrk and the server share the machine's cores. Each run: $DURATION, $THREADS wrk threads, closed loop, timeout $WRK_TIMEOUT; SQLite store (WAL, synchronous=FULL) in a fresh temp dir."
    echo "Targets: >= 5,000 reads/s, >= 1,000 proposals/s, p99 < 50 ms."
    echo
    echo "| scenario | connections | requests/s | p50 | p99 | non-2xx/errors | max | requests | MB/s received | server CPU (cores) | server peak RSS (MiB) |"
    echo "| --- | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: |"
    while IFS=$'\t' read -r sc co rps p50 p99 errs mx n mbps cpu rss; do
        echo "| $sc | $co | $rps | $p50 | $p99 | $errs | $mx | $n | $mbps | $cpu | $rss |"
    done <"$ROWS"
    echo
    echo "- reads: GET drafts/d2, body $DRAFT_BYTES bytes."
    for n in "${NOTES[@]}"; do echo "- $n"; done
    echo
    echo "Commands (run from the repo root; \$VALDORIA = the delegation:valdoria token the server printed):"
    echo
    echo '```'
    echo "ulimit -n $(ulimit -n)"
    echo "cargo build --release -p accord-cli"
    echo "$READS_SERVER_CMD    # server #1: reads"
    for cmd in "${COMMANDS[@]}"; do case $cmd in reads*) echo "${cmd#*: }" ;; esac; done
    echo "$PROPOSALS_SERVER_CMD    # server #2: proposals, then compilation"
    for cmd in "${COMMANDS[@]}"; do case $cmd in reads*) ;; *) echo "${cmd#*: }" ;; esac; done
    echo "curl -s -H \"Authorization: Bearer \$VALDORIA\" http://127.0.0.1:PORT/api/processes/$PROCESS/proposals | python3 -c 'import json,sys; print(len(json.load(sys.stdin)[\"proposals\"]))'"
    echo '```'
    echo
    echo "Total time of bench/api.sh: ${ELAPSED} s (build included). Raw wrk output: bench/out/api-*.txt."
} >"$OUT/api.md"
echo >&2
cat "$OUT/api.md"
