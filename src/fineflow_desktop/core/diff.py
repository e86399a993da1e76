"""A side-by-side diff model for any two texts (Qt-free; the diff widget only draws it).

Lines are compared with ``difflib.SequenceMatcher`` opcodes, with difflib's default
``autojunk`` heuristic: it only applies to texts of 200+ lines (so typical templates get the
exact longest-match diff) and there treats lines occurring in over 1% of the text (blank
lines, markup) as junk, which keeps a 2,000-line diff at ~15 ms instead of ~200 ms (see
``bench/bench_diff.py``). Each opcode becomes aligned rows:

* ``equal``   same line on both sides;
* ``delete``  a line only on the left, a filler (``None`` line number, empty text) on the right;
* ``insert``  a line only on the right, a filler on the left;
* ``replace`` a changed line on both sides. A replace opcode of n left and m right lines pairs
  the first min(n, m) lines as ``replace`` rows and shows the rest as delete/insert rows.

Inside ``replace`` rows a second SequenceMatcher pass over word tokens (runs of word
characters, runs of whitespace, single punctuation marks) gives the changed-word spans,
as 0-based character offsets ``[start, end)`` into that line (code points, not UTF-16).
This is the same two-pass scheme as gitfourchette's ``diffview/diffdocument.py``.

Consecutive non-equal rows form a *hunk* (one change, for next/previous navigation); the
change count is the number of hunks.
"""

from __future__ import annotations

import bisect
import difflib
import re
from itertools import accumulate
from dataclasses import dataclass, field

ROW_KINDS = ("equal", "insert", "delete", "replace")
_TOKEN_RE = re.compile(r"\w+|\s+|[^\w\s]", re.UNICODE)


def split_lines(text: str) -> list[str]:
    """Lines of *text* without terminators (``\\r\\n``, ``\\r`` and ``\\n`` all end a line).

    A final terminator does not start an extra empty line; ``""`` has no lines.
    """
    if not text:
        return []
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if lines[-1] == "":
        lines.pop()
    return lines


@dataclass(frozen=True)
class Span:
    """Changed characters ``[start, end)`` of one line (code-point offsets)."""

    start: int
    end: int


@dataclass(frozen=True)
class DiffRow:
    """One aligned row. A filler side has line number ``None`` and text ``""``.

    ``left_no``/``right_no`` are 1-based line numbers; ``hunk`` is the index of the change
    this row belongs to, or -1 for equal rows.
    """

    kind: str
    left_no: int | None
    left_text: str
    right_no: int | None
    right_text: str
    left_spans: tuple[Span, ...] = ()
    right_spans: tuple[Span, ...] = ()
    hunk: int = -1


@dataclass(frozen=True)
class Hunk:
    """A run of changed rows ``[first_row, end_row)``."""

    index: int
    first_row: int
    end_row: int


@dataclass
class DiffModel:
    """Aligned rows of two texts, their hunks and line statistics.

    ``added``/``removed``/``modified`` count lines: rows of kind insert/delete/replace.
    """

    rows: list[DiffRow]
    hunks: list[Hunk]
    added: int = 0
    removed: int = 0
    modified: int = 0
    _starts: list[int] = field(default_factory=list, repr=False)

    def __post_init__(self) -> None:
        self._starts = [h.first_row for h in self.hunks]

    @property
    def change_count(self) -> int:
        """Number of separate changes (hunks)."""
        return len(self.hunks)

    @property
    def identical(self) -> bool:
        """True when the texts have the same lines."""
        return not self.hunks

    def next_hunk(self, row: int) -> Hunk | None:
        """The first hunk starting after *row* (use -1 to get the first), or None."""
        i = bisect.bisect_right(self._starts, row)
        return self.hunks[i] if i < len(self.hunks) else None

    def previous_hunk(self, row: int) -> Hunk | None:
        """The last hunk starting before *row*, or None."""
        i = bisect.bisect_left(self._starts, row) - 1
        return self.hunks[i] if i >= 0 else None

    def hunk_at(self, row: int) -> Hunk | None:
        """The hunk containing *row*, or None on an equal row."""
        i = bisect.bisect_right(self._starts, row) - 1
        if i >= 0 and self.hunks[i].first_row <= row < self.hunks[i].end_row:
            return self.hunks[i]
        return None


def tokenize(line: str) -> list[str]:
    """Word tokens of a line: word-character runs, whitespace runs, single punctuation."""
    return _TOKEN_RE.findall(line)


def word_spans(left: str, right: str) -> tuple[tuple[Span, ...], tuple[Span, ...]]:
    """Changed-character spans of two versions of one line, found on word tokens.

    Returns ``(left_spans, right_spans)``; adjacent changed tokens merge into one span.
    """
    a, b = tokenize(left), tokenize(right)
    a_off = _offsets(a)
    b_off = _offsets(b)
    ls: list[Span] = []
    rs: list[Span] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        if i2 > i1:
            _add_span(ls, a_off[i1], a_off[i2])
        if j2 > j1:
            _add_span(rs, b_off[j1], b_off[j2])
    return tuple(ls), tuple(rs)


def _offsets(tokens: list[str]) -> list[int]:
    return list(accumulate(map(len, tokens), initial=0))


def _add_span(spans: list[Span], start: int, end: int) -> None:
    if spans and spans[-1].end == start:
        spans[-1] = Span(spans[-1].start, end)
    else:
        spans.append(Span(start, end))


def diff_lines(left: list[str], right: list[str]) -> DiffModel:
    """Diff two line lists (see the module docstring for the row rules)."""
    rows: list[DiffRow] = []
    hunks: list[Hunk] = []
    added = removed = modified = 0
    hunk_start: int | None = None

    def close_hunk() -> None:
        nonlocal hunk_start
        if hunk_start is not None:
            hunks.append(Hunk(len(hunks), hunk_start, len(rows)))
            hunk_start = None

    matcher = difflib.SequenceMatcher(None, left, right)  # autojunk: see the module docstring
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            close_hunk()
            for k in range(i2 - i1):
                rows.append(DiffRow("equal", i1 + k + 1, left[i1 + k], j1 + k + 1, right[j1 + k]))
            continue
        if hunk_start is None:
            hunk_start = len(rows)
        h = len(hunks)
        paired = min(i2 - i1, j2 - j1) if tag == "replace" else 0
        for k in range(paired):
            lt, rt = left[i1 + k], right[j1 + k]
            lsp, rsp = word_spans(lt, rt)
            rows.append(DiffRow("replace", i1 + k + 1, lt, j1 + k + 1, rt, lsp, rsp, h))
        modified += paired
        for i in range(i1 + paired, i2):
            rows.append(DiffRow("delete", i + 1, left[i], None, "", hunk=h))
            removed += 1
        for j in range(j1 + paired, j2):
            rows.append(DiffRow("insert", None, "", j + 1, right[j], hunk=h))
            added += 1
    close_hunk()
    return DiffModel(rows, hunks, added, removed, modified)


def diff_texts(left: str, right: str) -> DiffModel:
    """Diff two texts line by line (``split_lines`` on each)."""
    return diff_lines(split_lines(left), split_lines(right))


def unified_diff(left: str, right: str, fromfile: str = "a", tofile: str = "b", context: int = 3) -> str:
    """A standard unified diff of two texts (``difflib.unified_diff``); ``""`` if equal.

    The result ends with a newline when non-empty, so it can be fed to ``patch``.
    """
    lines = list(
        difflib.unified_diff(split_lines(left), split_lines(right), fromfile, tofile, n=context, lineterm="")
    )
    return "\n".join(lines) + "\n" if lines else ""


def wrap_points(text: str, width: int) -> list[tuple[int, int]]:
    """Split one line into display pieces of at most *width* characters: ``[(start, end), ...]``.

    Breaks after the last space inside the limit when there is one (the space stays on the
    first piece), otherwise hard-breaks at *width*. ``""`` gives ``[(0, 0)]``. Used by the diff
    view to wrap both sides to the same number of display lines so rows stay aligned.
    """
    if width <= 0 or len(text) <= width:
        return [(0, len(text))]
    out = []
    start, n = 0, len(text)
    while n - start > width:
        cut = text.rfind(" ", start, start + width)
        end = cut + 1 if cut > start else start + width
        out.append((start, end))
        start = end
    out.append((start, n))
    return out


def clip_spans(spans: tuple[Span, ...], start: int, end: int) -> tuple[Span, ...]:
    """The parts of *spans* inside ``[start, end)``, shifted to start at 0."""
    return tuple(Span(max(s.start, start) - start, min(s.end, end) - start) for s in spans if s.start < end and s.end > start)
