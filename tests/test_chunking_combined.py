"""Round 20: a chunk that combines small sections gives them back to the extractive generator."""

from __future__ import annotations

from sqlalchemy import select

from fineflow_desktop.services.chunk_stats import chunk_origin
from fineflow_desktop.services.datasets import generate_extractive
from fineflow_desktop.services.ingest import ingest_paths
from fineflow_desktop.store.models import Chunk, Pair
from fineflow_desktop.store.workspace import Workspace

# A FAQ page's shape (Python's "Debugging" FAQ): short question headings with short answers,
# combined into one chunk under their parent.
FAQ = """# Debugging

## Is there a source code level debugger with breakpoints?

Yes. Several debuggers for Python are described below, and breakpoint() drops into them.

## See Also

pdb
"""


def test_combined_sections_give_their_own_question_pairs(tmp_path):
    page = tmp_path / "debugging.md"
    page.write_text(FAQ)
    ws = Workspace.open(tmp_path / "ws")
    ingest_paths(ws, [page])
    with ws.session() as s:
        chunks = s.execute(select(Chunk.heading_path, Chunk.text, Chunk.meta)).all()
    assert len(chunks) == 1 and chunks[0].heading_path == ["Debugging"]
    assert "## Is there a source code level debugger with breakpoints?" in chunks[0].text
    assert [m["heading_path"][-1] for m in chunks[0].meta["combined"]] == [
        "Is there a source code level debugger with breakpoints?", "See Also"]
    out = generate_extractive(ws, "faq", mode="qa")
    assert out["sections"] == 2 and out["pairs_added"] == 1
    with ws.session() as s:
        pair = s.scalars(select(Pair)).one()
    assert pair.user == "Is there a source code level debugger with breakpoints?"
    assert pair.assistant == "Yes. Several debuggers for Python are described below, and breakpoint() drops into them."
    ws.close()


def test_the_chunk_view_says_a_chunk_combines_sections():
    meta = {"line": 3, "combined": [{"heading_path": ["A", "B"], "start": 0, "end": 5},
                                    {"heading_path": ["A", "C"], "start": 14, "end": 20}]}
    assert chunk_origin("/docs/faq.md", meta) == "/docs/faq.md, line 3, 2 small sections combined"
    assert chunk_origin("/docs/faq.md", {"line": 3}) == "/docs/faq.md, line 3"
