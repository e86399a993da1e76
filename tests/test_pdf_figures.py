"""Issue 10, round 6 (asymptote.pdf, a texinfo PDF with Asymptote figures, was the development
file): a texinfo index (leaders before lists of pages), text inside vector figures, flush-right
"labels" that are only a justified line's stretched space, and example lines under a short line
of prose. Real PDFs built here (content streams placed by hand, read by PDFium via ``parse_pdf``)."""

from __future__ import annotations

from pathlib import Path

from test_importers_samples import pdf_from_streams

from fineflow_desktop.core.ingest.pdf import parse_pdf

FONTS = {"R": "Helvetica", "B": "Helvetica-Bold", "T": "Courier"}


def tj(x: float, y: float, text: str, font: str = "R", size: int = 10) -> str:
    return f"BT /{font} {size} Tf {x:.2f} {y:.2f} Td ({text}) Tj ET\n"


def parse(streams: list[str], **kw) -> str:
    return parse_pdf(Path("manual.pdf"), pdf_from_streams(streams, FONTS, **kw)).text


def prose(first_words: str, y: float = 700) -> str:
    out = ""
    for k in range(4):
        end = "." if k == 3 else ""
        out += tj(72, y, f"{first_words} line {k} of this paragraph goes on with some more words{end}")
        y -= 12
    return out


def test_a_texinfo_index_with_leaders_before_lists_of_pages_is_dropped_with_its_group_letters():
    # texinfo's @printindex: two columns, a leader before every entry's page list, group letters
    entries = [("a4", "5"), ("abs", "25, 26, 69"), ("add", "51, 139"), ("alias", "58, 73"),
               ("animate", "4, 56, 96"), ("antialias", "138, 169"), ("arc", "31, 140")]
    leaders = " ." * 30
    index = tj(72, 720, "A", "B", 12) + tj(320, 720, "B", "B", 12)
    for k, (term, pages) in enumerate(entries):
        y = 700 - 12 * k
        index += tj(72, y, f"{term}{leaders[: 60 - 2 * len(term)]} {pages}")
        index += tj(320, y, f"b{term}{leaders[: 58 - 2 * len(term)]} {pages}")
    text = parse([prose("Chapter"), index])
    assert text == ("Chapter line 0 of this paragraph goes on with some more words Chapter line 1 of this "
                    "paragraph goes on with some more words Chapter line 2 of this paragraph goes on with some "
                    "more words Chapter line 3 of this paragraph goes on with some more words.")
