"""The text of headings and the English-question test, shared by every extractive rule.

``norm_text`` (inline markup to plain words), ``heading_topic`` (a heading without section
numbers, site suffixes, anchor glyphs and overload counters) and ``is_question_sentence`` (the
gate every question passes), with the closed word lists they read (``QUESTION_WORDS``,
``AUXILIARIES``, ``DETERMINERS``). ``grammar`` (headings and terms → questions) and
``api_entries`` (API-reference headings) both build on them."""

from __future__ import annotations

import re

from fineflow_desktop.core.markup import clean_inline

QUESTION_WORDS = ("how", "what", "why", "when", "where", "which", "who", "whom", "whose")
AUXILIARIES = ("is", "are", "was", "were", "do", "does", "did", "can", "could", "should", "will", "would",
               "may", "might", "must", "shall", "has", "have", "had", "am")
DETERMINERS = frozenset("""a an the your my our their its this that these those some any each every all multiple
several many new existing custom other another one two both more own""".split())

_SECTION_NUMBER = re.compile(r"^(?:(?:[Cc]hapter|[Pp]art|[Aa]ppendix|[Ss]ection)\s+)?(?:[A-Z](?:\.\d{1,3})*\."
                             r"|\d{1,3}(?:\.\d{1,3})*\.?|[IVXLC]{1,5}\.)\s+(?=\S)")
_TITLE_SUFFIX = re.compile(r"\s+(?:—|–|-|\|)\s+[^—–|]*\b(?:documentation|docs|manual|handbook|reference|guide)"
                           r"\b[^—–|]*$|\s+manual\s+page$", re.I)


def norm_text(text: str) -> str:
    """*text* as one line of plain words: inline markup (``clean_inline``), "¶" and no-break
    spaces removed, runs of white space made one space, surrounding backticks stripped."""
    text = clean_inline(text).replace("¶", "").replace("\u00a0", " ")
    text = re.sub(r"\s+", " ", text).strip()
    return text.strip("`").strip()


# Glyphs a generator puts before or after a heading as an anchor or a badge (Doxygen's "◆",
# rustdoc's "ⓘ", Sphinx's "¶", "§", "#"), and Doxygen's overload counter ("◆ Value() [9/14]").
_HEADING_GLYPHS = re.compile(r"^[\s#§¶◆◇●•▪►▸▶†‡※⚠ⓘ🔗]+|[\s¶§◆ⓘ🔗]+$")
_OVERLOAD_COUNTER = re.compile(r"\s*\[\d+/\d+\]$")


def heading_topic(heading: str) -> str:
    """A heading as a topic: section numbers ("36.17.", "F.47.", "5.11.2.3"), site suffixes
    (" — Django 3.2 documentation", " Manual Page"), anchor glyphs ("◆ asInt()") and overload
    counters ("Value() [9/14]") removed."""
    t = _TITLE_SUFFIX.sub("", norm_text(heading))
    t = _OVERLOAD_COUNTER.sub("", _HEADING_GLYPHS.sub("", t))
    stripped = _SECTION_NUMBER.sub("", t)
    return stripped if re.search(r"[^\W\d_]", stripped) else t


def names_topic(heading: str) -> bool:
    """True when *heading* (a topic, ``heading_topic``) can name a topic: a letter and either a
    second letter or digit, or nothing else ("C", the language). An index's letter group set off
    by punctuation ("- c -", "[A]") or a lone symbol ("_") names no topic to explain."""
    h = heading.strip()
    if not re.search(r"[^\W\d_]", h):  # a letter of any script ("Введение", "概要")
        return False
    return len(re.findall(r"[^\W_]", h)) >= 2 or (len(h) == 1 and h.isascii())


def is_question_sentence(question: str) -> bool:
    """True when *question* reads as an English question: starts with a question word followed
    by an auxiliary, a subject or "to", or with an auxiliary; ends with one "?"; no ellipsis,
    no unmatched brackets, 3–40 words."""
    q = question.strip()
    if not q.endswith("?") or "..." in q or "…" in q or q.count("?") > 1:
        return False
    words = q.rstrip("?").split()
    if not 2 <= len(words) <= 40 or not words[0][:1].isalpha() or not words[0][0].isupper():
        return False
    if q.count("(") != q.count(")") or q.count("“") != q.count("”"):
        return False
    first = words[0].lower().replace("’", "'")
    first = {"can't": "can", "won't": "will"}.get(first, first.removesuffix("n't"))
    if first in AUXILIARIES:
        return len(words) >= 3
    base = first.split("'")[0]
    if base in QUESTION_WORDS:
        if "'" in first:  # "What's", "How's"
            return True
        second = words[1].lower().replace("’", "'")
        second = {"can't": "can", "won't": "will"}.get(second, second.removesuffix("n't"))
        if base in ("what", "which") and second in DETERMINERS:
            return False  # "What the URLconf searches against?" is a clause, not a question
        if second in AUXILIARIES or second == "to" or second in ("many", "much", "often", "long", "far") \
                or base in ("which", "what", "whose") or (base == "who" and len(words) >= 3):
            return len(words) >= 2
        return False
    return False
