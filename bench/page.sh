#!/usr/bin/env bash
# bench/page.sh — the draft page GET /p/ocean-data/drafts/d2: Accord vs nginx serving a static
# copy of the same HTML, with wrk, on loopback, side by side in one run.
#
#   Usage (from anywhere):   bash bench/page.sh
#
# What it does:
#   1. starts a fresh `accord serve --demo` (temp data dir) and saves the page once with curl
#      (no cookie: the public's view, which is also what wrk gets) into a temp web root, at the
#      same path, so both servers answer the same URL with the same body;
#   2. starts nginx on another loopback port with a minimal config in the temp dir
#      (`daemon off`, its own pid file, error log and temp paths, no access log; workers as the
#      current user, so they can read the temp dir however it is owned);
#   3. for each server: a WARMUP wrk run (not reported), then
#      wrk -t2 -c100 -d10s --latency, Accord first, then nginx;
#   4. prints a Markdown table and writes it to bench/out/page.md (gitignored); raw wrk output
#      in bench/out/page-accord.txt and page-nginx.txt, servers' logs beside them;
#   5. stops both servers (trap, on any exit) and removes the temp dir.
#
# How to read the numbers:
#   * wrk is closed-loop: each of the 100 connections sends its next request when the previous
#     one is answered, so requests/s is the throughput at that concurrency and p50/p99 are
#     per-request latencies under it (wrk 4.1 adds its crude coordinated-omission correction
#     to the tail).
#   * wrk's 2 threads and the server share this machine's cores (2 here), so neither figure is
#     what the server would do alone; the ratio is the point. Server CPU is utime+stime of the
#     server's processes (nginx: master and workers) over the run, in cores.
#   * Accord renders the page from its state on every request and, for a request without its
#     CSRF cookie (every wrk request), makes a new CSRF token and sets it as a cookie; nginx
#     sends a file (sendfile) from the page cache. Both without compression (wrk asks for none).
#   * nginx: worker_processes auto (one per core, as a default install), keepalive_requests
#     raised so that nginx, like Accord, keeps wrk's connections open for the whole run
#     (nginx's default closes one every 1,000 requests, which would measure reconnects).
#   * Other work on the machine skews everything: the load average is in the report.
#
# Target (the issue): Accord at least half as fast as nginx (requests/s ratio >= 0.5).
#
# Requirements — installed with apt-get if missing: wrk, nginx, curl; python3 must be present,
# and a Rust toolchain (cargo). Knobs (env): THREADS (2), CONNS (100), DURATION (10s),
# WARMUP (2s; 0 to skip), PAGE (/p/ocean-data/drafts/d2), SKIP_BUILD=1, SKIP_INSTALL=1.
set -euo pipefail
export LC_ALL=C

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
OUT=bench/out
mkdir -p "$OUT"
THREADS=${THREADS:-2}
CONNS=${CONNS:-100}
DURATION=${DURATION:-10s}
WARMUP=${WARMUP:-2s}
PAGE=${PAGE:-/p/ocean-data/drafts/d2}
LOG=$OUT/page-bench.log
: >"$LOG"
LOAD0=$(cut -d' ' -f1-3 /proc/loadavg)
UPTIME0=$(uptime)

say() { printf '%s\n' "$*" | tee -a "$LOG" >&2; }

# ---------------------------------------------------------------- installs
SUDO=()
if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null; then SUDO=(sudo); fi
if [ "${SKIP_INSTALL:-}" != 1 ]; then
    apt=()
    command -v wrk >/dev/null || apt+=(wrk)
    command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || apt+=(nginx)
    command -v curl >/dev/null || apt+=(curl)
    if ((${#apt[@]})); then
        say "installing with apt-get: ${apt[*]}"
        # apt-get update once, before the install: the package lists may be absent or stale.
        "${SUDO[@]}" apt-get update -qq >>"$LOG" 2>&1 || say "apt-get update failed (see $LOG)"
        # Debian's nginx package would start the system nginx on port 80 where services may
        # start; that one is not ours and is left alone (we run our own below, on a free port).
        DEBIAN_FRONTEND=noninteractive "${SUDO[@]}" apt-get install -y -qq "${apt[@]}" >>"$LOG" 2>&1 \
            || say "apt-get install ${apt[*]} failed (see $LOG)"
    fi
fi
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
for tool in wrk curl python3 "$NGINX"; do
    command -v "$tool" >/dev/null || { say "$tool is required (apt-get install ${tool##*/})"; exit 2; }
done

# 100 connections: wrk's and the servers' sockets fit the usual 1,024, but be safe.
if [ "$(ulimit -n)" != unlimited ] && [ "$(ulimit -n)" -lt 4096 ]; then
    ulimit -n 4096 2>/dev/null || say "could not raise the open-files limit (now $(ulimit -n))"
fi

# ---------------------------------------------------------------- build
ACCORD=$ROOT/target/release/accord
if [ "${SKIP_BUILD:-}" != 1 ]; then
    say "== building: cargo build --release -p accord-cli"
    cargo build --release -q -p accord-cli 2>&1 | tee -a "$LOG" >&2
fi
[ -x "$ACCORD" ] || { say "no binary at $ACCORD"; exit 2; }

# ---------------------------------------------------------------- servers and cleanup
TMP=$(mktemp -d /tmp/accord-bench-page.XXXXXX)
ACCORD_PID=""
NGINX_PID=""
stop_pid() {
    local pid=$1
    [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 0
    kill "$pid" 2>/dev/null || true
    # Give it 10 s to stop (nginx's master takes its workers with it), then SIGKILL.
    for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
}
cleanup() {
    stop_pid "$NGINX_PID"
    stop_pid "$ACCORD_PID"
    NGINX_PID=""
    ACCORD_PID=""
    rm -rf "$TMP"
}
# On any exit (an error or Ctrl-C included): stop both servers, remove the temp dir.
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
wait_http() {  # wait_http URL PID NAME LOG: until URL answers 200 (30 s), or fail
    for _ in $(seq 300); do
        curl -sf -o /dev/null "$1" 2>/dev/null && return 0
        kill -0 "$2" 2>/dev/null || break
        sleep 0.1
    done
    say "$3 did not answer $1 within 30 s; its log:"
    cat "$4" >&2
    exit 1
}

# Accord.
APORT=$(free_port)
ACCORD_LOG=$OUT/page-server-accord.log
mkdir -p "$TMP/data"
ACCORD_CMD="target/release/accord serve --demo --data-dir \$TMP/data --addr 127.0.0.1:$APORT"
say "== accord: $ACCORD_CMD"
# ACCORD_DATABASE_URL would switch the store to PostgreSQL: this bench uses the default SQLite.
env -u ACCORD_DATABASE_URL "$ACCORD" serve --demo --data-dir "$TMP/data" --addr "127.0.0.1:$APORT" \
    2>"$ACCORD_LOG" >/dev/null &
ACCORD_PID=$!
wait_http "http://127.0.0.1:$APORT/api/health" "$ACCORD_PID" accord "$ACCORD_LOG"

# The static copy: the public's page, saved once, at the same path under nginx's root.
mkdir -p "$TMP/www${PAGE%/*}"
code=$(curl -s -o "$TMP/www$PAGE" -w '%{http_code}' "http://127.0.0.1:$APORT$PAGE")
[ "$code" = 200 ] || { say "GET $PAGE from accord answered $code"; exit 1; }
BODY_BYTES=$(wc -c <"$TMP/www$PAGE")
say "   saved $PAGE: $BODY_BYTES bytes"

# nginx: a minimal config, everything under the temp dir (-p prefix, -e early error log) so
# that nothing of the system nginx (config, pid, logs) is used or touched.
NPORT=$(free_port)
NGINX_LOG=$OUT/page-server-nginx.log
mkdir -p "$TMP/nginx"
USER_LINE=""
# As root, nginx's workers would switch to `nobody`, which cannot read the 0700 temp dir:
# keep them as the current user. (Not root: nginx cannot switch users and runs as it is.)
[ "$(id -u)" -ne 0 ] || USER_LINE="user $(id -un) $(id -gn);"
cat >"$TMP/nginx/nginx.conf" <<EOF
$USER_LINE
worker_processes auto;
daemon off;
pid $TMP/nginx/nginx.pid;
error_log $TMP/nginx/error.log warn;
events { worker_connections 4096; }
http {
    access_log off;
    sendfile on;
    tcp_nopush on;
    keepalive_requests 10000000;
    keepalive_timeout 65;
    client_body_temp_path $TMP/nginx/client_body;
    proxy_temp_path $TMP/nginx/proxy;
    fastcgi_temp_path $TMP/nginx/fastcgi;
    uwsgi_temp_path $TMP/nginx/uwsgi;
    scgi_temp_path $TMP/nginx/scgi;
    server {
        listen 127.0.0.1:$NPORT;
        root $TMP/www;
        # The saved page has no extension: serve it as the HTML it is, as Accord does.
        default_type "text/html; charset=utf-8";
    }
}
EOF
say "== nginx: $NGINX -p \$TMP/nginx -e \$TMP/nginx/error.log -c \$TMP/nginx/nginx.conf (port $NPORT)"
"$NGINX" -p "$TMP/nginx" -e "$TMP/nginx/error.log" -c "$TMP/nginx/nginx.conf" >"$NGINX_LOG" 2>&1 &
NGINX_PID=$!
wait_http "http://127.0.0.1:$NPORT$PAGE" "$NGINX_PID" nginx "$NGINX_LOG"
ncopy=$(curl -s "http://127.0.0.1:$NPORT$PAGE" | cmp - "$TMP/www$PAGE" >/dev/null && echo same || echo DIFFERENT)
acopy=$(curl -s "http://127.0.0.1:$APORT$PAGE" | cmp - "$TMP/www$PAGE" >/dev/null && echo same || echo DIFFERENT)
say "   bodies vs the saved copy: nginx $ncopy, accord $acopy"

# wrk's done hook prints exact figures (microseconds) on one line; the text output stays in
# the raw file for reading.
cat >"$TMP/report.lua" <<'EOF'
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "PAGE_BENCH requests=%d duration_us=%d bytes=%d p50_us=%d p99_us=%d max_us=%d mean_us=%.1f " ..
    "err_connect=%d err_read=%d err_write=%d err_status=%d err_timeout=%d\n",
    summary.requests, summary.duration, summary.bytes, latency:percentile(50), latency:percentile(99),
    latency.max, latency.mean, e.connect, e.read, e.write, e.status, e.timeout))
end
EOF

cpu_ticks() {  # utime+stime of the given pids and their children processes (nginx workers)
    local total=0 p
    for p in "$@" $(for q in "$@"; do pgrep -P "$q" || true; done); do
        [ -r "/proc/$p/stat" ] || continue
        total=$((total + $(awk '{ print $14 + $15 }' "/proc/$p/stat")))
    done
    echo "$total"
}
CLK_TCK=$(getconf CLK_TCK)

COMMANDS=()
ROWS=$TMP/rows.tsv
: >"$ROWS"
# run NAME PORT PID: a warm-up, then the measured wrk run; one row into ROWS.
run() {
    local name=$1 url="http://127.0.0.1:$2$PAGE" pid=$3 raw=$OUT/page-$1.txt
    local cmd=(wrk -t"$THREADS" -c"$CONNS" -d"$DURATION" --latency -s "$TMP/report.lua" "$url")
    if [ "$WARMUP" != 0 ]; then
        wrk -t"$THREADS" -c"$CONNS" -d"$WARMUP" "$url" >/dev/null 2>&1 || say "   warm-up of $name failed"
    fi
    COMMANDS+=("wrk -t$THREADS -c$CONNS -d$DURATION --latency -s report.lua $url    # $name")
    say "== $name: ${COMMANDS[-1]}"
    local t0 t1 w0 w1 status=0
    t0=$(cpu_ticks "$pid"); w0=$(date +%s.%N)
    "${cmd[@]}" >"$raw" 2>&1 || status=$?
    w1=$(date +%s.%N); t1=$(cpu_ticks "$pid")
    [ "$status" -eq 0 ] || say "   wrk exited with status $status (see $raw)"
    kill -0 "$pid" 2>/dev/null || say "   $name DIED during the run"
    grep -E '^(Requests/sec|  Socket errors|  Non-2xx)' "$raw" | tee -a "$LOG" >&2 || true
    local line
    line=$(grep '^PAGE_BENCH ' "$raw" | tail -n 1 || true)
    [ -n "$line" ] || { say "   no PAGE_BENCH line from wrk; its output:"; cat "$raw" >&2; line="PAGE_BENCH requests=0"; }
    printf '%s\t%s\t%s\n' "$name" "$(python3 -c "print(f'{($t1 - $t0) / $CLK_TCK / ($w1 - $w0):.2f}')")" "$line" >>"$ROWS"
}
run accord "$APORT" "$ACCORD_PID"
run nginx "$NPORT" "$NGINX_PID"

# Anything the servers said after start-up (errors, warnings, panics).
AMSG=$(grep -vE '^(accord: loaded the demo|accord: demo web accounts|  [^ ].*|accord: serving )' "$ACCORD_LOG" | head -n 5 || true)
cat "$TMP/nginx/error.log" >>"$NGINX_LOG" 2>/dev/null || true
NMSG=$(head -n 5 "$NGINX_LOG" || true)
LOAD1=$(cut -d' ' -f1-3 /proc/loadavg)


# ---------------------------------------------------------------- report
COMMIT=$(git rev-parse --short HEAD 2>/dev/null || echo '?')
DIRTY=$(git status --porcelain -- crates Cargo.toml Cargo.lock 2>/dev/null | grep -q . && echo " (with uncommitted changes in crates/)" || true)
# Everything the report needs goes through the environment: the quoted heredoc keeps the
# shell from expanding anything inside the Python code.
R_DATE=$(date -u '+%Y-%m-%d %H:%M UTC') R_COMMIT="$COMMIT$DIRTY" R_BUILT=$(date -u -r "$ACCORD" '+%H:%M UTC') R_NPROC=$(nproc) R_NGINX=$("$NGINX" -v 2>&1 | sed 's/.*\///') \
R_PAGE=$PAGE R_THREADS=$THREADS R_CONNS=$CONNS R_DURATION=$DURATION R_WARMUP=$WARMUP R_LOAD0=$LOAD0 R_LOAD1=$LOAD1 \
R_UPTIME0=$UPTIME0 R_BODY=$BODY_BYTES R_ACOPY=$acopy R_NCOPY=$ncopy R_AMSG=$AMSG R_NMSG=$NMSG \
python3 - "$ROWS" "$OUT/page.md" <<'PY'
import os, sys
E = os.environ
rows_path, out_path = sys.argv[1:3]
rows = {}
for line in open(rows_path):
    name, cpu, bench = line.rstrip("\n").split("\t")
    f = dict(kv.split("=", 1) for kv in bench.split()[1:])
    rows[name] = (cpu, f)
def num(f, k):
    return int(f.get(k, 0))
def rps(f):
    return num(f, "requests") / (num(f, "duration_us") / 1e6) if num(f, "duration_us") else 0.0
ms = lambda us: f"{us / 1000:.2f} ms"
lines = [
    f"## Draft page {E['R_PAGE']}: Accord vs nginx (static copy)",
    "",
    f"{E['R_DATE']}, commit {E['R_COMMIT']} (target/release/accord built {E['R_BUILT']}), {E['R_NPROC']} cores shared by wrk and the server, loopback; "
    f"wrk -t{E['R_THREADS']} -c{E['R_CONNS']} -d{E['R_DURATION']} --latency on each after a {E['R_WARMUP']} warm-up, "
    f"Accord then nginx {E['R_NGINX']}.",
    f"Load average at the start: {E['R_LOAD0']} (`{E['R_UPTIME0'].strip()}`); at the end: {E['R_LOAD1']}.",
    f"Page body: {int(E['R_BODY']):,} bytes (bodies vs the saved copy: Accord {E['R_ACOPY']}, nginx {E['R_NCOPY']}).",
    "",
    "| server | requests/s | p50 | p99 | max | errors | bytes/response (with headers) | server CPU | requests per server CPU-second |",
    "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
]
for name, label in (("accord", "Accord"), ("nginx", "nginx (static file)")):
    cpu, f = rows[name]
    n = num(f, "requests")
    errs = [f"{k[4:]} {f[k]}" for k in ("err_connect", "err_read", "err_write", "err_status", "err_timeout") if int(f.get(k, 0))]
    if not n:
        errs.append("no request completed")
    d = lambda k: ms(num(f, k)) if n else "-"
    size = f"{num(f, 'bytes') // n:,}" if n else "-"
    per_cpu = rps(f) / float(cpu) if float(cpu) > 0 else float("nan")
    lines.append(f"| {label} | {rps(f):,.0f} | {d('p50_us')} | {d('p99_us')} | {d('max_us')} | {', '.join(errs) or 0} |"
                 f" {size} | {cpu} cores | {per_cpu:,.0f} |")
a, g = rows["accord"][1], rows["nginx"][1]
ratio = rps(a) / rps(g) if rps(g) else float("nan")
p50r = num(a, "p50_us") / num(g, "p50_us") if num(g, "p50_us") else float("nan")
p99r = num(a, "p99_us") / num(g, "p99_us") if num(g, "p99_us") else float("nan")
eff = lambda name: rps(rows[name][1]) / float(rows[name][0]) if float(rows[name][0]) > 0 else float("nan")
eff_ratio = eff("accord") / eff("nginx")
lines.append(f"| **Accord / nginx** | **{ratio:.2f}** | {p50r:.2f}x | {p99r:.2f}x | | | | | {eff_ratio:.2f} |")
lines += ["",
          "- Target (Accord at least half as fast as nginx: requests/s ratio >= 0.5): "
          + ("MET" if ratio >= 0.5 else "NOT met") + f" (ratio {ratio:.2f}; per server CPU-second, which leaves out "
          f"how much of the 2 cores wrk took from each: {eff_ratio:.2f}).",
          "- wrk's 2 threads share the 2 cores with the server under test: the absolute figures are a floor for "
          "either server alone; the ratio is the comparison. Server CPU: utime+stime of the server's processes "
          "(nginx: master and workers) over the run, in cores.",
          "- Accord renders the page for every request (the draft's article HTML, which never changes, is made once "
          "and reused; the frame around it is rendered each time); nginx sends the saved file with sendfile. "
          "No compression on either (wrk asks for none).",
          ]
for name, key in (("accord", "R_AMSG"), ("nginx", "R_NMSG")):
    if E.get(key, "").strip():
        lines.append(f"- {name} said: " + " ".join(E[key].split())[:600])
lines += ["", "Raw wrk output: bench/out/page-accord.txt, bench/out/page-nginx.txt; logs: bench/out/page-server-*.log."]
text = "\n".join(lines) + "\n"
open(out_path, "w").write(text)
print(text)
PY
say "== written: $OUT/page.md (the trap stops both servers and removes the temp dir now)"
