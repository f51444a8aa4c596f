#!/usr/bin/env python3
"""Write a large synthetic negotiation draft for parse-throughput benchmarks.

Usage: python3 bench/make_large.py OUT_PATH [TARGET_BYTES] [SEED_PATH]

The seed draft's *document part* (from the line starting "Outcome Document of
the High-Level Meeting" to the end) is repeated until the output is about
TARGET_BYTES (default 50,000,000) bytes: whole copies are appended while the
next one still fits, so the result is at most TARGET_BYTES (but always at least
one copy). The title line appears once, at the top; every copy repeats the
lines after it.

Renumbering, so that the big draft still reads as one well-formed draft:
  * paragraph lines ("N. text...", N in 1..70 in the seed) are numbered
    continuously: copy k's paragraph N becomes (k-1)*70 + N;
  * section headings ("1. ICT for Development", "1.1 Bridging Digital
    Divides", "4.1. Enhanced Cooperation") keep their depth and punctuation but
    their top-level number continues: copy k's "1.1 ..." becomes
    "<(k-1)*S+1>.1 ..." where S is the number of top-level sections in the seed
    (5), so all headings stay distinct and still look like headings.

Deterministic: same seed and target give byte-identical output. stdlib only.
"""

import os
import re
import sys

TITLE_PREFIX = "Outcome Document of the High-Level Meeting"
DEFAULT_TARGET = 50_000_000
DEFAULT_SEED = os.path.join(
    os.path.dirname(os.path.abspath(__file__)),
    "..", "..", "shared", "seeds", "000_a85ec3b89659f1a1.txt",
)

# "12. We recognize ..." / "1. ICT for Development" / "1.1 Bridging" / "4.1. Enhanced"
NUMBERED_RE = re.compile(r"^(\d+)((?:\.\d+)*)(\.?) (\S.*)$")
HEADING_MAX_LEN = 80


def is_heading(line):
    """A heading is a short numbered line that does not end like a sentence."""
    m = NUMBERED_RE.match(line)
    if not m:
        return False
    body = line.rstrip()
    return len(body) <= HEADING_MAX_LEN and not body.endswith((".", ";", ":", ",", "]"))


def classify(lines):
    """Return a list of (kind, match) per line: kind in {'para', 'heading', None}."""
    out = []
    for line in lines:
        m = NUMBERED_RE.match(line)
        if m is None:
            out.append((None, None))
        elif is_heading(line):
            out.append(("heading", m))
        elif m.group(2) == "" and m.group(3) == ".":
            out.append(("para", m))
        else:
            out.append((None, None))
    return out


def main(argv):
    if len(argv) < 2 or argv[1] in ("-h", "--help"):
        sys.stderr.write(__doc__)
        return 2
    out_path = argv[1]
    target = int(argv[2]) if len(argv) > 2 else DEFAULT_TARGET
    seed_path = argv[3] if len(argv) > 3 else DEFAULT_SEED

    with open(seed_path, "r", encoding="utf-8", newline="") as f:
        seed = f.read()
    lines = seed.splitlines(keepends=True)
    starts = [i for i, l in enumerate(lines) if l.startswith(TITLE_PREFIX)]
    if not starts:
        sys.exit(f"make_large: no line starting {TITLE_PREFIX!r} in {seed_path}")
    title = lines[starts[0]]
    body = lines[starts[0] + 1:]
    if body and not body[-1].endswith("\n"):
        body[-1] += "\n"
    if not title.endswith("\n"):
        title += "\n"

    kinds = classify(body)
    para_nums = [int(m.group(1)) for k, m in kinds if k == "para"]
    head_tops = [int(m.group(1)) for k, m in kinds if k == "heading"]
    n_paras = max(para_nums) if para_nums else 0
    n_sections = max(head_tops) if head_tops else 0
    # Sanity: the seed's paragraphs are numbered 1..n without gaps.
    if para_nums != list(range(1, n_paras + 1)):
        sys.exit(f"make_large: unexpected paragraph numbering in seed: {para_nums}")

    header = title.encode("utf-8")
    written = len(header)
    copies = 0
    with open(out_path, "wb") as out:
        out.write(header)
        while True:
            para_off = copies * n_paras
            sect_off = copies * n_sections
            chunk = []
            for line, (kind, m) in zip(body, kinds):
                if kind == "para":
                    line = f"{int(m.group(1)) + para_off}. {m.group(4)}{line[m.end(4):]}"
                elif kind == "heading":
                    line = (f"{int(m.group(1)) + sect_off}{m.group(2)}{m.group(3)} "
                            f"{m.group(4)}{line[m.end(4):]}")
                chunk.append(line)
            data = "".join(chunk).encode("utf-8")
            if copies > 0 and written + len(data) > target:
                break
            out.write(data)
            written += len(data)
            copies += 1

    sys.stderr.write(
        f"make_large: wrote {out_path}: {written} bytes, {copies} copies, "
        f"{copies * n_paras} paragraphs, {copies * len(head_tops)} headings\n"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
