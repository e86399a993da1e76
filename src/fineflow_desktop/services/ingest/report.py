"""What one ingest run did (``IngestReport``) and its failures grouped by reason."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field


@dataclass
class IngestReport:
    """What one ``ingest_paths`` call did.

    ``files_seen``: supported files found; ``imported``: stored as ready; ``unchanged_skipped``:
    content already stored; ``unsupported_skipped``: files of unknown type (not counted in
    files_seen); ``replaced``: earlier versions of re-imported paths removed; ``errors``:
    ``(path, reason)`` per failed file (also stored as ``status="error"`` documents);
    ``chunks``/``tokens``: added by this call; ``duplicate_chunks``: of those, exact duplicates;
    ``flagged_chunks``: of those, with prompt-injection flags; ``document_ids`` imported.
    """

    files_seen: int = 0
    imported: int = 0
    unchanged_skipped: int = 0
    unsupported_skipped: int = 0
    replaced: int = 0
    errors: list[tuple[str, str]] = field(default_factory=list)
    chunks: int = 0
    tokens: int = 0
    duplicate_chunks: int = 0
    flagged_chunks: int = 0
    cancelled: bool = False
    document_ids: list[int] = field(default_factory=list)

    def to_dict(self) -> dict:
        """JSON-ready dict; ``errors`` become ``[{"path", "reason"}]``."""
        d = asdict(self)
        d["errors"] = [{"path": p, "reason": r} for p, r in self.errors]
        d["failures_by_reason"] = failure_groups(self.errors)
        return d

    @property
    def nothing_read(self) -> bool:
        """True when not one file could be read: none stored now and none already stored
        (``fineflow ingest`` exits 1 then)."""
        return self.imported == 0 and self.unchanged_skipped == 0


def split_failure(path: str, reason: str) -> tuple[str, str]:
    """``(where, why)``: *reason*'s leading ``<path>[:line] [field]`` location (just *path* when it
    has none) and the rest, so that files failing for the same cause share one *why*
    (e.g. ``cannot parse (ImportError: ...)``) while the line stays with the file."""
    name = re.escape(path.replace("\\", "/").rsplit("/", 1)[-1])
    m = re.match(rf"^.*?{name}(:\d+)?( \[[^\]]*\])?: ", reason) if name else None
    if not m:
        return path, reason
    return path + (m.group(1) or "") + (m.group(2) or ""), reason[m.end():]


def failure_groups(errors: list[tuple[str, str]]) -> list[dict]:
    """Failed files grouped by reason: ``[{"reason", "count", "paths"}]``, most frequent first
    (ties in first-seen order); *errors* is ``IngestReport.errors`` (``(path, reason)`` pairs);
    ``paths`` entries keep the line and field of the failure (``file.jsonl:2``)."""
    groups: dict[str, list[str]] = {}
    for path, reason in errors:
        where, why = split_failure(path, reason)
        groups.setdefault(why, []).append(where)
    ordered = sorted(groups.items(), key=lambda kv: -len(kv[1]))
    return [{"reason": r, "count": len(paths), "paths": paths} for r, paths in ordered]
