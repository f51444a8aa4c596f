#!/usr/bin/env python3
"""Write an OLD/NEW draft pair for the compare benchmark (bench/compare.sh).

Usage: python3 bench/make_pair.py OUT_OLD OUT_NEW K [SEED_PATH]

OLD is the seed draft's *document part* (from the line starting "Outcome
Document of the High-Level Meeting" to the end) repeated K times, exactly as
bench/make_large.py builds it: the title line once at the top, then K copies of
the lines after it, with continuous paragraph numbering (copy c's paragraph N
becomes (c-1)*P + N) and heading numbers made distinct per copy (copy c's
"1.1 ..." becomes "<(c-1)*S+1>.1 ...", S = 5 top-level sections in the seed).

NEW is the same, but every copy first gets the same fixed set of realistic
edits (numbers refer to the seed's paragraphs), then is renumbered the same way
(P stays 70: one paragraph deleted, one inserted, one split, one merge):

  word changes (6 paragraphs)
    10  "We recognize that increased"      -> "We note that increased"
    12  "attention should be paid"         -> "attention must be paid"
    21  "We recognize that ICTs are also"  -> "We recognise that ..."   (spelling variant)
    29  "only 41% of women"                -> "only 43% of women"        (number)
    44  "realization of human rights"      -> "... of Human Rights"      (capitalisation)
    66  "continuation of annual reports"   -> "... of biennial reports"
  brackets
    32  "[foreign]"                        -> "foreign"                  (brackets removed)
    70  "[2020/2025]"                      -> "2025"                     (alternative chosen)
  structure
    41  deleted
    --  one new paragraph inserted after 35 (end of section 1.2)
    20  moved from section 1 to section 2, after 45
    25  split into two at a sentence boundary (after "...perpetuates inequality.");
        the second part becomes a new numbered paragraph and keeps the status tag
    33 + 34 merged into one paragraph
  status tags
    46  "[Suggested for Closure]" added
    28  "[Suggested for Closure]" removed

Every paragraph text stays on one line ("N. text [Suggested for Closure]").
Deterministic (fixed edits, no randomness): same seed and K give byte-identical
files. stdlib only; shares the line classification of bench/make_large.py.
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_large import DEFAULT_SEED, TITLE_PREFIX, classify  # noqa: E402

TAG = " [Suggested for Closure]"
RENUMBER_PARAGRAPH = (
    "Welcoming the work of national statistical offices in measuring access to information "
    "and communication technologies, and the support they receive from regional commissions,"
)
NEW_PARAGRAPH = (
    "We encourage all stakeholders to publish open data on the affordability and "
    "quality of broadband services, so that progress towards universal and "
    "meaningful connectivity can be measured consistently across all countries and regions."
)
WORD_EDITS = [
    (10, "We recognize that increased", "We note that increased"),
    (12, "attention should be paid", "attention must be paid"),
    (21, "We recognize that ICTs are also", "We recognise that ICTs are also"),
    (29, "only 41% of women", "only 43% of women"),
    (44, "realization of human rights", "realization of Human Rights"),
    (66, "continuation of annual reports", "continuation of biennial reports"),
    (32, "[foreign]", "foreign"),
    (70, "[2020/2025]", "2025"),
]
SPLIT = (25, "perpetuates inequality. ")
MERGE = (33, 34)
DELETE = 41
INSERT_AFTER = 35
MOVE = (20, 45)  # paragraph 20 goes right after paragraph 45
TAG_ADD = 46
TAG_REMOVE = 28


def load_seed(seed_path):
    with open(seed_path, "r", encoding="utf-8", newline="") as f:
        lines = f.read().splitlines(keepends=True)
    starts = [i for i, l in enumerate(lines) if l.startswith(TITLE_PREFIX)]
    if not starts:
        sys.exit(f"make_pair: no line starting {TITLE_PREFIX!r} in {seed_path}")
    title = lines[starts[0]]
    body = lines[starts[0] + 1:]
    if body and not body[-1].endswith("\n"):
        body[-1] += "\n"
    if not title.endswith("\n"):
        title += "\n"
    return title, body


def to_items(body):
    """Body lines -> items: ['para', seed_no, text] / ['heading', match, line] / ['line', None, line].
    A paragraph's text is the line after "N. " without its newline."""
    items = []
    for line, (kind, m) in zip(body, classify(body)):
        if kind == "para":
            items.append(["para", int(m.group(1)), line[m.start(4):].rstrip("\n")])
        elif kind == "heading":
            items.append(["heading", m, line])
        else:
            items.append(["line", None, line])
    return items


def edited(items):
    """Apply the fixed edits to one copy's items (seed numbering); returns new items."""
    items = [list(x) for x in items]

    def find(n):
        for i, it in enumerate(items):
            if it[0] == "para" and it[1] == n:
                return i
        sys.exit(f"make_pair: paragraph {n} not found")

    def replace(n, old, new):
        i = find(n)
        if items[i][2].count(old) != 1:
            sys.exit(f"make_pair: paragraph {n}: expected exactly one {old!r}")
        items[i][2] = items[i][2].replace(old, new)

    for n, old, new in WORD_EDITS:
        replace(n, old, new)

    # status tags
    i = find(TAG_REMOVE)
    if not items[i][2].endswith(TAG):
        sys.exit(f"make_pair: paragraph {TAG_REMOVE} has no status tag to remove")
    items[i][2] = items[i][2][: -len(TAG)]
    i = find(TAG_ADD)
    if items[i][2].endswith(TAG):
        sys.exit(f"make_pair: paragraph {TAG_ADD} already tagged")
    items[i][2] += TAG

    # merge two consecutive short paragraphs (the second one's line disappears)
    a, b = find(MERGE[0]), find(MERGE[1])
    if b != a + 1:
        sys.exit(f"make_pair: paragraphs {MERGE} are not on consecutive lines")
    items[a][2] = items[a][2] + " " + items[b][2]
    del items[b]

    # split one long paragraph at a sentence boundary
    n, at = SPLIT
    i = find(n)
    text = items[i][2]
    if text.count(at) != 1:
        sys.exit(f"make_pair: paragraph {n}: split point {at!r} not found once")
    cut = text.index(at) + len(at)
    items[i][2] = text[:cut].rstrip()
    items.insert(i + 1, ["para", None, text[cut:]])

    # insert a new paragraph
    items.insert(find(INSERT_AFTER) + 1, ["para", None, NEW_PARAGRAPH])

    # move a paragraph to another section
    moved = items.pop(find(MOVE[0]))
    items.insert(find(MOVE[1]) + 1, moved)

    # delete a paragraph
    del items[find(DELETE)]

    # RENUMBER=1: one more new paragraph near the top of every copy, so that
    # every later paragraph is renumbered (what a revision usually does).
    if os.environ.get("RENUMBER") == "1":
        items.insert(find(2) + 1, ["para", None, RENUMBER_PARAGRAPH])
    return items


def render(title, items, copies, out_path):
    n_paras = sum(1 for it in items if it[0] == "para")
    head_tops = [int(it[1].group(1)) for it in items if it[0] == "heading"]
    n_sections = max(head_tops) if head_tops else 0
    with open(out_path, "wb") as out:
        out.write(title.encode("utf-8"))
        for c in range(copies):
            chunk = []
            p = c * n_paras
            for kind, m, text in items:
                if kind == "para":
                    p += 1
                    chunk.append(f"{p}. {text}\n")
                elif kind == "heading":
                    chunk.append(f"{int(m.group(1)) + c * n_sections}{m.group(2)}{m.group(3)} "
                                 f"{m.group(4)}{text[m.end(4):]}")
                else:
                    chunk.append(text)
            out.write("".join(chunk).encode("utf-8"))
    return n_paras


def main(argv):
    if len(argv) < 4 or argv[1] in ("-h", "--help"):
        sys.stderr.write(__doc__)
        return 2
    old_path, new_path, k = argv[1], argv[2], int(argv[3])
    seed_path = argv[4] if len(argv) > 4 else DEFAULT_SEED
    if k < 1:
        sys.exit("make_pair: K must be >= 1")
    title, body = load_seed(seed_path)
    items = to_items(body)
    nums = [it[1] for it in items if it[0] == "para"]
    if nums != list(range(1, len(nums) + 1)):
        sys.exit(f"make_pair: unexpected paragraph numbering in seed: {nums}")
    p_old = render(title, items, k, old_path)
    p_new = render(title, edited(items), k, new_path)
    sys.stderr.write(
        f"make_pair: k={k}: {old_path} ({os.path.getsize(old_path)} bytes, {k * p_old} paragraphs), "
        f"{new_path} ({os.path.getsize(new_path)} bytes, {k * p_new} paragraphs)\n"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
