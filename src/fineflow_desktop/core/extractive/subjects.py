"""A task question read out of its document must still say what it is about: ``in_context``
rewrites "How do I <task>?" (from a task heading or a purpose paragraph) so that it stands alone,
or refuses it; ``subject_name`` finds the name the document is about in its headings or title.

A heading or a goal leans on its document: "Downloading the font" (README of the Shobhika font),
"How to get these files", "How to use it", "Contributing to GAP > Making Changes", "Debugging >
Downloading files". Copied into a question it asks about any font, any files, or the wrong task
(the APT section answers which debug options show the download methods' messages). The cure is
the one an editor applies to a sentence taken out of its paragraph (resolve the reference): a
demonstrative, a pronoun, or a definite noun with no modifier ("the font", "the project") is
replaced by the named thing ("the Shobhika font", "tkz-euclide"); a bare noun ("changes",
"tests") gets the name as a modifier or the parent's own prepositional phrase ("changes to GAP");
a heading under a one-word activity heading ("Debugging", "Testing") is a step of that activity
and is not asked on its own. With no name in the headings or title, a question that points back
is refused; a bare noun stays as it is (it is general, not wrong).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from fineflow_desktop.core.extractive.casing import NO_CASING, Casing
from fineflow_desktop.core.extractive.grammar import (
    GENERIC_HEADINGS, MASS_NOUNS, SKIP_HEADINGS, gerund_to_verb, is_plural, is_task_verb, looks_like_base_verb,
)
from fineflow_desktop.core.extractive.sentences import heading_topic, norm_text

# Words that point back to something the surrounding text named.
_POINTING = frozenset("this that these those".split())
_PRONOUNS = frozenset("it them they".split())
_PREPOSITIONS = frozenset("""to from with in on for into onto over across against at by via within without
between through under using""".split())
# Words after "that" that make it a conjunction, not a pointer ("Checking that my zone can be validated").
_CLAUSE_START = frozenset("""a an the my your our their his her its i you we they he she it there this these
those all no each every some any""".split())
# Verbs a "How to <verb>" heading may use without an object ("How to contribute").
_INTRANSITIVE = frozenset("contribute participate help proceed start begin upgrade donate vote".split())
# Verbs whose object, left out under a document's name, is that named product ("How to use" in
# europasscv's README: use europasscv); a verb of anything else ("How to validate" on libxml's
# page validates documents, "How to debug" the reader's program) leaves the object unknown.
_PRODUCT_VERBS = frozenset("""use install uninstall build compile configure run cite load start launch invoke
update upgrade get download obtain import enable release test deploy package""".split())
# A name's description after it: "Poppler, a PDF rendering library", "tkz-euclide — for euclidean
# geometry", "beamerswitch: Convenient mode selection …", "debian-reference (Version 2 series)".
_DESCRIBED = re.compile(r"\s+(?:—|–|―|--|-)\s+|:\s+|,\s+|\s+\(")
# Kind words around a name in a title ("The asciilist Package", "Libtasn1 README").
_KINDS = frozenset("""package toolkit library class bundle project module readme documentation manual guide tool
program plugin extension font fonts system""".split())
# One-word titles that name a file or a part, not a thing ("README", "NAME", "About").
_NOT_NAMES = frozenset("""readme install news todo name synopsis description preamble license licence copying
changes changelog authors contributing about overview introduction background example examples usage contents
index home welcome notes summary faq help support documentation manual guide tutorial""".split())


def subject_name(headings: list[str], title: str, casing: Casing = NO_CASING) -> tuple[str, str] | None:
    """(name, preposition) of what a section is about: from the nearest of *headings* (the
    section's ancestors, root first) that names something, else from the document *title*; the
    preposition is the one a parent task heading puts before the name ("Contributing to GAP" →
    ("GAP", "to")), else "". None when no heading or title names anything.

    A heading names something with a name-shaped word ("Using a GAP development version",
    "Highlight.js", "jQuery UI"), or when it is a name followed by its description ("tkz-euclide —
    for euclidean geometry", "Poppler, a PDF rendering library"); a one-word *title* is a name
    unless it is a file or part label ("README", "About"), a heading word or a common word of the
    document's prose (*casing*): a capitalised one needs the prose to capitalise it mid-sentence
    too ("Shobhika", not "Code")."""
    for heading in reversed(headings):
        found = _name_in(heading, casing, is_title=False)
        if found:
            return found
    found = _name_in(title, casing, is_title=True) if title else None
    return found


def _name_in(heading: str, casing: Casing, is_title: bool) -> tuple[str, str] | None:
    h = heading_topic(heading).rstrip(".:!?")
    if not h or h.endswith("?") or re.search(r"\(\d\w*\)", h):
        return None  # a man page's name ("gitrevisions(7)") names the page, not its subject
    head, *described = _DESCRIBED.split(h, maxsplit=1)
    words = [w for w in head.split() if not re.fullmatch(r"v?\d+(?:\.\d+)*", w)]  # "Node.js v18.20.4"
    if words and words[0].lower() == "the":
        words = words[1:]
    kind = False
    while words and words[-1].lower() in _KINDS:
        words, kind = words[:-1], True
    if not words or len(words) > 8:
        return None
    if gerund_to_verb(words[0]):
        # a task heading: "Contributing to GAP" names GAP after its preposition
        if len(words) >= 3 and words[1].lower() in _PREPOSITIONS:
            rest = words[2:]
            if len(rest) <= 3 and any(_name_shaped(w, h) for w in rest):
                return " ".join(rest), words[1].lower()
        shaped = [w for w in words[1:] if _name_shaped(w, h)]
        return (shaped[0], "") if len(shaped) == 1 else None
    if len(words) <= 3 and any(_name_shaped(w, h) for w in words) \
            and all(_name_shaped(w, h) or w[:1].isupper() for w in words):
        return " ".join(words), ""  # "jQuery UI", "Apache Commons CLI", "Highlight.js"
    if kind and (len(words) <= 3 and any(_name_shaped(w, h) for w in words) or len(words) == 1):
        return " ".join(words), ""  # "The LaTeX graphics bundle", "The asciilist Package"
    if len(words) == 1 and (described and head.strip() == words[0] or is_title):
        w = words[0]
        if w.lower() in _NOT_NAMES or w.lower() in GENERIC_HEADINGS or w.lower() in SKIP_HEADINGS or gerund_to_verb(w) \
                or not re.search(r"[A-Za-z]", w):
            return None
        if not described and not w.islower() and not _name_shaped(w, h) and w.lower() not in casing.names \
                and not (w.isupper() and w.isalpha() and len(w) <= 6):  # an acronym title ("GAP", "APT")
            return None  # a capitalised word the prose never capitalises mid-sentence ("Code", "Events")
        if w.isupper() and len(w) > 1 and h.isupper() and len(h.split()) > 1:
            return None  # a word of a shouted heading
        return w, ""
    shaped = [w for w in words if _name_shaped(w, h)]
    return (shaped[0], "") if len(shaped) == 1 and not is_title else None


def _name_shaped(word: str, heading: str) -> bool:
    """A word that can only be a name: inner capitals or digits ("jQuery", "ProjLib",
    "Libtasn1"), a dot or "::" between letters ("Highlight.js"), or an acronym in a heading
    that is not shouted ("GAP" in "Contributing to GAP")."""
    w = word.strip("\"'`“”‘’()")
    if not re.search(r"[A-Za-z]", w) or len(w) < 2:
        return False
    if re.search(r"[a-z][A-Z]|[A-Za-z]\d|[A-Za-z](?:\.|::)[A-Za-z]", w):
        return True
    return w.isupper() and w.isalpha() and not heading.isupper()


@dataclass(frozen=True)
class DocumentContext:
    """What ``in_context`` reads of a section's document: its *title* (``documents.document_title``),
    *casing* (``casing.document_casing``), file *name* and *text* (its chunks joined, lower case)."""

    title: str = ""
    casing: Casing = NO_CASING
    name: str = ""
    text: str = ""

    def writes(self, phrase: str) -> bool:
        """True when the document's text holds *phrase* as words (case-insensitive; a plural
        "s" of its last word allowed): the document itself calls the thing so."""
        return bool(re.search(r"(?<![\w.-])" + re.escape(phrase.lower()) + r"s?(?![\w-])", self.text))


def document_context(texts: list[str], title: str, casing: Casing, name: str) -> DocumentContext:
    """The ``DocumentContext`` of one document from its chunk *texts*."""
    return DocumentContext(title, casing, name, " ".join(" ".join(t.split()) for t in texts).lower())


def in_context(question: str, headings: list[str], context: DocumentContext = DocumentContext(),
               own_heading: bool = True) -> str | None:
    """*question* ("How do I <verb> <object>?", or "<Question word> to <verb>?") as it must read
    outside its document, or None when it cannot stand alone. *headings* is the section's
    heading path; *own_heading* says the question was made from its last heading (its parent is
    then the heading above it), not from a paragraph under it; *context* is the document.

    - an object that points back ("these files", "this license", "it") → the heading that names
      it ("the LaTeX Project Public License"), the named thing ("the ProjLib files",
      "tkz-euclide"), or None;
    - a verb left without its object ("How to use", "When to use") → the parent task heading's
      object ("When to use system certificate stores?"), the name ("How do I use
      europasscv?"), or None;
    - "the" + one common noun ("the font", "the project"), unless a phrase of two words or more
      follows ("the functions in the maps module") → "the <name> font", or None;
    - one bare common noun ("changes", "tests") → None under a one-word activity heading
      ("Debugging > Downloading files": about debugging the downloads), else "changes when
      contributing to GAP" (the parent task heading that names it), else kept as it is.
    A name goes before a noun only when the noun says the name's kind ("package", "font",
    "library", "class") and the document itself writes them so ("the Shobhika font"): the page's
    product before the section's own item says no more ("the Node.js feature", "the zsh
    function", "the doxygen code" — the reader's code).
    Other questions are returned unchanged."""
    ancestors = headings[:-1] if own_heading else headings
    parent = ancestors[-1] if ancestors else ""
    m = re.match(r"^(How do I|When|Why|Where|How|What) (to )?(.+)\?$", question)
    if not m:
        return question
    lead, to, rest = m.group(1), m.group(2), m.group(3)
    if lead != "How do I" and not to:
        return question
    words = rest.split()
    n_verbs = 1
    while len(words) > n_verbs + 1 and words[n_verbs] in ("and", "or") and looks_like_base_verb(words[n_verbs + 1]) \
            and words[n_verbs + 1] not in _POINTING | _PRONOUNS:
        n_verbs += 2
    if words[0].endswith("ly") and not looks_like_base_verb(words[0]) and len(words) > 1:  # "easily add …", not "apply"
        n_verbs += 1
    verbs, obj = words[:n_verbs], words[n_verbs:]
    found: list[tuple[str, str] | None] = []  # looked up only when needed

    def named() -> tuple[str, str] | None:
        if not found:
            found.append(subject_name(ancestors, context.title, context.casing))
        return found[0]

    def asked(new_obj: list[str]) -> str:
        return f"{lead} {to or ''}{' '.join(verbs + new_obj)}?"

    if not obj:
        if not own_heading or verbs[-1].lower() in _INTRANSITIVE and lead == "How do I":
            return question  # a goal the writer left without object ("To subscribe or unsubscribe, send …")
        borrowed = _parent_object(parent, verbs[-1]) if own_heading else None
        if borrowed:
            return asked(borrowed)
        name = named()
        # only a verb whose object is the product itself takes the name ("How to use" under
        # europasscv), or one the document itself writes with it ("validate XML"): "How to
        # validate" on libxml's xmllint page validates documents, not libxml
        takes = name and (verbs[-1].lower() in _PRODUCT_VERBS or context.writes(f"{verbs[-1]} {name[0]}"))
        return asked([name[0]]) if takes and lead == "How do I" else None
    lowered = [w.lower().strip(",.;") for w in obj]
    # the noun phrase: after a leading preposition, up to the next preposition or -ly adverb
    start = 1 if lowered[0] in _PREPOSITIONS and len(obj) > 1 else 0
    end = next((i for i in range(start, len(obj)) if lowered[i] in _PREPOSITIONS or
                (lowered[i].endswith("ly") and i > start)), len(obj))
    np, low, tail = obj[start:end], lowered[start:end], obj[end:]
    specific_tail = bool(tail) and lowered[end] in _PREPOSITIONS and len(tail) >= 3
    if low and (low[0] in _PRONOUNS or low[0] in _POINTING and len(low) > 1 and low[1] not in _CLAUSE_START):
        titled = _titled(np[1] if len(np) == 2 else "", ancestors, context.title)
        if titled:  # "this License" under "The LaTeX Project Public License"
            return asked(obj[:start] + ["the", titled] + tail)
        name = named()
        if name and low in (["it"], ["them"]):
            return asked(obj[:start] + [name[0]] + tail)
        if name and len(np) == 2 and _kind_noun(np[1]) and context.writes(f"{name[0]} {np[1]}"):
            return asked(obj[:start] + ["the", name[0], np[1].lower()] + tail)
        return None
    if len(np) == 2 and low[0] == "the" and _common_noun(np[1], context.casing) and not specific_tail:
        if np[1].lower() == context.name.split(".")[0].lower():
            return question  # "the perlfaq" on perlfaq.html: the page's own name
        titled = _titled(np[1], ancestors, context.title)
        if titled:
            return asked(obj[:start] + ["the", titled] + tail)
        name = named()
        if name and name[0].lower() == np[1].lower():
            return question  # "the perlfaq" is the name itself
        if name and _kind_noun(np[1]) and context.writes(f"{name[0]} {np[1]}"):
            return asked(obj[:start] + ["the", name[0], np[1]] + tail)
        stem = _file_stem(context.name)
        if stem and _kind_noun(np[1]) and context.writes(f"{stem} {np[1]}"):  # messagepassing.pdf: "the messagepassing package"
            return asked(obj[:start] + ["the", stem, np[1]] + tail)
        topic = _plural_topic(parent if own_heading else (headings[-1] if headings else ""), np[1])
        if topic and not tail:  # "Domains > Changing the Structure": the structure of domains
            return asked(obj[:start] + [np[0], np[1], "of", topic])
        return None
    if len(obj) == 1 and _common_noun(obj[0], context.casing) and (is_plural(obj[0]) or obj[0].lower() in MASS_NOUNS):
        if own_heading and _activity(parent):
            return None  # "Debugging > Downloading files": about debugging the downloads, not any download
        name = named()
        noun = obj[0] if obj[0].islower() else obj[0].lower()
        if name and name[1] and own_heading and _task_heading(parent):
            # under "Contributing to GAP": the parent's task says whose ("… when contributing to GAP?")
            return asked([noun, "when", _lower_first(heading_topic(parent))])
        return question  # general, not wrong: "How do I run tests?" ("GNU mail", "GNU help" were worse)
    return question


# A section label before a title ("Appendix A GNU Free Documentation License", "B GNU Free …"), or its article.
_LABEL = re.compile(r"^(?:(?:Appendix|Chapter|Part|Section)\s+)?(?:[A-Z]|\d{1,3})(?:\.\d{1,3})*\.?\s+(?=[A-Z])|^(?:An?|The)\s+")


def _titled(noun: str, headings: list[str], title: str) -> str | None:
    """The heading (nearest first, then the *title*) that names the thing *noun* stands for:
    2-6 words ending with *noun*, at least one a name ("The LaTeX Project Public License" for
    "this License"), without its leading "The"."""
    if not noun:
        return None
    for heading in [*reversed(headings), title]:
        h = _LABEL.sub("", heading_topic(heading or "")).rstrip(".:!")
        words = _DESCRIBED.split(h, maxsplit=1)[0].split()
        if 2 <= len(words) <= 6 and words[-1].lower() == noun.lower() and not h.isupper() \
                and any(_name_shaped(w, h) for w in words[:-1]):
            return " ".join(words)
    return None


def _common_noun(word: str, casing: Casing) -> bool:
    """A plain word that is no name: letters only, lower case, or capitalised where the
    document's prose does not keep it capitalised ("Bugs" in "Reporting Bugs")."""
    w = word.strip(",.;")
    if not w.isalpha() or len(w) < 3:
        return False
    return w.islower() or (w[0].isupper() and w[1:].islower() and w.lower() not in casing.names)


def _activity(heading: str) -> bool:
    """A one-word activity heading ("Debugging", "Testing", "Troubleshooting")."""
    words = norm_text(heading_topic(heading)).split()
    if len(words) != 1:
        return False
    w = words[0].lower()
    doubled = len(w) > 6 and w.endswith("ing") and w[-4] == w[-5] and is_task_verb(w[:-4])  # "debugging"
    return bool(gerund_to_verb(w)) or doubled


def _kind_noun(word: str) -> bool:
    """A noun that says what kind of thing a name is ("package", "font", "library", "class"): only
    these take the name before them. Other nouns are the section's own item ("the feature", "the
    function", "the code") that the page's product does not name."""
    w = word.lower()
    return w in _KINDS and w not in ("readme", "documentation", "manual", "guide") or w in ("theme", "themes")


def _file_stem(name: str) -> str | None:
    """A file name that names its subject ("membranecomputing.pdf"): one lower-case word, not a
    file or part label ("index", "manual"). A hyphenated stem is more often the document's own
    name ("maint-guide.en.pdf" writes "the maint-guide package", but its "the package" is the
    reader's)."""
    stem = name.rsplit("/", 1)[-1].split(".")[0]
    if not re.fullmatch(r"[a-z]{3,}", stem) or stem.lower() in _NOT_NAMES or stem.lower() in GENERIC_HEADINGS:
        return None
    return stem


def _plural_topic(heading: str, noun: str) -> str | None:
    """A parent heading that is one plural common noun ("Domains"), in lower case, for "the
    <noun> of <topic>"; not a heading word ("Examples"), a task, or the noun itself. Longer
    parents were tried and read wrong ("the browsers of configuration variables", "the system of
    system principles")."""
    words = heading_topic(heading).split()
    if len(words) != 1 or not words[0].isalpha() or gerund_to_verb(words[0]) or noun.lower() in GENERIC_HEADINGS:
        return None  # "the example" of "Ports" is still one example among others
    w = words[0]
    if w.lower() in GENERIC_HEADINGS or w.lower() in SKIP_HEADINGS or not is_plural(w) or not (w.islower() or w[1:].islower()) \
            or w.lower().startswith(noun.lower()[:-1] if noun.lower().endswith("s") else noun.lower()):
        return None
    return w.lower()


def _task_heading(heading: str) -> bool:
    """A gerund task heading with a preposition and a name after it ("Contributing to GAP")."""
    words = heading_topic(heading).split()
    return len(words) >= 3 and bool(gerund_to_verb(words[0])) and words[1].lower() in _PREPOSITIONS


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text[:1].isupper() and not text[1:2].isupper() else text


def _parent_object(parent: str, verb: str) -> list[str] | None:
    """The object of a parent task heading of the same verb ("Using system certificate stores"
    over "When to use" → ["system", "certificate", "stores"])."""
    words = heading_topic(parent).split()
    if len(words) >= 2 and gerund_to_verb(words[0]) == verb.lower():
        return words[1:]
    return None
