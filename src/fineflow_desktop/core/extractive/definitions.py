"""A section that defines its heading, for the offline extractive generator's qa pass:
``defining_question`` ("The glob files" / "The globs2 file is a simple list of …" → "What are the
glob files?") and ``without_leading_code`` (the declaration a reference entry opens with, skipped
before its defining sentence). Word lists and the noun-phrase test come from ``grammar``."""

from __future__ import annotations

import re

from fineflow_desktop.core.extractive.casing import NO_CASING, Casing, common_case
from fineflow_desktop.core.extractive.grammar import (
    FUNCTION_WORDS, GENERIC_HEADINGS, MAX_TERM_WORDS, gerund_to_verb, is_plural, noun_phrase_ok,
)
from fineflow_desktop.core.extractive.sentences import (
    DETERMINERS, QUESTION_WORDS, heading_topic, is_question_sentence, norm_text,
)

# The verbs of a definition sentence ("X is a list of …", "X contains …", "X consists of …").
_DEFINING_VERB = re.compile(r"^(?P<subject>[^,;:()]+?)\s+(?P<verb>is|are|consists? of|contains?|lists?|holds?|describes?)\s+"
                            r"(?P<rest>\S+)(?:\s+(?P<after>\S+))?")
# A generic subject with any verb in the present ("A function binding binds a variable to a
# function value.", "An index file maps …"): the indefinite article says that the sentence
# defines what any such thing does. The verb is a lower-case word in -s, not an auxiliary.
_GENERIC_SUBJECT = re.compile(r"^(?P<subject>(?:A|An)\s+[^,;:()]+?)\s+(?P<verb>(?!is\b|has\b|was\b|does\b)[a-z]{2,}[^s\W]s)\s+"
                              r"(?P<rest>\S+)(?:\s+(?P<after>\S+))?")
_SUBJECT_DETERMINERS = DETERMINERS | {"each", "every"}
# After "is"/"are" a definition names a kind: a determiner, or a bare plural ("Reserved words are
# words that …"); not an adverb ("are always difficult", "is also called") nor a participle.
_PREDICATE_STARTS = DETERMINERS | {"its", "his", "her", "one"}
_ADVERBS_IN_S = frozenset("always sometimes perhaps thus nevertheless nonetheless unless regardless less".split())
# A noun phrase's head comes before its first preposition or participle ("Format of GNU MO Files",
# "Stat overrides provided by the dpkg-statoverride command").
_POST_HEAD = frozenset("of for by in on with from to at into as that which provided used called".split())


def without_leading_code(text: str) -> str:
    """*text* without the fenced code blocks (and blank lines) it opens with: a reference entry
    shows its declaration before the sentence that says what it is ("```data [a] = …```" then
    "Lists are an algebraic datatype …"). Text that is all code is returned as it is."""
    lines = text.strip().split("\n")
    i = 0
    while i < len(lines) and (lines[i].startswith(("```", "~~~")) or not lines[i].strip()):
        if lines[i].startswith(("```", "~~~")):
            fence = lines[i][:3]
            i += 1
            while i < len(lines) and not lines[i].startswith(fence):
                i += 1
        i += 1
    rest = "\n".join(lines[i:]).strip()
    return rest or text


def _plural_kind(word: str, after: str | None) -> bool:
    """True when a predicate after "are" names a kind in the plural: a bare plural ("are words
    that …"), or an adjective and a plural ("are algebraic datatypes"), never an adverb ("are
    always difficult")."""
    if word in _ADVERBS_IN_S or word.endswith("ly"):
        return False
    if is_plural(word):
        return True
    after = (after or "").lower().strip(".,;:")
    return bool(after) and word.isalpha() and not word.endswith(("ed", "ing")) and is_plural(after) \
        and after not in _ADVERBS_IN_S and word not in FUNCTION_WORDS


def _stem(word: str) -> str:
    w = re.sub(r"[^\w.-]", "", word.lower())
    return w[:-1] if is_plural(w) or (w.endswith("s") and len(w) > 3 and not w.endswith("ss")) else w


def _head_words(words: list[str]) -> list[str]:
    """*words* up to their head noun: cut at the first preposition, relative or participle."""
    for i, w in enumerate(words[1:], 1):
        if w.lower() in _POST_HEAD or (w.lower().endswith("ed") and len(w) > 4):
            return words[:i]
    return words


def defining_question(heading: str, text: str, casing: Casing = NO_CASING) -> tuple[str, str] | None:
    """("What is/are <heading>?", ``defining_sentence``) when the section *text* opens with a
    sentence that defines the heading's subject, else None.

    The classic definition sentence (a subject, a copula or a defining verb, a predicate naming
    a kind), with the subject naming the heading's topic: the same head noun (singular or
    plural; the head is the word before a preposition or participle) and, when the heading has
    modifiers, one of them again ("The glob files" ← "The globs2 file is a simple list of lines
    …"; "The icon files" ← "The icons and generic-icons files are lists …"). "X is stored …",
    "X are always difficult …" describe, not define. The heading must read as a noun phrase
    without an invented article (``noun_phrase_ok``). Source of the pattern: the genus–differentia
    definition ("X is a Y that …") of definition-extraction work such as Navigli & Velardi 2010,
    "Learning Word-Class Lattices for Definition and Hypernym Extraction". *casing* (the
    document's spelling, ``casing.document_casing``) writes the heading's capitalised
    common words in lower case ("Special comment blocks" → "What are special comment
    blocks?", "The VFS Object" → "What is the VFS object?")."""
    topic = heading_topic(heading).rstrip(".:")
    words = topic.split()
    if not 1 <= len(words) <= MAX_TERM_WORDS or topic.isupper() or topic.endswith("?") or "(" in topic:
        return None
    if any(w.lower() in ("and", "or", "vs", "versus") for w in words) or "," in topic or ": " in topic:
        # two topics (also "Modules: CommonJS modules", a title and its subtitle): a sentence
        return None  # defining one of them answers half the question
    bare = " ".join(w for w in words if w.lower() not in DETERMINERS).lower()
    if words[0].lower() in QUESTION_WORDS or gerund_to_verb(words[0]) or bare in GENERIC_HEADINGS:
        return None  # "The Interface" of what? (a generic heading means something only with its parent)
    first = norm_text(re.split(r"(?<=[.!?:])\s", without_leading_code(text).split("\n", 1)[0], maxsplit=1)[0])
    m = _DEFINING_VERB.match(first) or _GENERIC_SUBJECT.match(first)
    if not m or len(m.group("subject").split()) > MAX_TERM_WORDS:
        return None
    rest = m.group("rest").lower().strip(".,;:")
    if m.group("verb") in ("is", "are") and not (rest in _PREDICATE_STARTS or _plural_kind(rest, m.group("after"))):
        return None
    subject = _head_words([w for w in m.group("subject").split() if w.lower() not in _SUBJECT_DETERMINERS])
    heading_words = _head_words([w for w in words if w.lower() not in DETERMINERS])
    if not subject or not heading_words or subject[0][:1].islower() and subject[0].lower() in _POST_HEAD:
        return None
    if _stem(subject[-1]) != _stem(heading_words[-1]):
        return None
    def alike(a: str, b: str) -> bool:
        return a == b or (len(a) >= 4 and (b.startswith(a) or a.startswith(b)))

    modifiers = {_stem(w) for w in heading_words[:-1]}
    said = {_stem(w) for w in subject[:-1]}
    if modifiers and not any(alike(a, b) for a in modifiers for b in said):
        return None
    if not any(alike(_stem(subject[0]), _stem(w)) for w in heading_words):
        return None  # the sentence opens with something else ("Keep a change log to describe …")
    if not noun_phrase_ok(words) and not noun_phrase_ok(heading_words):
        return None
    phrase = words[0].lower() + " " + " ".join(words[1:]) if words[0].lower() in DETERMINERS else topic
    if subject[-1].lower() == heading_words[-1].lower():  # same word form: the sentence's verb says the number
        plural = m.group("verb") in ("are", "consist of", "contain", "list", "hold", "describe")
    else:
        plural = is_plural(heading_words[-1])
    q = f"What {'are' if plural else 'is'} {common_case(phrase.strip(), casing)}?"
    return (q, "defining_sentence") if is_question_sentence(q) else None

