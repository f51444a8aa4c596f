#!/usr/bin/env python3
"""bench/nodes.py — one node against three, on one PostgreSQL, behind nginx (issue 17).

Run it through bench/nodes.sh (which builds the release binary and raises the open-files
limit). For each layout (1 node, then 3 nodes) on a database of its own:

  1. `accord migrate`, API tokens and web accounts with the CLI, then N `accord serve
     --database-url … --trusted-proxy 127.0.0.1` nodes and nginx with the documented
     configuration (deploy/nginx/accord.conf, its upstream pointed at the nodes);
  2. through nginx: a process `ocean-data` with 10 delegations and a 30-paragraph draft;
  3. reads: wrk GET /api/processes/ocean-data/drafts/d1 (a delegation's token), DURATION s,
     CONNECTIONS connections, closed loop: requests/s, p50, p99;
  4. proposals: wrk POST /api/processes/ocean-data/proposals (bench/api/proposals.lua: a new
     Idempotency-Key each), the same way;
  5. catch-up lag (3 nodes only): each node's accord_catch_up_lag_seconds histogram from
     /metrics after the proposals: the time from another node's event (its at_ms) to this
     node applying it. p50 and p99 are read from the buckets (the bucket's upper bound);
  6. the live screen: bench/live_viewers.py opens VIEWERS connections to
     /p/ocean-data/live/13/events through nginx (spread by nginx over the nodes), the
     co-facilitator makes EDITS compromise edits, and every delivery is timed.

The table goes to stdout and bench/out/nodes.md. Every process runs on this machine (the
client, nginx, PostgreSQL and the nodes share its cores), so three nodes on a 2-core machine
measure the cost of being three (catching up, more connections), not the gain of more
machines; read the ratios with that in mind.
"""

import hashlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ACCORD = os.path.join(ROOT, "target", "release", "accord")
OUT = os.path.join(ROOT, "bench", "out")
DURATION = int(os.environ.get("DURATION", "10"))
CONNECTIONS = int(os.environ.get("CONNECTIONS", "100"))
VIEWERS = int(os.environ.get("VIEWERS", "3000"))
EDITS = int(os.environ.get("EDITS", "20"))
PASSWORD = "bench horse battery staple"
PROCESS = "ocean-data"
DELEGATIONS = ["valdoria"] + [f"d{i}" for i in range(1, 40)]
# Web accounts (for the live screen's viewers) for the first few; API tokens for all, so that the
# proposals take turns among 40 delegations and never meet the cap of 2,000 live proposals each.
VIEWING = DELEGATIONS[:10]
PROPOSALS_DURATION = int(os.environ.get("PROPOSALS_DURATION", "5"))
PACE = int(os.environ.get("PACE", "50"))

children = []


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def say(*a):
    print(*a, file=sys.stderr, flush=True)


def run(cmd, stdin=None, check=True):
    r = subprocess.run(cmd, input=stdin, capture_output=True, text=True)
    if check and r.returncode != 0:
        sys.exit(f"{' '.join(cmd)}: {r.stderr.strip()}")
    return r.stdout


def http(base, method, path, token=None, body=None):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(base + path, data=data, method=method)
    if token:
        req.add_header("Authorization", f"Bearer {token}")
    if data is not None:
        req.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(req, timeout=60) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()


def wait_for(url, what, seconds=60):
    t = time.monotonic()
    while time.monotonic() - t < seconds:
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200:
                    return
        except Exception:
            pass
        time.sleep(0.05)
    sys.exit(f"{what} did not answer at {url}")


# ------------------------------------------------------------------ PostgreSQL
def as_postgres(cmd):
    return ["runuser", "-u", "postgres", "--"] + cmd if os.geteuid() == 0 else cmd


def start_postgres():
    given = os.environ.get("ACCORD_BENCH_POSTGRES_URL")
    if given:
        return given, None
    bins = sorted(d for d in os.listdir("/usr/lib/postgresql") if os.path.isdir(f"/usr/lib/postgresql/{d}/bin"))
    if not bins:
        sys.exit("PostgreSQL is required (apt-get install postgresql) or ACCORD_BENCH_POSTGRES_URL")
    pg = f"/usr/lib/postgresql/{bins[-1]}/bin"
    d = tempfile.mkdtemp(prefix="accord-bench-pg.")
    os.chmod(d, 0o777)
    port = free_port()
    run(as_postgres([f"{pg}/initdb", "-D", f"{d}/data", "-A", "trust", "-U", "postgres"]))
    run(as_postgres([f"{pg}/pg_ctl", "-D", f"{d}/data", "-l", f"{d}/log", "-w", "-o",
                     f"-k {d} -p {port} -c listen_addresses=127.0.0.1 -c max_connections=300", "start"]))
    return f"postgres://postgres@127.0.0.1:{port}/postgres", (pg, d)


def stop_postgres(pg):
    if pg:
        run(as_postgres([f"{pg[0]}/pg_ctl", "-D", f"{pg[1]}/data", "-m", "fast", "stop"]), check=False)
        shutil.rmtree(pg[1], ignore_errors=True)


def fresh_database(base, name):
    host = re.match(r"postgres(?:ql)?://([^@]+)@([^:/]+):(\d+)/", base)
    user, h, port = host.groups()
    for sql in (f"DROP DATABASE IF EXISTS {name} WITH (FORCE)", f"CREATE DATABASE {name}"):
        run(["psql", "-h", h, "-p", port, "-U", user, "-d", "postgres", "-qc", sql])
    return re.sub(r"/[^/]*$", f"/{name}", base)


# ------------------------------------------------------------------ nodes and nginx
def start_node(url, data):
    port = free_port()
    env = dict(os.environ, ACCORD_WRITE_BURST="100000000", ACCORD_WRITE_RATE="100000000", ACCORD_LOG="warn")
    log = open(os.path.join(OUT, f"nodes-node-{port}.log"), "w")
    p = subprocess.Popen([ACCORD, "serve", "--addr", f"127.0.0.1:{port}", "--database-url", url,
                          "--data-dir", data, "--trusted-proxy", "127.0.0.1"],
                         stdout=subprocess.DEVNULL, stderr=log, env=env)
    children.append(p)
    wait_for(f"http://127.0.0.1:{port}/readyz", f"node {port}")
    return p, f"127.0.0.1:{port}"


def start_nginx(nodes, d):
    documented = open(os.path.join(ROOT, "deploy", "nginx", "accord.conf")).read()
    port = free_port()
    lines, upstream_done = [], False
    for line in documented.splitlines():
        t = line.strip()
        if t.startswith("server 127.0.0.1:"):
            if not upstream_done:
                lines += [f"    server {n} max_fails=1 fail_timeout=3s;" for n in nodes]
                upstream_done = True
        elif t.startswith("listen "):
            lines.append(f"    listen 127.0.0.1:{port} backlog=4096;")
        else:
            lines.append(line)
    os.makedirs(d, exist_ok=True)
    open(f"{d}/accord.conf", "w").write("\n".join(lines) + "\n")
    user = "user root;\n" if os.geteuid() == 0 else ""
    open(f"{d}/nginx.conf", "w").write(
        f"{user}worker_processes auto;\nworker_rlimit_nofile 65536;\npid {d}/nginx.pid;\nerror_log {d}/error.log warn;\n"
        "events { worker_connections 16384; }\n"
        f"http {{\n access_log off;\n client_body_temp_path {d}/body;\n proxy_temp_path {d}/proxy;\n"
        f" fastcgi_temp_path {d}/fastcgi;\n uwsgi_temp_path {d}/uwsgi;\n scgi_temp_path {d}/scgi;\n"
        f" include {d}/accord.conf;\n}}\n")
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    p = subprocess.Popen([nginx, "-p", d, "-c", f"{d}/nginx.conf", "-g", "daemon off;"],
                         stderr=subprocess.DEVNULL)
    children.append(p)
    base = f"http://127.0.0.1:{port}"
    wait_for(base + "/readyz", "nginx")
    return p, base


def stop(p):
    if p.poll() is None:
        p.send_signal(signal.SIGTERM)
        try:
            p.wait(10)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()


# ------------------------------------------------------------------ the process
def set_up(url, base):
    tok = lambda who, process=True: run(
        [ACCORD, "token", "create", "--as", who, "--database-url", url] + (["--process", PROCESS] if process else [])
    ).strip()
    admin = tok("secretariat:Bench", process=False)
    cofac = tok("co-facilitator:Norland")
    st, body = http(base, "POST", "/api/processes", admin,
                    {"id": PROCESS, "title": "Bench", "co_facilitators": ["Norland"]})
    assert st == 201, body
    for d in DELEGATIONS:
        st, body = http(base, f"POST", f"/api/processes/{PROCESS}/participants", admin,
                        {"id": d, "name": d.title(), "kind": "member-state"})
        assert st in (200, 201), body
    text = "Bench draft\n\n" + "\n\n".join(
        f"{n}. We [agree] on point {n} of the bench, and on the words that follow it." for n in range(1, 31)) + "\n"
    st, body = http(base, "POST", f"/api/processes/{PROCESS}/drafts", cofac,
                    {"label": "Zero draft", "text": text, "publication": "circulated"})
    assert st in (200, 201), body
    valdoria = tok("delegation:valdoria")
    authors = ",".join(f"{d}:{tok('delegation:' + d)}" for d in DELEGATIONS)
    logins = []
    for d in VIEWING:
        run([ACCORD, "account", "create", f"{d}-bench", "--process", PROCESS, "--as", f"delegation:{d}",
             "--database-url", url], stdin=PASSWORD + "\n")
        logins.append(f"{d}-bench:{PASSWORD}")
    return admin, cofac, valdoria, logins, authors


# ------------------------------------------------------------------ measurements
def wrk(base, path, token, script=None, extra=(), tag="", duration=None):
    cmd = ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{duration or DURATION}", "--timeout", "10s", "--latency",
           "-H", f"Authorization: Bearer {token}", "-H", "Content-Type: application/json"]
    if script:
        cmd += ["-s", script]
    cmd.append(base + path)
    if extra:
        cmd += ["--"] + list(extra)
    out = run(cmd)
    with open(os.path.join(OUT, f"nodes-wrk-{tag}.txt"), "w") as f:
        f.write(out)
    m = re.search(r"^ACCORD_BENCH (.*)$", out, re.M)
    if m:  # the scripts that count statuses print one machine-readable line (bench/api/common.lua)
        kv = dict(w.split("=", 1) for w in m.group(1).split())
        non2xx = sum(int(n) for c, n in (x.split(":") for x in kv["statuses"].split(",") if ":" in x)
                     if not 200 <= int(c) < 300)
        sample = re.search(r"^ACCORD_SAMPLE (.*)$", out, re.M)
        return {"rps": float(kv["rps"]), "p50": int(kv["p50_us"]) / 1e3, "p99": int(kv["p99_us"]) / 1e3,
                "non2xx": non2xx, "statuses": kv["statuses"], "sample": sample.group(1) if sample else None}
    unit = {"us": 1e-3, "ms": 1.0, "s": 1e3}
    lat = {}
    # wrk --latency: "     50%  812.00us"
    for q, v, u in re.findall(r"^\s+(50|99)(?:\.0+)?%\s+([\d.]+)(us|ms|s)\s*$", out, re.M):
        lat[q] = float(v) * unit[u]
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {"rps": rps, "p50": lat.get("50"), "p99": lat.get("99"), "non2xx": int(errors.group(1)) if errors else 0}


def lag(nodes, since=None):
    """p50/p99 upper bounds and count of the nodes' catch-up lag histograms together (less
    what `since`, an earlier reading, had counted)."""
    buckets, count = {}, 0
    for n in nodes:
        with urllib.request.urlopen(f"http://{n}/metrics", timeout=10) as r:
            m = r.read().decode()
        for le, c in re.findall(r'^accord_catch_up_lag_seconds_bucket\{le="([^"]+)"\} (\d+)$', m, re.M):
            buckets[le] = buckets.get(le, 0) + int(c)
        c = re.search(r"^accord_catch_up_lag_seconds_count (\d+)$", m, re.M)
        count += int(c.group(1)) if c else 0
    if since:
        for le, c in since["buckets"].items():
            buckets[le] -= c
        count -= since["count"]
    order = sorted(buckets, key=lambda le: float("inf") if le == "+Inf" else float(le))

    def q(frac):
        for le in order:
            if count and buckets[le] >= frac * count:
                return le
        return None
    return {"count": count, "p50": q(0.5), "p99": q(0.99), "buckets": buckets}


def live(base, cofac, logins, tag):
    out = os.path.join(OUT, f"nodes-live-{tag}.json")
    cmd = [sys.executable, os.path.join(ROOT, "bench", "live_viewers.py"), "run", "--base", base, "--token", cofac,
           "--process", PROCESS, "--paragraph", "13", "--viewers", str(VIEWERS), "--edits", str(EDITS),
           "--json", out]
    for l in logins:
        cmd += ["--login", l]
    run(cmd)
    r = json.load(open(out))

    def find(d, key):
        if isinstance(d, dict):
            if key in d:
                return d[key]
            for v in d.values():
                f = find(v, key)
                if f is not None:
                    return f
        return None
    return {"p50": find(r, "p50_ms"), "p99": find(r, "p99_ms"), "lost": find(r, "lost")}


def converged(nodes, admin):
    """Whether every node holds the same state of the process (the hash of its /state), a few
    seconds after the last write at most; the nodes' sequence numbers otherwise."""
    deadline = time.monotonic() + 10
    while True:
        seen = {}
        for n in nodes:
            st, body = http(f"http://{n}", "GET", f"/api/processes/{PROCESS}/state", admin)
            seq = json.loads(body).get("seq") if st == 200 else f"HTTP {st}"
            seen[n] = (hashlib.sha256(body.encode()).hexdigest(), seq)
        if len({h for h, _ in seen.values()}) == 1 or time.monotonic() > deadline:
            return {"same": len({h for h, _ in seen.values()}) == 1, "seqs": [q for _, q in seen.values()]}
        time.sleep(0.2)


def layout(pg_url, n):
    say(f"== {n} node(s)")
    url = fresh_database(pg_url, f"accord_bench_nodes_{n}_{os.getpid()}")
    run([ACCORD, "migrate", "--database-url", url])
    data = tempfile.mkdtemp(prefix="accord-bench-nodes.")
    nodes = [start_node(url, data) for _ in range(n)]
    proxy, base = start_nginx([a for _, a in nodes], os.path.join(data, "nginx"))
    admin, cofac, valdoria, logins, authors = set_up(url, base)
    r = {}
    say("   reads")
    r["reads"] = wrk(base, f"/api/processes/{PROCESS}/drafts/d1", valdoria, tag=f"reads-{n}")
    say("   proposals")
    r["proposals"] = wrk(base, f"/api/processes/{PROCESS}/proposals", valdoria,
                         os.path.join(ROOT, "bench", "api", "proposals.lua"), [f"run=nodes{n}-{os.getpid()}", f"as={authors}"], tag=f"proposals-{n}",
                         duration=PROPOSALS_DURATION)
    time.sleep(2)
    r["lag"] = lag([a for _, a in nodes]) if n > 1 else None
    # The same at the pace of a busy room rather than flat out: PACE proposals/s.
    say(f"   proposals at {PACE}/s")
    r["paced"] = wrk(base, f"/api/processes/{PROCESS}/proposals", valdoria,
                     os.path.join(ROOT, "bench", "api", "proposals.lua"),
                     [f"run=paced{n}-{os.getpid()}", f"as={authors}", f"rate={PACE}", "threads=2"],
                     tag=f"paced-{n}", duration=PROPOSALS_DURATION)
    time.sleep(2)
    r["paced_lag"] = lag([a for _, a in nodes], r["lag"]) if n > 1 else None
    say(f"   live screen, {VIEWERS} viewers")
    r["live"] = live(base, cofac, logins, f"{n}")
    r["converged"] = converged([a for _, a in nodes], admin)
    stop(proxy)
    for p, _ in nodes:
        stop(p)
    shutil.rmtree(data, ignore_errors=True)
    return r


def main():
    os.makedirs(OUT, exist_ok=True)
    for tool in ("wrk", "psql"):
        if not shutil.which(tool):
            sys.exit(f"{tool} is required (apt-get install {'wrk' if tool == 'wrk' else 'postgresql-client'})")
    pg_url, pg = start_postgres()
    try:
        load0 = open("/proc/loadavg").read().split()[:3]
        one, three = layout(pg_url, 1), layout(pg_url, 3)
        load1 = open("/proc/loadavg").read().split()[:3]
    finally:
        for p in children:
            stop(p)
        stop_postgres(pg)

    def ratio(a, b):
        return f"{b / a:.2f}×" if a and b else "–"
    f = lambda v, d=1: "–" if v is None else f"{v:,.{d}f}"
    rows = [
        ("reads/s (GET a draft, closed loop)", f(one["reads"]["rps"], 0), f(three["reads"]["rps"], 0),
         ratio(one["reads"]["rps"], three["reads"]["rps"])),
        ("reads p50 / p99 (ms)", f"{f(one['reads']['p50'], 2)} / {f(one['reads']['p99'], 2)}",
         f"{f(three['reads']['p50'], 2)} / {f(three['reads']['p99'], 2)}", ratio(one["reads"]["p99"], three["reads"]["p99"])),
        ("proposals/s (POST, each its own key)", f(one["proposals"]["rps"], 0), f(three["proposals"]["rps"], 0),
         ratio(one["proposals"]["rps"], three["proposals"]["rps"])),
        ("proposals p50 / p99 (ms)", f"{f(one['proposals']['p50'], 2)} / {f(one['proposals']['p99'], 2)}",
         f"{f(three['proposals']['p50'], 2)} / {f(three['proposals']['p99'], 2)}",
         ratio(one["proposals"]["p99"], three["proposals"]["p99"])),
        (f"live screen, {VIEWERS:,} viewers: delivery p50 / p99 (ms)",
         f"{f(one['live']['p50'])} / {f(one['live']['p99'])}", f"{f(three['live']['p50'])} / {f(three['live']['p99'])}",
         ratio(one["live"]["p99"], three["live"]["p99"])),
        (f"proposals at {PACE}/s: p50 / p99 (ms)", f"{f(one['paced']['p50'], 2)} / {f(one['paced']['p99'], 2)}",
         f"{f(three['paced']['p50'], 2)} / {f(three['paced']['p99'], 2)}", ratio(one["paced"]["p99"], three["paced"]["p99"])),
        ("live screen: deliveries lost", f(one["live"]["lost"], 0), f(three["live"]["lost"], 0), ""),
        ("non-2xx answers (reads + proposals)", f(one["reads"]["non2xx"] + one["proposals"]["non2xx"], 0),
         f(three["reads"]["non2xx"] + three["proposals"]["non2xx"], 0), ""),
    ]
    rows.append(("every node holds the same state afterwards (hash of /state; sequence numbers)",
                 f"{'yes' if one['converged']['same'] else 'NO'} ({', '.join(map(str, one['converged']['seqs']))})",
                 f"{'yes' if three['converged']['same'] else 'NO'} ({', '.join(map(str, three['converged']['seqs']))})", ""))
    lagr = three["lag"]
    text = [f"# One node against three behind nginx, one PostgreSQL ({os.cpu_count()} cores, all on this machine)", "",
            f"wrk -t2 -c{CONNECTIONS} through nginx, {DURATION} s of reads, {PROPOSALS_DURATION} s of proposals (40 delegations in turn); live screen: bench/live_viewers.py, "
            f"{VIEWERS:,} viewers, {EDITS} edits. Load average before {' '.join(load0)}, after {' '.join(load1)}.", "",
            "| | 1 node | 3 nodes | 3 nodes / 1 node |", "|---|---:|---:|---:|"]
    text += [f"| {a} | {b} | {c} | {d} |" for a, b, c, d in rows]
    text += ["", f"Catch-up lag between the three nodes during the proposals: {lagr['count']:,} events applied from "
             f"another node; p50 ≤ {lagr['p50']} s, p99 ≤ {lagr['p99']} s (histogram bucket bounds). "
             f"At {PACE} proposals/s: {three['paced_lag']['count']:,} events; p50 ≤ {three['paced_lag']['p50']} s, "
             f"p99 ≤ {three['paced_lag']['p99']} s."]
    report = "\n".join(text) + "\n"
    open(os.path.join(OUT, "nodes.md"), "w").write(report)
    print(report)


if __name__ == "__main__":
    main()
