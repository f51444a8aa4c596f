#!/usr/bin/env python3
"""Issue 11, item 2, bounded: one delegation floods `POST /proposals` on a
running `accord serve` (keep-alive connections, several threads) while
`/api/health` is timed; prints how many were created (201) and refused (429),
the health latency, and the server's peak RSS.

    accord serve --data-dir D --addr 127.0.0.1:PORT &   (tokens made first)
    python3 bench/quota_flood.py --addr 127.0.0.1:PORT --token DELEGATION_TOKEN \
        --process P --pid SERVER_PID [--requests 20000] [--threads 4]
"""
import argparse, http.client, json, threading, time


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--addr", required=True)
    ap.add_argument("--token", required=True)
    ap.add_argument("--process", required=True)
    ap.add_argument("--pid", type=int)
    ap.add_argument("--requests", type=int, default=20000)
    ap.add_argument("--threads", type=int, default=4)
    a = ap.parse_args()
    host, port = a.addr.split(":")
    counts, lock = {}, threading.Lock()
    per = a.requests // a.threads
    body = json.dumps({"paragraph": "1", "edit": {"kind": "insert", "at": 0, "text": "Also, "}})
    headers = {"Authorization": "Bearer " + a.token, "Content-Type": "application/json"}

    def flood():
        c = http.client.HTTPConnection(host, int(port), timeout=30)
        for _ in range(per):
            try:
                c.request("POST", f"/api/processes/{a.process}/proposals", body, headers)
                r = c.getresponse()
                r.read()
                s = r.status
            except Exception:
                c = http.client.HTTPConnection(host, int(port), timeout=30)
                s = "error"
            with lock:
                counts[s] = counts.get(s, 0) + 1

    health, peak, done = [], [0], [False]

    def watch():
        while not done[0]:
            t = time.perf_counter()
            c = http.client.HTTPConnection(host, int(port), timeout=30)
            c.request("GET", "/api/health")
            c.getresponse().read()
            health.append(time.perf_counter() - t)
            if a.pid:
                for line in open(f"/proc/{a.pid}/status"):
                    if line.startswith("VmRSS"):
                        peak[0] = max(peak[0], int(line.split()[1]))
            time.sleep(0.05)

    w = threading.Thread(target=watch)
    w.start()
    start = time.perf_counter()
    ts = [threading.Thread(target=flood) for _ in range(a.threads)]
    [t.start() for t in ts]
    [t.join() for t in ts]
    secs = time.perf_counter() - start
    done[0] = True
    w.join()
    health.sort()
    print(f"{per * a.threads} tablings in {secs:.1f} s: {counts}")
    print(f"health: {len(health)} probes, median {health[len(health)//2]*1000:.1f} ms, max {health[-1]*1000:.1f} ms")
    if a.pid:
        print(f"server peak RSS: {peak[0] // 1024} MB")


if __name__ == "__main__":
    main()
