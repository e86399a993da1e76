"""Near-duplicate groups over the workspace's chunks: find, list, keep/drop.

``find_near_duplicates`` runs after exact dedup (chunks with ``duplicate_of_id`` are skipped):
MinHash LSH over character 5-grams (``core.neardup``) and, with ``semantic=True``, embedding
cosine through the FAISS index (``core.semantic_dup``). Each group keeps one representative
(highest quality when any member has a score, else the longest text, then the oldest);
the other members get ``is_duplicate = True`` and every member ``near_dup_group_id``. Nothing
is deleted. The user's keep/drop choices (``set_group_keep``) survive a re-run for the same
chunks. A run replaces the previous groups in one transaction: a crash keeps the old ones.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from sqlalchemy import delete, select, update

from fineflow_desktop.core.neardup import DEFAULT_THRESHOLD, NearDupPair, find_pairs, group_pairs, jaccard_shingles
from fineflow_desktop.core.progress import TaskState
from fineflow_desktop.core.semantic_dup import DEFAULT_COSINE, semantic_pairs
from fineflow_desktop.store.models import Chunk, Document
from fineflow_desktop.store.models_retrieval import EmbeddedItem, NearDupGroup
from fineflow_desktop.store.workspace import Workspace

_IN = 900
# Chunks shorter than this many words are left out of semantic grouping: their embeddings are
# dominated by one or two words (on the Python docs, "Example::"-sized paragraphs formed most
# of the cosine >= 0.95 groups that MinHash did not find).
MIN_SEMANTIC_WORDS = 12


def _candidates(ws: Workspace) -> list[tuple[int, str, float | None]]:
    with ws.session() as s:
        return [
            (cid, text, quality)
            for cid, text, quality in s.execute(
                select(Chunk.id, Chunk.text, Chunk.quality)
                .join(Document, Document.id == Chunk.document_id)
                .where(Chunk.duplicate_of_id.is_(None), Document.status == "ready")
                .order_by(Chunk.id)
            )
        ]


def _previous_choices(ws: Workspace) -> dict[int, bool]:
    choices: dict[int, bool] = {}
    with ws.session() as s:
        for members in s.scalars(select(NearDupGroup.members)):
            for m in members or []:
                if m.get("user_set"):
                    choices[int(m["chunk_id"])] = bool(m.get("keep"))
    return choices


def _semantic_edges(
    ws: Workspace, chunk_ids: set[int], cosine: float, state: TaskState
) -> tuple[list[NearDupPair], dict[int, np.ndarray]]:
    """Cosine pairs between chunks (chunk ids) and the chunk -> vector map."""
    from fineflow_desktop.services.retrieval import embed_chunks
    from fineflow_desktop.services.retrieval import open_index

    embed_chunks(ws, state)
    handle = open_index(ws, state)
    if handle is None:
        return [], {}
    with ws.session() as s:
        item_to_chunk = dict(
            s.execute(select(EmbeddedItem.id, EmbeddedItem.chunk_id).where(EmbeddedItem.chunk_id.is_not(None))).all()
        )
    ids, vectors = handle.index.vectors()
    keep = np.array([item_to_chunk.get(int(i)) in chunk_ids for i in ids], dtype=bool)
    ids, vectors = ids[keep], vectors[keep]
    pairs = semantic_pairs(
        handle.index.search, ids.tolist(), vectors, cosine, allowed=set(ids.tolist()),
        check=state.check, progress=state.progress,
    )
    grouped = {x for p in pairs for x in (p.a, p.b)}
    vecs = {item_to_chunk[int(i)]: v for i, v in zip(ids, vectors) if int(i) in grouped}
    return [NearDupPair(item_to_chunk[p.a], item_to_chunk[p.b], p.similarity) for p in pairs], vecs


def _representative(members: list[int], info: dict[int, tuple[str, float | None]]) -> int:
    any_quality = any(info[m][1] is not None for m in members)

    def rank(cid: int):
        text, quality = info[cid]
        q = quality if quality is not None else -1.0
        return (q if any_quality else 0.0, len(text), -cid)

    return max(members, key=rank)


def find_near_duplicates(
    ws: Workspace,
    threshold: float = DEFAULT_THRESHOLD,
    semantic: bool = False,
    state: TaskState | None = None,
    cosine_threshold: float = DEFAULT_COSINE,
) -> list[dict[str, Any]]:
    """Recompute the near-duplicate groups; returns them as ``group_dict`` lists.

    *threshold*: estimated Jaccard of character 5-gram sets (0-1], default 0.7.
    *semantic*: also link chunks whose embeddings have cosine >= *cosine_threshold* (embeds
    unindexed chunks first). A group is ``minhash`` when MinHash pairs alone connect it, else
    ``semantic``. Raises ``ValueError`` for thresholds outside (0, 1].
    """
    state = state or TaskState()
    if not 0.0 < threshold <= 1.0:
        raise ValueError(f"near-duplicate threshold must be in (0, 1], got {threshold}")
    cands = _candidates(ws)
    info = {cid: (text, q) for cid, text, q in cands}
    state.progress(0, 0, f"MinHash over {len(cands)} chunks")
    edges = find_pairs([c[0] for c in cands], [c[1] for c in cands], threshold, check=state.check, progress=state.progress)
    methods = {(p.a, p.b): "minhash" for p in edges}
    vecs: dict[int, np.ndarray] = {}
    if semantic:
        long_enough = {cid for cid, (text, _q) in info.items() if len(text.split()) >= MIN_SEMANTIC_WORDS}
        sem_pairs, vecs = _semantic_edges(ws, long_enough, cosine_threshold, state)
        for p in sem_pairs:
            key = (min(p.a, p.b), max(p.a, p.b))
            if key not in methods:
                methods[key] = "semantic"
                edges.append(NearDupPair(key[0], key[1], p.similarity))
    groups = group_pairs(edges)
    choices = _previous_choices(ws)
    state.check()
    rows: list[tuple[NearDupGroup, list[dict]]] = []
    for g in groups:
        rep = _representative(g.members, info)
        method = "minhash" if all(methods[(e.a, e.b)] == "minhash" for e in g.edges) else "semantic"
        members = []
        for cid in g.members:
            # similarity to the representative: exact 5-gram Jaccard, or embedding cosine
            if cid == rep:
                sim = 1.0
            elif method == "minhash" or rep not in vecs or cid not in vecs:
                sim = jaccard_shingles(info[rep][0], info[cid][0])
            else:
                sim = float(np.dot(vecs[rep], vecs[cid]))
            user_set = cid in choices
            keep = choices[cid] if user_set else cid == rep
            members.append({"chunk_id": cid, "similarity": round(float(sim), 4), "keep": keep, "user_set": user_set})
        members.sort(key=lambda m: (m["chunk_id"] != rep, -m["similarity"], m["chunk_id"]))
        row = NearDupGroup(
            method=method, representative_chunk_id=rep, members=members, size=len(members),
            similarity=min(m["similarity"] for m in members), threshold=threshold if method == "minhash" else cosine_threshold,
        )
        rows.append((row, members))
    with ws.session() as s:
        # Reset the previous near-dup marks; exact duplicates keep is_duplicate.
        s.execute(
            update(Chunk).where(Chunk.near_dup_group_id.is_not(None))
            .values(near_dup_group_id=None, is_duplicate=Chunk.duplicate_of_id.is_not(None))
        )
        s.execute(delete(NearDupGroup))
        for row, _ in rows:
            s.add(row)
        s.flush()
        for row, members in rows:
            for keep in (True, False):
                ids = [m["chunk_id"] for m in members if m["keep"] == keep]
                for start in range(0, len(ids), _IN):
                    s.execute(
                        update(Chunk).where(Chunk.id.in_(ids[start : start + _IN]))
                        .values(near_dup_group_id=row.id, is_duplicate=not keep)
                    )
    state.progress(1, 1, f"{len(rows)} near-duplicate groups")
    return list_groups(ws)


def _group_dicts(ws: Workspace, groups: list[NearDupGroup], with_text: bool) -> list[dict[str, Any]]:
    chunk_ids = [m["chunk_id"] for g in groups for m in g.members]
    info: dict[int, tuple] = {}
    with ws.session() as s:
        for start in range(0, len(chunk_ids), _IN):
            for c, path in s.execute(
                select(Chunk, Document.source_path).join(Document, Document.id == Chunk.document_id)
                .where(Chunk.id.in_(chunk_ids[start : start + _IN]))
            ):
                info[c.id] = (c, path)
    out = []
    for g in groups:
        members = []
        for m in g.members:
            if m["chunk_id"] not in info:
                continue  # chunk deleted since the run
            c, path = info[m["chunk_id"]]
            d = {
                "chunk_id": c.id, "document_id": c.document_id, "document_path": path,
                "heading_path": list(c.heading_path or []), "n_chars": len(c.text), "n_tokens": c.n_tokens,
                "quality": c.quality, "similarity": m["similarity"], "keep": m["keep"], "user_set": m.get("user_set", False),
                "is_representative": c.id == g.representative_chunk_id,
            }
            if with_text:
                d["text"] = c.text
            members.append(d)
        if len(members) < 2:
            continue
        out.append({
            "id": g.id, "method": g.method, "representative_chunk_id": g.representative_chunk_id,
            "similarity": g.similarity, "threshold": g.threshold, "size": len(members), "members": members,
        })
    return out


def list_groups(ws: Workspace, with_text: bool = False) -> list[dict[str, Any]]:
    """All near-duplicate groups, largest first. Each: ``{"id", "method",
    "representative_chunk_id", "similarity", "threshold", "size", "members": [{"chunk_id",
    "document_id", "document_path", "heading_path", "n_chars", "n_tokens", "quality",
    "similarity", "keep", "user_set", "is_representative"[, "text"]}]}``."""
    with ws.session() as s:
        groups = s.scalars(select(NearDupGroup).order_by(NearDupGroup.size.desc(), NearDupGroup.id)).all()
    return _group_dicts(ws, list(groups), with_text)


def get_group(ws: Workspace, group_id: int) -> dict[str, Any]:
    """One group with member texts. Raises ``LookupError`` if it does not exist."""
    with ws.session() as s:
        g = s.get(NearDupGroup, group_id)
    found = _group_dicts(ws, [g], True) if g is not None else []
    if not found:
        raise LookupError(f"no near-duplicate group {group_id}")
    return found[0]


def set_group_keep(ws: Workspace, group_id: int, chunk_id: int, keep: bool) -> dict[str, Any]:
    """Keep (``is_duplicate = False``) or drop (``True``) one member; remembered as the user's
    choice. Returns the updated group. Raises ``LookupError`` for an unknown group or member."""
    with ws.session() as s:
        g = s.get(NearDupGroup, group_id)
        if g is None:
            raise LookupError(f"no near-duplicate group {group_id}")
        members = [dict(m) for m in g.members]
        hit = [m for m in members if m["chunk_id"] == chunk_id]
        if not hit:
            raise LookupError(f"chunk {chunk_id} is not in near-duplicate group {group_id}")
        hit[0]["keep"], hit[0]["user_set"] = bool(keep), True
        g.members = members  # reassign: JSON columns do not track in-place edits
        chunk = s.get(Chunk, chunk_id)
        if chunk is not None:
            chunk.is_duplicate = (not keep) or chunk.duplicate_of_id is not None
    return get_group(ws, group_id)


def dedup_summary(ws: Workspace) -> dict[str, int]:
    """Counts for status bars: ``{"groups", "grouped_chunks", "dropped"}``."""
    from sqlalchemy import func

    with ws.session() as s:
        groups = s.scalar(select(func.count(NearDupGroup.id))) or 0
        grouped = s.scalar(select(func.count(Chunk.id)).where(Chunk.near_dup_group_id.is_not(None))) or 0
        dropped = s.scalar(
            select(func.count(Chunk.id)).where(Chunk.near_dup_group_id.is_not(None), Chunk.is_duplicate.is_(True))
        ) or 0
    return {"groups": groups, "grouped_chunks": grouped, "dropped": dropped}
