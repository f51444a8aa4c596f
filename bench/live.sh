#!/usr/bin/env bash
# bench/live.sh — the live screen (server-sent events) with many concurrent viewers, on loopback.
#
#   Usage (from anywhere):   bash bench/live.sh
#
# What it does, for each N in VIEWERS (100, 500, 2,000):
#   1. starts a fresh `accord serve --demo` (a new temp data dir, so every N starts from the
#      demo state) and reads from its stderr the co-facilitator:Norland API token, the demo
#      web accounts of the delegations and their password;
#   2. bench/live_viewers.py logs those delegation accounts in through the web form (the live
#      screen is for the delegations of the process, not the public), opens N connections to
#      GET /p/ocean-data/live/13/events spread over their session cookies (several viewers per
#      account: the session lookup is the same as for distinct people, and the demo has only
#      four delegations), waits until every one has its initial `event: paragraph`, then
#      makes EDITS compromise edits of paragraph 13 as the co-facilitator
#      (POST /api/processes/ocean-data/working/13/compromise, base_revision = the previous
#      edit's revision), one every INTERVAL seconds, and times each delivery: from just before
#      the POST is written to when the viewer's bytes carrying that revision (text checked) are
#      handled by the client;
#   3. stops the server. The table goes to stdout and bench/out/live.md (gitignored); each
#      N's raw results to bench/out/live-N.json, the servers' stderr to
#      bench/out/live-server-N.log.
#
# How to read the numbers:
#   * The client (one Python asyncio process, one thread) and the server share this machine's
#     cores (2 here). A delivery's latency includes the client's own delay: when an edit goes
#     out to N sockets at once, the client handles them one after the other, so the viewer it
#     handles last is stamped late by the client's own work ("client CPU per edit" in the
#     table). "client loop lag" is how late a 10 ms timer fires in the client
#     during the edits: a direct measure of that delay. The figures are therefore an upper
#     bound for what the server alone would do; real viewers are on their own machines.
#   * p50/p99/max are over every delivery (N x EDITS); "first / last viewer of an edit" is, for
#     each edit, the time until the first and until the last viewer had it (the median edit's).
#   * server CPU = utime+stime of the server process (from /proc) over the edit phase (from
#     the first POST until every viewer had the last edit), divided by the edits, and in
#     cores over that phase (mostly idle: edits are INTERVAL apart); and over the connect phase;
#     RSS "with viewers" is VmRSS once all N are connected, "peak" is VmHWM at the end (the
#     peak of the fresh server's whole life, start-up included).
#   * Lost deliveries = N x edits - deliveries matched; a viewer that got an edit twice, out of
#     order, with the wrong text, or an event for a revision nobody made is reported too.
#   * Anything else running on the machine skews everything: the load average at the start
#     and the end is in the report.
#
# Target (the issue): an edit reaches all of 2,000 viewers with p99 latency under 250 ms, and
# nothing is lost. This script only measures; it changes nothing in the server.
#
# Requirements: python3 (stdlib only), curl, a Rust toolchain (cargo). Knobs (env):
#   VIEWERS ("100 500 2000"), EDITS (20), INTERVAL (0.3 s), CONNECT_BATCH (100: connection
#   set-ups in flight at once; the server's listen backlog is 128), DRAIN (10 s: how long to
#   wait for stragglers after the last edit), SKIP_BUILD=1 (use target/release/accord as it is).
set -euo pipefail
export LC_ALL=C

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
OUT=bench/out
mkdir -p "$OUT"
VIEWERS=${VIEWERS:-100 500 2000}
EDITS=${EDITS:-20}
INTERVAL=${INTERVAL:-0.3}
CONNECT_BATCH=${CONNECT_BATCH:-100}
DRAIN=${DRAIN:-10}
PROCESS=ocean-data
PARAGRAPH=13
LOG=$OUT/live-bench.log
: >"$LOG"
LOAD0=$(cut -d' ' -f1-3 /proc/loadavg)
UPTIME0=$(uptime)

say() { printf '%s\n' "$*" | tee -a "$LOG" >&2; }

for tool in python3 curl; do
    command -v "$tool" >/dev/null || { say "$tool is required (apt-get install $tool)"; exit 2; }
done
for n in $VIEWERS $EDITS $CONNECT_BATCH; do
    [[ $n =~ ^[0-9]+$ ]] || { say "VIEWERS, EDITS and CONNECT_BATCH must be whole numbers, not '$n'"; exit 2; }
done

# Every viewer is a socket in the client and another in the server, both of which inherit
# this shell's limit: raise the soft open-files limit for this shell and its children.
MAXN=$(printf '%s\n' $VIEWERS | sort -n | tail -n 1)
NEED=$((MAXN + 1024))
if [ "$(ulimit -n)" != unlimited ] && [ "$(ulimit -n)" -lt "$NEED" ]; then
    ulimit -n "$NEED" 2>/dev/null || { say "cannot raise the open-files limit to $NEED (hard limit: $(ulimit -Hn))"; exit 2; }
fi

# ---------------------------------------------------------------- build
ACCORD=$ROOT/target/release/accord
if [ "${SKIP_BUILD:-}" != 1 ]; then
    say "== building: cargo build --release -p accord-cli"
    cargo build --release -q -p accord-cli 2>&1 | tee -a "$LOG" >&2
fi
[ -x "$ACCORD" ] || { say "no binary at $ACCORD"; exit 2; }

# ---------------------------------------------------------------- server handling
SERVER_PID=""
TMPDIRS=()
stop_server() {
    if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
        kill "$SERVER_PID" 2>/dev/null || true
        # SIGTERM ends it; give it 10 s, then SIGKILL, so a stuck server cannot outlive us.
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
# The trap stops whatever server is running and removes the temp dirs on any exit, error
# or Ctrl-C included.
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# The kernel's count of handshakes dropped because a listener's accept queue was full
# (machine-wide: TcpExt ListenOverflows): should stay 0 with CONNECT_BATCH < the backlog.
listen_overflows() {
    awk '$1 == "TcpExt:" { if (!col) { for (i = 2; i <= NF; i++) if ($i == "ListenOverflows") col = i } else { print $col; exit } }' \
        /proc/net/netstat 2>/dev/null || echo "?"
}

# start_server N: a fresh data dir and `accord serve --demo`; sets SERVER_PID, BASE, TOKEN.
start_server() {
    local n=$1 data port
    data=$(mktemp -d /tmp/accord-bench-live.XXXXXX)
    TMPDIRS+=("$data")
    port=$(free_port)
    SERVER_LOG=$OUT/live-server-$n.log
    BASE=http://127.0.0.1:$port
    SERVER_CMD="target/release/accord serve --demo --data-dir $data --addr 127.0.0.1:$port"
    say "== N=$n: $SERVER_CMD"
    # ACCORD_DATABASE_URL would switch the store to PostgreSQL: this bench uses the default SQLite.
    env -u ACCORD_DATABASE_URL "$ACCORD" serve --demo --data-dir "$data" --addr "127.0.0.1:$port" \
        2>"$SERVER_LOG" >/dev/null &
    SERVER_PID=$!
    local ok=""
    for _ in $(seq 300); do
        if curl -sf "$BASE/api/health" >/dev/null 2>&1; then ok=1; break; fi
        kill -0 "$SERVER_PID" 2>/dev/null || break
        sleep 0.1
    done
    if [ -z "$ok" ]; then
        say "the server did not answer $BASE/api/health within 30 s; its stderr:"
        cat "$SERVER_LOG" >&2
        exit 1
    fi
    # The demo prints `  ROLE<padding> acc_SECRET` per token, before the serving line.
    TOKEN=$(awk '$1 == "co-facilitator:Norland" && $2 ~ /^acc_/ { print $2; exit }' "$SERVER_LOG")
    [ -n "$TOKEN" ] || { say "no co-facilitator:Norland token in $SERVER_LOG"; cat "$SERVER_LOG" >&2; exit 1; }
    # `accord: demo web accounts (password for all: PASSWORD):`, then `  USERNAME  ROLE:NAME`.
    PASSWORD=$(sed -n 's/^accord: demo web accounts (password for all: \([^)]*\)).*/\1/p' "$SERVER_LOG" | head -n 1)
    LOGINS=()
    ACCOUNTS=$(awk '$2 ~ /^delegation:/ && $1 !~ /:/ { print $1 }' "$SERVER_LOG")
    local u
    for u in $ACCOUNTS; do LOGINS+=(--login "$u:$PASSWORD"); done
    [ -n "$PASSWORD" ] && ((${#LOGINS[@]})) || { say "no demo delegation accounts in $SERVER_LOG"; cat "$SERVER_LOG" >&2; exit 1; }
    BACKLOG=$(ss -ltnH "sport = :$port" 2>/dev/null | awk '{ print $3; exit }' || true)
}

# Server stderr after start-up (warnings, errors, panics): the start-up lines are the demo
# banner, its tokens and accounts, and the serving line.
server_messages() {
    grep -vE '^(accord: loaded the demo|accord: demo web accounts|  [^ ].*|accord: serving )' "$1" | head -n 5 || true
}

# ---------------------------------------------------------------- runs
NOTES=()
RESULTS=()
for n in $VIEWERS; do
    start_server "$n"
    json=$OUT/live-$n.json
    rm -f "$json"
    o0=$(listen_overflows)
    l0=$(cut -d' ' -f1 /proc/loadavg)
    cmd=(python3 bench/live_viewers.py run --base "$BASE" --token "$TOKEN" --process "$PROCESS"
        --paragraph "$PARAGRAPH" --viewers "$n" --edits "$EDITS" --interval "$INTERVAL"
        --connect-batch "$CONNECT_BATCH" --drain "$DRAIN" --server-pid "$SERVER_PID" --json "$json" "${LOGINS[@]}")
    printable="${cmd[*]//$TOKEN/\$TOKEN}"
    say "   ${printable//$PASSWORD/\$PASSWORD}"
    status=0
    "${cmd[@]}" 2> >(tee -a "$LOG" >&2) || status=$?
    o1=$(listen_overflows)
    l1=$(cut -d' ' -f1 /proc/loadavg)
    [ "$status" -eq 0 ] || NOTES+=("N=$n: the load client exited with status $status (see $LOG)")
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then
        NOTES+=("N=$n: THE SERVER DIED during the run; its stderr: $(server_messages "$SERVER_LOG" | tr '\n' ' ')")
    fi
    stop_server
    msgs=$(server_messages "$SERVER_LOG")
    [ -z "$msgs" ] || NOTES+=("N=$n: the server said: $(printf '%s' "$msgs" | tr '\n' ' ' | head -c 600)")
    if [[ $o0 =~ ^[0-9]+$ && $o1 =~ ^[0-9]+$ ]] && [ "$o1" -gt "$o0" ]; then
        NOTES+=("N=$n: $((o1 - o0)) handshakes dropped by a full accept queue (listen backlog ${BACKLOG:-?})")
    fi
    NOTES+=("N=$n: load average (1 min) $l0 before, $l1 after")
    if [ -f "$json" ]; then RESULTS+=("$json"); fi
done
((${#RESULTS[@]})) || { say "no results"; exit 1; }

# ---------------------------------------------------------------- report
LOAD1=$(cut -d' ' -f1-3 /proc/loadavg)
COMMIT=$(git rev-parse --short HEAD 2>/dev/null || echo '?')
DIRTY=$(git status --porcelain -- crates Cargo.toml Cargo.lock 2>/dev/null | grep -q . && echo " (with uncommitted changes in crates/)" || true)
HEADER="## Live screen: $EDITS edits of paragraph $PARAGRAPH to N viewers over server-sent events

$(date -u '+%Y-%m-%d %H:%M UTC'), commit $COMMIT$DIRTY (target/release/accord built $(date -u -r "$ACCORD" '+%H:%M UTC')), $(nproc) cores shared by the server and the load client, loopback.
Load average at the start: $LOAD0 (\`$UPTIME0\`); at the end: $LOAD1.
One fresh \`accord serve --demo\` (SQLite) per N; viewers: \`GET /p/$PROCESS/live/$PARAGRAPH/events\` logged in as the demo's delegation accounts ($(echo $ACCOUNTS | tr ' ' ','), through the web form; viewers spread over their sessions round robin), edits: \`POST /api/processes/$PROCESS/working/$PARAGRAPH/compromise\` as co-facilitator:Norland, one every ${INTERVAL} s. Latency: from just before the POST is written to when the load client handles the viewer's bytes carrying the new revision (its text checked)."
FOOTER="The load client is one Python asyncio thread on the same 2 cores as the server: its own scheduling delay is inside every figure above (\"client loop lag\": how late a 10 ms timer fired during the edits; \"client CPU per edit\": the client's work for one edit's N deliveries, done one socket after the other, roughly how much later than the first the last viewer of an edit is stamped). The figures are an upper bound for the server itself. Raw results: bench/out/live-N.json; server stderr: bench/out/live-server-N.log."
note_args=()
for n in "${NOTES[@]}"; do note_args+=(--note "$n"); done
python3 bench/live_viewers.py report --out "$OUT/live.md" --header "$HEADER" --footer "$FOOTER" \
    "${note_args[@]}" "${RESULTS[@]}"
say "== written: $OUT/live.md"
