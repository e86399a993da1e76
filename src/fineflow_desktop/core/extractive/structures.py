"""Structures the offline extractive generator reads in a section's text: definition entries
(term + ``: `` lines), option lists, description tables, "NAME — purpose" reference names, and
answers cut at paragraph boundaries (``clean_answer``)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterator

from fineflow_desktop.core.markup import clean_markup, drop_leading_metadata, tidy_prose
from fineflow_desktop.core.extractive.grammar import FUNCTION_WORDS, MAX_ANSWER_CHARS, MAX_TERM_WORDS
from fineflow_desktop.core.extractive.sentences import norm_text
from fineflow_desktop.core.extractive.patterns import API_NAME, CODEISH, NAME_PURPOSE, OBJ_DIRECTIVE, RST_OPTION_LIST


# ---------------------------------------------------------------- structures in section text


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())


def definition_items(text: str) -> Iterator[tuple[list[str], str]]:
    """Yield ``(terms, definition)`` for each definition-list entry of *text*
    (``definition_entries`` without the line spans)."""
    for entry in definition_entries(text):
        yield entry.terms, entry.definition


@dataclass(frozen=True)
class DefinitionEntry:
    """One definition-list entry of a text: its *terms*, its *definition*, and the lines it
    spans, ``text.splitlines()[start:end]`` (first term line to the line after its body)."""

    terms: list[str]
    definition: str
    start: int
    end: int


def definition_entries(text: str) -> Iterator[DefinitionEntry]:
    """Yield each definition-list entry of *text*, in order, with its line span.

    Reads three shapes: the chunk-text convention (term lines, then lines starting ``": "``);
    reST definition lists (a term line followed by more-indented lines, the term not ending in
    ``:``, i.e. not a paragraph introducing a literal block); Sphinx object directives
    (``.. function:: sig`` + indented body), whose term is the signature. Code fences are skipped.
    """
    lines = text.splitlines()
    n = len(lines)
    i = 0
    in_fence = False
    while i < n:
        line = lines[i]
        if line.lstrip().startswith(("```", "~~~")):
            in_fence = not in_fence
            i += 1
            continue
        if in_fence or not line.strip():
            i += 1
            continue
        # convention: term line(s) then ": definition"
        if re.match(r"^\s*:\s", line):
            terms = []
            j = i - 1
            while j >= 0 and lines[j].strip() and not re.match(r"^\s*:\s", lines[j]) and len(terms) < 4:
                terms.insert(0, lines[j].strip())
                j -= 1
            body = []
            k = i
            while k < n:
                cur = lines[k]
                if re.match(r"^\s*:\s", cur):
                    body.append(re.sub(r"^\s*:\s", "", cur))
                elif cur.strip() and (_indent(cur) >= 2 or (body and body[-1].strip())) \
                        and not (k + 1 < n and re.match(r"^\s*:\s", lines[k + 1])):
                    body.append(cur.strip())  # a wrapped continuation of the definition
                elif not cur.strip() and k + 1 < n and re.match(r"^\s*:\s", lines[k + 1]):
                    body.append("")
                else:
                    break
                k += 1
            if terms:
                yield DefinitionEntry(terms, "\n".join(body).strip(), j + 1, k)
            i = max(k, i + 1)
            continue
        m = OBJ_DIRECTIVE.match(line)
        if m:
            sig = m.group("sig").strip()
            kind = m.group("kind")
            base = _indent(line)
            body, k = _indented_body(lines, i + 1, base)
            body = [b for b in body if not re.match(r"^\s*:[\w-]+:", b)]  # directive options
            if kind in ("option", "cmdoption") and not sig.startswith(("-", "+", "/")):
                sig = "-" + sig if len(sig.split()[0]) == 1 else "--" + sig
            if kind in ("class", "exception"):
                sig = f"{kind} {sig}" if "(" in sig else f"{kind} {sig}()"
            if kind not in ("module", "program"):
                yield DefinitionEntry([sig], "\n".join(body).strip(), i, k)
            i = k
            continue
        m = RST_OPTION_LIST.match(line.strip())
        if m and _indent(line) == 0:
            body, k = _indented_body(lines, i + 1, _indent(line))
            yield DefinitionEntry([m.group("opts")], "\n".join([m.group("text"), *body]).strip(), i, k)
            i = k
            continue
        nxt = lines[i + 1] if i + 1 < n else ""
        stripped = line.strip()
        starts_block = i > 0 and not lines[i - 1].strip()  # at i == 0 a chunk may start mid-paragraph
        if (starts_block and nxt.strip() and _indent(nxt) > _indent(line) and not stripped.endswith(":")
                and not stripped.startswith((".. ", "- ", "* ", "+ ", "|", ">>>", "```"))
                and not re.match(r"^\d+[.)]\s", stripped) and _term_like(stripped)):
            body, k = _indented_body(lines, i + 1, _indent(line))
            # A definition reads as a sentence or a code value; a wrapped paragraph continues lowercase.
            if body and re.match(r"^[A-Z0-9`'\"(*“:]", body[0]) and not body[0].startswith(">>>"):
                yield DefinitionEntry([stripped], "\n".join(body).strip(), i, k)
            i = k
            continue
        i += 1


def _term_like(line: str) -> bool:
    """A term line: a few words or a code name, not a sentence fragment ending in a function word."""
    words = line.split()
    limit = MAX_TERM_WORDS * 3 if CODEISH.search(line) else MAX_TERM_WORDS
    return 0 < len(words) <= limit and words[-1].lower() not in FUNCTION_WORDS



_DESCRIPTION_HEADER = re.compile(r"^(?:description|meaning|purpose|explanation|summary|function|effect|"
                                 r"definition|notes?)$", re.I)


def table_items(text: str) -> Iterator[tuple[str, str]]:
    """Yield ``(name, description)`` for the rows of reference tables in *text*: tables (rows of
    cells joined by " | ", the chunk-text convention) whose header row has a "description"
    column ("meaning", "purpose", "explanation"…), the first column naming the thing."""
    rows: list[list[str]] = []
    for line in [*text.splitlines(), ""]:
        if " | " in line and not line.lstrip().startswith("```"):
            rows.append([c.strip() for c in line.split(" | ")])
            continue
        if len(rows) >= 2:
            header = rows[0]
            desc = next((i for i, h in enumerate(header) if i > 0 and _DESCRIPTION_HEADER.match(h)), None)
            if desc is not None:
                for row in rows[1:]:
                    if len(row) == len(header) and 0 < len(row[0].split()) <= 5 and len(row[desc].split()) >= 3:
                        yield row[0], row[desc]
        rows = []


def _indented_body(lines: list[str], start: int, base: int) -> tuple[list[str], int]:
    body = []
    k = start
    while k < len(lines) and (not lines[k].strip() or _indent(lines[k]) > base):
        body.append(lines[k].strip() if lines[k].strip() else "")
        k += 1
    while body and not body[-1]:
        body.pop()
    return body, k


def reference_name(text: str) -> tuple[str, str] | None:
    """``(name, purpose)`` when *text* is a reference-page title line "NAME — purpose"
    (man pages, DocBook refnamediv, Sphinx module titles), else None."""
    t = norm_text(text.strip().splitlines()[0] if text.strip() else "")
    if len(t) > 250:
        return None
    m = NAME_PURPOSE.match(t)
    if not m:
        return None
    purpose = m.group("purpose").strip().rstrip(".")
    names = m.group("names").strip()
    if not purpose[:1].isalpha() or len(purpose.split()) < 2 or purpose.endswith((":", ",")):
        return None
    return names, purpose


def split_paragraphs(text: str) -> list[str]:
    return [p.strip("\n") for p in re.split(r"\n[ \t]*\n", text) if p.strip()]


# A word is two or more letters of any script ("Введение", "Wyjaśnij" count once, not as ASCII
# fragments). Chinese and Japanese run without spaces: there each Han or Kana character counts as
# half a word, since running text averages about two characters a word.
_PROSE_WORD = re.compile(r"[^\W\d_]{2,}")
_CJK_CHAR = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff]")


def line_words(line: str) -> int:
    """Words in *line*: runs of 2+ letters of any script, Han and Kana characters at half a word
    each (see ``_CJK_CHAR``)."""
    cjk = len(_CJK_CHAR.findall(line))
    if not cjk:
        return len(_PROSE_WORD.findall(line))
    return len(_PROSE_WORD.findall(_CJK_CHAR.sub(" ", line))) + cjk // 2


def prose_words(text: str) -> int:
    """Words of prose in *text* (``line_words``), leaving out fenced code, indented code and
    table rows."""
    words = 0
    in_fence = False
    for line in text.splitlines():
        if line.lstrip().startswith(("```", "~~~")):
            in_fence = not in_fence
            continue
        if not in_fence and " | " not in line and not line.startswith(("    ", "\t")):
            words += line_words(line)
    return words


# what ends a sentence or a bracketed one, CJK full stops and closing brackets included
_SENTENCE_END = re.compile(r"[.!?:;)\"”’'`。！？」』）]$")


def _ends_sentence(par: str) -> bool:
    last = par.rstrip().splitlines()[-1].strip() if par.strip() else ""
    return bool(_SENTENCE_END.search(last)) or last.startswith(("- ", "* ", "```", "|")) \
        or bool(re.match(r"^\d+[.)]\s", last)) or " | " in last


def ends_with_code_block(text: str) -> bool:
    """True when *text* (a section's or entry's Markdown-shaped text) ends with a closed fenced
    code block: an even number of fence lines (```, ~~~) and the last line one of them. A chunk
    cut inside a block leaves an odd number; the block is then no whole command."""
    fences = [ln for ln in text.splitlines() if re.match(r"\s*(?:```|~~~)", ln)]
    last = text.rstrip().splitlines()[-1].strip() if text.strip() else ""
    return bool(fences) and len(fences) % 2 == 0 and re.fullmatch(r"(?:```|~~~)\s*", last) is not None


def clean_answer(text: str, max_chars: int = MAX_ANSWER_CHARS) -> str:
    """Section or definition text → answer: markup stripped, leading metadata dropped, prose
    lines unwrapped (code kept), cut at the last paragraph boundary under *max_chars*, and a
    final paragraph that stops mid-sentence (a chunk cut) dropped."""
    body = tidy_prose(drop_leading_metadata(clean_markup(text)))
    pars = split_paragraphs(body)
    out: list[str] = []
    size = 0
    for par in pars:
        if out and size + len(par) > max_chars:
            break
        out.append(par)
        size += len(par) + 2
    if len(out) == len(pars) > 1 and ends_with_code_block(text):
        # The text ends with a whole fenced block: the command its last sentence announces
        # ("You can run tests directly using the prove tool:" + "$ prove -l"), not a chunk cut.
        # clean_markup drops a bare ``` line (it reads as a reST adornment) and mangles "```bash":
        # the block goes in as the source wrote it, so the answer shows where the code is (and
        # pair_quality's answer_end reads it as code).
        lines = text.rstrip().splitlines()
        fences = [i for i, ln in enumerate(lines) if re.match(r"\s*(?:```|~~~)", ln)]
        block = "\n".join(lines[fences[-2] + 1: -1]).strip("\n")
        n = len(split_paragraphs(tidy_prose(clean_markup(block))))  # the paragraphs the code became
        if 0 < n < len(out):
            out = out[:-n] + [f"{lines[fences[-2]].strip()}\n{block}\n{lines[-1].strip()}"]  # the source's block
            return "\n\n".join(x for x in out if x.strip()).strip()
    # A chunk cut or an announcement of what follows ("… as follows:") ends no answer.
    while len(out) > 1 and (not _ends_sentence(out[-1]) or out[-1].rstrip().endswith(":")):
        out.pop()
    if out and (not _ends_sentence(out[-1]) or out[-1].rstrip().endswith(":")) and "\n" not in out[-1].strip():
        last = out[-1]
        cut = max(last.rfind(". "), last.rfind("? "), last.rfind("! "), *(last.rfind(m) for m in "。！？"))
        out[-1] = last[: cut + 1] if cut > 0 else ""
    answer = "\n\n".join(x for x in out if x.strip()).strip()
    if len(answer) > max_chars:  # one huge paragraph: cut at a sentence end
        cut = max(answer.rfind(". ", 0, max_chars), answer.rfind(".\n", 0, max_chars),
                  answer.rfind("。", 0, max_chars))
        answer = answer[: cut + 1] if cut > max_chars // 3 else ""
    return answer


def join_chunks(chunks: list[tuple[int, str]], want_chars: int) -> str:
    """Chunk texts of one section joined, the overlap a split section repeats removed."""
    acc = ""
    for _cid, text in chunks:
        if not acc:
            acc = text
        else:
            k = _overlap(acc, text)
            acc = acc + ("\n\n" if not k else "") + text[k:]
        if len(acc) >= want_chars:
            break
    return acc


def _overlap(acc: str, nxt: str) -> int:
    """Length of the longest prefix of *nxt* (≥ 20 chars) that *acc* ends with, else 0."""
    tail = acc[-3000:]
    for k in range(min(len(tail), len(nxt)), 19, -1):
        if tail.endswith(nxt[:k]):
            return k
    return 0


# ---------------------------------------------------------------- API entries: the description

# A cross-reference or source-location paragraph of an API generator ("References Json::intValue,
# and Json::uintValue.", "Referenced by Json::Reader::pushError().", "Definition at line 743 of
# file json_value.cpp.", "Definition: value.h:206"): a few words, then only code names.
_CODE_WORD = r"[\w~]*(?:::\w|\.\w|_|[<>=!+*/%&|^\[\]-]*\(\)|[a-z][A-Z])[\w:.~<>*&\[\]()]*?"  # operator<() too
_XREF = re.compile(rf"^[A-Z][a-z]+(?:\s+[a-z]+)?:?\s+{_CODE_WORD}(?:(?:,\s*|,?\s+and\s+){_CODE_WORD})*\.?$")
_LOCATION = re.compile(r"\bline\s+\d+\s+of\s+file\s+\S+|^[A-Z][a-z]+:\s+[\w./-]+:\d+$")
# A label line of an entry's metadata: "Added in: v8.0.0", "Stability: 2 - Stable", "Since: 1.2",
# "1.53.0 (const: unstable) · source · [−]"; an emoji-led notice ("🔬 This is a nightly-only
# experimental API."): page furniture before the description.
_LABEL_LINE = re.compile(r"^[A-Z][a-z][\w -]{0,29}:\s+\S.{0,80}$")  # not "ALTER DATABASE: change a database."
_VERSION = re.compile(r"\bv?\d+\.\d+(?:\.\d+)?\b")


def is_xref(par: str) -> bool:
    """True for a cross-reference list or a source location paragraph (``_XREF``, ``_LOCATION``)."""
    p = " ".join(par.split())
    return len(p.split()) <= 60 and bool(_XREF.match(p) or _LOCATION.search(p))


def _is_symbol(ch: str) -> bool:
    import unicodedata

    return unicodedata.category(ch) == "So" or ch == "·"  # not "|", "<", "+": tables, tags, diffs


def is_entry_metadata(par: str) -> bool:
    """True for a paragraph of an entry's metadata, not its description: a label line ("Added
    in: v8.0.0"), a version or "source" line without a sentence, a notice led by a symbol."""
    p = " ".join(par.split())
    if not p:
        return True
    if _is_symbol(p[0]):
        return True
    if "\n" in par.strip():
        return False
    if _LABEL_LINE.match(p) and len(p.split()) <= 5:
        return True  # "Stability: 1 - Experimental.", "Added in: v8.0.0"
    sentence = bool(re.search(r"[.!?]$", p)) and len(p.split()) >= 4
    return not sentence and bool(_LABEL_LINE.match(p) or _VERSION.search(p) or "·" in p)


def is_description(par: str) -> bool:
    """A paragraph that reads as prose: it starts like a sentence, has 3+ words, is not a table
    row, list, code block or signature ("GtkWidget * gtk_scale_new (void);", "Value const &
    Json::Value::nullRef = Value::nullSingleton()": mostly code names and symbols)."""
    p = par.strip()
    if not p or p.startswith(("```", "- ", "* ", "|")) or " | " in p or is_entry_metadata(p) or is_xref(p):
        return False
    tokens = p.split()
    # a sentence starts upper case, or with a code name ("gtk_scale_new has been deprecated …")
    if len(tokens) < 3:
        return False
    starts = bool(re.match(r"^[\"“'(]?[A-Z0-9`]", p)) or (bool(API_NAME.search(tokens[0])) and tokens[1].isalpha()
                                                           and tokens[1].islower())
    if not starts or re.search(r"[;{},]$", p):
        return False
    code = sum(1 for t in tokens if API_NAME.search(t) or not re.search(r"[A-Za-z]", t))
    return code / len(tokens) < 0.4 and (bool(re.search(r"[.!?:]", p)) or len(tokens) >= 4)


def _entry_body(par: str) -> str:
    """A definition entry whose term is the signature ("exception AppRegistryNotReady[source]" /
    ": This exception is raised …", Sphinx HTML) → its definition; other paragraphs unchanged."""
    lines = par.splitlines()
    if len(lines) >= 2 and not lines[0].startswith(":") and re.match(r"^\s*:\s", lines[1]):
        # each ": " line is a paragraph of the definition (texinfo: the parameters, then the text)
        body = "\n".join(re.sub(r"^\s*:\s", "\n", ln) for ln in lines[1:])
        return "\n\n".join(split_paragraphs(body))
    return par


def api_answer(text: str, min_words: int) -> str:
    """The description of an API entry (*text*: its section) as an answer: what comes before the
    first prose paragraph (the signature, its table rows, labels, version lines, notices) and
    cross-reference paragraphs anywhere are dropped; "" when fewer than *min_words* prose words
    are left (an entry without a description answers nothing)."""
    pars = [q for p in split_paragraphs(clean_markup(text)) for q in split_paragraphs(_entry_body(p))]
    start = next((i for i, p in enumerate(pars) if is_description(p)), None)
    if start is None:
        return ""
    kept = [p for p in pars[start:] if not is_xref(p) and not is_entry_metadata(p)]
    answer = clean_answer(without_file_footer("\n\n".join(kept)))
    prose = "\n".join(ln for ln in split_paragraphs(answer) if not ln.lstrip().startswith(("```", "~~~")))
    return answer if len(re.findall(r"[A-Za-z]+", prose)) >= min_words else ""


def without_file_footer(text: str) -> str:
    """*text* without a closing paragraph that introduces a list of source files and that list
    ("The documentation for this class was generated from the following files:" / "-
    include/json/value.h"): the footer a generator puts after an API page's last entry."""
    pars = split_paragraphs(text)
    while len(pars) >= 2 and _is_file_list(pars[-1]) and pars[-2].rstrip().endswith(":"):
        pars = pars[:-2]
    return "\n\n".join(pars)


def _is_file_list(par: str) -> bool:
    """A list whose every item is one file path ("- include/json/value.h")."""
    items = [ln.strip() for ln in par.strip().split("\n")]
    return bool(items) and all(re.fullmatch(r"(?:[-*]|\d+\.)\s+[\w./+-]*\w\.\w{1,5}", it) for it in items)


def drop_entry_metadata(text: str) -> str:
    """*text* without the metadata paragraphs it opens with (``is_entry_metadata``; a one-word
    label followed by a version table, "History" + "Version | Changes") and without
    cross-reference paragraphs (``is_xref``)."""
    pars = split_paragraphs(text)
    i = 0
    while i < len(pars):
        p = pars[i]
        if is_entry_metadata(p):
            i += 1
        elif len(p.split()) == 1 and i + 1 < len(pars) and " | " in pars[i + 1] \
                and _VERSION.search(pars[i + 1]):
            i += 2  # "History" + its table of versions
        else:
            break
    return "\n\n".join(p for p in pars[i:] if not is_xref(p))


# ---------------------------------------------------------------- page furniture by repetition

MIN_FURNITURE_DOCUMENTS = 3  # a paragraph repeated on fewer pages may be content quoted twice
FURNITURE_SHARE = 0.5  # … and on at least half of the pages read together


def repeated_paragraphs(documents: list[list[str]]) -> set[str]:
    """Paragraphs (normalised: whitespace collapsed) that occur in at least
    ``MIN_FURNITURE_DOCUMENTS`` of *documents* (each a list of chunk texts) and in at least
    ``FURNITURE_SHARE`` of them: a site's banner or footer ("Small. Fast. Reliable. Choose any
    three.") that boilerplate removal left in every page. Code fences and table rows are never
    counted. The rule is the repetition signal of boilerplate detection (Kohlschütter et al. 2010,
    "Boilerplate Detection using Shallow Text Features"; template detection across pages)."""
    if len(documents) < MIN_FURNITURE_DOCUMENTS:
        return set()
    counts: dict[str, int] = {}
    for chunks in documents:
        seen = set()
        for text in chunks:
            for par in split_paragraphs(text):
                if par.lstrip().startswith(("```", "~~~")) or " | " in par or len(par.split()) < 2:
                    continue
                seen.add(" ".join(par.split()))
        for key in seen:
            counts[key] = counts.get(key, 0) + 1
    need = max(MIN_FURNITURE_DOCUMENTS, FURNITURE_SHARE * len(documents))
    return {k for k, n in counts.items() if n >= need}


def without_paragraphs(text: str, drop: set[str]) -> str:
    """*text* without the paragraphs in *drop* (normalised as ``repeated_paragraphs`` does)."""
    if not drop:
        return text
    return "\n\n".join(p for p in split_paragraphs(text) if " ".join(p.split()) not in drop)
