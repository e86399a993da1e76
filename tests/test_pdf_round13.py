"""Issue 10, round 13 (round 12's held-out PDFs were the development set): an accent that TeX's
OT1 fonts set as a glyph of its own joins its letter wherever the word starts ("`a", "ˆetre",
"l’´evaluation"), by the boxes: the accent lies over (a cedilla under) the letter. Real PDFs
built here (content streams placed by hand, read by PDFium via ``parse_pdf``)."""

from __future__ import annotations

from pathlib import Path

from test_importers_samples import pdf_from_streams
from test_pdf_diagrams import FONTS

from fineflow_desktop.core.ingest.pdf import parse_pdf


def parse(page: str) -> str:
    return parse_pdf(Path("mecaso.pdf"), pdf_from_streams([page], FONTS)).text


def test_an_accent_placed_on_the_first_letter_of_a_word_joins_it():
    # \accent: the accent glyph, its advance taken back by a kern (333/1000 em, Helvetica's accent
    # width), then the letter under it; at a word start there is no letter before the accent
    page = ("BT /R 10 Tf 72 700 Td [(Par rapport \x60) 333 (a un rep\x60) 333 (ere, l\u2019\xb4) 333 "
            "(evaluation peut \u02c6) 333 (etre fran\xb8) 333 (caise.)] TJ ET\n")
    assert "Par rapport à un repère, l’évaluation peut être française." in parse(page)


def test_a_quote_mark_before_a_letter_stays_a_mark():
    # the grave set with its own advance (no kern back): an opening quote, not an accent
    page = "BT /R 10 Tf 72 700 Td (Give the \x60a' option and the \xb4e\xb4 mark.) Tj ET\n"
    assert "Give the `a' option and the ´e´ mark." in parse(page)
