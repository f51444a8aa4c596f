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
#        compilation  GET  /api/processes/ocean-data/compilation         (valdoria token)
#      reads and proposals twice: at maximum throughput (closed loop), and paced at the
#      project's target rate (READS_RATE, PROPOSALS_RATE requests/s in total; see below).
#      Each group on its own server (a fresh data dir), so no scenario sees another's
#      writes:
#        #1 reads (max, then paced)  — the demo state only;
#        #2 proposals (max)          — tables hundreds of thousands of proposals;
#        #3 proposals (paced)        — starts from the demo state again;
#        #4 compilation (max)        — the demo's proposals plus COMPILATION_PROPOSALS (500)
#           tabled first by a small keep-alive python3 client, spread over paragraphs
#           1..29 of d2 and over delegations valdoria, kestrel and norland (some on
#           behalf of g77): the size of a real negotiation, not of what #2 leaves behind
#           (a 230 MB compilation when it ran on server #2, which says nothing useful).
#   4. prints a Markdown table and writes it to bench/out/api.md (gitignored), with
#      nproc and the exact commands; raw wrk output goes to bench/out/api-*.txt and the
#      servers' stderr to bench/out/api-server-*.log.
#   5. stops the servers it started (trap), and removes the temp data dirs.
#
# How to read the numbers:
#   * "max" rows: wrk is closed-loop: each connection sends its next request when the
#     previous one is answered, so requests/s is the throughput at that concurrency and
#     p50/p99 are per-request latencies under it. At saturation, latency is at least
#     connections / throughput (1,000 connections at 50,000/s: 20 ms on average), so
#     the p99 of a max row says little about latency at the target rate.
#   * "paced" rows: the same requests at a fixed total rate (bench/api/common.lua, pace):
#     wrk's `delay` hook holds each connection until the next slot of its thread's
#     schedule, so requests go out at the target rate as long as connections are free.
#     Debian has no wrk2 (checked: `apt-cache policy wrk2` knows no such package), so
#     this is open-loop-ish pacing, not wrk2: latency runs from the moment a request is
#     written; the wait before it (the pacing, or waiting for a free connection when
#     the server falls behind) is not counted, i.e. no coordinated-omission correction
#     beyond wrk's own crude one (next point). "requests/s" is the achieved rate, to be
#     read against the target; it is slightly under (< 1 % on 10 s) because wrk divides
#     by a run time that includes stopping its threads.
#   * wrk 4.1 does apply a crude correction to every run's percentiles (stats_correct):
#     a latency of at least twice the mean per-connection interval (run time / requests
#     per connection) adds synthetic samples for the requests that interval would have
#     sent. It matters in the max rows' tails, and in the paced rows only for latencies
#     above 2 x connections / rate (40 ms for reads at 100 connections).
#   * wrk and the server share this machine's cores (2 here): wrk's two threads take CPU
#     the server does not get, so the figures are a floor for the server on its own.
#   * non-2xx/errors: statuses outside 2xx (per code for proposals, where a Lua
#     `response` hook counts them; for the GETs wrk's own count of statuses >= 400, as
#     a `response` hook would make wrk copy every large body into Lua), plus wrk socket
#     errors (connect/read/write) and timeouts (wrk 4.1 counts a timeout when a response
#     arrives later than WRK_TIMEOUT, and leaves it out of the percentiles). Requests
#     still in flight when the run ends are not counted at all (which is why the server
#     records a few more proposals than wrk counts 2xx answers).
#   * server CPU = (utime+stime delta of the server process) / wall time of the run, in
#     cores; peak RSS = the largest VmRSS of the server sampled every 0.2 s during the run.
#   * accept-queue overflows = the delta of the kernel's TcpExtListenOverflows (machine-
#     wide, /proc/net/netstat) over the run: handshakes the server's accept queue had no
#     room for (its listen backlog, from `ss -ltn`, is in the notes). Dropped at the SYN,
#     the connection opens a second later (not counted: wrk's latency starts at the
#     write); dropped at the final ACK, the client believes the connection open and its
#     first request waits for TCP retransmissions (>= 200 ms) before the server sees it,
#     which counts as latency. wrk opens all its connections at once at the start.
#   * Other work on the machine skews everything: the load average at the start is in
#     the report.
#
# Targets the project reports against: >= 5,000 reads/s and >= 1,000 proposals/s, with
# p99 < 50 ms, at 100 and at 1,000 connections. The paced rows are the check of the
# latency part; the notes give a verdict per paced row. This script only measures; it
# changes nothing in the server.
#
# Requirements — installed if missing: wrk (apt-get install wrk), curl; python3 (stdlib)
# must be present, and a Rust toolchain (cargo). wrk must be built with LuaJIT (Debian's
# is): the pacing reads a monotonic clock through LuaJIT's ffi.
#
# Knobs (env): DURATION (10s), CONNS ("100 1000"), THREADS (2), WRK_TIMEOUT (10s),
#   READS_RATE (5000), PROPOSALS_RATE (1000): total requests/s of the paced rows,
#   COMPILATION_PROPOSALS (500): proposals tabled on server #4 besides the demo's,
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
READS_RATE=${READS_RATE:-5000}
PROPOSALS_RATE=${PROPOSALS_RATE:-1000}
COMPILATION_PROPOSALS=${COMPILATION_PROPOSALS:-500}
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
for knob in READS_RATE PROPOSALS_RATE COMPILATION_PROPOSALS; do
    [[ ${!knob} =~ ^[0-9]+$ ]] || { say "$knob must be a whole number, not '${!knob}'"; exit 2; }
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
    COMMANDS+=("$SERVER_CMD    # server: $name")
    say "== server $name: $SERVER_CMD"
    # ACCORD_DATABASE_URL would switch the store to PostgreSQL: this bench measures SQLite.
    # The address-space cap (ulimit -v, in the subshell that execs the server, so only the
    # server has it) is a guard for the machine, not a tuning: memory that grows with
    # connections x body size (the compilation of many proposals) ends in the server's
    # own allocation failure, reported below, instead of the kernel's OOM killer
    # picking some other process on a shared machine.
    (
        ulimit -v $((MEM_LIMIT_GB * 1024 * 1024))
        # The write quota (429 beyond 300 at once, then 5/s per actor) would cut the
        # capacity rows short: raised here; bench/quota_flood.py measures the quota.
        exec env -u ACCORD_DATABASE_URL ACCORD_WRITE_BURST="${ACCORD_WRITE_BURST:-1000000000}" \
            ACCORD_WRITE_RATE="${ACCORD_WRITE_RATE:-1000000000}" \
            "$ACCORD" serve --demo --data-dir "$data" --addr "127.0.0.1:$port"
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
    # The listen backlog the server asked for (ss shows it as Send-Q of the listening
    # socket): 1,000 connections opened at once overflow a small one (see the header).
    BACKLOG=$(ss -ltnH "sport = :$port" 2>/dev/null | awk '{ print $3; exit }' || true)
    say "   listen backlog: ${BACKLOG:-?}"
}

# The number of proposals the valdoria token can read ("?" if the server does not answer).
proposal_count() {
    curl -sf --max-time 60 -H "Authorization: Bearer $VALDORIA" "$BASE/api/processes/$PROCESS/proposals" \
        | python3 -c 'import json, sys; print(len(json.load(sys.stdin)["proposals"]))' 2>/dev/null || echo "?"
}

# minus A B: A - B, or "?" if either is not a number.
minus() { if [[ $1 =~ ^[0-9]+$ && $2 =~ ^[0-9]+$ ]]; then echo $(($1 - $2)); else echo "?"; fi; }

# The server's start-up lines on stderr (demo tokens, demo web accounts, the serving
# line), left out when its stderr is reported: anything else is news (panics, errors).
STARTUP_RE='^(accord: loaded the demo|accord: demo web accounts|  [a-z-]+[: ]|accord: serving )'
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
    NOTES+=("THE SERVER ($SERVER_NAME) DIED $1: exit status $status$sig; its stderr after start-up: $(grep -vE "$STARTUP_RE" "$SERVER_LOG" | head -n 5 | tr '\n' ' ' | head -c 600 || true)")
    say "   ${NOTES[-1]}"
}

# cpu_ticks PID: utime + stime of the process, in clock ticks.
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
rss_mib() { awk '/^VmRSS/ { printf "%.0f", $2 / 1024 }' "/proc/$1/status"; }
CLK_TCK=$(getconf CLK_TCK)
# The kernel's count of handshakes dropped because a listener's accept queue was full
# (machine-wide: TcpExt ListenOverflows, a header line then a value line).
listen_overflows() {
    awk '$1 == "TcpExt:" { if (!col) { for (i = 2; i <= NF; i++) if ($i == "ListenOverflows") col = i } else { print $col; exit } }' \
        /proc/net/netstat 2>/dev/null || true
}

# thousands N: 5000 -> 5,000.
thousands() { printf '%s' "$1" | sed -e ':a' -e 's/\([0-9]\)\([0-9]\{3\}\)\($\|,\)/\1,\2\3/' -e 'ta'; }

COMMANDS=()
NOTES=()
# bench SCENARIO RATE CONNS URL SCRIPT [EXTRA wrk ARGS...] [-- SCRIPT ARGS]: one wrk run,
# one row. RATE is "max" (closed loop) or the total requests/s to pace at (the script
# gets rate=RATE threads=THREADS after `--`: bench/api/common.lua, pace).
bench() {
    local scenario=$1 rate=$2 conns=$3 url=$4 script=$5
    shift 5
    local load=max raw=$OUT/api-$scenario-c$conns.txt extra=("$@")
    if [ "$rate" != max ]; then
        load=paced
        raw=$OUT/api-$scenario-paced-c$conns.txt
        local has_sep=""
        for a in "${extra[@]}"; do [ "$a" != -- ] || has_sep=1; done
        [ -n "$has_sep" ] || extra+=(--)
        extra+=("rate=$rate" "threads=$THREADS")
    fi
    LAST_RAW=$raw
    local cmd=(wrk -t"$THREADS" -c"$conns" -d"$DURATION" --timeout "$WRK_TIMEOUT" --latency
        -H "Authorization: Bearer $VALDORIA" -s "$script" "${extra[@]}")
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
    local load_label=max
    [ "$rate" = max ] || load_label="$(thousands "$rate")/s"
    COMMANDS+=("${printable% }")
    say "== $scenario, $load_label, $conns connections: ${printable% }"
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then
        say "   not run: the server is gone"
        echo -e "$scenario\t$load_label\t$conns\t-\t-\t-\tnot run: the server had died\t-\t-\t-\t-\t-\t-" >>"$ROWS"
        return 0
    fi
    local t0 t1 w0 w1 o0 o1 overflows sampler peak_file=$OUT/api-peak-rss.txt
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
    o0=$(listen_overflows)
    w0=$(date +%s.%N)
    "${args[@]}" >"$raw" 2>&1 || say "   wrk exited with status $? (see $raw)"
    w1=$(date +%s.%N)
    o1=$(listen_overflows)
    overflows=$(minus "$o1" "$o0")
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
        check_server "during $scenario ($load) c$conns"
    fi
    grep -E '^(ACCORD_|  Socket errors|  Non-2xx)' "$raw" | tee -a "$LOG" >&2 || true
    local line
    line=$(grep '^ACCORD_BENCH ' "$raw" | tail -n 1 || true)
    if [ -z "$line" ]; then
        say "   no ACCORD_BENCH line from wrk; its output:"
        cat "$raw" >&2
        echo -e "$scenario\t$load_label\t$conns\t-\t-\t-\twrk failed${died:+; server died}\t-\t-\t-\t$cpu\t$rss\t$overflows" >>"$ROWS"
        return 0
    fi
    # One row: the fields of the ACCORD_BENCH line, formatted by python (see the table
    # below); for a paced run, also a verdict against the target, printed for the notes.
    local verdict
    verdict=$(python3 - "$scenario" "$rate" "$load_label" "$conns" "$cpu" "$rss" "$overflows" "$line" "$died" "$ROWS" <<'PY'
import sys
scenario, rate, load_label, conns, cpu, rss, overflows, line, died, rows = sys.argv[1:11]
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
rps = float(f["rps"])
with open(rows, "a") as out:
    print("\t".join([scenario, load_label, conns, f"{rps:,.0f}", ms(f["p50_us"]), ms(f["p99_us"]),
                     ", ".join(errs) or "0", ms(f["max_us"]), f"{done_n:,}", f"{mbps:,.0f}", cpu, rss,
                     overflows]), file=out)
if rate != "max":
    # Met: the achieved rate within 3 % of the target (wrk's run time includes stopping
    # its threads, up to ~0.1 s, so a 10 s run that kept the schedule shows ~99 %),
    # p99 under 50 ms, and no error of any kind.
    share = rps / int(rate)
    p99 = int(f["p99_us"]) / 1000
    met = done_n and share >= 0.97 and p99 < 50 and not errs
    why = [] if met else [w for w, bad in (
        (f"achieved {share:.0%} of the rate", share < 0.97),
        (f"p99 {p99:.1f} ms >= 50 ms", p99 >= 50),
        ("errors", bool(errs))) if bad]
    print(f"{scenario} {load_label} c{conns}: target {int(rate):,}/s, achieved {rps:,.0f}/s ({share:.1%}), "
          f"p50 {int(f['p50_us']) / 1000:.1f} ms, p99 {p99:.1f} ms, max {int(f['max_us']) / 1000:.1f} ms: "
          + ("TARGET MET" if met else "target NOT met (" + "; ".join(why) + ")"))
PY
    )
    tail -n 1 "$ROWS" | tee -a "$LOG" >&2
    if [ -n "$verdict" ]; then NOTES+=("$verdict"); say "   $verdict"; fi
}

# After a run with status errors on a GET: one request with curl, to show status and body.
sample_get() {
    local url=$1 code
    code=$(curl -s --max-time 60 -o "$OUT/api-sample.txt" -w '%{http_code}' -H "Authorization: Bearer $VALDORIA" "$url" || true)
    NOTES+=("after status errors, one GET $url by curl: $code $(head -c 300 "$OUT/api-sample.txt" | tr '\n' ' ')")
    say "   ${NOTES[-1]}"
}

say "== nproc $(nproc), load average $LOAD0"
BACKLOGS=()
# ---------------------------------------------------------------- reads (server #1)
start_server reads
BACKLOGS+=("reads $BACKLOG")
DRAFT_URL=$BASE/api/processes/$PROCESS/drafts/d2
# Sanity check, which also fills the server's cache of the draft's JSON.
code=$(curl -s -o "$OUT/api-draft-d2.json" -w '%{http_code}' -H "Authorization: Bearer $VALDORIA" "$DRAFT_URL")
[ "$code" = 200 ] || { say "GET $DRAFT_URL answered $code: $(head -c 300 "$OUT/api-draft-d2.json")"; exit 1; }
DRAFT_BYTES=$(stat -c %s "$OUT/api-draft-d2.json")
say "   GET drafts/d2: 200, $DRAFT_BYTES bytes"
# Closed loop first, then paced: reads change nothing, so one server serves both.
for rate in max "$READS_RATE"; do
    for c in $CONNS; do
        bench reads "$rate" "$c" "$DRAFT_URL" "$LUA/get.lua"
        if grep -qs '^ACCORD_BENCH .*err_status=[1-9]' "$LAST_RAW"; then sample_get "$DRAFT_URL"; fi
    done
done
stop_server

# ---------------------------------------------------------------- proposals (servers #2 and #3)
BODY='{"paragraph":"27","on_behalf_of":"valdoria","edit":{"kind":"insert","at":0,"text":"Furthermore, "},"rationale":"bench"}'
# check_proposal: one proposal by curl, the same request the Lua script sends.
check_proposal() {
    local code
    code=$(curl -s -o "$OUT/api-proposal-check.json" -w '%{http_code}' -X POST \
        -H "Authorization: Bearer $VALDORIA" -H 'Content-Type: application/json' \
        -H "Idempotency-Key: bench-check-$$" --data "$BODY" "$PROPOSALS_URL")
    case $code in
        2??) say "   POST proposals (check): $code $(head -c 200 "$OUT/api-proposal-check.json")" ;;
        *) say "POST $PROPOSALS_URL answered $code: $(head -c 300 "$OUT/api-proposal-check.json")"; exit 1 ;;
    esac
}
# proposals_runs RATE: the proposals rows at RATE ("max" or requests/s), one per CONNS,
# with the server's own count of proposals before and after each.
proposals_runs() {
    local rate=$1 c before after wrk_2xx tag=p
    [ "$rate" = max ] || tag=pp
    for c in $CONNS; do
        before=$(proposal_count)
        # run=: the Idempotency-Keys' prefix, distinct per run and per invocation.
        bench proposals "$rate" "$c" "$PROPOSALS_URL" "$LUA/proposals.lua" \
            -H 'Content-Type: application/json' -- "run=$tag$c-$$"
        after=$(proposal_count)
        check_server "after proposals ($rate) c$c, while counting the proposals"
        # (|| true: no ACCORD_BENCH line, e.g. the server died, is a 0 here, not an exit.)
        wrk_2xx=$( { grep -s '^ACCORD_BENCH ' "$LAST_RAW" || true; } | grep -o 'statuses=[^ ]*' \
            | tr ',=' '\n\n' | awk -F: '$1 ~ /^2/ { n += $2 } END { print n + 0 }' || true)
        NOTES+=("proposals $([ "$rate" = max ] && echo max || echo "$(thousands "$rate")/s") c$c: proposals listed before $before, after $after (+$(minus "$after" "$before")); wrk counted $wrk_2xx 2xx answers")
        say "   ${NOTES[-1]}"
    done
}
# Closed loop on #2. It tables hundreds of thousands of proposals, so the paced runs get
# a fresh server (#3) that holds the demo's few, as a real process would.
start_server proposals
BACKLOGS+=("proposals $BACKLOG")
PROPOSALS_URL=$BASE/api/processes/$PROCESS/proposals
check_proposal
proposals_runs max
stop_server
start_server proposals-paced
BACKLOGS+=("proposals-paced $BACKLOG")
PROPOSALS_URL=$BASE/api/processes/$PROCESS/proposals
check_proposal
proposals_runs "$PROPOSALS_RATE"
stop_server

# ---------------------------------------------------------------- compilation (server #4)
start_server compilation
BACKLOGS+=("compilation $BACKLOG")
COMP_URL=$BASE/api/processes/$PROCESS/compilation
# Table COMPILATION_PROPOSALS proposals the way delegations would: one keep-alive
# connection per delegation (python3's http.client), a mix of edits (insertions at
# either end, word replacements, alternatives, new paragraphs) spread over the
# paragraphs of d2 (1..29), in the delegation's own name or, for valdoria and kestrel,
# on behalf of g77 (a group both belong to). Prints "TABLED SECONDS {non-2xx: count}".
SEED=$(python3 - "$BASE" "$PROCESS" "$COMPILATION_PROPOSALS" "seed-$$" \
    "valdoria=${TOKEN[delegation:valdoria]}" "kestrel=${TOKEN[delegation:kestrel]}" \
    "norland=${TOKEN[delegation:norland]}" <<'PY' 2>>"$LOG" || echo "0 0 {\"seeding failed\": 1}"
import http.client, json, re, sys, time, urllib.parse
base, process, n, tag = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
tokens = dict(kv.split("=", 1) for kv in sys.argv[5:])
url = urllib.parse.urlsplit(base)
conns = {}
def call(who, method, path, body=None, key=None):
    c = conns.get(who)
    if c is None:
        c = conns[who] = http.client.HTTPConnection(url.hostname, url.port, timeout=60)
    headers = {"Authorization": "Bearer " + tokens[who]}
    if body is not None:
        headers["Content-Type"] = "application/json"
        body = json.dumps(body)
    if key:
        headers["Idempotency-Key"] = key
    c.request(method, path, body=body, headers=headers)
    r = c.getresponse()
    return r.status, r.read()
api = f"/api/processes/{process}"
status, raw = call("valdoria", "GET", f"{api}/drafts/d2")
if status != 200:
    sys.exit(f"GET drafts/d2: {status} {raw[:300]!r}")
# Paragraph texts, for offsets (characters: Python's str indices, as the API counts).
paras = {p["id"]: p["text"] for p in json.loads(raw)["document"]["paragraphs"]}
ids = [str(i) for i in range(1, 30) if str(i) in paras]
phrases = ["in accordance with national legislation", "as appropriate", "on a voluntary basis",
           "including small island developing States", "in line with the Convention",
           "with full respect for national sovereignty", "taking into account national circumstances"]
# (delegation whose token is used, on_behalf_of)
speakers = [("valdoria", "valdoria"), ("kestrel", "kestrel"), ("norland", "norland"),
            ("valdoria", "g77"), ("kestrel", "kestrel"), ("norland", "norland"), ("kestrel", "g77")]
tabled, bad, t0 = 0, {}, time.monotonic()
for i in range(n):
    pid = ids[i % len(ids)]
    text = paras[pid]
    who, behalf = speakers[i % len(speakers)]
    phrase = phrases[i % len(phrases)]
    words = [m.span() for m in re.finditer(r"[A-Za-z]{4,}", text)]
    kind = i % 5
    if kind == 0 or not words:
        end = len(text) - 1 if text.endswith((".", ";", ",")) else len(text)
        edit = {"kind": "insert", "at": end, "text": ", " + phrase}
    elif kind == 1:
        edit = {"kind": "insert", "at": 0, "text": phrase[0].upper() + phrase[1:] + ", "}
    elif kind == 2:
        start, stop = words[(i // 5) % len(words)]
        edit = {"kind": "replace", "span": [start, stop], "text": phrase.split()[-1]}
    elif kind == 3:
        start, stop = words[(i // 5) % len(words)]
        edit = {"kind": "alternatives", "span": [start, stop], "alternatives": [phrase]}
    else:
        edit = {"kind": "add-paragraph", "text": f"We further decide to review progress {phrase}, "
                "and to report thereon to the General Assembly at its eighty-third session."}
    body = {"paragraph": pid, "on_behalf_of": behalf, "edit": edit,
            "rationale": f"Seeded proposal {i + 1} of {n}."}
    status, raw = call(who, "POST", f"{api}/proposals", body, key=f"{tag}-{i}")
    if 200 <= status < 300:
        tabled += 1
    else:
        k = f"{status} {raw[:120].decode(errors='replace')}"
        bad[k] = bad.get(k, 0) + 1
print(f"{tabled} {time.monotonic() - t0:.2f} {json.dumps(bad)}")
PY
)
read -r SEEDED SEED_SECS SEED_BAD <<<"$SEED"
PROPOSALS_TOTAL=$(proposal_count)
NOTES+=("compilation: tabled $SEEDED of $COMPILATION_PROPOSALS proposals in $SEED_SECS s before the runs (python3 http.client, keep-alive; valdoria, kestrel and norland, some on behalf of g77; paragraphs 1..29 of d2)$([ "$SEED_BAD" = '{}' ] || echo "; NOT 2xx: $SEED_BAD")")
say "   ${NOTES[-1]}"
COMMANDS+=("# python3 (bench/api.sh): $COMPILATION_PROPOSALS x POST .../proposals, tokens of delegation:valdoria, :kestrel, :norland")
# One GET by curl first (it also fills the server's cache of the compilation JSON).
# Not fatal: a server that fails here is what the compilation rows are about.
comp=$(curl -s --max-time 300 -o "$OUT/api-compilation.json" -w '%{http_code} %{time_total}' \
    -H "Authorization: Bearer $VALDORIA" "$COMP_URL" || true)
COMP_BYTES=$(stat -c %s "$OUT/api-compilation.json" 2>/dev/null || echo 0)
# Live proposals in it (decided or withdrawn ones are listed by .../proposals but not here).
COMP_LIVE=$(python3 -c 'import json, sys; print(sum(len(p.get("proposals", [])) for p in json.load(open(sys.argv[1]))["paragraphs"]))' \
    "$OUT/api-compilation.json" 2>/dev/null || echo "?")
NOTES+=("compilation: $PROPOSALS_TOTAL proposals in the process (GET .../proposals: the demo's and the seeded ones), $COMP_LIVE of them live in the compilation; one GET .../compilation by curl first: status ${comp% *} in ${comp#* } s, body $COMP_BYTES bytes")
say "   ${NOTES[-1]}"
check_server "at that first GET of the compilation"
for c in $CONNS; do
    bench compilation max "$c" "$COMP_URL" "$LUA/get.lua"
    if grep -qs '^ACCORD_BENCH .*err_status=[1-9]' "$LAST_RAW"; then sample_get "$COMP_URL"; fi
done
stop_server

# Anything the servers said besides the start-up lines (panics, store errors ...).
for name in reads proposals proposals-paced compilation; do
    [ -z "${DIED[$name]:-}" ] || continue # already reported with its stderr
    extra=$(grep -vE "$STARTUP_RE" "$OUT/api-server-$name.log" || true)
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
    echo "Load average at the start: $LOAD0, at the end: $(cut -d' ' -f1-3 /proc/loadavg) (other work on the machine skews the figures; the runs themselves add ~2). Server address space capped at $MEM_LIMIT_GB GiB (ulimit -v)."
    echo "wrk and the server share the machine's cores. Each run: $DURATION, $THREADS wrk threads, timeout $WRK_TIMEOUT; SQLite store (WAL, synchronous=FULL) in a fresh temp dir per server."
    echo "load \"max\": closed loop (each connection sends when answered): requests/s is the throughput. load \"N/s\": paced at N requests/s in total by wrk's delay() hook (bench/api/common.lua; open-loop-ish, not wrk2: waiting before the write is not counted as latency): requests/s is the achieved rate."
    echo "Targets: >= $(thousands "$READS_RATE") reads/s, >= $(thousands "$PROPOSALS_RATE") proposals/s, p99 < 50 ms, at 100 and 1,000 connections (the paced rows)."
    echo
    echo "| scenario | load | connections | requests/s | p50 | p99 | non-2xx/errors | max | requests | MB/s received | server CPU (cores) | server peak RSS (MiB) | accept-queue overflows |"
    echo "| --- | --- | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |"
    while IFS=$'\t' read -r sc ld co rps p50 p99 errs mx n mbps cpu rss ovf; do
        echo "| $sc | $ld | $co | $rps | $p50 | $p99 | $errs | $mx | $n | $mbps | $cpu | $rss | $ovf |"
    done <"$ROWS"
    echo
    echo "- reads: GET drafts/d2, body $DRAFT_BYTES bytes."
    for n in "${NOTES[@]}"; do echo "- $n"; done
    backlogs=$(printf '%s, ' "${BACKLOGS[@]}")
    echo "- the servers' listen backlog (ss -ltn, Send-Q of the listening socket): ${backlogs%, }."
    echo
    echo "Commands (run from the repo root; \$VALDORIA = the delegation:valdoria token the server printed):"
    echo
    echo '```'
    echo "ulimit -n $(ulimit -n)"
    echo "cargo build --release -p accord-cli"
    for cmd in "${COMMANDS[@]}"; do echo "$cmd"; done
    echo "curl -s -H \"Authorization: Bearer \$VALDORIA\" http://127.0.0.1:PORT/api/processes/$PROCESS/proposals | python3 -c 'import json,sys; print(len(json.load(sys.stdin)[\"proposals\"]))'"
    echo '```'
    echo
    echo "Total time of bench/api.sh: ${ELAPSED} s (build included). Raw wrk output: bench/out/api-*.txt."
} >"$OUT/api.md"
echo >&2
cat "$OUT/api.md"
