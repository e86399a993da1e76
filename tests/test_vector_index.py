"""store.vector_index: add, remove, persist, reload, HNSW tombstones and rebuild."""

import numpy as np
import pytest

from fineflow_desktop.core.embeddings import l2_normalize
from fineflow_desktop.store.vector_index import VectorIndex, VectorIndexError


def vecs(n, dim=32, seed=0):
    return l2_normalize(np.random.default_rng(seed).standard_normal((n, dim)))


def test_flat_add_search_remove_persist_reload(tmp_path):
    v = vecs(100)
    ix = VectorIndex(tmp_path / "v.faiss", 32)
    ix.add(range(1000, 1100), v)
    scores, ids = ix.search(v[:5], 3)
    assert ids[:, 0].tolist() == [1000, 1001, 1002, 1003, 1004]
    assert np.allclose(scores[:, 0], 1.0, atol=1e-5)
    assert ix.remove([1000, 1001, 99999]) == 2
    _, ids = ix.search(v[:2], 3)
    assert 1000 not in ids and 1001 not in ids
    ix.save()
    assert not list(tmp_path.glob("*.tmp"))
    again = VectorIndex.load(tmp_path / "v.faiss")
    assert again.kind == "flat" and again.ntotal == 98
    got_ids, got = again.vectors()
    assert np.allclose(got[got_ids == 1050][0], v[50])


def test_switches_to_hnsw_above_limit_and_tombstones(tmp_path):
    v = vecs(400)
    ix = VectorIndex(tmp_path / "v.faiss", 32, flat_limit=250)
    ix.add(range(1, 201), v[:200])
    assert ix.kind == "flat"
    ix.add(range(201, 401), v[200:])
    assert ix.kind == "hnsw" and ix.ntotal == 400
    _, ids = ix.search(v[10:11], 1)
    assert ids[0, 0] == 11
    ix.remove([11, 12])
    assert ix.tombstones == {11, 12} and ix.ntotal == 400  # HNSW cannot delete: tombstoned
    _, ids = ix.search(v[10:12], 5)
    assert 11 not in ids and 12 not in ids and (ids >= 0).all()
    ix.remove(range(13, 60))  # past 10%: rebuilt without the dead vectors
    assert ix.tombstones == set() and ix.ntotal == 400 - 49


def test_reconcile_after_crash(tmp_path):
    v = vecs(10)
    ix = VectorIndex(tmp_path / "v.faiss", 32)
    ix.add(range(1, 11), v)
    stale, missing = ix.reconcile([1, 2, 3, 11, 12])
    assert stale == set(range(4, 11)) and missing == {11, 12}
    assert sorted(ix.ids().tolist()) == [1, 2, 3]


def test_shape_errors_and_bad_file(tmp_path):
    ix = VectorIndex(tmp_path / "v.faiss", 32)
    with pytest.raises(VectorIndexError, match="dim 32"):
        ix.add([1], np.zeros((1, 16), np.float32))
    with pytest.raises(VectorIndexError, match="dim"):
        ix.search(np.zeros((1, 8), np.float32), 1)
    (tmp_path / "bad.faiss").write_bytes(b"not an index")
    with pytest.raises(VectorIndexError, match="cannot read"):
        VectorIndex.load(tmp_path / "bad.faiss")


def test_empty_index_search_returns_no_hits(tmp_path):
    scores, ids = VectorIndex(tmp_path / "v.faiss", 8).search(vecs(2, 8), 3)
    assert (ids == -1).all()
