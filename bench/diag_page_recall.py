"""Diagnostic (session 9): page paragraphs (p/dd/li, >= 8 words, outside chrome) whose first and last 8 words are both missing from the parsed text; up to 12 sampled pages per corpus of every HTML list. The fidelity metric cannot see lost text; this can.

Run: .venv/bin/python bench/diag_page_recall.py (prints corpora with more than 2% missing, examples, and the total).
"""
import sys, random, re
sys.path.insert(0, '/work/main/bench')
from pathlib import Path
import bench_html_failures as bf
from doc_metrics import words
from lxml import html as H
from fineflow_desktop.core.ingest import parse_file
from fineflow_desktop.core.ingest.html_chrome import chrome_kind
random.seed(1)
tot_all = miss_all = 0
for lname, corpora in bf.corpus_lists().items():
    if lname.startswith("markdown"): continue
    for name, _g, files_of in corpora:
        files = [p for p in files_of() if p.suffix in (".html", ".htm", ".xhtml") and p.is_file()]
        if not files: continue
        files = random.sample(files, min(12, len(files)))
        tot = miss = 0; ex = []
        for f in files:
            try:
                secs = parse_file(f).sections
                root = H.document_fromstring(f.read_bytes())
            except Exception:
                continue
            text = " " + " ".join(words(" ".join(" ".join(s.heading_path) + " " + s.text for s in secs))) + " "
            for el in root.iter("p", "dd", "li"):
                anc = [a for a in el.iterancestors()]
                if any(chrome_kind(a, a.tag if isinstance(a.tag, str) else "") == "drop" for a in anc): continue
                if any(isinstance(a.tag, str) and a.tag in ("nav", "footer", "aside") for a in anc): continue
                w = words(el.text_content())
                if len(w) < 8: continue
                tot += 1
                probe = " " + " ".join(w[:8]) + " "
                if probe not in text:
                    probe2 = " " + " ".join(w[-8:]) + " "
                    if probe2 not in text:
                        miss += 1
                        if len(ex) < 3: ex.append((f.name, " ".join(w[:14])))
        tot_all += tot; miss_all += miss
        if tot and miss / tot > 0.02:
            print(f"{lname:<16} {name:<22} paragraphs {tot:>5} missing {miss:>4} ({100*miss/tot:.1f}%)  e.g. {ex}", flush=True)
print("all", tot_all, miss_all)
