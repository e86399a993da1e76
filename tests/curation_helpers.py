"""Test helpers for the curation/retrieval tests: real Python-doc paragraphs as chunk rows.

Text comes from Debian's python3.11-doc reStructuredText sources (PSF licence), split on blank
lines the way a paragraph chunker would. Rows are inserted directly with the store models.
"""

from __future__ import annotations

import hashlib
import random
from pathlib import Path

from fineflow_desktop.store.models import Chunk, Document

PYDOC = Path("/usr/share/doc/python3.11/html/_sources")


def paragraphs(relpath: str, min_chars: int = 80) -> list[str]:
    """Paragraphs of one doc source, e.g. ``library/json.rst.txt``."""
    text = (PYDOC / relpath).read_text(encoding="utf-8")
    return [p.strip() for p in text.split("\n\n") if len(p.strip()) >= min_chars]


def add_document(ws, source_path: str, texts: list[str], headings: list[list[str]] | None = None,
                 qualities: list[float | None] | None = None, flagged: list[bool] | None = None) -> list[int]:
    """Insert one ready document with one chunk per text; returns the chunk ids in order."""
    with ws.session() as s:
        doc = Document(
            source_path=source_path, name=Path(source_path).name, kind="rst",
            content_hash=hashlib.sha256((source_path + str(len(texts))).encode()).hexdigest(),
            status="ready", n_chunks=len(texts), n_tokens=sum(len(t) // 4 for t in texts),
        )
        s.add(doc)
        s.flush()
        ids = []
        for i, text in enumerate(texts):
            c = Chunk(
                document_id=doc.id, ordinal=i, text=text,
                heading_path=(headings[i] if headings else [Path(source_path).stem]),
                n_tokens=max(1, len(text) // 4), norm_hash=hashlib.sha256(text.encode()).hexdigest(),
                quality=qualities[i] if qualities else None,
                is_flagged=bool(flagged[i]) if flagged else False,
            )
            s.add(c)
            s.flush()
            ids.append(c.id)
        return ids


def edit_words(text: str, fraction: float, seed: int) -> str:
    """Replace *fraction* of the whitespace-separated words with other words (at least one)."""
    rng = random.Random(seed)
    words = text.split(" ")
    n = max(1, round(len(words) * fraction))
    for i in rng.sample(range(len(words)), min(n, len(words))):
        words[i] = rng.choice(["alpha", "bravo", "charlie", "delta", "echo", "foxtrot"])
    return " ".join(words)
