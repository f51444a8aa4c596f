#!/usr/bin/env python3
"""Word-level diff of two drafts with diff-match-patch (peer for bench/compare.sh).

Usage: python3 bench/dmp_words.py IMPL OLD NEW
  IMPL = py   PyPI diff-match-patch (Google's pure-Python port):
              dmp.Diff_Timeout = 0; dmp.diff_main(a, b, checklines=False)
  IMPL = cpp  PyPI fast_diff_match_patch (Google's C++ port, GIL released):
              fast_diff_match_patch.diff(a, b, timelimit=0, checklines=False,
                                         cleanup="No", counts_only=True)
              cleanup="No" so that both do the same work: diff_main (which
              ends with cleanupMerge) and no semantic clean-up pass.

Word mode, as diff-match-patch's linesToChars trick but per word: the whole
texts are split on whitespace (str.split()), every distinct word gets one
private-use character (U+E000..U+F8FF, then planes 15 and 16; past those,
U+20000 upwards), and the two resulting strings are diffed character by
character, i.e. word by word. Prints one line:
  RESULT tool=dmp-py|dmp-cpp words_old=.. words_new=.. distinct_words=..
         diffs=.. changed_diffs=.. read_s=.. map_s=.. diff_s=.. version=..
"""

import importlib.metadata
import sys
import time


def code_points():
    for lo, hi in ((0xE000, 0xF8FF), (0xF0000, 0xFFFFD), (0x100000, 0x10FFFD), (0x20000, 0xEFFFF)):
        yield from range(lo, hi + 1)


def words_to_chars(a_words, b_words):
    table = {}
    cps = code_points()

    def enc(words):
        out = []
        for w in words:
            c = table.get(w)
            if c is None:
                c = table[w] = chr(next(cps))
            out.append(c)
        return "".join(out)

    return enc(a_words), enc(b_words), len(table)


def main(argv):
    if len(argv) != 4 or argv[1] not in ("py", "cpp"):
        sys.stderr.write(__doc__)
        return 2
    impl, old, new = argv[1:]
    if impl == "py":
        import diff_match_patch
        dmp = diff_match_patch.diff_match_patch()
        dmp.Diff_Timeout = 0
        run = lambda a, b: dmp.diff_main(a, b, checklines=False)
        version = importlib.metadata.version("diff-match-patch")
    else:
        import fast_diff_match_patch
        run = lambda a, b: fast_diff_match_patch.diff(
            a, b, timelimit=0, checklines=False, cleanup="No", counts_only=True)
        version = importlib.metadata.version("fast_diff_match_patch")
    t0 = time.perf_counter()
    with open(old, encoding="utf-8") as f:
        aw = f.read().split()
    with open(new, encoding="utf-8") as f:
        bw = f.read().split()
    t1 = time.perf_counter()
    a, b, distinct = words_to_chars(aw, bw)
    t2 = time.perf_counter()
    diffs = run(a, b)
    t3 = time.perf_counter()
    changed = sum(1 for d in diffs if d[0] not in (0, "="))
    print(f"RESULT tool=dmp-{impl} words_old={len(aw)} words_new={len(bw)} distinct_words={distinct} "
          f"diffs={len(diffs)} changed_diffs={changed} read_s={t1 - t0:.6f} map_s={t2 - t1:.6f} "
          f"diff_s={t3 - t2:.6f} version={version}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
