"""The records the offline extractive generator reads and yields: ``SectionInput`` (one section's
chunks, from ``services.datasets`` or the benchmark) and ``PairDraft`` (an extracted pair with
its provenance)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class SectionInput:
    """The chunks of one section (same document and heading path), in document order.

    ``document_title`` is the document's own title (HTML ``<title>``, first heading…) when known;
    ``document_name`` is its file name.
    """

    document_id: int
    document_name: str
    heading_path: list[str]
    chunks: list[tuple[int, str]]  # (chunk id, text)
    document_title: str = ""


@dataclass
class PairDraft:
    """An extracted pair with provenance; ``meta`` has heading_path and the rule that fired."""

    user: str
    assistant: str
    document_id: int
    chunk_id: int
    meta: dict = field(default_factory=dict)
