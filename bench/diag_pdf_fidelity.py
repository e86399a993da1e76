"""Diagnostic (round 18): where a PDF's text fidelity goes. For each chunk, every word 4-gram of its best
reading (``doc_metrics.fidelity``'s readings) that pdftotext's text lacks is put down to one cause, weighted
as the bench weighs it (1 / grams of the chunk / chunks), so the causes add up to 100% − fidelity:

- ``glyph``: a token of the gram is in no pdftotext reading of the document (the letters differ: a
  ligature, a math alphabet, an accent, a word split or joined);
- ``line join``: every token is known, and the gram spans a line break of the chunk (two lines or blocks
  joined in an order or a way pdftotext does not read);
- ``in line``: every token is known, and the gram lies in one line (words reordered or inserted inside a
  line: a formula, a table row, a mark).

And lost text: pdftotext paragraphs (blank-line separated, >= 8 words) whose first and last 8 words are
both missing from the parse (``bench/diag_page_recall.py`` for PDFs).

Run: .venv/bin/python bench/diag_pdf_fidelity.py FLAG|DEFAULT [--only NAME] [--show N] [--lost]
"""
from __future__ import annotations

import re
import subprocess
import sys
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_ingest_docs as B  # noqa: E402  (puts this checkout's src first)
from doc_metrics import chunk_words, marks_glued, tex_angles, words  # noqa: E402

from fineflow_desktop.core.chunking import chunk_sections  # noqa: E402


def readings(text: str, page_words: set) -> list[tuple[str, list[str]]]:
    """(reading text, tokens) of every reading ``fidelity`` takes, as text so line breaks stay."""
    out = [(text, words(text)), (text, chunk_words(text))]
    if "[" in text:
        for refs, heads in ((True, True), (True, False), (False, True)):
            t = marks_glued(text, refs, heads)
            out.append((t, words(t)))
    if "⟨" in text:
        for t in (tex_angles(text, page_words), tex_angles(marks_glued(text), page_words)):
            out.append((t, words(t)))
    return out


def line_of_tokens(text: str) -> list[int]:
    """The line number of each ``words`` token of *text*."""
    res = []
    for i, line in enumerate(text.split("\n")):
        res += [i] * len(words(line))
    return res


_MATHY = re.compile(r"[∑∏∫√≤≥≠≈∈∉⊂⊆∪∩⇒⇔⇐→←±×∞\uf8e0-\uf8ff]|\s[=<>]\s")
_NOTE = re.compile(r"^\[(?:[1-9]\d?|[∗*†‡§¶]{1,3})\] ")


def kind(line: str) -> str:
    """What a chunk line is, for the causes' split: formula, code (fenced or indented), table row,
    footnote, heading-like short line, or prose."""
    if line.startswith("    ") or line.startswith("```"):
        return "code"
    if " | " in line or line.startswith("|"):
        return "table"
    if _NOTE.match(line):
        return "note"
    if _MATHY.search(line):
        return "formula"
    return "prose"


def main() -> None:
    args = sys.argv[1:]
    flag = args[0]
    only = args[args.index("--only") + 1] if "--only" in args else ""
    show = int(args[args.index("--show") + 1]) if "--show" in args else 0
    lost = "--lost" in args
    # a list flag names its list: "--math-held-out-12" → MATH_HELD_OUT_12 (round 20: any PDF list)
    special = {"DEFAULT": "PDF_CORPORA", "--math": "MATH_HELD_OUT", "--no-outline": "NO_OUTLINE_CORPORA",
               "--held-out": "HELD_OUT_CORPORA", "--round5": "ROUND5_DEV"}
    corpora = getattr(B, special.get(flag) or flag.lstrip("-").upper().replace("-", "_"))
    for name, _gen, files_of in corpora:
        if only and only not in name:
            continue
        for path in files_of():
            drafts = chunk_sections(B.pipeline_sections(path), 512, 64)
            grams, vocab = B.page_reference(path)
            cause = Counter()
            examples = defaultdict(list)
            n = len(drafts)
            for d in drafts:
                best = None
                for text, toks in readings(d.text, vocab):
                    gs = [tuple(toks[i:i + 4]) for i in range(len(toks) - 3)]
                    if not gs:
                        continue
                    miss = [i for i, g in enumerate(gs) if g not in grams]
                    if best is None or len(miss) / len(gs) < best[0]:
                        best = (len(miss) / len(gs), text, toks, gs, miss)
                if best is None or not best[4]:
                    continue
                _, text, toks, gs, miss = best
                lines = line_of_tokens(text)
                if len(lines) != len(toks):
                    lines = [0] * len(toks)
                w = 1 / len(gs) / n
                src = text.split("\n")
                for i in miss:
                    g = gs[i]
                    if any(t not in vocab for t in g):
                        c = "glyph"
                        ex = " ".join(t for t in g if t not in vocab)
                    elif lines[i] != lines[i + 3]:
                        c = "line join"
                        ex = (src[lines[i]][-60:] + " ⏎ " + src[lines[i + 3]][:60])
                    else:
                        c = "in line"
                        ex = src[lines[i]][:140]
                    if c != "glyph":
                        c += "/" + "+".join(sorted({kind(src[lines[i]]), kind(src[lines[i + 3]])}))
                    cause[c] += w
                    examples[c].append(ex)
            tot = sum(cause.values())
            print(f"{name:<22} chunks {n:>4} loss {100 * tot:5.2f}%  " +
                  "  ".join(f"{c} {100 * v:.2f}%" for c, v in cause.most_common()), flush=True)
            for c in cause:
                ctr = Counter(examples[c])
                for ex, k in ctr.most_common(show):
                    print(f"    [{c}] {k:>3}× {ex!r}")
            if lost:
                parsed = " " + " ".join(words(" ".join(" ".join(s.heading_path) + " " + s.text
                                                          for s in B.pipeline_sections(path)))) + " "
                ref = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True,
                                     text=True).stdout
                # prose paragraphs: >= 8 words, most of them words of letters (not a table of numbers),
                # no dot leaders (a contents page, dropped on purpose)
                paras = [p for p in ref.replace("\f", "\n\n").split("\n\n") if len(words(p)) >= 8
                         and sum(w.isalpha() and len(w) > 1 for w in words(p)) >= 0.6 * len(words(p))
                         and ". . ." not in p]
                gone = [p for p in paras if " " + " ".join(words(p)[:8]) + " " not in parsed
                        and " " + " ".join(words(p)[-8:]) + " " not in parsed]
                print(f"    lost paragraphs {len(gone)}/{len(paras)} ({100 * len(gone) / max(len(paras), 1):.1f}%), "
                      f"words {sum(len(words(p)) for p in gone)}/{sum(len(words(p)) for p in paras)}")
                for p in gone[:show]:
                    print("      LOST", repr(" ".join(p.split())[:160]))


if __name__ == "__main__":
    main()
