#!/usr/bin/env bash
# Schemathesis against the OpenAPI document, as three callers: no token,
# a delegation, a co-facilitator. Starts `accord serve --demo` on loopback
# (a fresh data directory), reads the demo's tokens from its start-up
# message, and runs a bounded run per role with every check
# (.ci/schemathesis.toml says which statuses count as a well-formed request
# refused by the negotiation's rules). Fails on any failed check.
#
# Usage: .ci/schemathesis.sh [SECONDS_PER_ROLE]   (default 120; CI gives 60)
# Needs: a built `accord` (target/debug/accord, or $ACCORD_BIN) and
# `schemathesis` (pip install schemathesis).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

SECONDS_PER_ROLE="${1:-120}"
BIN="${ACCORD_BIN:-target/debug/accord}"
CONFIG="$PWD/.ci/schemathesis.toml"
[ -x "$BIN" ] || cargo build --locked -p accord-cli --bin accord
command -v schemathesis >/dev/null 2>&1 || python3 -m pip install --quiet 'schemathesis==4.32.5'

WORK="$(mktemp -d /tmp/accord-schemathesis.XXXXXX)"
SERVER_PID=""
cleanup() {
    if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
    rm -rf "$WORK"
}
trap cleanup EXIT

# A free port on loopback.
PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
# Generous write quotas: the run tables thousands of proposals; the quota
# itself is tested in crates/accord-server/tests/quotas_and_pages.rs.
ACCORD_WRITE_BURST=1000000 ACCORD_WRITE_RATE=100000 \
    "$BIN" serve --demo --addr "127.0.0.1:$PORT" --data-dir "$WORK/data" --log-format text \
    >"$WORK/serve.out" 2>"$WORK/serve.err" &
SERVER_PID=$!
for _ in $(seq 1 100); do
    grep -q "serving http" "$WORK/serve.err" 2>/dev/null && break
    kill -0 "$SERVER_PID" 2>/dev/null || { cat "$WORK/serve.err" >&2; exit 1; }
    sleep 0.2
done
token() { awk -v who="$1" '$1 ~ "^"who { print $NF; exit }' "$WORK/serve.err"; }
DELEGATION="$(token 'delegation:norland')"
COFAC="$(token 'co-facilitator:')"
if [ -z "$DELEGATION" ] || [ -z "$COFAC" ]; then
    echo "error: no demo tokens in the server's start-up message:" >&2
    cat "$WORK/serve.err" >&2
    exit 1
fi

BASE="http://127.0.0.1:$PORT"
status=0
for role in public delegation co-facilitator; do
    args=()
    case "$role" in
        delegation) args=(--header "Authorization: Bearer $DELEGATION") ;;
        co-facilitator) args=(--header "Authorization: Bearer $COFAC") ;;
    esac
    echo "-- schemathesis as $role ($SECONDS_PER_ROLE s)"
    # Run in the scratch directory: Schemathesis keeps its cache in `.schemathesis/`.
    if ! (cd "$WORK" && schemathesis --config-file "$CONFIG" --no-color run "$BASE/api/openapi.json" \
        --url "$BASE" --checks all --max-time "$SECONDS_PER_ROLE" --workers 2 \
        --seed 1 "${args[@]}"); then
        status=1
    fi
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then
        echo "error: the server died during the run:" >&2
        tail -50 "$WORK/serve.err" >&2
        exit 1
    fi
done
if grep -q '"level":"ERROR"\| ERROR ' "$WORK/serve.err"; then
    echo "error: the server logged errors during the run:" >&2
    grep '"level":"ERROR"\| ERROR ' "$WORK/serve.err" | head -20 >&2
    status=1
fi
exit "$status"
