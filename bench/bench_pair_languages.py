"""Offline pairs from documents not in English (issue 10: "offline pairs from any documentation").

Selection rule, written before any of these documents was opened (session 11): every PDF of
5-60 pages under /usr/share/doc/texlive-doc/latex, in path order, whose first two pages
``core.language.guess_language`` reads as French, German, Spanish, Italian or Portuguese, skipping
mecaso.pdf (the development document); the first ``--per-language`` (2) of each language. The
rule reads file names, page counts and the language guess only.

``--set more`` (session 12, rule written before any of them was opened, when phrasings for Dutch,
Swedish, Polish, Turkish, Russian, Ukrainian, Japanese, Chinese and Korean were added): the same
rule over every PDF under /usr/share/doc/texlive-doc (all folders, path order) read as one of
those nine languages.

For each document, with the extractive generator of this checkout and of ``--before REV``:
sections, qa and instruction pairs, and how many of them are phrased in English ("Explain …",
"What is …?": ``ENGLISH_PHRASED``) — an English question over a French answer teaches a model
to switch language.

    .venv/bin/python bench/bench_pair_languages.py [--before REV] [--per-language 2] [--samples 2]
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import ROOT  # noqa: E402,F401  (puts this checkout's src first)
from bench_extract_docs import load_chunks, load_revision, sections_of  # noqa: E402

SETS = {"first": (Path("/usr/share/doc/texlive-doc/latex"), ("fr", "de", "es", "it", "pt")),
        "more": (Path("/usr/share/doc/texlive-doc"), ("nl", "sv", "pl", "tr", "ru", "uk", "ja", "zh", "ko"))}
DEV = {"mecaso.pdf"}
ENGLISH_PHRASED = re.compile(r"^(Explain|Summarize|Describe|Give an overview|What (is|are|does|do)|How (do|can) I|"
                             r"When (should|do) I|Why)\b")


def held_out(per_language: int, root: Path, languages: tuple[str, ...]) -> list[tuple[str, Path]]:
    """(language, path) chosen by the rule in the module docstring."""
    import pypdfium2 as pdfium

    from fineflow_desktop.core.language import guess_language

    picked: dict[str, list[Path]] = {code: [] for code in languages}
    for path in sorted(root.rglob("*.pdf")):
        if path.name in DEV or all(len(v) >= per_language for v in picked.values()):
            continue
        try:
            pdf = pdfium.PdfDocument(str(path))
            if not 5 <= len(pdf) <= 60:
                continue
            text = "\n".join(pdf[i].get_textpage().get_text_range() for i in range(2))
        except Exception:  # noqa: BLE001 - a PDF PDFium cannot open is simply not chosen
            continue
        code = guess_language(text)
        if code in picked and len(picked[code]) < per_language:
            picked[code].append(path)
    return [(code, p) for code in languages for p in picked[code]]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--before", default=None, help="git revision to compare with")
    ap.add_argument("--per-language", type=int, default=2)
    ap.add_argument("--samples", type=int, default=2, help="instruction pairs printed per document")
    ap.add_argument("--set", choices=sorted(SETS), default="first", help="which held-out rule (module docstring)")
    ap.add_argument("--list", action="store_true", help="print the chosen documents only")
    args = ap.parse_args()
    from fineflow_desktop.core import extractive

    versions = [("after", extractive)]
    if args.before:
        versions.insert(0, (f"before {args.before}", load_revision(args.before)["extractive"]))
    totals = {label: [0, 0, 0] for label, _ in versions}  # pairs, English-phrased, documents with pairs
    chosen = held_out(args.per_language, *SETS[args.set])
    if args.list:
        for code, path in chosen:
            print(code, path)
        return
    print(f"{'document':28s} lang sections | " + " | ".join(f"{label}: qa/instr (English-phrased)" for label, _ in versions))
    for code, path in chosen:
        chunks, failed = load_chunks([path])
        cells, samples = [], []
        n_sections = 0
        for label, ext in versions:
            sections = sections_of(chunks, ext.SectionInput)
            n_sections = len(sections)
            qa = list(ext.extract_pairs(sections, mode="qa"))
            ins = list(ext.extract_pairs(sections, mode="instruction"))
            english = sum(bool(ENGLISH_PHRASED.match(p.user)) for p in qa + ins)
            cells.append(f"{len(qa):3d}/{len(ins):3d} ({english:3d})")
            totals[label][0] += len(qa) + len(ins)
            totals[label][1] += english
            totals[label][2] += bool(qa or ins)
            if label == "after":
                samples = [p.user for p in ins[:args.samples]]
        print(f"{path.name[:28]:28s} {code:4s} {n_sections:8d} | " + " | ".join(cells) + (" (parse failed)" if failed else ""))
        for s in samples:
            print(f"    {s}")
    for label, (pairs, english, docs) in totals.items():
        share = 100 * english / pairs if pairs else 0.0
        print(f"[{label}] pairs {pairs}, English-phrased {english} ({share:.0f}%), documents with pairs {docs}")


if __name__ == "__main__":
    main()
