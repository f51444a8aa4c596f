#!/usr/bin/env bash
# bench/start.sh — how long a node takes to start serving on a large log (issue 17, item 4).
#
#   Usage (from anywhere):   bash bench/start.sh [PROCESSES] [EVENTS_PER_PROCESS]
#                            (default 1000 processes of 1000 events: a million events)
#
# What it does:
#   1. builds `accord` and the `many_processes` example in release mode, and writes a SQLite
#      store of PROCESSES synthetic processes (every event checked as a request's would be)
#      into a temp data dir (kept between runs of the same size under bench/out/start-*);
#   2. starts `accord serve` on it and times, from the spawn: the first `/readyz` 200; the
#      first answer to GET /api/processes/pN for a process in the middle (a request naming a
#      process loads it, whatever the background loading has done); the first answer to
#      GET /api/processes (a listing waits until every process is loaded); the node's own
#      "loaded every process" log line;
#   3. for comparison, the whole replay the node used to do before serving: `accord silence status`
#      of one process through the CLI, which replays the entire log first.
# Figures go to stdout and bench/out/start.md (gitignored).
set -euo pipefail
cd "$(dirname "$0")/.."
P=${1:-1000}
E=${2:-1000}
mkdir -p bench/out
cargo build --release -q -p accord-cli -p accord-workspace --example many_processes
BIN=target/release/accord
DATA=bench/out/start-$P-$E
if [ ! -f "$DATA/accord.sqlite3" ]; then
  rm -rf "$DATA"
  target/release/examples/many_processes "$DATA" "$P" "$E"
fi
# Processes are readable by participants only: the requests carry a secretariat token
# (made once per data dir; the CLI's replay here is setup, not measured).
if [ ! -s "$DATA/token" ]; then
  "$BIN" token create --as secretariat:Bench --label bench --data-dir "$DATA" > "$DATA/token"
fi
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
MID="p$((P / 2))"
python3 - "$BIN" "$DATA" "$PORT" "$MID" "$P" "$E" "$(cat "$DATA/token")" <<'PY' | tee bench/out/start.md
import subprocess, sys, time, urllib.request, json, threading
binary, data, port, mid, P, E, token = sys.argv[1:]
base = f"http://127.0.0.1:{port}"
t0 = time.monotonic()
srv = subprocess.Popen([binary, "serve", "--addr", f"127.0.0.1:{port}", "--data-dir", data, "--log-format", "json"],
                       stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
loaded = {}
def read_log():
    for line in srv.stderr:
        if "loaded every process" in line and "t" not in loaded:
            loaded["t"] = time.monotonic() - t0
            try: loaded["ms"] = json.loads(line).get("fields", {}).get("ms")
            except Exception: pass
threading.Thread(target=read_log, daemon=True).start()
def first(path, ok=lambda s, b: s == 200):
    deadline = time.monotonic() + 600
    last = None
    while time.monotonic() < deadline:
        try:
            req = urllib.request.Request(base + path, headers={"Authorization": f"Bearer {token}"})
            with urllib.request.urlopen(req, timeout=600) as r:
                body = r.read()
                if ok(r.status, body):
                    return time.monotonic() - t0, body
        except Exception as e:
            last = e
        time.sleep(0.005)
    srv.kill()
    sys.exit(f"{path} never answered 200 within 600 s (last: {last})")
ready, _ = first("/readyz")
one, body = first(f"/api/processes/{mid}")
listing, body = first("/api/processes")
count = len(json.loads(body).get("processes", json.loads(body)) if body.strip().startswith(b"{") else json.loads(body))
while "t" not in loaded and time.monotonic() - t0 < 900:
    time.sleep(0.01)
srv.terminate(); srv.wait()
c0 = time.monotonic()
subprocess.run([binary, "silence", "status", mid, "--data-dir", data], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
cli = time.monotonic() - c0
print(f"# A node starting on {int(P):,} processes of {int(E):,} events ({int(P)*int(E):,} events, SQLite)\n")
print("| from the spawn of `accord serve` | seconds |")
print("|---|---:|")
print(f"| `/readyz` answers 200 | {ready:.2f} |")
print(f"| GET /api/processes/{mid} answers 200 (that process loaded on demand) | {one:.2f} |")
print(f"| GET /api/processes answers 200 ({count} processes listed; waits for the background loading) | {listing:.2f} |")
print(f"| the node logs \"loaded every process\" | {loaded.get('t', float('nan')):.2f} |")
print(f"| for comparison: `accord silence status {mid}` (the CLI replays the whole log first) | {cli:.2f} |")
PY
