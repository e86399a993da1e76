"""Token-bounded chunking that follows document structure.

``chunk_sections`` turns parsed ``Section`` s into ``ChunkDraft`` s of at most ``max_tokens``
tokens (``core.tokens``, o200k_base by default). A section that fits is one chunk. A larger
section is cut at the coarsest boundary that works: paragraphs (blank lines), then sentences,
then lines, then words, and only as a last resort inside a word at token boundaries. Pieces
are packed greedily in order, each chunk after the first starting with about
``overlap_tokens`` tokens of its predecessor (snapped to a word boundary), so a fact split
across chunks stays retrievable. Overlap only happens inside a split section. Text under
different heading paths is merged only when the sections are small (``combine_small_sections``,
round 20: a run of sections under ``MIN_SECTION_TOKENS`` of one family becomes one chunk under
their common path, each member's heading kept as a Markdown heading line; ``split_combined``
gives the members back).

Structure of the chunk-text convention (docs/DEVELOPING.md) is kept: a fenced code block is
never cut when it fits in a chunk; a larger one is cut only between its lines, and each part is
closed and reopened with the block's own fence line, so every chunk is valid fenced Markdown.
Between paragraphs and sentences there is an *entry* level (list items, table rows, definition
entries); a table row is never cut and a definition term never leaves its first ``: `` line
(unless one row or entry alone is larger than a chunk: then words decide).

A section that is only labels (``labels_only``: "expr:" above a syntax diagram that was dropped)
gives no chunk. A chunk does not end on a lead-in ("… as follows:", a definition's bare ``:``
marker): the units that form it open the next chunk when they fit there (``_keep_with_next``). A
first or last part of a split section under ``MIN_PART_TOKENS`` joins its neighbour when both fit
in ``max_tokens`` (``_absorb_tiny_ends``).

Chunks are exact substrings of the section text (no re-joining) apart from those added fence
lines, so code and tables keep their formatting. Every final chunk is re-counted, so
``n_tokens`` is exact and never above ``max_tokens``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Iterable

from fineflow_desktop.core.chunk_combine import MIN_SECTION_TOKENS, combine_small_sections, split_combined  # noqa: F401
from fineflow_desktop.core.ingest.base import Section
from fineflow_desktop.core.tokens import DEFAULT_ENCODING, count_tokens_batch, get_encoding

# Boundaries, coarsest first; a cut is made right after each match.
_LEVELS = [
    re.compile(r"\n[ \t]*\n\s*"),  # paragraph: blank line(s)
    # entry: a list item, a table row, or a definition term (a line followed by a ": " line)
    re.compile(r"\n(?=[ \t]*(?:[-*+] |\d{1,3}[.)] )|[^\n]* \| |(?!: )[^\n]+\n: )"),
    re.compile(r"(?<=[.!?;:])[\"')\]]*\s+"),  # sentence end (also ; and : for lists/definitions)
    re.compile(r"\n"),  # line
    re.compile(r"\s+"),  # word
]
_STRUCTURED_LEVELS = 4  # the levels above "word" honour the block rules (``_Blocks.allowed``)
# also a code block that opens a definition (": ```") or a list item ("- ```", "1. ```": its closing
# line is indented, "  ```"; without the marker here that closing line opened a block, html11)
_FENCE = re.compile(r"(?:: |- |\d+\. )?[ \t]*```")
_FENCE_MARKER = re.compile(r"^(?:: |- |\d+\. )")
_MARKER = r"[ \t]*(?:[-*+]|\d{1,3}[.)]|:)"  # a list item's or definition's marker at a line's start
_LINE_MARKER = re.compile(_MARKER + r"[ \t]+")  # ... with the line's text after it
FENCE_RESERVE = 8  # tokens kept free in a section with code fences for a reopened ``` line and a closing one


@dataclass
class _Fence:
    """A fenced code block of the section text: ``start`` of its opening line, ``body`` = end of
    that line (+1), ``close`` = start of its closing line (``end`` = ``close`` if unclosed)."""

    start: int
    body: int
    close: int
    end: int
    opener: str


class _Blocks:
    """Where a cut may fall in a section text (chunk-text convention, docs/DEVELOPING.md):
    never inside a fenced code block except between two of its code lines, never inside a table
    row, never between a definition term and its first ``: `` line."""

    def __init__(self, text: str):
        self.fences: list[_Fence] = []
        pos, open_at = 0, None
        for line in text.split("\n"):
            nxt = pos + len(line) + 1
            if _FENCE.match(line):
                if open_at is None:
                    open_at = (pos, min(nxt, len(text)), _FENCE_MARKER.sub("", line.strip()).strip())
                else:
                    self.fences.append(_Fence(open_at[0], open_at[1], pos, min(nxt, len(text)), open_at[2]))
                    open_at = None
            pos = nxt
        if open_at is not None:  # unclosed: the block runs to the end
            self.fences.append(_Fence(open_at[0], open_at[1], len(text), len(text), open_at[2]))
        self.text = text

    def fence_at(self, pos: int) -> _Fence | None:
        """The fence whose code body contains *pos* (after its opening line, before its end)."""
        for f in self.fences:
            if f.start < pos < f.end:
                return f
            if f.start >= pos:
                break
        return None

    def allowed(self, pos: int) -> bool:
        """May a chunk boundary fall at *pos* (a cut right before ``text[pos]``)?"""
        text = self.text
        f = self.fence_at(pos)
        if f is not None:  # inside code: only between two code lines
            return text[pos - 1] == "\n" and f.body < pos < f.close
        line_start = text.rfind("\n", 0, pos) + 1
        if line_start != pos:
            if _LINE_MARKER.fullmatch(text, line_start, pos):
                return False  # right after a line's marker ("term" / ": " | text): a chunk would end on it
            line_end = text.find("\n", pos)
            return " | " not in text[line_start:line_end if line_end >= 0 else len(text)]  # a table row stays whole
        if text.startswith(": ", pos):  # a definition's first ": " line stays with its term
            prev = text[text.rfind("\n", 0, pos - 1) + 1:pos - 1]
            return prev.startswith(": ") or not prev.strip()
        return True

    def refence(self, a: int, e: int, chunk: str) -> str:
        """*chunk* (= the trimmed ``text[a:e]``) with the fences it cuts closed and reopened: a
        chunk that starts inside a code block begins with its opening fence line, one that
        ends inside it ends with a closing ``` line."""
        head = self.fence_at(a)
        if head is not None and head.body <= a < head.close:
            chunk = head.opener + "\n" + chunk
        elif head is not None and a == head.close:  # starts with the block's closing line (a cut
            chunk = chunk.partition("\n")[2]     # by words when a code line fills a chunk): closed already
        tail = self.fence_at(e)
        if tail is not None and e <= tail.body:  # ends in or right after the opening line: code is next
            partial = self.text[tail.start:e].strip()
            chunk = chunk[: len(chunk) - len(partial)].rstrip() if partial and chunk.endswith(partial) else chunk
        elif tail is not None and e <= tail.close:
            chunk = chunk + "\n```"
        return chunk


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
    items = [(s, t) for s, t in items if t.strip() and not labels_only(t)]
    # A token is at most a few dozen chars but never less than one byte: sections far longer
    # than the limit need no whole-section count (it would be thrown away when splitting).
    huge = max_tokens * 16
    counts = count_tokens_batch([t if len(t) <= huge else "" for _, t in items], encoding) if items else []
    counts = [n if len(t) <= huge else max_tokens + 1 for (_, t), n in zip(items, counts)]
    out: list[ChunkDraft] = []
    for (section, text), n in zip(items, counts):
        if n <= max_tokens:
            drafts = [ChunkDraft(text, list(section.heading_path), n, dict(section.meta))]
            spans = [(0, len(text))]
        else:
            drafts, spans = _split_section(section, text, max_tokens, overlap_tokens, encoding)
        if "page_starts" in section.meta:
            _set_pages(drafts, spans, section.meta)
        out.extend(drafts)
    return combine_small_sections(out, max_tokens, encoding)


_LABEL = re.compile(r"\w[\w.'()/-]*(?: [\w.'()/-]+){0,2}:")  # at most three words, then the colon


def labels_only(text: str) -> bool:
    """Is *text* (a section's) only labels, each a line of at most three words and 40 characters
    ending with a colon ("upsert-clause:", "expr:")? Such a section leads into something the parser
    did not keep (SQLite's syntax diagrams are SVG, which is never text): it has nothing to say."""
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    return bool(lines) and all(len(line) <= 40 and _LABEL.fullmatch(line) for line in lines)


def _set_pages(drafts: list[ChunkDraft], spans: list[tuple[int, int]], meta: dict) -> None:
    """Replace a section's ``page_starts`` (``[[offset, page]]``, see ``core.ingest.pdf``) by each
    chunk's own ``page`` (where it starts) and ``page_end`` (where it ends, when later)."""
    starts = sorted((int(o), int(p)) for o, p in meta["page_starts"])
    first = meta.get("page")
    for d, (a, e) in zip(drafts, spans):
        d.meta.pop("page_starts", None)
        page = max([p for o, p in starts if o <= a] or [first])
        last = max([p for o, p in starts if o < e] or [first])
        d.meta["page"] = page
        if last and page and last > page:
            d.meta["page_end"] = last


def _trim(text: str, at_line_start: bool) -> str:
    """Drop trailing whitespace and leading blank lines (all leading space if mid-line)."""
    text = text.rstrip()
    return text.lstrip("\n") if at_line_start else text.lstrip()


def _cut(text: str, start: int, end: int, pattern: re.Pattern, blocks: _Blocks | None) -> list[tuple[int, int]]:
    spans, pos = [], start
    for m in pattern.finditer(text, start, end):
        if m.end() > pos and m.end() < end and (blocks is None or blocks.allowed(m.end())):
            spans.append((pos, m.end()))
            pos = m.end()
    spans.append((pos, end))
    return spans


def _units(text: str, budget: int, encoding: str, blocks: _Blocks | None = None) -> list[tuple[int, int, int]]:
    """Contiguous spans ``(start, end, tokens)`` covering *text*, each at most *budget* tokens;
    the structural levels cut only where *blocks* allows, the word level anywhere."""
    done: list[tuple[int, int, int]] = []
    pending = [(0, len(text))]
    for level, pattern in enumerate(_LEVELS):
        if not pending:
            break
        rule = blocks if level < _STRUCTURED_LEVELS else None
        pieces = [p for s, e in pending for p in _cut(text, s, e, pattern, rule)]
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


def _split_section(section: Section, text: str, max_tokens: int, overlap: int,
                   encoding: str) -> tuple[list[ChunkDraft], list[tuple[int, int]]]:
    packed = _pack(text, max_tokens, overlap, encoding)
    drafts = [ChunkDraft(t, list(section.heading_path), n, {**section.meta, "overlap_chars": ov})
              for t, n, ov, _ in packed]
    for i, d in enumerate(drafts, 1):
        d.meta.update(part=i, parts=len(drafts))
    return drafts, [span for *_, span in packed]


def _pack(text: str, max_tokens: int, overlap: int, encoding: str) -> list[tuple[str, int, int, tuple[int, int]]]:
    """``[(chunk text, tokens, overlap chars, (start, end) in text)]``: *text* cut into units
    (``_units``) packed greedily, each chunk after the first starting with ~*overlap* tokens of
    its predecessor."""
    blocks = _Blocks(text)
    budget = max_tokens - overlap
    budget -= min(FENCE_RESERVE, budget // 4) if blocks.fences else 0
    cores: list[tuple[int, int]] = []
    cur: list[tuple[int, int, int]] = []  # the units of the chunk being filled
    sizes: list[int] = []  # tokens of each core (the sum of its units')
    cur_n = 0
    for s, e, n in _units(text, budget, encoding, blocks):
        if cur and cur_n + n > budget:
            cur, moved = _keep_with_next(text, cur, budget - n, blocks, encoding)
            cores.append((cur[0][0], cur[-1][1]))
            sizes.append(sum(m for *_, m in cur))
            cur, cur_n = moved, sum(m for *_, m in moved)
        cur.append((s, e, n))
        cur_n += n
    if cur:
        cores.append((cur[0][0], cur[-1][1]))
        sizes.append(cur_n)
    cores = _absorb_tiny_ends(cores, sizes, max_tokens, overlap)

    enc = get_encoding(encoding)
    starts = []
    for k, (s, e) in enumerate(cores):
        starts.append(_overlap_start(text, cores[k - 1], s, overlap, enc, blocks) if k and overlap else s)
    texts = [blocks.refence(a, e, _trim(text[a:e], a == 0 or text[a - 1] == "\n")) for a, (_, e) in zip(starts, cores)]
    counts = count_tokens_batch(texts, encoding)
    out: list[tuple[str, int, int, tuple[int, int]]] = []
    for k, ((s, e), a, t, n) in enumerate(zip(cores, starts, texts, counts)):
        if n > max_tokens and a < s:  # the sentence snap reached back too far: snap forward only
            a = _overlap_start(text, cores[k - 1], s, overlap, enc, blocks, back=False)
            t = blocks.refence(a, e, _trim(text[a:e], a == 0 or text[a - 1] == "\n"))
            n = count_tokens_batch([t], encoding)[0]
        pieces = [(t, n, s - a)]
        if n > max_tokens:  # BPE merges across a cut can add a token or two: drop overlap, re-cut
            core = blocks.refence(s, e, _trim(text[s:e], s == 0 or text[s - 1] == "\n"))
            pieces = [(p, m, 0) for p, m in _hard_split(core, max_tokens, encoding)]
        for p, m, ov in pieces:
            if not p.strip():  # a whitespace-only remainder after a cut
                continue
            out.append((p, m, max(0, ov), (a if ov else s, e)))
    return out


_LEAD_IN_BOUNDARY = re.compile(r"[.!?;:,][\"')\]]*[ \t]+")  # where a lead-in clause may begin within its line
_BARE_MARKER = re.compile(_MARKER + r"[ \t]*$")  # ... with nothing after it


def _lead_in_start(text: str, a: int, e: int, blocks: _Blocks) -> int | None:
    """Where the lead-in that ``text[a:e]`` ends on begins, or None when it ends on none. A lead-in:
    a clause ending with a colon ("… as follows:", "For example:"; from the last sentence or clause
    boundary of its line), or a bare list or definition marker ("-", "1.", or ":" with the term on
    the line above: the word level cut between a marker and its first word, round 18's perltoc
    "Unicode Support" / ":"). Code is no lead-in ("def f():")."""
    end = len(text[:e].rstrip())
    if end <= a or blocks.fence_at(end - 1) is not None:
        return None
    line_start = max(a, text.rfind("\n", a, end) + 1)
    line = text[line_start:end]
    if _BARE_MARKER.match(line):
        if line.strip() != ":" or line_start <= a:
            return line_start
        return max(a, text.rfind("\n", a, line_start - 1) + 1)  # the term above its ": " marker
    if not line.endswith(":"):
        return None
    cuts = [m.end() for m in _LEAD_IN_BOUNDARY.finditer(line, 0, len(line) - 1) if m.start() > 0]
    return line_start + (cuts[-1] if cuts else 0)


def _keep_with_next(text: str, units: list[tuple[int, int, int]], room: int, blocks: _Blocks,
                    encoding: str) -> tuple[list[tuple[int, int, int]], list[tuple[int, int, int]]]:
    """*units* (a full chunk's) split into those that stay and those that open the next chunk: the
    lead-in the chunk would end on (``_lead_in_start``; the unit that holds it is cut where it
    begins, when a cut may fall there) goes with the text it leads into, as typesetting keeps a
    heading with its next line (CSS ``break-after: avoid``), when it fits in *room* tokens beside
    the next unit and the chunk keeps some text of its own."""
    start = _lead_in_start(text, units[0][0], units[-1][1], blocks)
    if start is None:
        return units, []
    k = max(i for i, (s, _, _) in enumerate(units) if s <= start)
    s, e, _ = units[k]
    if s < start and blocks.allowed(start):  # "… this structure. The … looks like this:" in one unit
        n1, n2 = count_tokens_batch([text[s:start], text[start:e]], encoding)
        units = units[:k] + [(s, start, n1), (start, e, n2)] + units[k + 1:]
        k += 1
    if k == 0 or sum(n for *_, n in units[k:]) > room:
        return units, []
    if _lead_in_start(text, units[0][0], units[k - 1][1], blocks) is not None:
        return units, []  # it would end on another ("{eu} : Basque, {btk} :", perltoc's run of pairs)
    return units[:k], units[k:]


MIN_PART_TOKENS = 20  # a first or last part under this is a fragment cut off its section (about 15 words)


def _absorb_tiny_ends(cores: list[tuple[int, int]], sizes: list[int], max_tokens: int,
                      overlap: int) -> list[tuple[int, int]]:
    """*cores* with a first or last part of under ``MIN_PART_TOKENS`` tokens (*sizes*) joined to its
    neighbour when the two fit in *max_tokens* (the room a later chunk keeps for its overlap): the
    sentence before a listing too large to share a chunk with it ("The example code below
    demonstrates …"), the last line of a long run of entries, are fragments of their section
    alone. (A joined chunk that its overlap pushes over the limit is re-cut in ``_pack``.)"""
    if len(cores) > 1 and sizes[0] < MIN_PART_TOKENS and sizes[0] + sizes[1] <= max_tokens:
        cores, sizes = [(cores[0][0], cores[1][1])] + cores[2:], [sizes[0] + sizes[1]] + sizes[2:]
    room = max_tokens - (overlap if len(cores) > 2 else 0)
    if len(cores) > 1 and sizes[-1] < MIN_PART_TOKENS and sizes[-2] + sizes[-1] <= room:
        cores = cores[:-2] + [(cores[-2][0], cores[-1][1])]
    return cores


def _overlap_start(text: str, prev: tuple[int, int], core_start: int, overlap: int, enc, blocks: _Blocks,
                   back: bool = True) -> int:
    """Char index where ~*overlap* tokens before *core_start* begin, snapped to a sentence start
    when one lies near (``_sentence_snap``; only forward, i.e. a shorter overlap, unless *back*),
    else to a word start (to a line start inside code or a table row, which are never entered
    mid-line)."""
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
        # A little further back may hold the start of the sentence that *pos* falls in.
        lo = max(w, pe - len(enc.decode(tokens[-(overlap + overlap // 2):]))) if back else pos
        pos = _sentence_snap(text, lo, pos, core_start, overlap, enc, blocks)
    if pos > 0 and not text[pos - 1].isspace():
        m = re.compile(r"\s+").search(text, pos, core_start)
        pos = m.end() if m else core_start
    while pos < core_start and not blocks.allowed(pos):
        nl = text.find("\n", pos, core_start)
        pos = nl + 1 if nl >= 0 else core_start
    return min(pos, core_start)


_SENTENCE_START = re.compile(r"(?<=[.!?])[\"')\]]*[ \t]+(?=\S)")  # within a line
_LINE_START = re.compile(r"\n(?=[^\n])")
_ENTRY_LINE = re.compile(r"[ \t]*(?:[-*+] |\d{1,3}[.)] |: )|[^\n]* \| ")  # list item, definition, table row


def _restarts(text: str, lo: int, hi: int, blocks: _Blocks) -> list[int]:
    """Positions in ``[lo, hi)`` where a chunk may begin without opening mid-sentence: after a
    sentence end (``. ! ?`` and closing quotes) and its spaces, at a paragraph or an entry (list
    item, definition line, table row), or at a code line. A line start in prose is not one:
    hard-wrapped text (pydoc's ``<br>`` docstrings) breaks lines inside sentences."""
    out = [m.end() for m in _SENTENCE_START.finditer(text, lo, hi)]
    nl = text.find("\n", max(0, lo - 1), hi)
    while 0 <= nl < hi - 1:
        p = nl + 1
        # the last character before this line, past closing quotes (a bounded look back: no copy
        # of the section's whole prefix per line)
        before = text[max(0, nl - 32):nl].rstrip(" \t\"')]")
        last = before[-1:] or ("" if nl <= 32 else "x")
        if p >= lo and (last in ("", ".", "!", "?", "\n") or _ENTRY_LINE.match(text, p)
                        or blocks.fence_at(p) is not None):
            out.append(p)
        nl = text.find("\n", p, hi)
    return sorted(out)


def _sentence_snap(text: str, lo: int, pos: int, core_start: int, overlap: int, enc, blocks: _Blocks) -> int:
    """*pos* moved to a place where a chunk may begin (``_restarts``) in ``[lo, core_start)``, so an
    overlap does not open a chunk mid-sentence ("file. In eps mode…"): the nearest start at or
    after *pos* unless it leaves under half the *overlap* tokens, then the nearest one before
    *pos* (from *lo*, about 1.5 × *overlap* tokens back); with no such place, the same with line
    starts; *pos* itself when there is none. (A chunk
    this pushes over ``max_tokens`` falls back to the forward start in ``_pack``.)"""
    starts = [s for s in _restarts(text, lo, core_start, blocks)  # not on a blank line (outside code)
              if s < core_start and (text[s] != "\n" or blocks.fence_at(s) is not None)]
    if not starts:  # text without sentence ends (an index, one entry a line): a line start then
        starts = [m.end() for m in _LINE_START.finditer(text, max(0, lo - 1), core_start)
                  if lo <= m.end() < core_start]
    after = [s for s in starts if s >= pos]
    before = [s for s in starts if s < pos]
    if after and len(enc.encode_ordinary(text[after[0]:core_start])) >= overlap // 2:
        return after[0]
    if before:
        return before[-1]
    return after[0] if after else pos


def _hard_split(text: str, max_tokens: int, encoding: str) -> list[tuple[str, int]]:
    """Split *text* into pieces of at most *max_tokens* (exact counts), fences closed/reopened."""
    result = []
    for p, n, _, _ in _pack(text, max_tokens - 2, 0, encoding) if max_tokens > 10 else []:
        if n > max_tokens:  # pathological: halve until it fits
            mid = len(p) // 2
            result.extend(_hard_split(p[:mid], max_tokens, encoding) + _hard_split(p[mid:], max_tokens, encoding))
        else:
            result.append((p, n))
    if max_tokens <= 10:  # too small to re-fence: plain token-boundary pieces
        units = _units(text, max_tokens, encoding)
        result = [(text[s:e].strip(), n) for s, e, n in units if text[s:e].strip()]
    return result
