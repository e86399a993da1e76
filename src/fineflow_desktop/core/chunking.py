"""Token-bounded chunking that follows document structure.

``chunk_sections`` turns parsed ``Section`` s into ``ChunkDraft`` s of at most ``max_tokens``
tokens (``core.tokens``, o200k_base by default). A section that fits is one chunk. A larger
section is cut at the coarsest boundary that works: paragraphs (blank lines), then sentences,
then lines, then words, and only as a last resort inside a word at token boundaries. Pieces
are packed greedily in order, each chunk after the first starting with about
``overlap_tokens`` tokens of its predecessor (snapped to a word boundary), so a fact split
across chunks stays retrievable. Overlap only happens inside a split section; text under
different heading paths is never merged.

Chunks are exact substrings of the section text (no re-joining), so code and tables keep
their formatting. Every final chunk is re-counted, so ``n_tokens`` is exact and never above
``max_tokens``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Iterable

from fineflow_desktop.core.ingest.base import Section
from fineflow_desktop.core.tokens import DEFAULT_ENCODING, count_tokens_batch, get_encoding

# Boundaries, coarsest first; a cut is made right after each match.
_LEVELS = [
    re.compile(r"\n[ \t]*\n\s*"),  # paragraph: blank line(s)
    re.compile(r"(?<=[.!?;:])[\"')\]]*\s+"),  # sentence end (also ; and : for lists/definitions)
    re.compile(r"\n"),  # line
    re.compile(r"\s+"),  # word
]


@dataclass
class ChunkDraft:
    """A chunk before it is stored: text, heading path, exact token count, meta.

    ``meta`` is the section's meta plus, for a split section, ``part``/``parts`` (1-based)
    and ``overlap_chars`` (length of the text repeated from the previous part).
    """

    text: str
    heading_path: list[str]
    n_tokens: int
    meta: dict = field(default_factory=dict)


def chunk_sections(
    sections: Iterable[Section],
    max_tokens: int = 512,
    overlap_tokens: int = 64,
    encoding: str = DEFAULT_ENCODING,
) -> list[ChunkDraft]:
    """Chunk *sections* in order; see the module docstring for the rules.

    Raises ``ValueError`` unless ``max_tokens >= 8`` and ``0 <= overlap_tokens < max_tokens // 2``.
    """
    if max_tokens < 8:
        raise ValueError(f"max_tokens must be at least 8, got {max_tokens}")
    if not 0 <= overlap_tokens < max_tokens // 2:
        raise ValueError(f"overlap_tokens must be in [0, {max_tokens // 2}), got {overlap_tokens}")
    items = [(s, _trim(s.text, True)) for s in sections]
    items = [(s, t) for s, t in items if t.strip()]
    # A token is at most a few dozen chars but never less than one byte: sections far longer
    # than the limit need no whole-section count (it would be thrown away when splitting).
    huge = max_tokens * 16
    counts = count_tokens_batch([t if len(t) <= huge else "" for _, t in items], encoding) if items else []
    counts = [n if len(t) <= huge else max_tokens + 1 for (_, t), n in zip(items, counts)]
    out: list[ChunkDraft] = []
    for (section, text), n in zip(items, counts):
        if n <= max_tokens:
            out.append(ChunkDraft(text, list(section.heading_path), n, dict(section.meta)))
        else:
            out.extend(_split_section(section, text, max_tokens, overlap_tokens, encoding))
    return out


def _trim(text: str, at_line_start: bool) -> str:
    """Drop trailing whitespace and leading blank lines (all leading space if mid-line)."""
    text = text.rstrip()
    return text.lstrip("\n") if at_line_start else text.lstrip()


def _cut(text: str, start: int, end: int, pattern: re.Pattern) -> list[tuple[int, int]]:
    spans, pos = [], start
    for m in pattern.finditer(text, start, end):
        if m.end() > pos and m.end() < end:
            spans.append((pos, m.end()))
            pos = m.end()
    spans.append((pos, end))
    return spans


def _units(text: str, budget: int, encoding: str) -> list[tuple[int, int, int]]:
    """Contiguous spans ``(start, end, tokens)`` covering *text*, each at most *budget* tokens."""
    done: list[tuple[int, int, int]] = []
    pending = [(0, len(text))]
    for pattern in _LEVELS:
        if not pending:
            break
        pieces = [p for s, e in pending for p in _cut(text, s, e, pattern)]
        counts = count_tokens_batch([text[s:e] for s, e in pieces], encoding)
        pending = []
        for (s, e), n in zip(pieces, counts):
            (done.append((s, e, n)) if n <= budget else pending.append((s, e)))
    enc = get_encoding(encoding)
    for s, e in pending:  # a "word" longer than the budget: cut at token boundaries
        tokens = enc.encode_ordinary(text[s:e])
        _, offsets = enc.decode_with_offsets(tokens)
        bounds = [s + offsets[i] for i in range(0, len(tokens), budget)] + [e]
        for a, b in zip(bounds, bounds[1:]):
            if b > a:
                done.append((a, b, min(budget, len(tokens))))
    done.sort()
    return done


def _split_section(section: Section, text: str, max_tokens: int, overlap: int, encoding: str) -> list[ChunkDraft]:
    budget = max_tokens - overlap
    cores: list[tuple[int, int]] = []
    cur_s, cur_e, cur_n = -1, -1, 0
    for s, e, n in _units(text, budget, encoding):
        if cur_s >= 0 and cur_n + n > budget:
            cores.append((cur_s, cur_e))
            cur_s, cur_n = -1, 0
        if cur_s < 0:
            cur_s = s
        cur_e, cur_n = e, cur_n + n
    if cur_s >= 0:
        cores.append((cur_s, cur_e))

    enc = get_encoding(encoding)
    starts = []
    for k, (s, e) in enumerate(cores):
        starts.append(_overlap_start(text, cores[k - 1], s, overlap, enc) if k and overlap else s)
    texts = [_trim(text[a:e], a == 0 or text[a - 1] == "\n") for a, (_, e) in zip(starts, cores)]
    counts = count_tokens_batch(texts, encoding)
    drafts: list[ChunkDraft] = []
    for k, ((s, e), a, t, n) in enumerate(zip(cores, starts, texts, counts)):
        pieces = [(t, n, s - a)]
        if n > max_tokens:  # BPE merges across a cut can add a token or two: drop overlap, re-cut
            core = _trim(text[s:e], s == 0 or text[s - 1] == "\n")
            pieces = [(p, m, 0) for p, m in _hard_split(core, max_tokens, encoding)]
        for p, m, ov in pieces:
            if not p.strip():  # a whitespace-only remainder after a cut
                continue
            drafts.append(ChunkDraft(p, list(section.heading_path), m, {**section.meta, "overlap_chars": max(0, ov)}))
    for i, d in enumerate(drafts, 1):
        d.meta.update(part=i, parts=len(drafts))
    return drafts


def _overlap_start(text: str, prev: tuple[int, int], core_start: int, overlap: int, enc) -> int:
    """Char index where ~*overlap* tokens before *core_start* begin, snapped to a word start."""
    ps, pe = prev
    # Encode only a tail window (tokens average ~4 chars; 12 per token leaves ample margin).
    w = max(ps, pe - overlap * 12)
    tokens = enc.encode_ordinary(text[w:pe])
    if len(tokens) <= overlap and w > ps:
        w, tokens = ps, enc.encode_ordinary(text[ps:pe])
    if len(tokens) <= overlap:
        pos = w
    else:
        pos = max(w, pe - len(enc.decode(tokens[-overlap:])))
    if pos > 0 and not text[pos - 1].isspace():
        m = re.compile(r"\s+").search(text, pos, core_start)
        pos = m.end() if m else core_start
    return min(pos, core_start)


def _hard_split(text: str, max_tokens: int, encoding: str) -> list[tuple[str, int]]:
    """Split *text* at token boundaries into pieces of at most *max_tokens* (exact counts)."""
    units = _units(text, max_tokens, encoding)
    pieces, cur_s, cur_e, cur_n = [], -1, -1, 0
    for s, e, n in units:
        if cur_s >= 0 and cur_n + n > max_tokens:
            pieces.append(text[cur_s:cur_e])
            cur_s, cur_n = -1, 0
        if cur_s < 0:
            cur_s = s
        cur_e, cur_n = e, cur_n + n
    if cur_s >= 0:
        pieces.append(text[cur_s:cur_e])
    pieces = [p.strip() for p in pieces if p.strip()]
    counts = count_tokens_batch(pieces, encoding)
    result = []
    for p, n in zip(pieces, counts):
        if n > max_tokens:  # pathological: halve until it fits
            mid = len(p) // 2
            result.extend(_hard_split(p[:mid], max_tokens, encoding) + _hard_split(p[mid:], max_tokens, encoding))
        else:
            result.append((p, n))
    return result
