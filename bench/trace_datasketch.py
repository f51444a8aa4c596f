#!/usr/bin/env python3
"""Peer for bench/trace.sh: datasketch MinHash LSH Ensemble on 5-word shingles,
on the same corpus, queries and ground truth as crates/accord-core/examples/trace_eval.rs.

    python bench/trace_datasketch.py CORPUS.tsv QUERY_DIR TRUTH.tsv [--perm 128] [--threshold 0.5]

Index: one MinHash (num_perm) per corpus unit over its distinct 5-word shingles
(words lower-cased, hyphens dropped, possessives folded, as the tracer does;
British/American spelling is not folded), in a MinHashLSHEnsemble (containment
threshold, 16 partitions). Query: every window of 12 words (stride 2) of a draft
paragraph is a query set of 8 shingles; a unit returned for a window is a
candidate of the paragraph, its draft span the union of the windows that
returned it. LSH gives candidates, not aligned passages: no verification step
is added, so its precision is the raw candidate precision.

Recall and precision exactly as trace_eval defines them (planted document and
unit, draft span over >= 50% of the planted span; plants with >= 12 words kept).
Prints a report and a `RESULT` line; peak memory is ru_maxrss of this process.
"""
import argparse
import glob
import os
import re
import resource
import sys
import time

from datasketch import MinHash, MinHashLSHEnsemble

TOKEN_RE = re.compile(r"[^\W\d_][^\W_]*(?:['’‐-][^\W_]+)*|\d+(?:[.,]\d+)*")
POSS = {"his", "her", "their", "its", "hers", "theirs"}
WINDOW, STRIDE = 12, 2


def tokens(text):
    out = []
    for m in TOKEN_RE.finditer(text):
        w = m.group(0).lower().replace("-", "").replace("‐", "")
        out.append(("‹poss›" if w in POSS else w, m.start(), m.end()))
    return out


def shingles(words):
    return {" ".join(words[i : i + 5]).encode() for i in range(len(words) - 4)}


def longest_run(a, b):
    best, prev = 0, [0] * (len(b) + 1)
    for x in a:
        cur = [0] * (len(b) + 1)
        for j, y in enumerate(b):
            if x == y:
                cur[j + 1] = prev[j] + 1
                if cur[j + 1] > best:
                    best = cur[j + 1]
        prev = cur
    return best


def rss_mib():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("corpus")
    ap.add_argument("queries")
    ap.add_argument("truth")
    ap.add_argument("--perm", type=int, default=64)
    ap.add_argument("--drafts", type=int, default=0, help="query only the first N drafts (0: all)")
    ap.add_argument("--threshold", type=float, default=0.5)
    ap.add_argument("--m", type=int, default=8, help="LSH Ensemble m (max r); memory grows with it")
    a = ap.parse_args()

    t0 = time.perf_counter()
    keys, texts, entries = [], [], []
    with open(a.corpus, encoding="utf-8") as f:
        for line in f:
            sym, num, text = line.rstrip("\n").split("\t", 2)
            sh = shingles([w for w, _, _ in tokens(text)])
            if not sh:
                continue
            m = MinHash(num_perm=a.perm)
            m.update_batch(sh)
            keys.append((sym, num))
            texts.append(text)
            entries.append((len(keys) - 1, m, len(sh)))
    t1 = time.perf_counter()
    lsh = MinHashLSHEnsemble(threshold=a.threshold, num_perm=a.perm, num_part=16, m=a.m)
    lsh.index(entries)
    del entries
    t2 = time.perf_counter()
    print(f"datasketch {sys.modules['datasketch'].__version__ if hasattr(sys.modules['datasketch'], '__version__') else ''}"
          f" MinHashLSHEnsemble(threshold={a.threshold}, num_perm={a.perm}, num_part=16, m={a.m}): {len(keys)} units;"
          f" MinHashes {t1 - t0:.1f} s, index {t2 - t1:.1f} s, total {t2 - t0:.1f} s; peak RSS {rss_mib():.0f} MiB", flush=True)

    truth = {}
    with open(a.truth, encoding="utf-8") as f:
        head = f.readline().rstrip("\n").split("\t")
        for line in f:
            r = dict(zip(head, line.rstrip("\n").split("\t")))
            truth.setdefault((r["draft"], r["para"]), []).append(r)

    t3 = time.perf_counter()
    nq = 0
    results = {}  # (draft, para) -> {unit index: [start, end]}
    paras = {}
    files = sorted(glob.glob(os.path.join(a.queries, "*.txt")))
    if a.drafts:
        files = files[: a.drafts]
    names = {"queries/" + os.path.basename(p) for p in files}
    truth = {k: v for k, v in truth.items() if k[0] in names}
    for path in files:
        name = "queries/" + os.path.basename(path)
        for line in open(path, encoding="utf-8"):
            m = re.match(r"(\d+)\. (.*)", line.rstrip("\n"))
            if not m:
                continue
            para, text = m.group(1), m.group(2)
            paras[(name, para)] = text
            toks = tokens(text)
            found = {}
            starts = list(range(0, max(1, len(toks) - WINDOW + 1), STRIDE))
            if starts[-1] != max(0, len(toks) - WINDOW):
                starts.append(max(0, len(toks) - WINDOW))
            for s in starts:
                win = toks[s : s + WINDOW]
                sh = shingles([w for w, _, _ in win])
                if not sh:
                    continue
                q = MinHash(num_perm=a.perm)
                q.update_batch(sh)
                nq += 1
                span = [win[0][1], win[-1][2]]
                for u in lsh.query(q, len(sh)):
                    if u in found:
                        found[u] = [min(found[u][0], span[0]), max(found[u][1], span[1])]
                    else:
                        found[u] = span
            results[(name, para)] = found
    t4 = time.perf_counter()
    ndrafts = len(files)
    print(f"queries: {ndrafts} drafts, {len(paras)} paragraphs, {nq} windows of {WINDOW} words (stride {STRIDE}); "
          f"{t4 - t3:.1f} s, {1000 * (t4 - t3) / ndrafts:.0f} ms per draft; peak RSS {rss_mib():.0f} MiB")

    def ov(a_, b_):
        return max(0, min(a_[1], b_[1]) - max(a_[0], b_[0]))

    tally = {}
    for key, plants in truth.items():
        found = results.get(key, {})
        for p in plants:
            if int(p["kept"]) < 12:
                continue
            span = [int(p["start"]), int(p["end"])]
            hit = any(keys[u] == (p["doc"], p["unit"]) and 2 * ov(s, span) >= span[1] - span[0] for u, s in found.items())
            for k in ("all", p["kind"]):
                t = tally.setdefault(k, [0, 0])
                t[0] += 1
                t[1] += hit
    reported = tp = genuine = 0
    for key, found in results.items():
        plants = truth.get(key, [])
        dwords = None
        for u, s in found.items():
            reported += 1
            if any(keys[u] == (p["doc"], p["unit"]) and ov(s, [int(p["start"]), int(p["end"])]) > 0 for p in plants):
                tp += 1
                continue
            dwords = [w for w, _, _ in tokens(paras[key][s[0] : s[1]])]
            if longest_run(dwords, [w for w, _, _ in tokens(texts[u])]) >= 12:
                genuine += 1
    for k in ("all", "verbatim", "edited"):
        n, h = tally.get(k, [0, 0])
        print(f"recall {k:<9} {n:>5} plants  {h / max(n, 1):.4f}")
    print(f"candidates reported: {reported}; precision {tp / max(reported, 1):.4f}, "
          f"adjusted (+{genuine} sharing >= 12 words verbatim) {(tp + genuine) / max(reported, 1):.4f}")
    print(
        "RESULT peer=datasketch-lshensemble num_perm=%d drafts=%d plants=%d units=%d index_s=%.1f peak_rss_mib=%.0f query_s=%.1f ms_per_draft=%.0f "
        "recall=%.4f recall_verbatim=%.4f recall_edited=%.4f reported=%d precision=%.4f precision_adjusted=%.4f"
        % (a.perm, ndrafts, tally["all"][0], len(keys), t2 - t0, rss_mib(), t4 - t3, 1000 * (t4 - t3) / ndrafts,
           tally["all"][1] / tally["all"][0], tally["verbatim"][1] / tally["verbatim"][0],
           tally["edited"][1] / tally["edited"][0], reported, tp / max(reported, 1), (tp + genuine) / max(reported, 1))
    )


if __name__ == "__main__":
    main()
