#!/usr/bin/env bash
# bench/nodes.sh — one node against three on one PostgreSQL behind nginx: reads/s and
# proposals/s with p50/p99, the live screen's delivery with VIEWERS viewers, and the catch-up
# lag between nodes. What it does and how to read it: bench/nodes.py's docstring.
#
#   Usage (from anywhere):   bash bench/nodes.sh
#   Knobs (env): DURATION (10 s of reads), PROPOSALS_DURATION (5 s), PACE (50 proposals/s), CONNECTIONS (100), VIEWERS (3000), EDITS (20),
#   ACCORD_BENCH_POSTGRES_URL (a server to use; otherwise a temporary cluster is made),
#   SKIP_BUILD=1 (use target/release/accord as it is).
# Requirements: wrk, nginx, PostgreSQL (initdb, psql), python3, a Rust toolchain.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
# Every viewer is a socket in the client, two in nginx and one in a node.
NEED=$(( ${VIEWERS:-3000} * 2 + 4096 ))
if [ "$(ulimit -n)" != unlimited ] && [ "$(ulimit -n)" -lt "$NEED" ]; then
    ulimit -n "$NEED" 2>/dev/null || { echo "cannot raise the open-files limit to $NEED" >&2; exit 2; }
fi
if [ "${SKIP_BUILD:-}" != 1 ]; then
    cargo build --release -q -p accord-cli
fi
exec python3 bench/nodes.py
