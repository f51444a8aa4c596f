#!/usr/bin/env python3
"""Load client for the live screen: N viewers on server-sent events, K edits, latency of each delivery.

Driven by bench/live.sh (which starts a fresh `accord serve --demo` per N); runnable alone
against any running server:

    python3 bench/live_viewers.py run --base http://127.0.0.1:PORT --token CO_FACILITATOR_TOKEN \
        --viewers 2000 --edits 20 --interval 0.3 [--server-pid PID] --json out.json
    python3 bench/live_viewers.py report --out bench/out/live.md [--note TEXT ...] out1.json out2.json ...

`run`:
  1. logs in the --login web accounts (the live screen is for the delegations of the process,
     not the public), then opens N connections to GET /p/{process}/live/{paragraph}/events, each
     with one of their session cookies (round robin), at most --connect-batch connection
     attempts in flight at once (the
     server's listen backlog is 128: 2,000 SYNs at once would overflow it and the dropped
     ones would come back only after a 1 s SYN retransmission);
  2. waits until every viewer has its initial `event: paragraph`;
  3. as a co-facilitator, sends K compromise texts for the paragraph through the JSON API on
     one keep-alive connection, the k-th scheduled at start + k x interval (later only if the
     previous answer is later than that: each edit needs the revision the previous one made);
  4. for each edit, latency of a delivery = (time the viewer's socket data was handled by the
     client) - (time just before the POST was written). Deliveries are matched by revision
     (the SSE `id:` and the POST answer's `revision`), and the text is checked to carry the
     edit's unique marker;
  5. waits until every viewer has every edit (or --drain seconds after the last edit), and
     writes everything to --json.

Stdlib only (asyncio Protocols, a small chunked-encoding decoder and SSE parser): no package
to install, and a Protocol's data_received is the cheapest way asyncio has to get at the
bytes, which matters because this client shares the machine with the server.

The client's own delay counts in the latencies: with N sockets becoming readable at once,
the viewer whose data the event loop handles last is stamped last. The report gives the
event loop's lag (how late a 10 ms timer fires) during the edits, and the client's CPU, to
judge how much of a latency is the client's.
"""

import argparse
import asyncio
import gc
import html
import json
import os
import re
import resource
import sys
import time
import uuid
from urllib.parse import urlsplit

CLK_TCK = os.sysconf("SC_CLK_TCK")
now = time.perf_counter  # one monotonic clock for every timestamp


# ------------------------------------------------------------------ server process stats
def proc_cpu_s(pid):
    """utime + stime of a process, in seconds (None without a pid or a process)."""
    if not pid:
        return None
    try:
        with open(f"/proc/{pid}/stat") as f:
            # The command name (field 2) may hold spaces: split after its closing paren.
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / CLK_TCK
    except (OSError, IndexError, ValueError):
        return None


def proc_status_kib(pid, key):
    """A field of /proc/PID/status in KiB (VmRSS, VmHWM), or None."""
    if not pid:
        return None
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith(key + ":"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return None


def percentile(sorted_values, q):
    """Nearest-rank percentile (q in 0..100) of an ascending list; None if empty."""
    if not sorted_values:
        return None
    rank = max(1, -(-len(sorted_values) * q // 100))  # ceil(n q / 100), at least 1
    return sorted_values[int(rank) - 1]


# ------------------------------------------------------------------ login
def login(host, port, who):
    """Logs USER:PASSWORD in through the web form; returns the session cookie's secret.

    The form's CSRF check is a double submit (the same value in the accord_csrf cookie and the
    form's csrf field), so a made-up value of the right length does."""
    import http.client
    from urllib.parse import urlencode

    username, _, password = who.partition(":")
    csrf = uuid.uuid4().hex + uuid.uuid4().hex
    body = urlencode({"username": username, "password": password, "csrf": csrf, "next": "/"})
    c = http.client.HTTPConnection(host, port, timeout=30)
    c.request("POST", "/login", body, {"Content-Type": "application/x-www-form-urlencoded",
                                       "Cookie": f"accord_csrf={csrf}"})
    r = c.getresponse()
    r.read()
    for name, value in r.getheaders():
        if name.lower() == "set-cookie" and value.startswith("accord_session="):
            c.close()
            return value.split(";", 1)[0].split("=", 1)[1]
    c.close()
    sys.exit(f"login as {username} failed: HTTP {r.status} without a session cookie")


# ------------------------------------------------------------------ one viewer
SIZE, DATA, CRLF = 0, 1, 2


class Viewer(asyncio.Protocol):
    """One SSE connection. Keeps (time, event, id, data) of every event it receives."""

    def __init__(self, run, index):
        self.run = run
        self.index = index
        self.transport = None
        self.raw = bytearray()  # bytes not yet decoded (headers, chunk framing)
        self.body = bytearray()  # decoded body not yet split into events
        self.headers_done = False
        self.status = None
        self.chunked = False
        self.state = SIZE
        self.left = 0
        self.events = []  # (t, event, id, data) as bytes, data JSON parsed later
        self.keepalives = 0
        self.first = asyncio.get_running_loop().create_future()
        self.closed_at = None
        self.error = None

    def connection_made(self, transport):
        self.transport = transport
        requests = self.run.sse_requests
        transport.write(requests[self.index % len(requests)])

    def data_received(self, data):
        t = now()  # the moment the client handles these bytes: all events in them share it
        raw = self.raw
        raw += data
        if not self.headers_done:
            i = raw.find(b"\r\n\r\n")
            if i < 0:
                return
            head = bytes(raw[:i]).decode("latin-1").split("\r\n")
            del raw[: i + 4]
            self.headers_done = True
            try:
                self.status = int(head[0].split()[1])
            except (IndexError, ValueError):
                self.status = -1
            lower = [h.lower() for h in head[1:]]
            self.chunked = any(h.startswith("transfer-encoding:") and "chunked" in h for h in lower)
            if self.status != 200:
                self.fail(f"HTTP status {self.status}")
                return
        if self.chunked:
            self.dechunk()
        else:
            self.body += raw
            raw.clear()
        body = self.body
        # Events end with a blank line (axum writes "\n"; "\r\n" endings are not handled).
        while True:
            k = body.find(b"\n\n")
            if k < 0:
                break
            block = bytes(body[:k])
            del body[: k + 2]
            self.on_block(t, block)

    def dechunk(self):
        raw = self.raw
        while raw:
            if self.state == SIZE:
                j = raw.find(b"\r\n")
                if j < 0:
                    return
                size = int(bytes(raw[:j]).split(b";")[0].strip() or b"0", 16)
                del raw[: j + 2]
                if size == 0:  # last chunk: the server ended the stream
                    raw.clear()
                    return
                self.state, self.left = DATA, size
            elif self.state == DATA:
                take = min(len(raw), self.left)
                self.body += raw[:take]
                del raw[:take]
                self.left -= take
                if self.left == 0:
                    self.state, self.left = CRLF, 2
            else:
                take = min(len(raw), self.left)
                del raw[:take]
                self.left -= take
                if self.left == 0:
                    self.state = SIZE

    def on_block(self, t, block):
        ev = rid = data = None
        for line in block.split(b"\n"):
            if line.startswith(b"event:"):
                ev = line[6:].strip()
            elif line.startswith(b"id:"):
                rid = line[3:].strip()
            elif line.startswith(b"data:"):
                data = line[5:].lstrip()
            # ":" lines are comments (the keep-alive); other fields are not used.
        if ev is None and data is None:
            self.keepalives += 1
            return
        self.events.append((t, ev, rid, data))
        if not self.first.done():
            self.first.set_result(t)
        elif rid is not None:
            self.run.delivered[rid] = self.run.delivered.get(rid, 0) + 1

    def fail(self, why):
        if self.error is None:
            self.error = why
        if not self.first.done():
            self.first.set_exception(ConnectionError(why))
        if self.transport is not None:
            self.transport.close()

    def connection_lost(self, exc):
        self.closed_at = now()
        if not self.run.closing:
            self.fail(f"connection closed by the server ({exc or 'EOF'})")


# ------------------------------------------------------------------ the run
class Run:
    def __init__(self, args):
        self.args = args
        u = urlsplit(args.base)
        self.host, self.port = u.hostname, u.port or 80
        self.sse_path = f"/p/{args.process}/live/{args.paragraph}/events"
        # The live screen is for the room (delegations and up): each viewer carries the session
        # cookie of one of the --login accounts, round robin (none: the public, for a server
        # whose live screen is public).
        self.sessions = [login(self.host, self.port, who) for who in (args.login or [])]
        self.sse_requests = [
            (
                f"GET {self.sse_path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n"
                "Accept: text/event-stream\r\nCache-Control: no-cache\r\n"
                + (f"Cookie: accord_session={cookie}\r\n" if cookie else "")
                + "\r\n"
            ).encode()
            for cookie in (self.sessions or [None])
        ]
        self.viewers = []
        self.delivered = {}  # revision (bytes) -> deliveries counted as they arrive
        self.closing = False

    async def open_viewer(self, i, sem):
        loop = asyncio.get_running_loop()
        async with sem:  # at most connect_batch connections being set up at once
            v = None
            try:
                _, v = await asyncio.wait_for(
                    loop.create_connection(lambda: Viewer(self, i), self.host, self.port),
                    self.args.connect_timeout,
                )
                self.viewers.append(v)
                await asyncio.wait_for(asyncio.shield(v.first), self.args.connect_timeout)
            except (OSError, asyncio.TimeoutError, ConnectionError) as e:
                if v is None:
                    self.connect_errors.append(f"{type(e).__name__}: {e}")
                else:
                    v.fail(v.error or f"no initial event within {self.args.connect_timeout} s")

    async def post(self, reader, writer, text, base_revision):
        a = self.args
        body = json.dumps({"text": text, "base_revision": base_revision}).encode()
        req = (
            f"POST /api/processes/{a.process}/working/{a.paragraph}/compromise HTTP/1.1\r\n"
            f"Host: {self.host}:{self.port}\r\nAuthorization: Bearer {a.token}\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
        ).encode() + body
        t0 = now()  # "just before sending the POST"
        writer.write(req)
        await writer.drain()
        head = await reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split()[1])
        length = 0
        for h in lines[1:]:
            if h.lower().startswith("content-length:"):
                length = int(h.split(":", 1)[1])
        payload = await reader.readexactly(length) if length else b""
        t1 = now()
        try:
            answer = json.loads(payload) if payload else None
        except ValueError:
            answer = payload.decode("utf-8", "replace")
        return t0, t1, status, answer

    async def lag_monitor(self, samples, stop):
        # How late a 10 ms timer fires: the event loop's own scheduling delay, which every
        # delivery handled by this client also suffers.
        while not stop.is_set():
            t = now()
            await asyncio.sleep(0.01)
            samples.append(now() - t - 0.01)

    async def main(self):
        a = self.args
        pid = a.server_pid
        out = {
            "viewers": a.viewers, "edits_planned": a.edits, "interval_s": a.interval,
            "process": a.process, "paragraph": a.paragraph, "base": a.base,
            "server_rss_start_kib": proc_status_kib(pid, "VmRSS"),
        }
        self.connect_errors = []

        # -- 1, 2: connect every viewer and wait for its initial event.
        cpu0, t_c0 = proc_cpu_s(pid), now()
        sem = asyncio.Semaphore(a.connect_batch)
        await asyncio.gather(*(self.open_viewer(i, sem) for i in range(a.viewers)))
        t_c1, cpu1 = now(), proc_cpu_s(pid)
        ok = [v for v in self.viewers if v.first.done() and not v.first.exception() and v.error is None]
        for v in self.viewers:  # retrieve exceptions so asyncio does not log them
            if v.first.done() and not v.first.cancelled():
                v.first.exception()
        out["connected"] = len(ok)
        out["connect_s"] = round(t_c1 - t_c0, 3)
        out["server_cpu_connect_s"] = None if cpu0 is None or cpu1 is None else round(cpu1 - cpu0, 3)
        out["server_rss_connected_kib"] = proc_status_kib(pid, "VmRSS")
        out["connect_errors"] = sorted(set(self.connect_errors))[:10]
        out["connect_error_count"] = len(self.connect_errors) + sum(1 for v in self.viewers if v.error)
        initial = {}
        for v in ok:
            e = v.events[0]
            initial[e[2]] = initial.get(e[2], 0) + 1
        out["initial_revisions"] = {k.decode(): n for k, n in initial.items()}
        print(f"[live] {len(ok)}/{a.viewers} viewers have their initial event after {t_c1 - t_c0:.1f} s"
              f" (initial revision(s): {out['initial_revisions']})", file=sys.stderr)
        if not ok:
            out["fatal"] = "no viewer connected"
            out["viewer_errors"] = sorted({v.error for v in self.viewers if v.error})[:10]
            return out
        base_rev = int(max(initial.items(), key=lambda kv: kv[1])[0])

        # -- 3: the edits.
        # Whatever the connect phase left for the garbage collector is collected now and frozen,
        # so that a full collection over N viewers' objects does not land in the middle of a
        # delivery (it would be the client's pause, not the server's).
        gc.collect()
        gc.freeze()
        await asyncio.sleep(a.settle)
        reader, writer = await asyncio.open_connection(self.host, self.port)
        lag, stop = [], asyncio.Event()
        monitor = asyncio.create_task(self.lag_monitor(lag, stop))
        ru0, cpu2, t_e0 = resource.getrusage(resource.RUSAGE_SELF), proc_cpu_s(pid), now()
        tag = uuid.uuid4().hex[:8]
        edits, failures, conflicts = [], [], 0
        rev = base_rev
        for k in range(a.edits):
            delay = t_e0 + k * a.interval - now()
            if delay > 0:
                await asyncio.sleep(delay)
            marker = f"live benchmark {tag} edit {k + 1} of {a.edits}"
            text = (f"We stress the need to protect sensitive ocean data, including data on the location "
                    f"of endangered species, and to address the cybersecurity risks faced by ocean "
                    f"observing systems ({marker}).")
            for attempt in range(3):
                t0, t1, status, answer = await self.post(reader, writer, text, rev)
                if status == 409 and isinstance(answer, dict):
                    # Someone else changed the paragraph: retry on the current revision.
                    conflicts += 1
                    rev = int(answer["error"]["current"]["revision"])
                    continue
                break
            if status == 200 and isinstance(answer, dict) and "revision" in answer:
                rev = int(answer["revision"])
                edits.append({"k": k + 1, "revision": rev, "text": text, "marker": marker, "t0": t0, "post_ms": (t1 - t0) * 1e3})
            else:
                failures.append(f"edit {k + 1}: HTTP {status}: {str(answer)[:200]}")
        t_e1 = now()

        # -- 5: wait for every viewer to have every edit, at most --drain s after the last one.
        want = {str(e["revision"]).encode() for e in edits}
        live = [v for v in ok if v.error is None]
        deadline = t_e1 + a.drain
        while now() < deadline:
            if all(self.delivered.get(r, 0) >= len(live) for r in want):
                break
            await asyncio.sleep(0.02)
            live = [v for v in ok if v.error is None]
        t_e2 = now()
        stop.set()
        await monitor
        ru1, cpu3 = resource.getrusage(resource.RUSAGE_SELF), proc_cpu_s(pid)
        writer.close()
        self.closing = True
        out["server_rss_end_kib"] = proc_status_kib(pid, "VmRSS")
        out["server_hwm_kib"] = proc_status_kib(pid, "VmHWM")  # peak RSS over the server's life
        for v in self.viewers:
            if v.transport is not None:
                v.transport.close()
        await asyncio.sleep(0.1)

        # -- 4: match deliveries to edits (revision, and the text checked), latencies.
        by_rev = {str(e["revision"]): e for e in edits}
        lat_all, per_edit = [], {e["revision"]: [] for e in edits}
        lost_viewers, wrong_text, unexpected, duplicates, out_of_order = 0, 0, 0, 0, 0
        for v in ok:
            seen = set()
            last_rev = -1
            for t, ev, rid, data in v.events[1:]:
                r = rid.decode() if rid else None
                e = by_rev.get(r)
                if ev != b"paragraph" or e is None:
                    unexpected += 1
                    continue
                if r in seen:
                    duplicates += 1
                    continue
                seen.add(r)
                if int(r) < last_rev:
                    out_of_order += 1
                last_rev = int(r)
                try:
                    # The edit's own marker must be in the text (equality would break on a text
                    # sent marked up, which the live screen may do).
                    # The event's data is the paragraph as HTML, changed words marked: the
                    # marker is looked for in its text.
                    if e["marker"] not in html.unescape(re.sub(r"<[^>]*>", "", data.decode())):
                        wrong_text += 1
                except (ValueError, KeyError, TypeError):
                    wrong_text += 1
                ms = (t - e["t0"]) * 1e3
                lat_all.append(ms)
                per_edit[e["revision"]].append(ms)
            if len(seen) < len(edits):
                lost_viewers += 1
        lat_all.sort()
        expected = len(ok) * len(edits)
        out.update({
            "edits": len(edits),
            "edit_failures": failures,
            "conflicts_retried": conflicts,
            "expected": expected,
            "received": len(lat_all),
            "lost": expected - len(lat_all),
            "viewers_missing_some": lost_viewers,
            "wrong_text": wrong_text,
            "unexpected_events": unexpected,
            "duplicates": duplicates,
            "out_of_order": out_of_order,
            "viewers_closed": sum(1 for v in ok if v.error),
            "viewer_errors": sorted({v.error for v in self.viewers if v.error})[:10],
            "p50_ms": percentile(lat_all, 50),
            "p90_ms": percentile(lat_all, 90),
            "p99_ms": percentile(lat_all, 99),
            "max_ms": lat_all[-1] if lat_all else None,
            "min_ms": lat_all[0] if lat_all else None,
            "post_ms": sorted(e["post_ms"] for e in edits),
            "per_edit": [
                {"k": e["k"], "revision": e["revision"], "post_ms": round(e["post_ms"], 2),
                 "received": len(per_edit[e["revision"]]),
                 "first_ms": round(min(per_edit[e["revision"]]), 2) if per_edit[e["revision"]] else None,
                 "p50_ms": round(percentile(sorted(per_edit[e["revision"]]), 50), 2) if per_edit[e["revision"]] else None,
                 "all_ms": round(max(per_edit[e["revision"]]), 2) if per_edit[e["revision"]] else None}
                for e in edits
            ],
            "edit_phase_s": round(t_e2 - t_e0, 3),
            "edits_sent_s": round(t_e1 - t_e0, 3),
            "server_cpu_edits_s": None if cpu2 is None or cpu3 is None else round(cpu3 - cpu2, 3),
            "server_cpu_edits_cores": None if cpu2 is None or cpu3 is None else round((cpu3 - cpu2) / (t_e2 - t_e0), 3),
            "client_cpu_edits_s": round((ru1.ru_utime + ru1.ru_stime) - (ru0.ru_utime + ru0.ru_stime), 3),
            "client_cpu_edits_cores": round(((ru1.ru_utime + ru1.ru_stime) - (ru0.ru_utime + ru0.ru_stime)) / (t_e2 - t_e0), 3),
            "loop_lag_p50_ms": round(percentile(sorted(lag), 50) * 1e3, 2) if lag else None,
            "loop_lag_p99_ms": round(percentile(sorted(lag), 99) * 1e3, 2) if lag else None,
            "loop_lag_max_ms": round(max(lag) * 1e3, 2) if lag else None,
            "keepalives": sum(v.keepalives for v in ok),
            "client_rss_peak_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
        })
        return out


def cmd_run(args):
    # N sockets need N descriptors (plus a few): raise the soft limit up to the hard one.
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    need = args.viewers + 256
    if soft != resource.RLIM_INFINITY and soft < need:
        new = need if hard == resource.RLIM_INFINITY else min(need, hard)
        resource.setrlimit(resource.RLIMIT_NOFILE, (new, hard))
        if new < need:
            sys.exit(f"open-files limit {hard} is too low for {args.viewers} viewers")
    result = asyncio.run(Run(args).main())
    text = json.dumps(result, indent=1)
    if args.json:
        with open(args.json, "w") as f:
            f.write(text + "\n")
    fmt = lambda x: "-" if x is None else f"{x:.1f} ms"
    print(f"[live] N={result['viewers']}: connected {result.get('connected')}, edits {result.get('edits')}, "
          f"received {result.get('received')}/{result.get('expected')}, p50 {fmt(result.get('p50_ms'))}, "
          f"p99 {fmt(result.get('p99_ms'))}, max {fmt(result.get('max_ms'))}", file=sys.stderr)
    return 0 if "fatal" not in result else 1


# ------------------------------------------------------------------ the report
def cmd_report(args):
    rows = []
    for path in args.results:
        with open(path) as f:
            rows.append(json.load(f))
    ms = lambda x: "-" if x is None else f"{x:.1f} ms"
    mib = lambda kib: "-" if kib is None else f"{kib / 1024:.0f} MiB"
    lines = [
        "| viewers | connected | edits | deliveries received / expected | lost | p50 | p99 | max |"
        " first / last viewer of an edit (median edit) | server CPU per edit (cores during edits) |"
        " server CPU to connect all | server RSS with viewers / peak | client CPU per edit | client loop lag p99 / max |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    notes = list(args.note or [])
    for r in rows:
        if "fatal" in r:
            why = "; ".join(r.get("connect_errors", []) + r.get("viewer_errors", []))
            lines.append(f"| {r['viewers']:,} | {r.get('connected', 0):,} | - | - | - | - | - | - | - | - | - | - | - | "
                         f"{r['fatal']} |")
            notes.append(f"N={r['viewers']:,}: {r['fatal']}: {why or 'no error recorded'}")
            continue
        alls = sorted(e["all_ms"] for e in r["per_edit"] if e["all_ms"] is not None)
        firsts = sorted(e["first_ms"] for e in r["per_edit"] if e["first_ms"] is not None)
        per_edit_ms = lambda s: "-" if s is None or not r["edits"] else f"{s * 1e3 / r['edits']:.1f} ms"
        cpu_edits = "-" if r["server_cpu_edits_s"] is None else \
            f"{per_edit_ms(r['server_cpu_edits_s'])} ({r['server_cpu_edits_cores']:.2f})"
        cpu_conn = "-" if r["server_cpu_connect_s"] is None else f"{r['server_cpu_connect_s']:.2f} s in {r['connect_s']:.1f} s"
        lines.append(
            f"| {r['viewers']:,} | {r['connected']:,} | {r['edits']} | {r['received']:,} / {r['expected']:,} | {r['lost']:,} |"
            f" {ms(r['p50_ms'])} | {ms(r['p99_ms'])} | {ms(r['max_ms'])} | {ms(percentile(firsts, 50))} / {ms(percentile(alls, 50))} |"
            f" {cpu_edits} | {cpu_conn} |"
            f" {mib(r['server_rss_connected_kib'])} / {mib(r['server_hwm_kib'])} |"
            f" {per_edit_ms(r['client_cpu_edits_s'])} |"
            f" {ms(r['loop_lag_p99_ms'])} / {ms(r['loop_lag_max_ms'])} |"
        )
        n = r["viewers"]
        problems = []
        if r["connected"] < n:
            problems.append(f"only {r['connected']:,} of {n:,} viewers connected ({r['connect_error_count']} errors: "
                            f"{'; '.join(r['connect_errors'] + r['viewer_errors'])})")
        if r["edits"] < r["edits_planned"]:
            problems.append(f"{r['edits_planned'] - r['edits']} edit(s) failed: {'; '.join(r['edit_failures'])}")
        for key, label in (("lost", "deliveries lost"), ("wrong_text", "deliveries with the wrong text"),
                           ("duplicates", "duplicate deliveries"), ("out_of_order", "deliveries out of order"),
                           ("unexpected_events", "unexpected events"), ("viewers_closed", "viewers closed by the server"),
                           ("conflicts_retried", "409 conflicts retried")):
            if r[key]:
                problems.append(f"{r[key]:,} {label}")
        post = r["post_ms"]
        notes.append(
            f"N={n:,}: " + ("; ".join(problems) if problems else "every viewer got every edit, with the right text, "
                            "in order, once")
            + f". POST answered in p50 {ms(percentile(post, 50))}, max {ms(post[-1] if post else None)}"
            f"; connect phase {r['connect_s']:.1f} s; p90 {ms(r['p90_ms'])}."
        )
        if n >= 2000 or n == max(x["viewers"] for x in rows):
            met = not problems and r["p99_ms"] is not None and r["p99_ms"] < 250 and r["connected"] == n
            notes.append(f"Target (an edit reaches all of 2,000 viewers, p99 < 250 ms) at N={n:,}: "
                         + ("MET" if met and n >= 2000 else "met at this N" if met else "NOT met")
                         + f" (p99 {ms(r['p99_ms'])}, {r['received']:,}/{r['expected']:,} delivered).")
    table = "\n".join(lines)
    text = table + "\n\n" + "\n".join(f"- {n}" for n in notes) + "\n"
    if args.header:
        text = args.header.rstrip("\n") + "\n\n" + text
    if args.footer:
        text += "\n" + args.footer.rstrip("\n") + "\n"
    if args.out:
        with open(args.out, "w") as f:
            f.write(text)
    print(text)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = p.add_subparsers(dest="cmd", required=True)
    r = sub.add_parser("run", help="one load run")
    r.add_argument("--base", required=True, help="http://127.0.0.1:PORT")
    r.add_argument("--token", required=True, help="a co-facilitator's API token (for the edits)")
    r.add_argument("--login", action="append", metavar="USER:PASSWORD",
                   help="a web account for the viewers (repeat: viewers are spread over them)")
    r.add_argument("--process", default="ocean-data")
    r.add_argument("--paragraph", default="13")
    r.add_argument("--viewers", type=int, default=2000)
    r.add_argument("--edits", type=int, default=20)
    r.add_argument("--interval", type=float, default=0.3, help="seconds between edits")
    r.add_argument("--connect-batch", type=int, default=100, help="connection set-ups in flight at once")
    r.add_argument("--connect-timeout", type=float, default=60.0)
    r.add_argument("--settle", type=float, default=1.0, help="pause between connecting and the first edit")
    r.add_argument("--drain", type=float, default=10.0, help="max wait for deliveries after the last edit")
    r.add_argument("--server-pid", type=int, help="to read the server's CPU and RSS from /proc")
    r.add_argument("--json", help="write the results here")
    rep = sub.add_parser("report", help="Markdown table from run results")
    rep.add_argument("results", nargs="+")
    rep.add_argument("--out")
    rep.add_argument("--header")
    rep.add_argument("--footer")
    rep.add_argument("--note", action="append")
    args = p.parse_args()
    sys.exit(cmd_run(args) if args.cmd == "run" else cmd_report(args))


if __name__ == "__main__":
    main()
