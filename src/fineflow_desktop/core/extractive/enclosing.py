"""The term that encloses a definition-list entry, for the offline extractive generator's qa pass:
``NestedLists`` finds the entries of a list nested in another entry's definition, and
``value_question`` asks about such an entry with its enclosing option or setting named ("color"
under "--word-diff[=<mode>]" → "What does --word-diff=color do?"), or refuses it; ``listed_name``
names a bare word of an outer list with the kind its section's heading gives ("ort" under MERGE
STRATEGIES → "the ort merge strategy of git-merge"), when the document bears it out.

Why: a nested definition list (HTML ``<dl>`` inside a ``<dd>``; AsciiDoc's "The <mode> must be one
of:" lists of values) reaches the chunk text flattened, one entry after the other, so "color" /
": Highlight changed words using only colors." became "What is color?" — a question nobody can
answer without the document. The flattening keeps one mark of the nesting: the enclosing
definition introduces the list, so its text ends with a colon ("… and must be one of:"), and the
nested entries follow it. The nested run ends at the first entry whose term has the enclosing
term's own shape (``term_shape``: the next option of an option list, the next setting of a list
of settings, the next word of a list of words), or at a paragraph between two entries — the rest
of the enclosing definition ("Note that despite the name of the first mode, …" before the next
option) or of a nested entry's (git-submodule's "checkout" / "If --force is specified, …" /
"rebase"): the text cannot say which, so the entries after it are not named by their list's
heading until one of the enclosing term's shape comes (``NestedLists.unsure``).
"""

from __future__ import annotations

import re
from typing import Callable

from fineflow_desktop.core.extractive.grammar import IRREGULAR_PLURALS, gerund_to_verb, is_plural, singular
from fineflow_desktop.core.extractive.patterns import OPTION
from fineflow_desktop.core.extractive.sentences import heading_topic, is_question_sentence, norm_text
from fineflow_desktop.core.extractive.structures import DefinitionEntry, definition_entries

# A value a program reads: one lower-case word ("color", "dimmed-zebra", "ignore-space-at-eol",
# "myers"); not a path, a setting's dotted name, a constant ("BASH_VERSION") or a header field
# ("POT-Creation-Date"), which stand alone as their own terms.
_VALUE = re.compile(r"^[a-z0-9][a-z0-9_+-]*$")
# A configuration setting's name: dotted words, maybe with a placeholder ("diff.colorMoved",
# "submodule.<name>.ignore", "advice.*").
_SETTING = re.compile(r"^[A-Za-z][\w-]*(?:\.(?:[\w-]+|<[\w-]+>|\*))+$")


def term_shape(term: str) -> str:
    """"option" ("--word-diff[=<mode>]"), "setting" ("diff.colorMoved", "advice.*"), "constant"
    ("BASH_VERSION"), "word" ("flag", "bind") or "other" (a synopsis or a phrase)."""
    t = norm_text(term).strip()
    if OPTION.match(t):
        return "option"
    if _SETTING.match(t.split()[0] if t.split() else ""):
        return "setting"
    if re.fullmatch(r"[A-Z][A-Z0-9_]+", t):
        return "constant"  # BASH_VERSINFO's members are nested; BASH_VERSION after them is not
    if re.fullmatch(r"[\w-]+", t):
        return "word"
    return "other"  # a synopsis ("update [--init] [--remote] …"), a phrase


class NestedLists:
    """Reads the nested definition lists of one section's chunks, in order (``read``). Chunks
    overlap and cut lists, so a chunk may start inside a list whose enclosing entry is in the
    previous chunk: it continues the list still open where the previous chunk ended, or, when its
    first entry was read already (the overlap), the list that entry was read in.
    ``mixed`` says an outer entry so far was not a bare word (an option, a setting, a synopsis…)."""

    def __init__(self) -> None:
        self._open: DefinitionEntry | None = None
        self._seen: dict[tuple[str, ...], DefinitionEntry | None] = {}
        self.mixed = False  # an outer entry so far was not a bare word
        self._closed: DefinitionEntry | None = None  # a nested list a paragraph ended

    def read(self, text: str) -> list[tuple[DefinitionEntry, DefinitionEntry | None]]:
        """``[(entry, enclosing entry or None), …]`` for the definition entries of *text*
        (``definition_entries``), in order: an entry's enclosing entry is the one whose definition
        introduces the list it belongs to, None for an entry of the outer list (the rule in the
        module docstring)."""
        lines = text.splitlines()
        entries = list(definition_entries(text))
        parent = None
        if entries and _key(entries[0]) in self._seen:  # the overlap: as the previous chunk read it
            parent = self._seen[_key(entries[0])]
        elif entries and not any(ln.strip() for ln in lines[:entries[0].start]):
            parent = self._open
        prev_end = entries[0].start if entries else 0
        out: list[tuple[DefinitionEntry, DefinitionEntry | None]] = []
        for entry in entries:
            shape = term_shape(entry.terms[0])
            if self._closed and shape == term_shape(self._closed.terms[0]):
                self._closed = None  # back in the outer list for sure
            if parent and shape == term_shape(parent.terms[0]):
                parent = None
            elif parent and any(ln.strip() for ln in lines[prev_end:entry.start]):
                self._closed, parent = parent, None  # a paragraph: the rest of which definition?
            self._seen[_key(entry)] = parent
            if parent:
                out.append((entry, parent))
            else:
                out.append((entry, None))
                parent = entry if entry.definition.rstrip().endswith(":") else None
                # options, settings, synopses, quoted atoms: a bare word among them may be a value of one
                self.mixed = self.mixed or shape != "word"
            prev_end = entry.end
        self._open = parent if parent and not any(ln.strip() for ln in lines[prev_end:]) else None
        return out

    @property
    def unsure(self) -> bool:
        """True when a paragraph ended a nested list and no entry of its enclosing term's shape
        came since: the entries after it may be the nested list's still (git-submodule's
        "checkout" / "If --force is specified, …" / "rebase")."""
        return self._closed is not None


def _key(entry: DefinitionEntry) -> tuple[str, ...]:
    return (*entry.terms, entry.definition[:80])


def is_value(term: str, enclosing: list[str] | None = None) -> bool:
    """True when *term* is one bare word that means something only as a value of what encloses it
    (the terms *enclosing*): a lower-case word, or any one word under a family of settings
    ("pushNonFFCurrent" under "advice.*")."""
    t = norm_text(term).strip()
    family = bool(enclosing) and norm_text(enclosing[0]).strip().endswith(".*")
    return bool(_VALUE.match(t) or family and re.fullmatch(r"[A-Za-z][A-Za-z0-9_-]*", t))


def value_question(term: str, enclosing: list[str]) -> tuple[str, str] | None:
    """(question, rule) for a nested entry *term* whose enclosing entry has the terms *enclosing*,
    or None when the question would not say what *term* is a value of.

    - an option that takes a value ("--word-diff[=<mode>]", "--log-destination=<destination>") →
      "What does --word-diff=color do?" (the long name when the entry gives one);
    - a setting → "What does setting diff.algorithm to patience do?"; a setting family ending in
      ".*" names each member ("advice.*" / "pushNonFFCurrent" → "What is advice.pushNonFFCurrent?");
    - anything else (a plain word: git-fetch's "flag" / "+", a command line) → None."""
    t = norm_text(term).strip().rstrip(":")
    heads = [norm_text(e).strip() for e in enclosing]
    options = [h for h in heads if OPTION.match(h)]
    if options:
        takes = [h for h in options if re.match(r"^-{1,2}[\w-]+\[?=", h)]
        if not takes:
            return None  # "--ignore-whitespace" / "apply backend": not a value it takes
        name = re.split(r"[=\[]", next((h for h in takes if h.startswith("--")), takes[0]), maxsplit=1)[0]
        q = f"What does {name}={t} do?"
        return (q, "option_value") if is_question_sentence(q) else None
    setting = heads[0].split()[0] if heads and heads[0].split() else ""
    if _SETTING.match(setting):
        if setting.endswith(".*"):
            q = f"What is {setting[:-1]}{t}?"
            return (q, "definition") if is_question_sentence(q) else None
        q = f"What does setting {setting} to {t} do?"
        return (q, "setting_value") if is_question_sentence(q) else None
    return None


# A word a program reads, asked about through the heading of its list: lower case, no code marks.
_LISTED = re.compile(r"^[a-z][a-z0-9-]*$")
# Plural headings of a command's options or parameters: a bare word there is one of them when the
# list holds bare words alone ("channel" under LISTEN's Parameters), a value of one of them when
# it also holds options (git-commit's OPTIONS: "scissors" is a mode of --cleanup); without a
# command the heading may mean something else (the FHS's "Specific Options" are optional files).
_VALUE_HOLDERS = frozenset("options arguments parameters flags switches".split())
# Plural headings that say nothing of their entries' kind: a glossary's ("Definitions", ``qa``
# reads those as a glossary), or notes.
_NOT_KINDS = frozenset("definitions terms entries items words names examples notes".split())
# Adjectives that sort a heading's entries without saying their kind ("Other variables").
_LOOSE = frozenset("miscellaneous other additional various common general more further some main".split())
_HEAD_END = frozenset("for in of on from to with by at as".split())


def _head_words(heading: str) -> list[str]:
    words = heading_topic(heading).strip().rstrip(":").split()
    for i, w in enumerate(words):
        if w.lower() in _HEAD_END:
            return words[:i]
    return words


def heading_kind(heading: str, holders: bool = False) -> str | None:
    """The kind of thing a list's own heading says its entries are, in the singular ("MERGE
    STRATEGIES" → "merge strategy", "Date Formats" → "date format", "Capabilities for Fetching" →
    "capability"), or None when the heading names no kind: a singular heading ("DESCRIPTION",
    "OUTPUT"), a task ("CONFIGURING GITWEB FEATURES"), two topics ("Utilities and Decorators"), a
    name ("GNU Compiler Collection sources": capitalised words in a heading that is not shouted),
    a list of nothing in particular (``_NOT_KINDS``), or, unless *holders*, of options, arguments
    or parameters (``_VALUE_HOLDERS``: "Specific Options" of the FHS are optional files)."""
    words = _head_words(heading)
    while words and words[0].lower() in _LOOSE:
        words = words[1:]  # "Miscellaneous capabilities": the kind is "capability"
    if not 1 <= len(words) <= 3 or not all(re.fullmatch(r"[A-Za-z][a-z0-9-]*|[A-Z][A-Z0-9-]*", w) for w in words) \
            or gerund_to_verb(words[0].lower()) or words[0].lower().endswith("ing") \
            or any(w.lower() in ("and", "or", "vs") for w in words):
        return None
    shouted = all(w.isupper() for w in words if w.isalpha())
    if not shouted and any(w.isupper() and len(w) > 1 for w in words):
        return None  # an acronym: "GNU …", "FTP …" name something, the kind is not said in common words
    last = words[-1].lower()
    if not is_plural(last) or last in _NOT_KINDS or last in IRREGULAR_PLURALS \
            or last in _VALUE_HOLDERS and not holders:
        return None
    return " ".join([w.lower() for w in words[:-1]] + [singular(last)])


def lists_values(heading: str) -> bool:
    """True when *heading* heads a list of options, arguments or parameters (``_VALUE_HOLDERS``),
    where a bare word is a value or a placeholder, never an item called so."""
    words = _head_words(heading)
    return bool(words) and words[-1].lower() in _VALUE_HOLDERS


def is_bare_word(term: str) -> bool:
    """True when *term* is one lower-case word without code marks ("ort", "rfc2822", "gc")."""
    return bool(_LISTED.match(norm_text(term).strip().rstrip(":")))


def listed_name(term: str, heading: str, command: str | None, mixed: bool,
                said: Callable[[str], bool] = lambda _kind: True) -> str | None:
    """For an entry of an outer list whose term is a bare word (``is_bare_word``): the term named
    with its kind, "the ort merge strategy of git-merge", when the section's own *heading* names
    the entries' kind (``heading_kind``), *command* being the page's command (``document_command``)
    or None. A list that is *mixed* (it also holds options, settings, synopses or quoted atoms: the
    word may be a value of one of them — erlang's service_info items after "'Firmware-Revision'" —
    or a command followed by its own options, bash's "dirs" / "-c"; the flattened text cannot
    tell) claims no kind. A heading may name the owner of its entries, not their kind
    (octave's "Contour Groups" lists a contour group's properties, "fill", "zlevel"): the kind is
    claimed only when *said* (the caller's evidence, ``kind_said``) holds for it. Under a heading of options or parameters
    (``lists_values``) the word is, in a mixed list, a value or a placeholder: "" (no question);
    in a list of a *command*'s words alone, one of its options ("scale-eval" of the derivative
    package → "the scale-eval option of derivative"). None: the term is asked as it was."""
    holder = lists_values(heading)
    if holder and mixed and command:
        return ""
    kind = heading_kind(heading, holders=bool(command))
    t = norm_text(term).strip().rstrip(":")
    if not kind or mixed or not holder and not said(f"{t} {kind.split()[-1]}"):  # a command's Parameters are its parameters
        return None
    return f"the {t} {kind}{f' of {command}' if command else ''}"


def kind_said(phrase: str, definition: str, writes: Callable[[str], bool]) -> bool:
    """Evidence that the entry *phrase* ("ort strategy": term and kind noun) is of that kind: the
    document *writes* the phrase itself (``DocumentContext.writes``), or the entry's own
    *definition* uses the kind noun ("ort" / "This is the default merge strategy …")."""
    noun = phrase.split()[-1]
    return writes(phrase) or bool(re.search(rf"\b{re.escape(noun)}(?:s|es)?\b", definition, re.I))
