#!/usr/bin/env python3
"""Word-level diff of two drafts with Python's difflib (peer for bench/compare.sh).

Usage: python3 bench/difflib_words.py OLD NEW

Reads both files (UTF-8), splits the whole texts on whitespace (str.split()),
runs difflib.SequenceMatcher(None, old_words, new_words, autojunk=False) and
.get_opcodes(). Prints one line:
  RESULT tool=difflib words_old=.. words_new=.. opcodes=.. changed_opcodes=..
         read_s=.. diff_s=.. python=..
read_s = read + split; diff_s = SequenceMatcher + get_opcodes. stdlib only.
"""

import difflib
import platform
import sys
import time


def main(argv):
    if len(argv) != 3:
        sys.stderr.write(__doc__)
        return 2
    t0 = time.perf_counter()
    with open(argv[1], encoding="utf-8") as f:
        a = f.read().split()
    with open(argv[2], encoding="utf-8") as f:
        b = f.read().split()
    t1 = time.perf_counter()
    ops = difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    t2 = time.perf_counter()
    changed = sum(1 for op in ops if op[0] != "equal")
    print(f"RESULT tool=difflib words_old={len(a)} words_new={len(b)} opcodes={len(ops)} "
          f"changed_opcodes={changed} read_s={t1 - t0:.6f} diff_s={t2 - t1:.6f} "
          f"python={platform.python_version()}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
