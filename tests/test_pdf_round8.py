"""Issue 10, round 8 (round 7's held-out math PDFs were the development set): text after a
dropped figure goes on with the sentence that ran into the figure. Real PDFs built here (content
streams placed by hand, read by PDFium via ``parse_pdf``)."""

from __future__ import annotations

from pathlib import Path

from test_importers_samples import pdf_from_streams
from test_pdf_diagrams import FONTS, prose, tj, xy_graph

from fineflow_desktop.core.ingest.pdf import parse_pdf


def parse(page: str) -> str:
    return parse_pdf(Path("graphs.pdf"), pdf_from_streams([page], FONTS)).text


def test_a_sentence_that_runs_into_a_dropped_diagram_goes_on_after_it():
    page = (prose("Before", 720) + tj(72, 660, "Example. The following undirected graph")
            + xy_graph(600)
            + tj(72, 480, "might be coded in a text format as follows, one line per edge.")
            + prose("After", 450))
    text = parse(page)
    assert "v1" not in text.split()
    assert ("Example. The following undirected graph\n"
            "might be coded in a text format as follows, one line per edge.") in text


def test_a_new_sentence_after_a_dropped_diagram_is_a_new_paragraph():
    # the text before ended its sentence, or the text after starts one: no sentence runs on
    page = (tj(72, 660, "Example. The following undirected graph is shown below.") + xy_graph(600)
            + tj(72, 480, "might be coded in a text format as follows, one line per edge."))
    assert "shown below.\n\nmight be coded" in parse(page)
    page = (tj(72, 660, "Example. The following undirected graph") + xy_graph(600)
            + tj(72, 480, "The graph might be coded in a text format as follows."))
    assert "undirected graph\n\nThe graph might" in parse(page)
