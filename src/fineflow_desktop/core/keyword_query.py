"""Turn a typed question into an SQLite FTS5 MATCH expression for BM25 ranking.

A question such as "How do I run an external program and capture its output?" becomes
``"run" OR "external" OR "program" OR "capture" OR "output"``: words are OR-ed (BM25 ranks
passages by how many rare query words they hold, so one missing word must not drop a passage),
each is quoted (user punctuation and FTS5 operators stay literal), and stop words are dropped.

``STOP_WORDS``: Lucene's English stop set (``EnglishAnalyzer.ENGLISH_STOP_WORDS_SET``) plus
pronouns, question words and auxiliaries that questions start with ("how do I", "can you").
"""

from __future__ import annotations

import re

LUCENE_STOP = {
    "a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "if", "in", "into", "is", "it", "no", "not",
    "of", "on", "or", "such", "that", "the", "their", "then", "there", "these", "they", "this", "to", "was",
    "will", "with",
}
QUESTION_WORDS = {
    "how", "what", "which", "why", "when", "where", "who", "whom", "whose", "do", "does", "did", "done", "doing",
    "can", "could", "should", "would", "may", "might", "must", "shall", "i", "me", "my", "mine", "we", "us",
    "our", "you", "your", "its", "he", "she", "him", "her", "them", "am", "been", "being", "were", "has",
    "have", "had", "so", "too", "very", "just", "some", "any", "all", "from", "about", "there", "here",
}
STOP_WORDS = frozenset(LUCENE_STOP | QUESTION_WORDS)
_WORD = re.compile(r"\w+", re.UNICODE)


def query_terms(question: str) -> list[str]:
    """The question's search words: lower-cased word tokens (``\\w+``), stop words and
    duplicates removed, in order of first appearance. ``"__init__"`` stays one word."""
    seen: dict[str, None] = {}
    for word in _WORD.findall((question or "").lower()):
        if word not in STOP_WORDS and word.strip("_"):
            seen.setdefault(word, None)
    return list(seen)


def terms_expression(terms: list[str]) -> str:
    """The FTS5 MATCH expression OR-ing *terms*, each quoted ("" for no terms)."""
    return " OR ".join('"' + t.replace('"', '""') + '"' for t in terms)


def match_expression(question: str) -> str:
    """The FTS5 MATCH expression for *question* ("" when it has no search word)."""
    return terms_expression(query_terms(question))


def term_spans(text: str, words: list[str]) -> list[tuple[int, int]]:
    """``(start, end)`` character spans of whole-word, case-insensitive occurrences of *words*
    in *text*, in order and non-overlapping (for highlighting matched terms)."""
    wanted = {w.lower() for w in words if w}
    if not wanted:
        return []
    return [m.span() for m in _WORD.finditer(text or "") if m.group().lower() in wanted]
