"""Keeps a workspace's FAISS index in step with SQLite and with the configured embedder.

``open_index(ws)`` returns a cached ``IndexHandle`` (embedder + ``VectorIndex``). On first use
it checks the stored embedder key (``VectorIndexState``): a different key (another model, or
a refitted ``fineflow-lsa``) re-embeds every ``EmbeddedItem`` into a fresh index under the same
ids. A loaded file is reconciled with the item rows (stale vectors removed, missing ones
re-embedded), so a crash between a commit and an index save heals on the next open.
``add_items`` / ``remove_items`` change the index incrementally and commit in batches of
``BATCH`` items: a crash loses at most one batch, which the next run redoes.
"""

from __future__ import annotations

import hashlib
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Sequence

import numpy as np
from sqlalchemy import delete, func, insert, select

from fineflow_desktop.core.embeddings import (
    COMPATIBLE_PREFIX,
    LSA_MODEL,
    WORDLLAMA_MODEL,
    Embedder,
    EmbeddingError,
    OpenAICompatibleEmbedder,
    WordLlamaEmbedder,
    embedder_key,
    wordllama_problem,
)
from fineflow_desktop.core.local_embedder import LOCAL_PREFIX, Model2VecEmbedder, model_files, model_folder_problem
from fineflow_desktop.core.lsa import FIT_SAMPLE, LsaEmbedder
from fineflow_desktop.core.progress import TaskState
from fineflow_desktop.services.retrieval.ai_config import get_ai_config
from fineflow_desktop.services.retrieval.keyword import ensure_keyword_index
from fineflow_desktop.store.models import Chunk, Document, Pair, utcnow
from fineflow_desktop.store.models_retrieval import EmbeddedItem, VectorIndexState
from fineflow_desktop.store.vector_index import FLAT_LIMIT, INDEX_FILE, VectorIndex, VectorIndexError
from fineflow_desktop.store.workspace import Workspace

LSA_FILE = "lsa-model.npz"
BATCH = 512
MIN_COVERAGE = 0.7  # refit fineflow-lsa when new texts put less TF-IDF weight on known words
# Seconds between index saves during a long run (plus one at the end). Saving rewrites the
# whole file (100 MB at 100k vectors); a crash in between loses nothing that matters because
# open_index re-embeds committed items missing from the file.
SAVE_EVERY_S = 60.0
_handles: dict[Path, "IndexHandle"] = {}
_handles_lock = threading.Lock()
_open_locks: dict[Path, threading.RLock] = {}
_wordllama: WordLlamaEmbedder | None = None
_lsa_cache: dict[Path, tuple[int, LsaEmbedder]] = {}
_local_cache: dict[Path, tuple[int, "Model2VecEmbedder"]] = {}


class RetrievalError(RuntimeError):
    """Retrieval cannot run (nothing indexed, embedder unavailable); the message says what to do."""


def text_hash(text: str) -> str:
    """sha256 hex of *text* (detects changed manual or pair texts)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def chunk_embed_text(heading_path: Sequence[str] | None, text: str) -> str:
    """What is embedded for a chunk: its heading path, then its text (headings carry topic)."""
    heading = " > ".join(h for h in (heading_path or []) if h)
    return f"{heading}\n{text}" if heading else text


def pair_embed_text(user: str, assistant: str) -> str:
    """What is embedded for a dataset pair: the question, then the answer."""
    return f"{user}\n{assistant}".strip()


def embed_texts(embedder: Embedder, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray | None]:
    """``(vectors, rerank norms)`` of *texts*: the norms (``(n,)`` float32, stored per item as
    ``embedded_items.rerank_norm``) only for an embedder with a re-rank (fineflow-lsa), else None."""
    with_norms = getattr(embedder, "embed_with_norms", None)
    if with_norms is None:
        return embedder.embed(texts), None
    return with_norms(texts)


def _store_norms(ws: Workspace, ids: Sequence[int], norms: np.ndarray | None) -> None:
    """Write each item's re-rank norm (NULL when the embedder has none)."""
    values = [None] * len(ids) if norms is None else [float(n) for n in norms]
    with ws.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE embedded_items SET rerank_norm = ? WHERE id = ?",
                             [(v, int(i)) for v, i in zip(values, ids)])


def _fill_missing_norms(ws: Workspace, handle: "IndexHandle", state: TaskState | None) -> None:
    """Compute the re-rank norms an older workspace (before migration 0014) lacks."""
    if not hasattr(handle.embedder, "norms"):
        return
    with ws.session() as s:
        todo = list(s.scalars(select(EmbeddedItem.id).where(EmbeddedItem.rerank_norm.is_(None)).order_by(EmbeddedItem.id)))
    for start in range(0, len(todo), BATCH):
        if state is not None:
            state.check()
            state.progress(start, len(todo), "re-rank norms of indexed items")
        with ws.session() as s:
            items = s.scalars(select(EmbeddedItem).where(EmbeddedItem.id.in_(todo[start : start + BATCH])).order_by(EmbeddedItem.id)).all()
            texts = item_texts(s, items)
            ids = [i.id for i in items]
        _store_norms(ws, ids, handle.embedder.norms(texts))


@dataclass
class IndexHandle:
    """The open index of one workspace. Hold ``lock`` while changing it."""

    embedder: Embedder
    index: VectorIndex
    lock: threading.RLock = field(default_factory=threading.RLock)


def _fit_texts(ws: Workspace) -> list[str]:
    """Everything the LSA model should know: chunk texts plus indexed pair and manual texts."""
    with ws.session() as s:
        rows = s.execute(
            select(Chunk.heading_path, Chunk.text)
            .join(Document, Document.id == Chunk.document_id)
            .where(Chunk.duplicate_of_id.is_(None), Document.status == "ready")
        ).all()
        others = s.scalars(select(EmbeddedItem).where(EmbeddedItem.chunk_id.is_(None))).all()
        other_texts = item_texts(s, others)
    return [chunk_embed_text(h, t) for h, t in rows] + other_texts


def embedding_credential(ws: Workspace, base_url: str):
    """The AI Settings credential whose base URL is *base_url* (trailing ``/`` ignored), whose
    key the embeddings endpoint gets; ``None`` when there is none (a local Ollama needs no key).
    Among several, the provider's fallback order decides (default first)."""
    from fineflow_desktop.providers.credentials import list_credentials

    want = base_url.strip().rstrip("/")
    if not want:
        return None
    return next((c for c in list_credentials(ws) if c.base_url.strip().rstrip("/") == want), None)


def _api_key(ws: Workspace, base_url: str) -> str | None:
    """Key for an embeddings endpoint: that of the credential for the same server (session or
    OS keyring), never stored in the database."""
    from fineflow_desktop.providers.credentials import get_credential_key

    cred = embedding_credential(ws, base_url)
    return get_credential_key(ws, cred.id) if cred is not None else None


def _load_lsa(path: Path) -> LsaEmbedder | None:
    try:
        mtime = path.stat().st_mtime_ns
    except OSError:
        return None
    cached = _lsa_cache.get(path)
    if cached is not None and cached[0] == mtime:
        return cached[1]
    try:
        model = LsaEmbedder.load(path)
    except (OSError, ValueError, KeyError):
        return None  # unreadable model file: the caller refits
    _lsa_cache[path] = (mtime, model)
    return model


def resolve_embedder(
    ws: Workspace,
    extra_fit_texts: Sequence[str] = (),
    refit: bool = False,
    fit: bool = True,
    state: TaskState | None = None,
) -> Embedder | None:
    """The embedder the AI config names, ready to use; None when ``fineflow-lsa`` has no model
    and nothing to learn from (or *fit* is false). Raises ``EmbeddingError`` for a misconfigured one.

    ``fineflow-lsa`` is fitted on the workspace's chunks (plus *extra_fit_texts*) the first
    time, and refitted when the chunk count has doubled since, when *extra_fit_texts* put
    less than 70% of their weight on words the model knows, or when *refit* is set. Searches pass
    ``fit=False``: only embedding runs may change the model.
    """
    global _wordllama
    model = get_ai_config(ws)["embedding_model"]
    if model == WORDLLAMA_MODEL:
        if wordllama_problem():  # a config saved where the optional extra was installed
            raise EmbeddingError(wordllama_problem())
        if _wordllama is None:
            _wordllama = WordLlamaEmbedder()
        return _wordllama
    if model.startswith(LOCAL_PREFIX):
        return _local_model(model[len(LOCAL_PREFIX) :].strip())
    if model.startswith(COMPATIBLE_PREFIX):
        base_url = get_ai_config(ws)["embedding_base_url"]
        return OpenAICompatibleEmbedder(base_url, model[len(COMPATIBLE_PREFIX) :], api_key=_api_key(ws, base_url))
    if model != LSA_MODEL:
        raise EmbeddingError(f"unknown embedding model {model!r}")
    path = ws.index_dir / LSA_FILE
    current = _load_lsa(path)
    if not fit:
        return current
    if current is not None and not refit:
        if extra_fit_texts and current.coverage(extra_fit_texts) < MIN_COVERAGE:
            refit = True  # new texts speak words the model never saw: learn them
        elif current.n_fit >= FIT_SAMPLE:
            return current
    if current is not None and not refit:
        with ws.session() as s:
            n_chunks = s.scalar(select(func.count(Chunk.id)).where(Chunk.duplicate_of_id.is_(None))) or 0
        if n_chunks < 2 * current.n_fit + 50:
            return current
    texts = _fit_texts(ws)
    extra = [t for t in extra_fit_texts if t]
    if not texts and not extra:
        return current
    if state is not None:
        state.progress(0, 0, f"fitting the offline embedder on {min(len(texts) + len(extra), FIT_SAMPLE)} texts")
    fitted = LsaEmbedder.fit(texts, check=state.check if state is not None else None, always=extra)
    ws.index_dir.mkdir(parents=True, exist_ok=True)
    fitted.save(path)
    _lsa_cache[path] = (path.stat().st_mtime_ns, fitted)
    return fitted


def _local_model(folder: str) -> Model2VecEmbedder:
    """The embedder of the local model *folder*, loaded once per folder and weights file time."""
    path = Path(folder).expanduser().resolve()
    files = model_files(path)
    try:
        if files is None:
            raise OSError(model_folder_problem(path) or f"{path}: no model files")
        stamp = files[0].stat().st_mtime_ns
    except OSError as exc:
        raise EmbeddingError(f"local embedding model: {exc}") from exc
    cached = _local_cache.get(path)
    if cached is None or cached[0] != stamp:
        cached = (stamp, Model2VecEmbedder(path))
        _local_cache[path] = cached
    return cached[1]


def _state_row(session) -> VectorIndexState | None:
    return session.get(VectorIndexState, 1)


def _write_state(ws: Workspace, handle: IndexHandle) -> None:
    with ws.session() as s:
        row = _state_row(s)
        if row is None:
            row = VectorIndexState(id=1, embedder="", embedder_version="", dim=0)
            s.add(row)
        row.embedder = handle.embedder.name
        row.embedder_version = handle.embedder.version
        row.dim = handle.embedder.dim
        row.kind = handle.index.kind
        row.file_name = INDEX_FILE
        row.n_vectors = handle.index.n_live
        row.n_tombstones = len(handle.index.tombstones)


def item_texts(session, items: Sequence[EmbeddedItem]) -> list[str]:
    """The text each item's vector was (or will be) computed from, in order."""
    chunk_ids = [i.chunk_id for i in items if i.chunk_id is not None]
    pair_ids = [i.pair_id for i in items if i.pair_id is not None]
    chunks = {
        cid: chunk_embed_text(h, t)
        for cid, h, t in session.execute(select(Chunk.id, Chunk.heading_path, Chunk.text).where(Chunk.id.in_(chunk_ids)))
    } if chunk_ids else {}
    pairs = {
        pid: pair_embed_text(u, a)
        for pid, u, a in session.execute(select(Pair.id, Pair.user, Pair.assistant).where(Pair.id.in_(pair_ids)))
    } if pair_ids else {}
    out = []
    for item in items:
        if item.chunk_id is not None:
            out.append(chunks.get(item.chunk_id, ""))
        elif item.pair_id is not None:
            out.append(pairs.get(item.pair_id, ""))
        else:
            out.append(item.text or "")
    return out


def _embed_existing(ws: Workspace, handle: IndexHandle, item_ids: list[int], state: TaskState | None) -> None:
    """Re-embed already-stored items into ``handle.index`` under their own ids."""
    for start in range(0, len(item_ids), BATCH):
        if state is not None:
            state.check()
            state.progress(start, len(item_ids), "re-embedding indexed items")
        ids = item_ids[start : start + BATCH]
        with ws.session() as s:
            items = s.scalars(select(EmbeddedItem).where(EmbeddedItem.id.in_(ids)).order_by(EmbeddedItem.id)).all()
            texts = item_texts(s, items)
            ids = [i.id for i in items]
        vectors, norms = embed_texts(handle.embedder, texts)
        handle.index.add(ids, vectors)
        _store_norms(ws, ids, norms)
    handle.index.save()


def open_index(
    ws: Workspace,
    state: TaskState | None = None,
    extra_fit_texts: Sequence[str] = (),
    create: bool = True,
    fit: bool = True,
    flat_limit: int = FLAT_LIMIT,
) -> IndexHandle | None:
    """The workspace's index, opened, checked against the embedder and reconciled.

    Returns None when nothing can be embedded yet (``fineflow-lsa`` with an empty workspace) or
    when no index exists and *create* is false. ``fit=False`` (searches) never fits or refits
    the LSA model. Raises ``EmbeddingError`` when the configured
    embedder fails.
    """
    with _handles_lock:
        lock = _open_locks.setdefault(ws.path, threading.RLock())
    # One opener per workspace at a time: a search arriving while an embed run refits the
    # model waits for that rebuild instead of starting a second one.
    with lock:
        return _open_index(ws, state, extra_fit_texts, create, fit, flat_limit)


def _open_index(ws, state, extra_fit_texts, create, fit, flat_limit) -> IndexHandle | None:
    key = ws.path
    with _handles_lock:
        cached = _handles.get(key)
    embedder = resolve_embedder(ws, extra_fit_texts, fit=fit, state=state)
    if embedder is None:
        return None
    if cached is not None and embedder_key(cached.embedder) == embedder_key(embedder):
        return cached
    with ws.session() as s:
        row = _state_row(s)
        stored_key = f"{row.embedder}/{row.embedder_version}/{row.dim}" if row else None
        live_ids = list(s.scalars(select(EmbeddedItem.id).order_by(EmbeddedItem.id)))
    path = ws.index_dir / INDEX_FILE
    if row is None and not live_ids and not create:
        return None
    # A remote embedder learns its dimension from its first answer.
    if not embedder.dim:
        embedder.embed(["dimension probe"])
    handle: IndexHandle | None = None
    if stored_key == embedder_key(embedder) and path.exists():
        try:
            index = VectorIndex.load(path, flat_limit=flat_limit)
            if index.dim == embedder.dim:
                handle = IndexHandle(embedder, index)
        except VectorIndexError:
            handle = None  # unreadable file: rebuild from the item rows below
    if handle is None:
        handle = IndexHandle(embedder, VectorIndex(path, embedder.dim, flat_limit=flat_limit))
        _embed_existing(ws, handle, live_ids, state)
    else:
        stale, missing = handle.index.reconcile(live_ids)
        if missing:
            _embed_existing(ws, handle, sorted(missing), state)
        elif stale:
            handle.index.save()
        if fit:
            _fill_missing_norms(ws, handle, state)
    _write_state(ws, handle)
    ensure_keyword_index(ws, len(live_ids))  # the BM25 side holds the same ids
    with _handles_lock:
        _handles[key] = handle
    return handle


def forget(ws: Workspace) -> None:
    """Drop the cached handle (after the workspace closes or the embedder setting changes)."""
    with _handles_lock:
        _handles.pop(ws.path, None)


@dataclass
class NewItem:
    """An item to embed: exactly one of chunk_id / pair_id / text identifies it."""

    source_id: int
    embed_text: str
    chunk_id: int | None = None
    pair_id: int | None = None
    text: str | None = None


def add_items(
    ws: Workspace,
    handle: IndexHandle,
    items: Iterable[NewItem],
    total: int,
    state: TaskState | None = None,
    label: str = "embedding",
) -> int:
    """Embed and index *items* (``total`` of them, for progress); returns how many were added.

    Each batch of ``BATCH`` is one transaction: rows inserted, vectors added, commit. The index
    file is saved every ``SAVE_EVERY_S`` seconds and at the end.
    """
    added = 0
    batch: list[NewItem] = []
    last_save = time.monotonic()

    def flush(n_batches: int) -> None:
        nonlocal added, batch, last_save
        if not batch:
            return
        vectors, norms = embed_texts(handle.embedder, [b.embed_text for b in batch])
        now = utcnow()
        rows = [
            {"source_id": b.source_id, "chunk_id": b.chunk_id, "pair_id": b.pair_id, "text": b.text,
             "text_hash": text_hash(b.embed_text), "created_at": now,
             "rerank_norm": None if norms is None else float(norms[n])}
            for n, b in enumerate(batch)
        ]
        with handle.lock, ws.session() as s:
            ids = s.scalars(
                insert(EmbeddedItem).returning(EmbeddedItem.id, sort_by_parameter_order=True), rows
            ).all()
            handle.index.add(ids, vectors)
        added += len(batch)
        batch = []
        if time.monotonic() - last_save > SAVE_EVERY_S:
            handle.index.save()
            last_save = time.monotonic()

    n_batches = 0
    for item in items:
        batch.append(item)
        if len(batch) >= BATCH:
            n_batches += 1
            flush(n_batches)
            if state is not None:
                state.check()
                state.progress(added, total, f"{label}: {added}/{total}")
    n_batches += 1
    flush(n_batches)
    if state is not None:
        state.progress(added, total, f"{label}: {added}/{total}")
    with handle.lock:
        handle.index.save()
        _write_state(ws, handle)
    return added


def remove_items(ws: Workspace, handle: IndexHandle, item_ids: Iterable[int]) -> int:
    """Delete item rows and their vectors; returns how many rows were deleted."""
    ids = sorted(set(int(i) for i in item_ids))
    if not ids:
        return 0
    with handle.lock:
        with ws.session() as s:
            for start in range(0, len(ids), 900):  # SQLite host-parameter limit
                s.execute(delete(EmbeddedItem).where(EmbeddedItem.id.in_(ids[start : start + 900])))
        handle.index.remove(ids)
        handle.index.save()
        _write_state(ws, handle)
    return len(ids)


def query_vector(handle: IndexHandle, text: str) -> np.ndarray:
    """The query's embedding, shape ``(1, dim)``."""
    return handle.embedder.embed([text])


def configured_embedder_name(model: str) -> str:
    """The embedder name an index built for AI-config value *model* records (``index_status``
    ``embedder``), without loading any model; unknown values are returned as they are."""
    if model == LSA_MODEL:
        return LsaEmbedder.name
    if model == WORDLLAMA_MODEL:
        return WordLlamaEmbedder.name
    if model.startswith(LOCAL_PREFIX):
        return LOCAL_PREFIX + Path(model[len(LOCAL_PREFIX) :].strip()).expanduser().resolve().name
    return model  # openai-compatible:<model> is its own embedder name


def index_status(ws: Workspace) -> dict[str, Any]:
    """What the index holds: ``{"embedder", "version", "dim", "kind", "vectors", "tombstones",
    "configured", "needs_rebuild"}`` (zeros/empty strings before the first embed).

    ``configured`` is the AI config's ``embedding_model``; ``needs_rebuild`` is True when the
    index holds vectors of another embedder than that (the setting changed since the last
    embed): the next embed or search re-embeds every item into a fresh index under the same
    ids (``open_index``), so vectors of two embedders never mix. A new version of the same
    embedder (refitted LSA, new weights in a local folder) is not flagged here; ``open_index``
    rebuilds for it all the same."""
    configured = get_ai_config(ws)["embedding_model"]
    with ws.session() as s:
        row = s.get(VectorIndexState, 1)
        if row is None:
            return {"embedder": "", "version": "", "dim": 0, "kind": "", "vectors": 0, "tombstones": 0,
                    "configured": configured, "needs_rebuild": False}
        stale = bool(row.n_vectors) and row.embedder != configured_embedder_name(configured)
        return {
            "embedder": row.embedder, "version": row.embedder_version, "dim": row.dim, "kind": row.kind,
            "vectors": row.n_vectors, "tombstones": row.n_tombstones, "configured": configured, "needs_rebuild": stale,
        }
