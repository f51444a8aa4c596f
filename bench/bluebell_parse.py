#!/usr/bin/env python3
"""Time bluebell-akn (with its Rust extension bluebell-akn-rs) parsing a draft.

Usage: python bench/bluebell_parse.py FILE [REPEATS] [ROOT]

Runs inside the venv made by bench/parse.sh (Python >= 3.12 with bluebell-akn
and bluebell-akn-rs). The text is read and decoded first; only the parse call
is timed: `_bluebell_rs.parse_to_xml(text, ROOT, FRBR_URI, "")` (the function
that bluebell.parse_to_xml_bytes dispatches to when the Rust extension is
installed; it returns the Akoma Ntoso XML as bytes). If the extension is
missing it falls back to bluebell.parse_to_xml_bytes (pure Python) and says so.

ROOT defaults to "statement" (AKN openStructure, the generic non-legislative
document type); "act" also works. The plain-text draft carries no bluebell
markup (PARA/SEC keywords), so this measures bluebell on the draft as-is.

Prints one machine-readable line:
  RESULT bytes=.. best_s=.. median_s=.. repeats=.. impl=rust|python root=..
         xml_bytes=.. p=.. paragraph=.. section=.. num=.. heading=.. structured=yes|no
"""

import re
import statistics
import sys
import time

FRBR = {
    "statement": "/akn/un/statement/deliberation/2015/wsis-draft",
    "act": "/akn/un/act/2015/wsis-draft",
}


def main(argv):
    path = argv[1]
    repeats = int(argv[2]) if len(argv) > 2 else 3
    root = argv[3] if len(argv) > 3 else "statement"
    frbr = FRBR.get(root, f"/akn/un/{root}/2015/wsis-draft")

    with open(path, "rb") as f:
        raw = f.read()
    text = raw.decode("utf-8")

    try:
        from _bluebell_rs import parse_to_xml as parse
        impl = "rust"
    except ImportError:  # pure-Python fallback
        from bluebell import parse_to_xml_bytes as parse
        impl = "python"

    times = []
    xml = b""
    for _ in range(max(1, repeats)):
        xml = b""  # free the previous result before timing the next parse
        t0 = time.perf_counter()
        xml = parse(text, root, frbr, "")
        times.append(time.perf_counter() - t0)

    def count(tag):
        return len(re.findall(rb"<" + tag.encode() + rb"[ >/]", xml))

    counts = {t: count(t) for t in ("p", "paragraph", "section", "num", "heading", "hcontainer")}
    structured = "yes" if (counts["paragraph"] or counts["section"] or counts["num"]) else "no"
    print(
        f"RESULT bytes={len(raw)} best_s={min(times):.9f} median_s={statistics.median(times):.9f} "
        f"repeats={len(times)} impl={impl} root={root} xml_bytes={len(xml)} "
        + " ".join(f"{k}={v}" for k, v in counts.items())
        + f" structured={structured}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
