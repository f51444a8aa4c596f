#!/usr/bin/env python3
"""Synthetic corpus, queries and ground truth for `accord_core::trace` (stdlib only).

    python3 bench/make_trace_corpus.py --size 100000 --out bench/out/trace
        [--seed 20151212] [--drafts 40] [--draft-paras 70] [--no-queries]
        [--shared /work/shared]

Writes into --out:
  corpus-SIZE.tsv   one corpus unit a line: symbol <TAB> unit number <TAB> text,
                    units of a document contiguous ("SYN/RES/00042", "1" ...).
  queries/draft-NN.txt   (unless --no-queries) drafts of --draft-paras paragraphs
                    "N. text", each paragraph novel filler text with 0-2 planted reuses.
  truth.tsv         one planted reuse a line (see TRUTH_COLUMNS).

The material: the Universal Declaration (articles and preamble), the seed draft's
numbered paragraphs, the Paris Agreement drafts (.md and the PDF-extracted .txt)
and the SDG targets, cut into sentences and clauses (deduplicated). Each corpus
unit is 2-6 clauses drawn at random from that pool, each clause
  * verbatim (P_VERBATIM), so agreed language recurs across the corpus as it
    does in real resolutions,
  * lightly perturbed (P_LIGHT): about one word in seven substituted, dropped or
    swapped with its neighbour, so near-copies exist, or
  * shuffled (the rest): its words in random order, novel but in the genre.

Determinism: the corpus comes from one random stream seeded by --seed, unit by
unit, and document sizes from another, so the first N units of a larger corpus
are exactly the units of the corpus of size N: the queries and truth made at
--size 100000 hold (by symbol and unit number) for the 1,000,000-unit corpus too.
Queries use a third stream and only plant from the first --plant-pool units.

A plant copies a contiguous extent of 12-60 words (library-style word tokens)
of a known corpus unit. Half the plants are edited with 1-3 edits among:
insert a word, delete a word, change a word, a British/American spelling
variant, a possessive ("his" -> "their"). Spelling and possessive edits are
folded away by the tracer, so they keep the word; the truth records, per plant,
the source words kept (`kept`) and how many 5-word shingles of the source extent
survive unbroken (`shingles`).
"""
import argparse
import glob
import html
import os
import random
import re
import sys

P_VERBATIM = 0.10
P_LIGHT = 0.20

TRUTH_COLUMNS = [
    "draft",  # queries/draft-NN.txt
    "para",  # paragraph number in the draft ("17")
    "kind",  # verbatim | edited
    "doc",  # corpus document symbol
    "unit",  # corpus unit number
    "start",  # draft span: first character of the planted text in the paragraph text
    "end",  # just past its last character
    "src_start",  # the copied extent in the unit text (characters)
    "src_end",
    "words",  # words of the source extent
    "kept",  # source words still in the draft (after edits; spelling/possessive count as kept)
    "shingles",  # 5-word shingles of the extent kept unbroken
    "edits",  # e.g. "change@5,spelling@9"
    "text",  # the planted text as it stands in the draft
]

# Library-style tokens: words (letters, inner - ' ’ ‐ joiners) and numbers (inner . ,).
TOKEN_RE = re.compile(r"[^\W\d_][^\W_]*(?:['’‐-][^\W_]+)*|\d+(?:[.,]\d+)*")


def words_with_spans(text):
    return [(m.group(0), m.start(), m.end()) for m in TOKEN_RE.finditer(text)]


# ------------------------------------------------------------------ material
def clean(text):
    text = html.unescape(text)
    text = re.sub(r"\[([^\]]*)\]\[[^\]]*\]", r"\1", text)  # markdown reference links
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)  # markdown inline links
    text = re.sub(r"\bOption \(?[a-z0-9]+\)?:\s*", "", text)
    text = re.sub(r"[\[\]{}*_#|<>]", " ", text)
    text = re.sub(r"\s+", " ", text)
    return text.strip()


def udhr(path):
    h = open(path, encoding="utf-8").read()
    out = []
    header = re.search(r"<header>(.*?)</header>", h, re.S)
    if header:
        out += re.findall(r"<p>(.*?)</p>", header.group(1), re.S)
    for body in re.findall(r'<article data-number="\d+">(.*?)</article>', h, re.S):
        body = re.sub(r"<h2>.*?</h2>", " ", body, flags=re.S)
        out.append(re.sub(r"<[^>]+>", " ", body))
    return out


def numbered_paragraphs(path):
    out = []
    for line in open(path, encoding="utf-8", errors="replace"):
        m = re.match(r"\s*\d+\.\s+(.*)", line)
        if m:
            out.append(re.sub(r"\[(Suggested for Closure|Agreed ad ref|[^\]]{0,40})\]", " ", m.group(1)))
    return out


def markdown_paragraphs(path):
    text = open(path, encoding="utf-8", errors="replace").read()
    text = re.sub(r"^---.*?^---", "", text, flags=re.S | re.M)  # front matter
    out = []
    for block in re.split(r"\n\s*\n", text):
        block = re.sub(r"^\s*(?:\d+\.|\([a-z]+\)|[-*])\s+", "", block.strip())
        if len(block.split()) >= 8 and not block.startswith("{"):
            out.append(block)
    return out


def pdf_text_paragraphs(path):
    """PDF-extracted text: drop page furniture, join lines, cut at paragraph numbers."""
    lines = []
    for line in open(path, encoding="utf-8", errors="replace"):
        s = line.strip()
        if len(s.split()) < 4 or re.fullmatch(r"[\d\sofpage.-]+", s, re.I) or s.isupper():
            lines.append("")
            continue
        lines.append(s)
    text = "\n".join(lines)
    out = []
    for block in re.split(r"\n\n+|\n(?=\d+\.\s)", text):
        block = re.sub(r"^\d+\.\s+", "", block.replace("\n", " "))
        if len(block.split()) >= 8:
            out.append(block)
    return out


def sdg_targets(path):
    out, cur = [], None
    for line in open(path, encoding="utf-8"):
        m = re.match(r"^[\w-]+-title:\s*(.*)", line)
        if m:
            if cur:
                out.append(cur)
            cur = m.group(1).strip()
        elif cur is not None and line.startswith("  "):
            cur += " " + line.strip()
    if cur:
        out.append(cur)
    return out


def material(shared):
    texts = []
    texts += udhr(os.path.join(shared, "corpus/udhr/udhr-eng.html"))
    texts += numbered_paragraphs(os.path.join(shared, "seeds/000_a85ec3b89659f1a1.txt"))
    for p in sorted(glob.glob(os.path.join(shared, "drafts/unfccc-paris-2015/*.md"))):
        texts += markdown_paragraphs(p)
    for p in sorted(glob.glob(os.path.join(shared, "drafts/unfccc-paris-2015/*.txt"))):
        texts += pdf_text_paragraphs(p)
    for p in sorted(glob.glob(os.path.join(shared, "corpus/sdg/*targets*.yml"))):
        texts += sdg_targets(p)
    return [clean(t) for t in texts]


def clause_pool(texts):
    """Sentences cut at ; : and sentence ends, then at commas into clauses of 4-30 words."""
    seen, pool = set(), []
    for t in texts:
        for sent in re.split(r"(?<=[.;:])\s+(?=[A-Z(])|;\s+", t):
            parts = [c.strip() for c in re.split(r",\s+", sent) if c.strip()]
            cur = []
            for c in parts:
                cur.append(c)
                n = sum(len(x.split()) for x in cur)
                if n >= 4:
                    words = ", ".join(cur).rstrip(".;:,").split()
                    cur = []
                    for i in range(0, len(words), 30):
                        chunk = words[i : i + 30]
                        if len(chunk) >= 4:
                            key = " ".join(w.lower() for w in chunk)
                            if key not in seen:
                                seen.add(key)
                                pool.append(chunk)
    return pool


# ------------------------------------------------------------------ corpus
OPENERS = [
    "Recognizing that", "Reaffirming", "Calls upon Member States to", "Decides that",
    "Emphasizes the importance of", "Encourages all relevant stakeholders to", "Notes with concern",
    "Requests the Secretary-General to", "Acknowledging", "Stressing that", "Urges Parties to",
    "Welcomes", "Invites", "Recalling", "Underlines",
]


def make_unit(rng, pool, vocab):
    clauses = []
    for _ in range(rng.randint(2, 6)):
        words = list(rng.choice(pool))
        r = rng.random()
        if r < P_VERBATIM:
            pass
        elif r < P_VERBATIM + P_LIGHT:
            i = 0
            while i < len(words):
                if rng.random() < 0.14:
                    op = rng.randrange(3)
                    if op == 0:
                        words[i] = rng.choice(vocab)
                    elif op == 1 and len(words) > 4:
                        del words[i]
                        continue
                    elif i + 1 < len(words):
                        words[i], words[i + 1] = words[i + 1], words[i]
                i += 1
        else:
            words = [w.strip(",;:.") or w for w in words]
            rng.shuffle(words)
        clauses.append(" ".join(words).rstrip(",;:."))
    text = clauses[0]
    for c in clauses[1:]:
        text += rng.choice([", ", ", ", "; ", ". "]) + c
    if rng.random() < 0.3:
        text = rng.choice(OPENERS) + " " + text[:1].lower() + text[1:]
    else:
        text = text[:1].upper() + text[1:]
    return text + "."


def write_corpus(path, size, seed, pool, vocab):
    rng = random.Random(seed)
    sizes = random.Random(seed + 1)
    texts_for_plants = []
    with open(path, "w", encoding="utf-8") as f:
        n, d = 0, 0
        while n < size:
            d += 1
            symbol = f"SYN/RES/{d:05d}"
            for u in range(1, sizes.randint(10, 90) + 1):
                if n >= size:
                    break
                text = make_unit(rng, pool, vocab)
                f.write(f"{symbol}\t{u}\t{text}\n")
                yield symbol, str(u), text
                n += 1


# ------------------------------------------------------------------ queries
STOCK = [
    "all relevant stakeholders", "in accordance with international law", "the 2030 Agenda for Sustainable Development",
    "developing countries", "the United Nations system", "in this regard", "including through",
    "at the national, regional and international levels", "human rights and fundamental freedoms",
    "the private sector, civil society", "information and communication technologies",
]

SPELLING = [  # British <-> American endings, applied either way
    ("isations", "izations"), ("isation", "ization"), ("ising", "izing"), ("ised", "ized"), ("ises", "izes"),
    ("ise", "ize"),
]
SPELL_WORDS = {"centre": "center", "centres": "centers", "programme": "program", "programmes": "programs",
               "labour": "labor", "favour": "favor", "honour": "honor", "behaviour": "behavior",
               "neighbour": "neighbor", "endeavour": "endeavor", "endeavours": "endeavors"}
SPELL_KEEP = {"otherwise", "exercise", "enterprise", "compromise", "advise", "comprise", "surprise", "premise",
              "arise", "franchise", "concise", "precise", "revise", "devise", "supervise", "expertise",
              "merchandise", "televise", "disguise", "despise", "excise", "incise", "praise", "raise", "size",
              "prize", "seize", "promise", "noise", "cruise", "paradise", "poise", "wise", "rise"}
POSS = {"his": "their", "her": "their", "its": "their", "their": "its", "His": "Their", "Her": "Their",
        "Its": "Their", "Their": "Its"}


def spelling_variant(w):
    """A British/American variant the tracer folds together, or None."""
    if w in SPELL_WORDS:
        return SPELL_WORDS[w]
    rev = {v: k for k, v in SPELL_WORDS.items()}
    if w in rev:
        return rev[w]
    if not w.isalpha() or not w.islower() or len(w) < 7:
        return None
    for uk, us in SPELLING:
        for a, b in ((uk, us), (us, uk)):
            if w.endswith(a):
                stem = w[: -len(a)]
                if stem + "ise" in SPELL_KEEP or stem + "ize" in SPELL_KEEP:
                    return None
                return stem + b
    return None


def edit_plant(rng, words, vocab):
    """words: source words. Returns (edited [(word, source index or None)], edits)."""
    out = [(w, i) for i, w in enumerate(words)]
    edits = []
    kinds = ["insert", "delete", "change", "spelling", "possessive"]
    for _ in range(rng.randint(1, 3)):
        kind = rng.choice(kinds)
        if kind == "spelling":
            cands = [j for j, (w, i) in enumerate(out) if i is not None and spelling_variant(w)]
            if not cands:
                kind = "possessive"
            else:
                j = rng.choice(cands)
                out[j] = (spelling_variant(out[j][0]), out[j][1])
        if kind == "possessive":
            cands = [j for j, (w, i) in enumerate(out) if i is not None and w in POSS]
            if not cands:
                kind = "change"
            else:
                j = rng.choice(cands)
                out[j] = (POSS[out[j][0]], out[j][1])
        if kind == "insert":
            j = rng.randint(1, len(out) - 1)
            out.insert(j, (rng.choice(vocab), None))
        elif kind == "delete" and len(out) > 2:
            j = rng.randrange(len(out))
            del out[j]
        elif kind in ("change", "delete"):
            kind = "change"
            j = rng.randrange(len(out))
            new = rng.choice(vocab)
            while new.lower() == out[j][0].lower():
                new = rng.choice(vocab)
            out[j] = (new, None)
        edits.append(f"{kind}@{j}")
    return out, edits


def filler(rng, vocab, n):
    ws = []
    while len(ws) < n:
        if rng.random() < 0.06:
            ws += rng.choice(STOCK).split()
        else:
            ws.append(rng.choice(vocab).strip(",;:.").lower() or "the")
    ws = ws[:n]
    for i in range(6, len(ws) - 1, rng.randint(6, 11)):
        ws[i] += ","
    return " ".join(ws)


def write_queries(out, units, args, vocab):
    rng = random.Random(args.seed + 2)
    eligible = [u for u in units if len(words_with_spans(u[2])) >= 12]
    os.makedirs(os.path.join(out, "queries"), exist_ok=True)
    truth = open(os.path.join(out, "truth.tsv"), "w", encoding="utf-8")
    truth.write("\t".join(TRUTH_COLUMNS) + "\n")
    for d in range(1, args.drafts + 1):
        name = f"queries/draft-{d:02d}.txt"
        lines = []
        for p in range(1, args.draft_paras + 1):
            nplants = rng.choice([0, 1, 2])
            text, rows = "", []
            first = rng.random() < 0.15  # plant at the very start of the paragraph
            for k in range(nplants):
                gap = 0 if (k == 0 and first) else rng.randint(4, 30)
                if gap:
                    text += ("" if not text else " ") + filler(rng, vocab, gap)
                symbol, number, utext = rng.choice(eligible)
                toks = words_with_spans(utext)
                length = rng.randint(12, min(60, len(toks)))
                s = rng.randint(0, len(toks) - length)
                ext = toks[s : s + length]
                src_start, src_end = ext[0][1], ext[-1][2]
                kind = rng.choice(["verbatim", "edited"])
                if kind == "verbatim":
                    planted = utext[src_start:src_end]
                    kept, shingles, edits = length, length - 4, ""
                else:
                    ew, edits = edit_plant(rng, [t[0] for t in ext], vocab)
                    planted = " ".join(w for w, _ in ew)
                    idx = [i for _, i in ew]
                    kept = sum(i is not None for i in idx)
                    shingles = sum(
                        all(idx[j + q] is not None and idx[j + q] == idx[j] + q for q in range(5))
                        for j in range(len(idx) - 4)
                    )
                    edits = ",".join(edits)
                if text and not text.endswith(" "):
                    text += " "
                start = len(text)
                text += planted
                end = len(text)
                rows.append([name, str(p), kind, symbol, number, str(start), str(end), str(src_start),
                             str(src_end), str(length), str(kept), str(shingles), edits, planted])
            tail = rng.randint(4, 30) if (nplants == 0 or rng.random() < 0.85) else 0
            if nplants == 0:
                tail = rng.randint(20, 70)
            if tail:
                text += ("" if not text else " ") + filler(rng, vocab, tail)
            text = text[:1].upper() + text[1:] + "."
            for r in rows:
                if int(r[5]) == 0 and r[13][:1] != text[:1]:
                    r[13] = text[: int(r[6])]  # capitalised first letter
            lines.append(f"{p}. {text}")
            for r in rows:
                truth.write("\t".join(c.replace("\t", " ") for c in r) + "\n")
        with open(os.path.join(out, name), "w", encoding="utf-8") as f:
            f.write("\n".join(lines) + "\n")
    truth.close()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--size", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=20151212)
    ap.add_argument("--out", default="bench/out/trace")
    ap.add_argument("--shared", default=os.path.join(os.path.dirname(__file__), "../../shared"))
    ap.add_argument("--drafts", type=int, default=40)
    ap.add_argument("--draft-paras", type=int, default=70)
    ap.add_argument("--plant-pool", type=int, default=100_000)
    ap.add_argument("--no-queries", action="store_true")
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    texts = material(args.shared)
    pool = clause_pool(texts)
    vocab = [w for c in pool for w in c if w.strip(",;:.").isalpha()]
    print(f"material: {len(texts)} texts, {len(pool)} distinct clauses, "
          f"{sum(map(len, pool))} words, vocabulary {len(set(vocab))}", file=sys.stderr)
    corpus = os.path.join(args.out, f"corpus-{args.size}.tsv")
    units = []
    for u in write_corpus(corpus, args.size, args.seed, pool, vocab):
        if not args.no_queries and len(units) < args.plant_pool:
            units.append(u)
    print(f"wrote {corpus}", file=sys.stderr)
    if not args.no_queries:
        write_queries(args.out, units, args, vocab)
        print(f"wrote {args.out}/queries/ and {args.out}/truth.tsv", file=sys.stderr)


if __name__ == "__main__":
    main()
