"""Where overlapped chunks begin: whole sentences or mid-sentence (issue 10, chunk view).

A chunk after the first of a split section repeats ~``overlap_tokens`` of its predecessor
(``core.chunking``). This prints, per corpus (the 40-page samples of `bench_ingest_docs`' lists):
split-section chunks with an overlap, the share that begin where a reader can start (after
``. ! ?`` plus closing quotes and a space or newline, after a blank line, or at a list item,
definition line, table row or code block, or at a line start of text with no sentence end in the
200 characters before (an index, one entry a line) — not at a hard-wrapped line), the median overlap
in tokens, and the share whose overlap had to be dropped (a chunk the overlap would push over
``max_tokens`` is re-cut without it).

    .venv/bin/python bench/bench_chunk_overlap.py [--lists round5,round7-held-out,...]
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_ingest_docs as docs  # noqa: E402

from fineflow_desktop.core.chunking import chunk_sections  # noqa: E402
from fineflow_desktop.core.tokens import count_tokens  # noqa: E402

LISTS = {
    "default": docs.HTML_CORPORA + docs.PDF_CORPORA,
    "round5": docs.ROUND5_DEV,
    "round5-held-out": docs.ROUND5_HELD_OUT,
    "round6-held-out": docs.ROUND6_HELD_OUT,
    "round7-held-out": docs.ROUND7_HELD_OUT,
    "math-held-out-8": docs.MATH_HELD_OUT_8,
}
_AFTER_SENTENCE = re.compile(r"(?:[.!?][\"')\]]*\s+|\n[ \t]*\n[ \t]*)$")  # a sentence end, or a blank line
_SENTENCE_END = re.compile(r"[.!?][\"')\]]*\s")
_ENTRY = re.compile(r"[ \t]*(?:[-*+] |\d{1,3}[.)] |: |```)|[^\n]* \| ")  # list item, definition, code, table row


def measure(files: list[Path]) -> dict:
    """``{chunks, overlapped, sentence_start, median_overlap, dropped}`` over *files*' chunks."""
    n = overlapped = at_sentence = dropped = 0
    ovs: list[int] = []
    for f in files:
        try:
            sections = docs.pipeline_sections(f)
        except docs.ParseError:
            continue
        for sec in sections:
            chunks = chunk_sections([sec])
            n += len(chunks)
            for c in chunks[1:]:
                ov = c.meta.get("overlap_chars", 0)
                if not ov:
                    dropped += 1
                    continue
                overlapped += 1
                ovs.append(count_tokens(c.text[:ov]))
                start = sec.text.find(c.text[:200])
                before = sec.text[max(0, start - 200):start]
                if (start <= 0 or _AFTER_SENTENCE.search(before[-8:]) or _ENTRY.match(c.text)
                        or before.endswith("\n") and not _SENTENCE_END.search(before)):  # one entry a line
                    at_sentence += 1
    return {"chunks": n, "overlapped": overlapped, "dropped": dropped,
            "sentence_start": at_sentence / overlapped if overlapped else 1.0,
            "median_overlap": statistics.median(ovs) if ovs else 0}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--lists", default=",".join(LISTS), help="comma-separated: " + ", ".join(LISTS))
    ap.add_argument("--files", type=int, default=40)
    args = ap.parse_args()
    print(f"{'corpus':22} {'chunks':>7} {'overlapped':>10} {'at sentence':>11} {'median ov':>9} {'no ov':>6}")
    t0 = time.process_time()
    for name in args.lists.split(","):
        for corpus, _gen, files_of in LISTS[name]:
            m = measure(docs.sample(files_of(), args.files))
            print(f"{corpus:22} {m['chunks']:7d} {m['overlapped']:10d} {m['sentence_start']:10.1%} "
                  f"{m['median_overlap']:9.0f} {m['dropped']:6d}", flush=True)
    print(f"CPU {time.process_time() - t0:.0f} s")


if __name__ == "__main__":
    main()
