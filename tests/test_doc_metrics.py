"""bench/doc_metrics.py: the chunk-text metrics of the documentation benchmark (issue 10)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))

from doc_metrics import fidelity, has_torn_fragment, ngram_set, words  # noqa: E402


def test_numbered_list_markers_are_not_page_text():
    # <ol> items: the browser draws the numbers, the page's text has none (SQLite, round 5)
    page = words("The OS layer was reworked. The switch interface has been removed from the library.")
    chunk = "1. The OS layer was reworked.\n2. The switch interface has been removed from the library."
    assert fidelity(chunk, ngram_set(page), set(page)) == 1.0
    printed = words("Steps: 1. Define the file object now. 2. Register the new object there.")
    assert fidelity("Steps:\n\n1. Define the file object now.\n2. Register the new object there.",
                    ngram_set(printed), set(printed)) == 1.0


def test_a_one_cell_row_between_table_rows_is_no_torn_fragment():
    rows = "ptrdiff_t | getOffsetLimit () const\ntemplate<>\nbool | as () const"
    assert not has_torn_fragment(rows)
    assert has_torn_fragment("more akin to varchar(\n\nn\n\n)char(.")


def test_a_line_between_code_blocks_is_no_torn_fragment():
    # printed so (gnuplot.pdf, round 5): the sentence runs through two displayed commands
    chunk = ("To use gamma correction, instead of\n\n```\nset palette defined ( 0 0 0 0, 1 1 1 1 )\n```\n\n"
             "use e.g.\n\n```\nset palette defined ( 0 0 0 0, 0.5 .73 .73 .73, 1 1 1 1 )\n```\n\n"
             "or even more intermediate points until the interpolation fits.")
    assert not has_torn_fragment(chunk)
    assert has_torn_fragment(chunk.replace("```\nset palette defined ( 0 0 0 0, 1 1 1 1 )\n```", "varchar("))
