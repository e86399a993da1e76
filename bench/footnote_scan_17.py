"""Round 17's held-out scan (``--footnotes-held-out-17``): the rule written in ``bench_ingest_docs.py``
above ``FOOTNOTES_HELD_OUT_17``, run once; prints file names, page counts and the number of pages with
a foot-note line (no text). Run: ``python bench/footnote_scan_17.py``."""
import sys, os, re, subprocess, gzip, tempfile
from pathlib import Path
_HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(_HERE)); sys.path.insert(0, str(_HERE.parent / "src"))
import bench_ingest_docs as b
# lists' own files_of with .pdf.gz at its source path, man pdfs and html trees skipped
b._gunzipped = lambda p: [p]
b._man_pdf = lambda page: []
b._gunzipped_tree = lambda *a, **k: []
named = set()
for k, v in vars(b).items():
    if isinstance(v, list) and v and isinstance(v[0], tuple) and len(v[0]) == 3 and callable(v[0][2]):
        for name, gen, fo in v:
            try:
                fs = fo()
            except Exception as e:
                print('skip', k, name, e, file=sys.stderr); continue
            for f in fs:
                f = Path(f)
                if f.name.endswith('.pdf') or f.name.endswith('.pdf.gz'):
                    named.add(os.path.realpath(f))
print('named', len(named), file=sys.stderr)
DEV = ('/usr/share/doc/maint-guide/', '/usr/share/doc/glpk-doc/', '/usr/share/doc/debian-policy/')
out = subprocess.run("find -L /usr/share/doc -name '*.pdf' -o -name '*.pdf.gz'", shell=True, capture_output=True, text=True).stdout.split('\n')
paths = sorted(p for p in out if p)
print('pool', len(paths), file=sys.stderr)
NOTE = re.compile(r'^(?:[1-9][0-9]?[A-Z][a-z]|[*∗†‡][^\W\d_])')
def folder(p):
    parts = Path(p).relative_to('/usr/share/doc').parts
    return '/'.join(parts[:3]) if parts[0] == 'texlive-doc' else parts[0]
seen = set(); outside = []; inside = []
tmp = Path(tempfile.mkdtemp())
for p in paths:
    if len(outside) >= 2 and len(inside) >= 3:
        break
    if os.path.realpath(p) in named or p.startswith(DEV):
        continue
    fd = folder(p)
    if fd in seen:
        continue
    tex = p.startswith('/usr/share/doc/texlive-doc/')
    if (tex and len(inside) >= 3) or (not tex and len(outside) >= 2):
        continue
    f = p
    if p.endswith('.gz'):
        f = tmp / (Path(p).name[:-3])
        try:
            f.write_bytes(gzip.open(p).read())
        except Exception:
            continue
    info = subprocess.run(['pdfinfo', str(f)], capture_output=True, text=True).stdout
    m = re.search(r'^Pages:\s+(\d+)', info, re.M)
    if not m or not 5 <= int(m.group(1)) <= 150:
        continue
    txt = subprocess.run(['pdftotext', '-enc', 'UTF-8', str(f), '-'], capture_output=True, text=True, errors='replace').stdout
    pages = 0
    for page in txt.split('\f'):
        lines = [l.strip() for l in page.split('\n') if l.strip()][-10:]
        if any(NOTE.match(l) for l in lines):
            pages += 1
    if pages >= 3:
        seen.add(fd)
        (inside if tex else outside).append((p, int(m.group(1)), pages))
        print('KEEP', p, m.group(1), pages, flush=True)
print('outside', outside); print('inside', inside)
