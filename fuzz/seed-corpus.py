#!/usr/bin/env python3
"""Builds the seed corpora in corpus/TARGET/ (not committed) from the
repository's fixtures, ../shared (the real drafts, read only) and Accord's
own writers. Run from fuzz/ after `cargo build -p accord-cli` (for
`target/debug/accord`):  python3 seed-corpus.py"""
import glob, json, os, subprocess, zlib

SHARED = '../../shared' if os.path.isdir('../../shared') else '/work/shared'
FIXTURES = sorted(glob.glob('../crates/accord-core/tests/fixtures/*.txt'))
ACCORD = '../target/debug/accord'
for t in ['parse', 'canonical', 'compare', 'akn', 'docx', 'pdf', 'markdown', 'api_json']:
    os.makedirs(f'corpus/{t}', exist_ok=True)

def chunks(pattern, dest, size=8192):
    """Each file cut into ~size-byte pieces at line ends."""
    for f in sorted(glob.glob(pattern)):
        data = open(f, 'rb').read()
        base = os.path.basename(f).replace('@', '_').rsplit('.', 1)[0]
        i = k = 0
        while i < len(data):
            j = min(i + size, len(data))
            if j < len(data):
                nl = data.rfind(b'\n', i + size // 2, j)
                if nl != -1:
                    j = nl + 1
            open(f'{dest}/{base}_{k:03d}', 'wb').write(data[i:j])
            i, k = j, k + 1

# Text: the seed, the fixtures, the Paris texts; Markdown: the Paris .md.
for f in FIXTURES + glob.glob(f'{SHARED}/seeds/*.txt'):
    open('corpus/parse/' + os.path.basename(f), 'wb').write(open(f, 'rb').read())
chunks(f'{SHARED}/drafts/unfccc-paris-2015/*.txt', 'corpus/parse')
chunks(f'{SHARED}/drafts/unfccc-paris-2015/*.md', 'corpus/markdown')
# compare: pairs of fixtures, NUL between.
for a in FIXTURES:
    for b in FIXTURES[:3]:
        if a != b:
            name = os.path.basename(a) + '-' + os.path.basename(b)
            open('corpus/compare/' + name, 'wb').write(open(a, 'rb').read() + b'\0' + open(b, 'rb').read())
# docx and canonical from our own writers.
for f in FIXTURES:
    n = os.path.basename(f)[:-4]
    subprocess.run([ACCORD, 'export', f, '--to', 'docx', '-o', f'corpus/docx/{n}.docx'], check=False)
    out = subprocess.run([ACCORD, 'parse', f, '--format', 'canonical'], capture_output=True).stdout
    open(f'corpus/canonical/{n}.txt', 'wb').write(out.split(b'\n', 1)[-1])  # the target adds the header
# akn: the OASIS examples (first 64 KB).
for f in glob.glob(f'{SHARED}/standards/akoma-ntoso/*.xml'):
    open('corpus/akn/' + os.path.basename(f), 'wb').write(open(f, 'rb').read()[:65536])

# pdf: one-page PDFs of the fixtures' first lines (plain and deflated), the
# two regression PDFs, the heads of two Paris PDFs; the target adds the header.
FONT = "/Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >>"
def pdf(content, compress):
    c = content.encode('latin-1', 'replace')
    filt = ''
    if compress:
        c, filt = zlib.compress(c), ' /Filter /FlateDecode'
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << {FONT} >> >>".encode(),
            f"<< /Length {len(c)}{filt} >>\nstream\n".encode() + c + b"\nendstream"]
    out, offs = bytearray(b"%PDF-1.4\n"), []
    for i, o in enumerate(objs):
        offs.append(len(out))
        out += f"{i + 1} 0 obj\n".encode() + o + b"\nendobj\n"
    x = len(out)
    out += f"xref\n0 {len(objs) + 1}\n0000000000 65535 f \n".encode()
    out += b''.join(f"{o:010} 00000 n \n".encode() for o in offs)
    out += f"trailer\n<< /Size {len(objs) + 1} /Root 1 0 R >>\nstartxref\n{x}\n%%EOF\n".encode()
    return bytes(out)
esc = lambda s: s.replace('\\', '\\\\').replace('(', '\\(').replace(')', '\\)')
for f in FIXTURES:
    lines = [l for l in open(f, encoding='utf8').read().splitlines() if l.strip()][:40]
    content = "BT /F1 10 Tf 12 TL 50 750 Td " + " ".join(f"({esc(l)}) Tj T*" for l in lines) + " ET"
    for comp in (False, True):
        data = pdf(content, comp)
        open(f'corpus/pdf/{os.path.basename(f)[:-4]}{"-z" if comp else ""}', 'wb').write(data[9:])
for f in glob.glob('../crates/accord-formats/tests/fixtures/pdf/*.pdf') + \
        sorted(glob.glob(f'{SHARED}/drafts/unfccc-paris-2015/*.pdf'))[:2]:
    d = open(f, 'rb').read()[:65536]
    open('corpus/pdf/' + os.path.basename(f).replace('@', '_'), 'wb').write(d[d.index(b'\n') + 1:])

# api_json: request sequences, one per line: caller digit, then the body.
def w(name, lines):
    open('corpus/api_json/' + name, 'wb').write(
        b'\n'.join(str(a).encode() + json.dumps(b).encode() for a, b in lines))
tp = lambda para, edit, **kw: dict(action='table-proposal', draft='d1', paragraph=para, on_behalf_of='', edit=edit, **kw)
w('insert', [(2, tp('1', {'kind': 'insert', 'at': 3, 'text': ' all'}, rationale='clarity'))])
w('replace-support-decide', [(2, tp('2', {'kind': 'replace', 'span': [0, 8], 'text': 'Invites'})),
    (3, {'action': 'support', 'proposal': 'p1', 'on_behalf_of': ''}),
    (1, {'action': 'decide', 'proposal': 'p1', 'decision': 'accept', 'base_revision': 0}),
    (1, {'action': 'produce-revision', 'label': 'Rev.1', 'publication': 'circulated'})])
w('bracket', [(4, tp('PP1', {'kind': 'bracket', 'span': [0, 9]})),
    (1, {'action': 'resolve-bracket', 'paragraph': '1', 'bracket': 0, 'resolution': 'keep', 'base_revision': 0})])
w('alternatives', [(2, tp('1', {'kind': 'alternatives', 'span': [8, 18], 'alternatives': ['to hold', 'to organize']},
    citation='A/RES/70/1'))])
w('paragraphs', [(2, tp('3', {'kind': 'add-paragraph', 'text': 'Decides also to act.'})),
    (3, tp('2(a)', {'kind': 'delete-paragraph'})), (2, tp('3', {'kind': 'move-paragraph', 'after': 'PP1'}))])
w('status', [(1, {'action': 'set-status', 'paragraph': '1', 'status': 'agreed-ad-ref', 'note': 'x', 'base_revision': 0}),
    (1, {'action': 'write-compromise', 'paragraph': '2', 'text': 'Requests a report.', 'base_revision': 0})])
w('session', [(1, {'action': 'schedule-session', 'date': '2026-12-03', 'time': '10:00', 'room': 'CR4', 'agenda': ['OP1']}),
    (1, {'action': 'record-decision', 'session': 's1', 'text': 'Agreed', 'paragraphs': ['1']})])
w('admin', [(0, {'action': 'add-participant', 'participant': {'id': 'delta', 'name': 'Delta', 'kind': 'member-state'}}),
    (0, {'action': 'import-draft', 'label': 'Rev.1', 'canonical': 'Draft\n\n1. Decides to act.\n', 'publication': 'public'}),
    (0, {'action': 'publish', 'draft': 'd1', 'publication': 'public'})])
w('endgame', [(1, {'action': 'set-time-zone', 'zone': 'Europe/Zurich'}),
    (1, {'action': 'set-deadline', 'until': '2026-12-10T18:00'}),
    (1, {'action': 'start-silence', 'until': '2026-12-12T12:00'}),
    (2, {'action': 'break-silence', 'on_behalf_of': '', 'paragraphs': ['1'], 'reason': 'no'}),
    (1, {'action': 'adopt', 'date': '2026-12-13'})])
w('revise-withdraw', [(2, tp('1', {'kind': 'delete', 'span': [0, 7]})),
    (2, {'action': 'revise', 'proposal': 'p1', 'base_revision': 1, 'edit': {'kind': 'delete', 'span': [0, 8]}}),
    (2, {'action': 'withdraw', 'proposal': 'p1'}), (5, {'action': 'oppose', 'proposal': 'p1', 'on_behalf_of': ''})])
w('process', [(0, {'action': 'update-process', 'info': {'title': 'T', 'mandate': 'm', 'co_facilitators': ['Norland', 'Sol'],
    'public': True, 'deadline': '2026-12-01'}})])
for t in sorted(os.listdir('corpus')):
    print(t, len(os.listdir(f'corpus/{t}')))
