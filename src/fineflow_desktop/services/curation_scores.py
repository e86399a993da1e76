"""Chunk curation columns: quality score, prompt-injection flags, language.

``curate_text`` computes the columns for one chunk (ingest calls it inside each file's
transaction); ``recompute_scores`` refreshes every stored chunk, e.g. after the scoring rules
changed, committing in batches so a crash loses at most one batch and a cancel keeps the
batches done.
"""

from __future__ import annotations

import statistics
from collections import Counter

from sqlalchemy import func, select, update

from fineflow_desktop.core.injection import detect_injection
from fineflow_desktop.core.language import guess_language
from fineflow_desktop.core.progress import TaskState
from fineflow_desktop.core.quality import score_chunk
from fineflow_desktop.store.models import Chunk

BATCH = 500
HIST_BINS = 10


def curate_text(text: str, heading_path: list[str] | None = None) -> dict:
    """Curation columns for one chunk: ``{quality, quality_signals, injection_flags, is_flagged, language}``.
    ``injection_flags`` = ``[{reason, match, start, end}]``: the exact matched text and its
    offsets in *text* (``in_heading`` instead when the match is in the heading path).

    Headings are scanned for injections too (a Markdown ``### Instruction`` heading ends up in
    the heading path, not the text). Pure computation, ~1-3 ms per 512-token chunk.
    """
    language = guess_language(text)
    result = score_chunk(text, heading_path, language)
    prefix = "\n".join(heading_path) + "\n" if heading_path else ""
    flags = [_flag_in_text(f.to_dict(), len(prefix)) for f in detect_injection(prefix + text)]
    return {
        "quality": result.score,
        "quality_signals": result.signals,
        "injection_flags": flags,
        "is_flagged": bool(flags),
        "language": language,
    }


def _flag_in_text(flag: dict, offset: int) -> dict:
    """Flag offsets made relative to the chunk text; a match in the heading path gets
    ``start``/``end`` None and ``in_heading`` True."""
    if flag.get("start") is not None:
        if flag["start"] < offset:
            flag.update(start=None, end=None, in_heading=True)
        else:
            flag.update(start=flag["start"] - offset, end=flag["end"] - offset)
    return flag


def recompute_scores(ws, state: TaskState | None = None, batch_size: int = BATCH) -> dict:
    """Re-score every chunk of *ws*; returns the summary of ``score_summary`` plus ``"updated"``.

    Progress is ``(chunks done, total, "scored N chunks")``; ``state.check()`` runs between
    batches (``Cancelled`` propagates; committed batches stay).
    """
    state = state or TaskState()
    with ws.session() as s:
        ids = list(s.scalars(select(Chunk.id).order_by(Chunk.id)))
    total = len(ids)
    state.progress(0, total, "")
    for start in range(0, total, batch_size):
        state.check()
        batch = ids[start : start + batch_size]
        with ws.session() as s:
            rows = s.execute(select(Chunk.id, Chunk.text, Chunk.heading_path).where(Chunk.id.in_(batch))).all()
            values = [{"id": cid, **curate_text(text, path or [])} for cid, text, path in rows]
            s.execute(update(Chunk), values)  # ORM bulk UPDATE by primary key, one commit per batch
        done = min(total, start + batch_size)
        state.progress(done, total, f"scored {done} chunks")
    summary = score_summary(ws)
    summary["updated"] = total
    return summary


def score_summary(ws) -> dict:
    """Stored scores summarized: ``{chunks, scored, flagged, mean, median, histogram, bins,
    languages, flag_reasons}``; ``histogram[i]`` counts scores in ``[i/10, (i+1)/10)`` (1.0 in the last bin)."""
    with ws.session() as s:
        scores = list(s.scalars(select(Chunk.quality).where(Chunk.quality.is_not(None))))
        chunks = s.scalar(select(func.count(Chunk.id))) or 0
        flagged = s.scalar(select(func.count(Chunk.id)).where(Chunk.is_flagged.is_(True))) or 0
        languages = Counter(dict(s.execute(select(Chunk.language, func.count()).group_by(Chunk.language)).all()))
        flag_lists = list(s.scalars(select(Chunk.injection_flags).where(Chunk.is_flagged.is_(True))))
    hist = [0] * HIST_BINS
    for q in scores:
        hist[min(HIST_BINS - 1, max(0, int(q * HIST_BINS)))] += 1
    reasons = Counter(f.get("reason", "?") for flags in flag_lists for f in (flags or []))
    return {
        "chunks": chunks,
        "scored": len(scores),
        "flagged": flagged,
        "mean": round(statistics.fmean(scores), 4) if scores else None,
        "median": round(statistics.median(scores), 4) if scores else None,
        "histogram": hist,
        "bins": [round(i / HIST_BINS, 2) for i in range(HIST_BINS + 1)],
        "languages": {str(k): v for k, v in languages.most_common()},
        "flag_reasons": dict(reasons.most_common()),
    }
