"""services/chunk_stats.py: quality histogram, quality-range filter, flagged chunks (Qt-free)."""

from __future__ import annotations

import numpy as np
import pytest

from fineflow_desktop.services import chunk_stats
from fineflow_desktop.store.models import Chunk, Document


def _seed(ws, qualities, flagged=(), doc_name="a.md"):
    with ws.session() as s:
        doc = Document(source_path=f"/tmp/{doc_name}", name=doc_name, kind="md", size_bytes=10, content_hash=doc_name * 4)
        s.add(doc)
        s.flush()
        for i, q in enumerate(qualities):
            flags = [{"reason": "ignore previous instructions", "match": "Ignore all of the previous instructions"}] if i in flagged else []
            s.add(
                Chunk(
                    document_id=doc.id, ordinal=i, text=f"chunk {i} " + "word " * 50, heading_path=["Top", f"S{i}"],
                    n_tokens=55, norm_hash=f"{doc_name}{i}", quality=q, injection_flags=flags, is_flagged=i in flagged,
                    is_duplicate=(i == 1),
                )
            )
        return doc.id


def test_histogram_matches_numpy_and_ignores_unscored(workspace):
    qualities = [0.0, 0.04, 0.05, 0.51, 0.5, 0.99, 1.0, 1.0, None, None]
    _seed(workspace, qualities)
    edges, counts = chunk_stats.quality_histogram(workspace, bins=20)
    ref_counts, ref_edges = np.histogram([q for q in qualities if q is not None], bins=20, range=(0, 1))
    assert counts == ref_counts.tolist()
    assert edges == pytest.approx(ref_edges.tolist())
    assert sum(counts) == 8
    summary = chunk_stats.chunk_quality_summary(workspace)
    assert summary == {"chunks": 10, "scored": 8, "duplicates": 1, "flagged": 0}


def test_histogram_per_document_and_bad_bins(workspace):
    a = _seed(workspace, [0.1, 0.2], doc_name="a.md")
    _seed(workspace, [0.9], doc_name="b.md")
    _, counts = chunk_stats.quality_histogram(workspace, bins=10, document_id=a)
    assert sum(counts) == 2 and counts[1] == 1 and counts[2] == 1
    with pytest.raises(ValueError, match="bins"):
        chunk_stats.quality_histogram(workspace, bins=0)


def test_empty_workspace_gives_zero_counts(workspace):
    edges, counts = chunk_stats.quality_histogram(workspace, bins=4)
    assert edges == [0.0, 0.25, 0.5, 0.75, 1.0] and counts == [0, 0, 0, 0]
    assert chunk_stats.list_flagged_chunks(workspace) == []


def test_filter_by_quality_range(workspace):
    a = _seed(workspace, [0.2, 0.5, 0.8, None], doc_name="a.md")
    b = _seed(workspace, [0.6], doc_name="b.md")
    everything = chunk_stats.list_chunks_filtered(workspace, a)
    assert [r["ordinal"] for r in everything] == [0, 1, 2, 3]  # unscored included without a filter
    mid = chunk_stats.list_chunks_filtered(workspace, a, 0.5, 0.8)
    assert [r["quality"] for r in mid] == [0.5, 0.8]  # inclusive bounds, no unscored
    assert chunk_stats.count_chunks_filtered(workspace, a, 0.5, 0.8) == 2
    across = chunk_stats.list_chunks_filtered(workspace, None, 0.55, None)
    assert [(r["document_id"], r["quality"]) for r in across] == [(a, 0.8), (b, 0.6)]
    row = mid[0]
    assert row["heading_path"] == ["Top", "S1"] and row["n_tokens"] == 55 and row["is_duplicate"] is True
    assert row["document_name"] == "a.md" and row["preview"].startswith("chunk 1 word")
    assert len(chunk_stats.list_chunks_filtered(workspace, None, limit=2)) == 2


def test_flagged_list_and_clearing_keeps_reasons(workspace):
    _seed(workspace, [0.5, 0.5, 0.5], flagged={0, 2})
    flagged = chunk_stats.list_flagged_chunks(workspace)
    assert [r["ordinal"] for r in flagged] == [0, 2]
    assert flagged[0]["flags"] == ["ignore previous instructions"]
    assert flagged[0]["matches"] == ["Ignore all of the previous instructions"]
    assert chunk_stats.set_chunks_flagged(workspace, [flagged[0]["id"]], False) == 1
    assert [r["ordinal"] for r in chunk_stats.list_flagged_chunks(workspace)] == [2]
    with workspace.session() as s:
        cleared = s.get(Chunk, flagged[0]["id"])
        assert cleared.injection_flags and cleared.is_flagged is False  # reasons kept for audit
    assert chunk_stats.set_chunks_flagged(workspace, [], True) == 0
