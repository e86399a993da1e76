"""Chunk-text metrics for documentation ingest (issue 10), used by ``bench_ingest_docs.py``.

All metrics read the chunk text as stored (the chunk-text convention in docs/DEVELOPING.md):
paragraphs separated by blank lines, list items ``- ``/``1. ``, definitions ``: ``, fenced code,
table rows with `` | ``. Lines inside ``` fences are never inspected (code may break anywhere).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

_MARKER = re.compile(r"^\s*(?:[-*+] |\d{1,3}[.)] |: |\||```|#)")
_WORD = re.compile(r"\w+")
_TERMINAL = ".!?:;"  # a line ending so is a finished sentence, a lead-in or a list clause
# how a line continuing a sentence starts (": " is a definition); round 19: a "." right before a
# letter opens a name (a CSS class ".col-6", a dotfile ".bashrc"), a sentence's period never so
_CONTINUES = re.compile(r"^(?:[a-z)\],;_/]|\.(?![A-Za-z])|:(?! ))")
_OPEN_END = re.compile(r"[A-Za-z0-9,(\[/_-]$")
# A definition entry written as text: one name, a spaced hyphen, its description — TomDoc's argument
# lines ("name - the String or Symbol name of the option", RDoc's pages of asciidoctor, round 16).
# Like a ": " definition, it starts a block by nature; the break before or after it ends no sentence.
_DASH_ENTRY = re.compile(r"^\s*[A-Za-z_][\w.]* +- \S")


def prose_lines(text: str, starts_fenced: bool = False, fence_mark: str = "") -> list[str]:
    """The lines of *text* outside ``` fences (blank lines kept as ``""``, each fence line as
    *fence_mark*); *starts_fenced*: the chunk begins inside a code block (its opening fence is
    in the previous chunk)."""
    out, fenced = [], starts_fenced
    for line in text.split("\n"):
        if is_fence(line):
            fenced = not fenced
            out.append(fence_mark)  # a fence is a block boundary
            continue
        if not fenced:
            out.append(line.rstrip())
    return out


def is_fence(line: str) -> bool:
    """A fence line, also one that opens a definition (": " + fence: a code block first in a dd)."""
    return line.lstrip().removeprefix(": ").lstrip().startswith("```")


def _readings(text: str) -> list[bool]:
    """Ways to read the fences: a chunk with an odd number of fence lines may start inside a
    code block that the chunker split; both readings are tried and a chunk is flagged only when
    every reading flags it."""
    odd = sum(is_fence(line) for line in text.split("\n")) % 2
    return [False, True] if odd else [False]


def has_torn_fragment(text: str) -> bool:
    """True when a chunk holds an inline fragment torn out of its sentence.

    Detection: a non-empty prose line that is short (at most 3 words and 30 characters), is no
    list item, definition, table row or heading marker, and sits between a previous non-empty
    line that ends mid-sentence (a letter, digit, comma, opening bracket, slash, underscore or
    hyphen; not ``.!?:;``) and a next non-empty line that continues the sentence (starts with a
    lower-case letter or ``) ] , . ; _ /`` or a ``:`` not followed by a space). Example from issue 10:
    ``more akin to varchar(`` / ``n`` / ``)char(.`` — ``n`` is a torn fragment. Lines indented four
    or more spaces are code (the convention never indents prose that far) and are not inspected,
    nor are definition terms (``_term_lines``: a definition may have several one-word terms).
    A code block between the line and either neighbour is a display the sentence runs through,
    as ``has_break_in_sentence`` reads it (round 5: "Instead of / ```…``` / use e.g. / ```…``` /
    or even more …" is printed so; before, the fences were dropped and "use e.g." counted torn).

    A one-cell line of a table block (``_table_block_lines``) is a row; a line of a column
    of one-token lines (``_name_column_lines``) is a list of names; a line that ends its own
    sentence (a word, then ``.!?``: javadoc's "Deprecated." label above its comment) is not torn
    out of the middle of one (round 6: the browser draws each of these as its own line).

    Displayed mathematics (round 7): a line that ends with an equation number ("F (4)", "z (19)"
    between "maximize" and "subject to" of a linear program) is a numbered display formula, set on
    its own line by the page; a line between two formula lines (each holding a relation ``=``,
    ``≤``, ``∈``… between spaces: "x = … / where / y = …") is the text between two displays. Neither
    is an inline fragment torn out of a sentence. Round 8: nor is a formula line (a relation between
    spaces) that sits inside its paragraph, no blank line on either side ("In both cases the LD50
    is" / "LD50 = −β0/β1" / "that is, the point …": R-intro.pdf's display, as the PDF reader keeps a
    display inside the sentence); a fragment set apart by blank lines still counts.

    Round 19: a line ending its sentence may close a bracket or quote first ("string)."); a
    doctest line (``>>> ``, and ``... `` after it in its block) is code; a line between two lines
    of its paragraph that open with its first word is one of parallel forms, a synopsis's
    ("ln [OPTION]... TARGET" between "ln [OPTION]... TARGET LINK_NAME" and "ln [OPTION]... -t DIR
    TARGET..."): a torn piece's neighbours are the two halves of its sentence.

    Fences: see ``_readings``."""
    return all(_torn(text, r) for r in _readings(text))


def has_break_in_sentence(text: str) -> bool:
    """True when a chunk has a paragraph break (blank line) inside a sentence.

    Detection: a blank-line boundary between two prose paragraphs where the paragraph before
    ends mid-sentence (a lower-case letter or a comma, i.e. no ``.!?:;`` nor a closing quote
    or bracket) and the one after starts with a lower-case letter and is not a list item,
    definition, table row (a line with `` | ``) or code fence. A paragraph of one or two words before the break is a
    label (an admonition title such as "Note"), not a sentence, and is not counted. A code
    block between the two paragraphs is a display inside the sentence, as the page shows it
    ("For example, the command / ```ls > dirlist 2>&1``` / directs both…"), not a break.

    Fences: see ``_readings``."""
    return all(_break(text, r) for r in _readings(text))


def _term_lines(lines: list[str]) -> set[int]:
    """Indices of definition terms: the lines of a block right above its first ``: `` line (a
    definition can have several terms, texinfo ``@itemx``: ``compat31`` / ``compat32`` / …)."""
    terms: set[int] = set()
    for i, line in enumerate(lines):
        if line.startswith(": ") and i and not lines[i - 1].startswith(": "):
            j = i - 1
            while j >= 0 and lines[j].strip() and not _MARKER.match(lines[j]):
                terms.add(j)
                j -= 1
    return terms


def _torn(text: str, starts_fenced: bool) -> bool:
    fence = "\x00"
    every = prose_lines(text, starts_fenced, fence)
    terms = _term_lines(prose_lines(text, starts_fenced))  # same indices; a fence stops a term
    rows = _table_block_lines(every)
    names = _name_column_lines(every) | _line_column_lines(every)
    lines = [(k, ln) for k, ln in enumerate(every) if ln.strip() and k not in terms]
    prompts = _prompt_lines(every)
    for (pk, prev), (k, line), (nk, nxt) in zip(lines, lines[1:], lines[2:]):
        if fence in (prev, line, nxt):
            continue  # a code block sits between: a display inside the sentence
        s = line.strip()
        if _MARKER.match(line) or " | " in line or len(s) > 30 or len(s.split()) > 3 or k in rows:
            continue
        if k in names or _SENTENCE_END.search(s):
            continue  # a column of names (a list of terms); a label that ends its own sentence ("Deprecated.")
        if _LABEL.match(s) and pk < k - 1:
            continue  # a label opening its paragraph, ending with its colon (round 13; round 18: lines may follow)
        if s.endswith(":") and nk > k + 1:
            continue  # a lead-in's last line: its sentence ends with the colon, its paragraph with it (round 18)
        if any(x.startswith("    ") for x in (prev, line, nxt)):
            continue  # indented code (a code block the chunker split: its fences are in other chunks)
        if _PROMPT.match(s) and k in prompts:
            continue  # a doctest line: code (round 19)
        if s.split()[0] == prev.split()[0] == nxt.split()[0] and pk == k - 1 and nk == k + 1:
            continue  # one of parallel lines opening with the same word: a synopsis's forms (round 19)
        if " | " in prev and " | " in nxt:
            continue  # a one-cell row between rows of a table (Doxygen's "template<>" row, round 5)
        if _EQUATION_NUMBER.search(s) or (_RELATION.search(prev) and _RELATION.search(nxt) and not _RELATION.search(s)):
            continue  # a numbered display formula; the text between two displays (round 7)
        if _RELATION.search(s) and pk == k - 1 and nk == k + 1:
            continue  # a display formula on its own line inside its paragraph ("… the LD50 is" / "LD50 = −β0/β1" / "that is, …", round 8)
        if _OPEN_END.search(prev.strip()) and _CONTINUES.match(nxt.strip()):
            return True
    return False


def _prompt_lines(lines: list[str]) -> set[int]:
    """Indices of doctest lines: a block's lines from its first ``>>> `` line on that start with a
    prompt (``>>> ``, ``... ``); "... " alone opening a line of prose is no prompt."""
    found: set[int] = set()
    seen = False
    for k, line in enumerate(lines):
        s = line.strip()
        if not s:
            seen = False
        elif s.startswith(">>>"):
            seen = True
        if seen and _PROMPT.match(s):
            found.add(k)
    return found


_EQUATION_NUMBER = re.compile(r"\S\s+\(\d{1,3}(?:\.\d{1,3})?[a-z]?\)$")  # "F (4)", "x ≥ 0 (2.3)"
_RELATION = re.compile(r"\s[=≤≥≠≈≡∈⊂⊆<>]\s")
_NAME = re.compile(r"^(?=\S*[A-Za-z])\S{2,}$")  # one token of two or more characters, a letter among them
# Round 19: a bracket, quote or backtick may close before the sentence's end ("… (typically a" /
# "string)." and "… together with" / "``stream``." in pydoc's wrapped docstrings): the line still
# ends its sentence, in any generator's text.
_SENTENCE_END = re.compile(r"\w{3,}[)\]'\"’”`]*[.!?]$")
# A Python interactive prompt (">>> ", "... " continuing it): doctest lines are code in any
# generator; pydoc sets them as docstring lines, not ``pre`` (round 19).
_PROMPT = re.compile(r"^(?:>>>|\.\.\.)(?: |$)")
# A label: words ending with a colon, a paragraph of its own — pydoc's "Methods defined here:" after
# an <hr>, above the run of signatures it heads (round 13); a piece torn out of a sentence does not
# end its paragraph with a lead-in colon. Round 18: nor does it open one ("Arguments:" / "tabsize --
# tab stop spacing, …", pydoc's docstring lines), and any line ending with a colon that ends its
# paragraph ends a lead-in sentence ("… these are faster" / "than using new(name):" / blank / the
# list it introduces): neither is a piece of a sentence that goes on.
_LABEL = re.compile(r"^[A-Za-z][\w ]{0,28}:$")
MIN_NAME_COLUMN = 3


def _name_column_lines(lines: list[str]) -> set[int]:
    """Indices of the lines of a column of names: at least ``MIN_NAME_COLUMN`` consecutive non-empty
    prose lines (blank lines between them allowed) that are each one token (``_NAME``) — the
    attribute names Sphinx lists as separate definition terms, texinfo's ``@table`` of file names
    without text (round 6). A torn inline piece has its sentence's words beside it, and
    ``_`` between two names (``tablename`` / ``_`` / ``colname``) breaks the column.
    Round 13: a definition whose text is such a column starts it with its ``: `` line (the libxml2
    site's API index: "failure" / ": xsltAddKey" / "xsltAddStackElemList" / …, one linked name per
    ``<br>`` line of the ``<dd>``), so that line is one of the column's names too."""
    return _column_runs(lines, lambda line: bool(_NAME.match(line.strip().removeprefix(": ")))
                        and not _MARKER.match(line.removeprefix(": ")), blank_breaks=False)


def _column_runs(lines: list[str], member, blank_breaks: bool) -> set[int]:
    """Indices of the lines in runs of at least ``MIN_NAME_COLUMN`` consecutive lines for which
    *member(line)* holds; a blank line ends a run when *blank_breaks*, else it is skipped."""
    found: set[int] = set()
    run: list[int] = []
    for k, line in enumerate(lines + ["\x00"]):
        if not line.strip() and not blank_breaks:
            continue
        if line.strip() and member(line):
            run.append(k)
            continue
        if len(run) >= MIN_NAME_COLUMN:
            found.update(run)
        run = []
    return found


def _line_column_lines(lines: list[str]) -> set[int]:
    """Indices of the lines of a column of short lines set one under the other with no blank
    line between (at least ``MIN_NAME_COLUMN``, each at most 3 words and 30 characters, a
    letter among its first three characters, none starting with punctuation that goes on a
    sentence, ``, . ; : ) ]``): a block the page sets line by line — X resources
    ("gnuplot*line1Color: red" / "gnuplot*line2Color: green" / …), the several signatures of one
    function ("hidden on" / "hidden off"), an example's output ("single: CH3 CH3" / "double: CH2
    CH2" / "triple: CH CH"), options ("leftcurlyspace = ⟨length⟩" / …) — read so from a PDF by
    keeping the lines that were set by hand (round 9). A torn inline piece stands alone between
    the longer lines of its sentence, or apart by blank lines (the issue's "varchar( than to" /
    "n" / ")char(.")."""
    def short(line: str) -> bool:
        s = line.strip()
        return (len(s) <= 30 and len(s.split()) <= 3 and bool(re.search(r"[A-Za-z]", s[:3]))
                and not re.match(r"[,.;:)\]]", s) and not _MARKER.match(line) and not line.startswith("    "))

    return _column_runs(lines, short, blank_breaks=True)


def _table_block_lines(lines: list[str]) -> set[int]:
    """Indices of the lines of table blocks: blocks (runs of non-empty lines) holding at least two
    rows of several cells (`` | ``); their one-cell lines are rows too (the Haskell 98 Prelude
    index: a two-column table whose second cell most rows leave out, round 6)."""
    rows: set[int] = set()
    start = 0
    for k in range(len(lines) + 1):
        if k == len(lines) or not lines[k].strip():
            block = range(start, k)
            if sum(" | " in lines[i] for i in block) >= 2:
                rows.update(block)
            start = k + 1
    return rows


def _break(text: str, starts_fenced: bool) -> bool:
    fence = "\x00"
    lines = prose_lines(text, starts_fenced, fence)
    for i, line in enumerate(lines):
        if line.strip() or i == 0:
            continue
        j = i - 1
        while j >= 0 and not lines[j].strip():
            j -= 1
        k = i + 1
        while k < len(lines) and not lines[k].strip():
            k += 1
        before = lines[j] if j >= 0 else ""
        after = lines[k] if k < len(lines) else ""
        if fence in (before, after):
            continue  # a code block sits between: a display inside the sentence
        if not before or not after or _MARKER.match(after) or _MARKER.match(before) or " | " in after:
            continue  # a list, definition or table row starts a new block by nature
        if _DASH_ENTRY.match(before) or _DASH_ENTRY.match(after):
            continue  # a "name - description" entry (round 16)
        if k + 1 < len(lines) and lines[k + 1].startswith(": "):
            continue  # a definition term starts an entry (third round)
        if len(before.split()) < 3:
            continue
        if re.search(r"[a-z,]$", before.rstrip()) and re.match(r"^[a-z]", after.strip()):
            return True
    return False


def words(text: str) -> list[str]:
    """Lower-cased word tokens (``\\w+``): markup added by the convention (``- ``, ``: ``, `` | ``,
    fences) has no word characters, so it does not count against fidelity. Read in Unicode's
    composed form (NFC): pdftotext writes an accented letter as the letter and a combining mark
    ("inte\u0301grale"), which ``\\w`` splits in two, where the chunk has "intégrale" (round 13:
    mecaso.pdf, French, 60.6 → 79.0% from this alone). Superscript digits read as digits (round 17:
    a font may map a raised mark's digit to U+2074 — "1⁴The" — and the chunk reads "[14] The").
    Latin ligatures (U+FB00–FB06) read as their letters (round 18: pdftotext writes glpk.pdf's
    "coeﬃcient" with U+FB03 where PDFium writes "coefficient"; 1.3 points of glpk's fidelity)."""
    return [w.lower() for w in _WORD.findall(unicodedata.normalize("NFC", text).translate(_SUPERSCRIPT_DIGITS))]


_SUPERSCRIPT_DIGITS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789") | {  # and Latin ligatures as their letters
    c: unicodedata.normalize("NFKC", chr(c)) for c in range(0xFB00, 0xFB07)}


_OL_MARKER = re.compile(r"^(\s*)\d{1,3}\. ", re.M)


def chunk_words(text: str) -> list[str]:
    """``words`` of a chunk without the ``1. `` markers the convention writes before the items of
    an ``<ol>``: the page has no such text (the browser draws the numbers), so counting them made
    every numbered item lose its first n-grams (round 5: SQLite's numbered lists). ``fidelity``
    takes the better of the two readings, since a PDF's numbers are printed text."""
    return words(_OL_MARKER.sub(r"\1", text))


def ngram_set(tokens: list[str], n: int = 4) -> set[tuple[str, ...]]:
    """All word *n*-grams of *tokens* (the page's own text)."""
    return {tuple(tokens[i:i + n]) for i in range(len(tokens) - n + 1)}


def fidelity(chunk_text: str, page_ngrams: set, page_words: set, n: int = 4) -> float:
    """Share of the chunk's word *n*-grams that occur in the page's own text (0–1).

    "Found, in order": an n-gram exists only where the n words are consecutive in the page, so
    reordered or merged words (``varchar( than to n )char(``) lose their n-grams. A chunk of
    fewer than *n* words counts its words instead. The chunk is read with and without its ``1. ``
    list markers (``chunk_words``), with its footnote marks glued back as pdftotext reads
    them (``marks_glued``, round 17) and with TeX's angle brackets read as pdftotext reads them
    (``tex_angles``, round 18), and the best share counts.
    """
    return max(_found(words(chunk_text), page_ngrams, page_words, n),
               _found(chunk_words(chunk_text), page_ngrams, page_words, n),
               *(_found(words(marks_glued(chunk_text, refs, heads)), page_ngrams, page_words, n)
                 for refs, heads in (((True, True), (True, False), (False, True)) if "[" in chunk_text else ())),
               *(_found(words(tex_angles(text, page_words)), page_ngrams, page_words, n)
                 for text in (() if "⟨" not in chunk_text else (chunk_text, marks_glued(chunk_text)))))


def combined_fidelity(chunk_text: str, spans: list[dict], page_ngrams: set, page_words: set, n: int = 4) -> float:
    """``fidelity`` of a chunk that combines small sections (``core.chunking.combine_small_sections``,
    round 20), read piece by piece — each member's text (its ``combined`` span) and each heading line
    the chunker wrote between them — and weighted by the piece's n-grams. Read whole, the n-grams
    across a heading line and its member's text are missing wherever the page draws something the
    parser drops between them (rustdoc's "source" link right after a method's heading: rust-std
    100.0 → 97.1% from that alone), which the page-by-section chunks never measured."""
    pieces, pos = [], 0
    for sp in sorted(spans, key=lambda sp: sp["start"]):
        if sp["start"] > pos:
            pieces.extend(line.lstrip("#").strip() for line in chunk_text[pos:sp["start"]].split("\n"))
        pieces.append(chunk_text[sp["start"]:sp["end"]])
        pos = sp["end"]
    pieces = [p for p in pieces + [chunk_text[pos:]] if words(p)]
    if not pieces:
        return fidelity(chunk_text, page_ngrams, page_words, n)
    weights = [max(1, len(words(p)) - n + 1) for p in pieces]
    return sum(w * fidelity(p, page_ngrams, page_words, n) for w, p in zip(weights, pieces)) / sum(weights)


def tex_angles(text: str, page_words: set) -> str:
    """*text* with its angle brackets read as pdftotext reads TeX's (round 18): CMSY's glyph names
    map to no Unicode, so pdftotext writes the codes, "h" and "i": "⟨label⟩" → "hlabeli", or
    "hlabel i" where an italic correction set the closing one apart — taken where the glued last
    word is no word of the page (*page_words*) and the spaced one is. A reading of the chunk for
    ``fidelity``; the parser writes ⟨ ⟩ (``pdf_chars.tex_angle_brackets``)."""
    def one(m: re.Match) -> str:
        glued, spaced = "h" + m.group(1) + "i", "h" + m.group(1) + " i"
        if words(glued)[-1] not in page_words and words(spaced)[-2:-1] and words(spaced)[-2] in page_words:
            return spaced
        return glued
    return _ANGLED.sub(one, text).replace("⟨", "h").replace("⟩", "i")


_ANGLED = re.compile(r"⟨([^⟨⟩\n]{1,40})⟩")


_NOTE_REF = re.compile(r"(?<=[\w.,;:!?)’”])\[([1-9]\d?)\]")  # "suitable[1] tar", "required[2], and"
_NOTE_HEAD = re.compile(r"^\[([1-9]\d?)\] (?=\w)", re.M)  # "[1] The document"


def marks_glued(text: str, refs: bool = True, heads: bool = True) -> str:
    """*text* with its footnote marks (round 17, ``pdf_marks``: "suitable[1] tar", "[1] The
    document") glued back to their words as pdftotext reads raised marks: the references with
    *refs* ("suitable1 tar"), the notes' own marks with *heads* ("1The document"). Readings of the
    chunk for ``fidelity``, whose reference is pdftotext's text: DBLaTeX's references stand on the
    baseline after a space ("outdated. 1"), texinfo's notes start "1 e.g." (spaced)."""
    text = _NOTE_REF.sub(r"\1", text) if refs else text
    return _NOTE_HEAD.sub(r"\1", text) if heads else text


def _found(tokens: list[str], page_ngrams: set, page_words: set, n: int) -> float:
    if len(tokens) < n:
        return sum(w in page_words for w in tokens) / len(tokens) if tokens else 1.0
    grams = [tuple(tokens[i:i + n]) for i in range(len(tokens) - n + 1)]
    return sum(g in page_ngrams for g in grams) / len(grams)


# Footnote marks glued to their text (round 17, pdf17). A raised footnote mark read as plain text
# sticks to a word: the note's own mark to its first word ("2By default, …", pdftotext reads it so
# too), the in-text mark to the word or punctuation before it ("crashing.2 Note", "iODBC package,3
# which", "constraints3 .", PDFium spacing the mark off the period after it) or, spaced off by
# PDFium, after a sentence ("… as conffiles. 1 When you …"). Four shapes, each read in prose lines
# only (outside ``` fences); identifiers in prose ("value1, var1", "man1", "gentoo.1") are left
# out by the shapes, which is why a digit after "." counts only before a capitalised word and a
# word ending in a digit only before spaced punctuation.
_GLUED_NOTE_START = re.compile(r"(?:^|(?<=[.!?:;)”’\"]\s))(?:[1-9]\d?|[∗†‡§¶])[A-Z][a-z]", re.M)
_GLUED_AFTER_PUNCT = re.compile(r"[a-z]{2}(?:[,;:]|\.(?=[1-9]\d? [A-Z]))[1-9]\d?(?=\s|$)", re.M)
_GLUED_BEFORE_SPACED = re.compile(r"[a-z]{3}[1-9]\d? [.,;:](?=\s|$)", re.M)
_SPACED_AFTER_SENTENCE = re.compile(r"[a-z]{2}[.!?] [1-9]\d?(?= [A-Z])")


def glued_note_marks(text: str) -> int:
    """How many footnote marks *text* (a chunk) holds glued to or set loose in its prose, by the
    four shapes above; 0 when every mark is set apart (``[2] By default, …``, ``constraints[3].``)
    or dropped. A count, not a share: a chunk may hold several."""
    prose = "\n".join(line for line in prose_lines(text) if line)
    return sum(len(p.findall(prose)) for p in (_GLUED_NOTE_START, _GLUED_AFTER_PUNCT, _GLUED_BEFORE_SPACED,
                                               _SPACED_AFTER_SENTENCE))


EDGE_LINES = 2  # lines at each side of a page break that may be running headers/footers


def without_page_edges(text: str) -> str:
    """pdftotext's *text* (pages split at form feeds) without, at each page break, up to
    ``EDGE_LINES`` non-empty lines before and after it that are page furniture: a line that starts
    or ends with a number (a page number, "4.3. Example program: qsolve 42") or whose shape
    (digits as ``#``) stands at a page edge on 3 pages or more (a running header). A further reading
    of the reference: a union only adds the n-grams that run on over a page break."""
    pages = [[ln.strip() for ln in page.split("\n") if ln.strip()] for page in text.split("\f")]

    def shape(line: str) -> str:
        return re.sub(r"\d+", "#", line)
    edges = Counter(shape(ln) for page in pages for ln in set(page[:EDGE_LINES] + page[-EDGE_LINES:]))

    def furniture(line: str) -> bool:
        return bool(re.match(r"^[\divxlc]+\b|.*\b\d+$", line)) or edges[shape(line)] >= 3
    for k, page in enumerate(pages):
        for _ in range(EDGE_LINES):
            if k + 1 < len(pages) and page and furniture(page[-1]):
                page.pop()
            if k > 0 and page and furniture(page[0]):
                page.pop(0)
    return "\n".join("\n".join(page) for page in pages)


# Chunk measures (round 19, chunks19): what a chunk is, not how its text reads.
TINY_TOKENS = 20  # o200k tokens, about 15 words: at most one short sentence, too little to ask a question on
REPEATED_SHARE = 0.2  # a chunk whose text recurs on this share of a corpus's pages (and on 3 at least) is furniture
_LEAD_LABEL = re.compile(r"^[\w][\w .'()/-]{0,38}:$")  # "upsert-clause:", "expr:", "Syntax:"
_DANGLING_MARKER = re.compile(r"^(?:[-*+]|\d{1,3}[.)]|:)$")


def ends_on_lead_in(text: str) -> bool:
    """True when a chunk ends on a lead-in: its last prose line (outside ``` fences) ends with a
    colon ("… as follows:", "For example:", a definition's bare ``:`` marker whose text went to the
    next chunk) or is a bare list marker. Meaningful for a chunk that is not its section's last
    part (``part < parts``): there the text it leads into is in the next chunk; a whole section
    may end so by itself (a label above a dropped figure: ``is_label_only``)."""
    lines = [ln for ln in prose_lines(text, fence_mark="\x00") if ln.strip()]
    if not lines or lines[-1] == "\x00":
        return False
    last = lines[-1].strip()
    return last.endswith(":") or bool(_DANGLING_MARKER.match(last))


def is_label_only(text: str) -> bool:
    """True when every non-empty line of a chunk is a short label ending with a colon (at most 40
    characters: "upsert-clause:", "expr:") and nothing follows: the label of a figure the parser
    dropped (SQLite's syntax diagrams are SVG), no text for a dataset."""
    lines = [ln.strip() for ln in text.split("\n") if ln.strip()]
    return bool(lines) and all(_LEAD_LABEL.match(ln) for ln in lines)


def repeated_texts(texts_by_page: list[list[str]]) -> set[str]:
    """Chunk texts that recur on at least ``REPEATED_SHARE`` of the pages (and on 3 at least):
    the same block on page after page is site furniture (a tagline, a banner, a copyright line),
    not the page's content. *texts_by_page*: each page's chunk texts."""
    pages = Counter(t for texts in texts_by_page for t in set(texts))
    floor = max(3, REPEATED_SHARE * len(texts_by_page))
    return {t for t, k in pages.items() if k >= floor}
