"""Which capitalised words of a heading are common words, read from the document's own prose.

Title-case headings ("Inspecting the Contents of a Changeset", "Building The Amalgamation From
Canonical Source Code", SQLite) capitalise common words that a question must write in lower case
("How do I inspect the contents of a changeset?"), while names keep their capitals ("SQLite",
"Windows", "Node-API", "VFS"). No word list can tell them apart across manuals; the document can:
a word its prose writes in lower case inside sentences more often than capitalised is a common
word there (the usual truecasing signal: the majority spelling in mid-sentence position, as in
Lita et al. 2003, "tRuEcasIng", ACL).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Iterable

# A word token of prose: letters only, or a contraction ("isn't") or a hyphenated compound
# ("object-oriented") of such words; "sqlite3", "www.sqlite.org", "Node.js", "Node-API" are not
# counted (code, addresses and names spell themselves their own way).
_WORD = r"[A-Za-z][a-z]*(?:['’][a-z]{1,2})?(?:-[A-Za-z][a-z]*)*"
_TOKEN = re.compile(rf"(?<![\w.@/\\'’-]){_WORD}(?![\w@/\\'’-]|\.\w)")
_FENCE = re.compile(r"^```.*?^```[ \t]*$", re.M | re.S)
# Where a sentence starts, capitals say nothing about the word: after . ! ? : or a line start.
_SENTENCE_START = re.compile(r"(?:^|[.!?:]\s+|\n\s*(?:[-*]\s+|\d+\.\s+|:\s+)?)$")
# Only sentences are evidence: a line ending like one. Tables of contents, lists of titles and
# table cells repeat the headings' own title case.
_SENTENCE_LINE = re.compile(r"""[.!?:;,][)"'’”]*\s*$""")
# Contractions of auxiliaries ("Isn't", "Doesn't") are function words wherever they stand.
_CONTRACTION = re.compile(r"^(?:is|are|was|were|do|does|did|can|could|should|would|wo|has|have|had|must|need)n['’]t$",
                          re.I)


_PHRASE_WORD = re.compile(rf"(?<![\w.@/\\'’-]){_WORD}(?![\w@/\\'’-]|\.\w)")
# Closed-class words end a run of capitalised words ("Object In Python" is two runs).
_FUNCTION_WORDS = frozenset("""a an the of to in on at by for with from and or nor but as into onto over
under via vs per than then is are be""".split())


@dataclass(frozen=True)
class Casing:
    """How a document's prose spells its words mid-sentence: ``common`` = the words (lower case)
    written in lower case more often than capitalised; ``names`` = the words written capitalised
    at least once and not common ("sqlite", "windows")."""

    common: frozenset[str] = frozenset()
    names: frozenset[str] = frozenset()


NO_CASING = Casing()


def document_casing(texts: Iterable[str], headings: Iterable[str] = ()) -> Casing:
    """The ``Casing`` of the document whose chunk *texts* (chunk-text convention) are given.
    Counted on lines that end like a sentence, outside fenced code, and not at a sentence or
    line start (where capitals say nothing). The document's *headings* quoted in a sentence
    ("see Handling Stateful Objects.", a cross-reference) keep their title case: not counted."""
    lower, capital = Counter(), Counter()
    quoted = sorted({h.strip() for h in headings if len(h.split()) >= 2}, key=len, reverse=True)
    quote = re.compile("|".join(re.escape(h) for h in quoted)) if quoted else None
    for text in texts:
        for line in _FENCE.sub("\n", text).split("\n"):
            if not _SENTENCE_LINE.search(line):
                continue
            if quote:
                line = quote.sub(" , ", line)
            for m in _TOKEN.finditer(line):
                if _SENTENCE_START.search(line[max(0, m.start() - 8): m.start()]):
                    continue
                word = m.group()
                if word.islower():
                    lower[word] += 1
                elif _capitalised(word):
                    capital[word.lower()] += 1
    common = frozenset(w for w, n in lower.items() if n > capital.get(w, 0))
    return Casing(common, frozenset(w for w in capital if w not in common))


def _capitalised(word: str) -> bool:
    """"Contents", "Isn't", "Quote-like", "Object-Oriented": a capital, then lower case only."""
    parts = word.split("-")
    return parts[0][:1].isupper() and all(p[1:].islower() or len(p) == 1 or "'" in p or "’" in p for p in parts) \
        and all(p[:1].isupper() or p.islower() for p in parts[1:])


def common_case(phrase: str, casing: Casing) -> str:
    """*phrase* with its capitalised common words in lower case, by the document's *casing*:
    a word the document writes in lower case mid-sentence ("Contents", "The" → "contents",
    "the"), a contraction of an auxiliary ("Isn't"), and — when *phrase* is in title case (every
    word of four letters or more capitalised) — a word the document never writes capitalised
    mid-sentence ("Spellings" in "Unusual And Difficult Spellings"). Words with other capitals
    ("SQLite", "VFS", "AsyncResource"), digits or inner dots ("Node.js"), names the document
    capitalises ("Windows"), and the pronoun "I" are kept. An empty *casing* keeps everything."""
    if not casing.common and not casing.names:
        return phrase
    long_words = [w for w in re.findall(r"[A-Za-z][\w'’-]*", phrase) if len(w) >= 4]
    title_case = len(long_words) >= 2 and all(w[0].isupper() for w in long_words)

    def lowered(word: str) -> bool:
        key = word.lower()
        if word == "I" or not _capitalised(word):
            return False
        if key in casing.common or _CONTRACTION.match(word) \
                or all(part in casing.common for part in key.split("-")):
            return True
        return title_case and key not in casing.names and not any(p in casing.names for p in key.split("-"))

    matches = list(_PHRASE_WORD.finditer(phrase))
    lower = [lowered(m.group()) for m in matches]
    # in a run of adjacent capitalised content words, the words before a name belong to it:
    # "Pull Requests" stays whole when "Requests" is a name (never "pull Requests"), while a
    # name before a common noun modifies it ("Python Modules" → "Python modules")
    i = 0
    while i < len(matches):
        j = i
        while j + 1 < len(matches) and _in_run(matches[j]) and _in_run(matches[j + 1]) \
                and phrase[matches[j].end():matches[j + 1].start()] == " ":
            j += 1
        kept = [k for k in range(i, j + 1) if not lower[k] and _in_run(matches[k])]
        if kept:
            lower[i:kept[-1] + 1] = [False] * (kept[-1] + 1 - i)
        i = j + 1
    out, at = [], 0
    for m, low in zip(matches, lower):
        out.append(phrase[at:m.start()] + (m.group().lower() if low else m.group()))
        at = m.end()
    return "".join(out) + phrase[at:]


def _in_run(m: re.Match) -> bool:
    word = m.group()
    return _capitalised(word) and word.lower() not in _FUNCTION_WORDS and not _CONTRACTION.match(word)
