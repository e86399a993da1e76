"""Words and grammar of the offline extractive generator: the rules that turn a heading or a term
into an English question (``heading_question``, ``term_question``; a section that defines its heading is read in
``definitions``). The
shapes of Q/A blocks, options and signatures are in ``patterns``; heading text and the
English-question test in ``sentences``; API-reference headings (kinds, named entries) in
``api_entries``."""

from __future__ import annotations

import re

from fineflow_desktop.core.extractive.api_entries import THING_KINDS, api_item_question, kind_label
from fineflow_desktop.core.extractive.casing import NO_CASING, Casing, common_case
from fineflow_desktop.core.extractive.patterns import CODEISH, OPTION, signature_match
from fineflow_desktop.core.extractive.sentences import (
    DETERMINERS, QUESTION_WORDS, heading_topic, is_question_sentence, norm_text,
)


MODES = ("qa", "instruction")
MIN_ANSWER_WORDS = 8
MIN_DEFINITION_WORDS = 4
MIN_SECTION_WORDS = 25  # "enough text" for an instruction pair: about two sentences of prose
MAX_ANSWER_CHARS = 4000  # ~1k tokens: a full section of most manuals, short enough to review
MAX_TERM_WORDS = 8

# Headings that are page furniture, not a topic to explain.
SKIP_HEADINGS = frozenset("""see also|contents|table of contents|index|indices and tables|footnotes|references
|bibliography|copyright|license|licence|navigation|next topic|previous topic|this page|quick search
|search|related topics|table of contents for this page|notes on this page|acknowledgements
|acknowledgments|authors|author|colophon|revision history|changelog|submitting feedback|warning|caution|tip
|important|note|attention|danger|hint""".replace("\n", "").split("|"))
# Headings that only mean something together with their parent ("Examples" of what?).
GENERIC_HEADINGS = frozenset("""examples|example|description|notes|note|overview|introduction|usage|parameters
|options|synopsis|compatibility|return value|return values|details|discussion|summary|background|caveats
|limitations|configuration|syntax|arguments|outputs|inputs|diagnostics|environment|files|bugs|history
|functions|methods|attributes|constants|exceptions|classes|api|reference|tutorial|exit status|outline
|general|miscellaneous|other|basics|basic usage|getting started|installation|requirements|warnings
|discussion|motivation|rationale|specification|implementation|troubleshooting|faq|glossary|terminology
|definitions|more information|further reading|conclusion|conclusions|caveat|environment variables|name
|tips|hints|portability|interface|module contents|data|types|commands|settings|properties|errors
|return|returns|raises|yields|see|links|resources|status|summary of changes|what's new|news"""
                             .replace("\n", "").split("|"))
# Verbs whose gerund opens a task heading ("Installing the tools", "Writing tests"). A closed list:
# suffix rules alone turn adjectives and nouns into nonsense ("Operating System" → "operat").
_TASK_VERBS = """access add adjust align announce associate avoid back build call catch change check choose clean close combine compare
commit compile compute configure connect contribute control convert copy create credit customize deal debug declare decode define delete
deploy describe design detect disable display distribute document download drop embed enable encode encrypt execute expose
extend extract filter find fix format generate get handle hide identify implement import improve inspect install integrate
interpret invoke iterate join keep launch limit link list load locate lock log maintain make manage manipulate map measure
merge migrate modify monitor move nest offset open optimize organize override pack package parse pass patch port prepare
prevent print process profile protect provide publish query raise read rebuild receive record recover recruit reduce register
release reload remove rename render reorder repair replace reply report reset resolve restore restrict retrieve reuse
review revert rewrite run save scan schedule search secure select send serialize set setup share show sign sort specify
split start stop store subclass submit support switch sync tag test trace track train transfer trim transform
translate troubleshoot tune undo uninstall unpack update upgrade upload use validate verify view wrap write""".split()
_DOUBLED = {"control", "commit", "split", "reset", "drop", "scan", "trim", "strip", "run", "set", "get", "map", "log", "wrap", "stop", "put", "ship", "plan", "tag", "begin", "submit", "offset",
            "setup"}
_E_KEEP = {"be", "see", "free", "agree"}
# Nouns read without an article ("How do I handle data?", "What is bytecode?").
MASS_NOUNS = frozenset("""data information code software hardware input output memory text whitespace unicode metadata mail email
documentation help access support security performance traffic syntax bytecode content feedback storage
configuration authentication authorization logging testing debugging networking concurrency parallelism
threading encryption compression encoding localization internationalization""".split())


# Headings address the reader ("Publishing your work"); the asker says "my".
_OBJECT_PRONOUNS = {"your": "my", "Your": "my", "yourself": "myself", "It": "it", "Them": "them"}


def _gerund(verb: str) -> str:
    if verb in _DOUBLED:
        return (verb + verb[-1] + "ing") if verb != "setup" else "setting up"
    if verb.endswith("ie"):
        return verb[:-2] + "ying"
    if verb.endswith("e") and verb not in _E_KEEP and not verb.endswith("ee"):
        return verb[:-1] + "ing"
    return verb + "ing"


_GERUNDS = {_gerund(v): v for v in _TASK_VERBS}



FUNCTION_WORDS = frozenset("""a an the of to in for on at by with from and or but as use is are be that which
this can will you we it""".split())


# Labels of API documentation fields (javadoc, Sphinx, Doxygen's \\param/\\pre/\\deprecated
# paragraphs, rustdoc): "Returns:", "Since:", "Precondition" name no thing.
FIELD_LABELS = frozenset("""returns return since throws raises type parameters specified by overrides default
deprecated author authors param params parameter precondition preconditions postcondition postconditions
invariant invariants remarks remark todo bug bugs exceptions exception yields""".split() + [
    "type parameters", "specified by", "see also", "all implemented interfaces", "direct known subclasses",
    "enclosing class", "field summary", "method summary", "constructor summary", "method detail", "field detail",
    "constructor detail", "template parameters", "return values", "return value", "version added"])

# ---------------------------------------------------------------- words and grammar


def is_task_verb(word: str) -> bool:
    """True when *word* is a known task verb in its base or third-person form ("Specify",
    "creates", "Converts"; the closed list of task verbs of gerund headings)."""
    w = word.lower()
    return w in _TASK_VERBS or (w.endswith("s") and w[:-1] in _TASK_VERBS) \
        or (w.endswith("es") and w[:-2] in _TASK_VERBS) or (w.endswith("ies") and w[:-3] + "y" in _TASK_VERBS)


def gerund_to_verb(word: str) -> str | None:
    """Base verb of a known task gerund ("Installing" → "install"), else None."""
    return _GERUNDS.get(word.lower())


IRREGULAR_PLURALS = frozenset(("data", "people", "children", "criteria", "indices"))


def is_plural(word: str) -> bool:
    """True when *word* reads as a plural noun ("files", "data"; not "class", "status", "basics")."""
    w = word.lower().strip("`'\".,")
    return (len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is", "ics", "ous", "'s"))) \
        or w in IRREGULAR_PLURALS


def singular(word: str) -> str:
    """The singular of a regular plural noun *word* ("strategies" → "strategy", "switches" →
    "switch", "formats" → "format"; "series" and "species" stay). Irregular plurals
    (``IRREGULAR_PLURALS``) are not handled: callers leave them out."""
    if word in ("series", "species"):
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("ses", "xes", "ches", "shes", "zes")):
        return word[:-2]
    return word[:-1]


def noun_phrase_ok(words: list[str]) -> bool:
    """True when *words* can stand as an object without inventing an article: it starts with a
    determiner, is plural, a mass noun, a code identifier, or a proper name (capitalised in a
    sentence-case heading)."""
    if not words:
        return False
    if any(w.endswith("ing") and w.lower() not in ("string", "strings", "thing", "things") for w in words[1:]):
        return False  # "Profiling and Tracing": a second gerund that was not converted
    if any(len(w) > 2 and w.isupper() and w.isalpha() and w in ("HOWTO", "FAQ", "API", "GUIDE") for w in words):
        return False  # "Logging HOWTO" names a document, it is no object
    first, head = words[0], words[-1]
    if first.lower() in DETERMINERS:
        return len(words) >= 2
    if CODEISH.search(head) or "`" in " ".join(words):
        return True
    if is_plural(head) or head.lower() in MASS_NOUNS:
        return True
    return False


def _article(phrase: str) -> str:
    w = phrase.lower()
    if re.match(r"(?:uni|use|usa|eu|one|once|u[bcfhjkqrstn][aeiou])", w):
        return "a"
    if re.match(r"(?:hour|honest|honou?r|heir)", w) or (w[:1] in "aeiou"):
        return "an"
    return "a"


# ---------------------------------------------------------------- headings → questions


def heading_question(heading: str, parent: str | None = None,
                     casing: Casing = NO_CASING) -> tuple[str, str] | None:
    """(question, rule) for a heading that is or can be phrased as an English question, else None.

    Rules: a heading that already is a question sentence (``question_heading``); "How to X"
    with X starting with a base verb (``how_to_heading``); a heading starting with a question
    word and an auxiliary or "to" ("What's new in 3.11", "When to use X") (``question_heading``);
    a task gerund with an object that needs no invented article (``gerund_heading``,
    "Installing the tools" → "How do I install the tools?"). Everything else → None.

    *casing* is how the document spells its words (``casing.document_casing``): a title-case
    heading's capitalised common words are written in lower case after the question's first
    word ("Inspecting the Contents of a Changeset" → "How do I inspect the contents of a
    changeset?"); names keep their capitals.
    """
    h = heading_topic(heading)
    if not h or len(h) > 150:
        return None
    # a one-word label before a question or "How to" heading ("ADDENDUM: How to use this License
    # for your documents", "Tutorial: How to …") says where the question stands, not what it asks
    h = re.sub(r"^[A-Za-z]+:\s+(?=(?:how|what|why|when|where|which|who)\b)", "", h, flags=re.I)
    if h.endswith("?"):
        q = _sentence_case(h, casing)
        return (q, "question_heading") if is_question_sentence(q) else None
    h = h.rstrip(".:!")
    if h.isupper():  # a shouted man-page heading ("SPECIFYING THE REFS"): read it in sentence case
        h = h[0] + h[1:].lower()
    words = h.split()
    if len(words) < 2:
        return None
    first = words[0].lower()
    if first == "how" and words[1].lower() == "to":
        rest = words[2:]
        rest = [_OBJECT_PRONOUNS.get(w, w) for w in rest]
        if rest and _base_verb(rest[0]):
            q = f"How do I {_lower_first(rest[0])}{' ' + common_case(' '.join(rest[1:]), casing) if rest[1:] else ''}?"
            return (q, "how_to_heading") if is_question_sentence(q) else None
        return None
    if first.split("'")[0].split("’")[0] in QUESTION_WORDS and len(words) >= 3:
        q = _sentence_case(h, casing) + "?"
        return (q, "question_heading") if is_question_sentence(q) else None
    verb = gerund_to_verb(words[0])
    if verb and not re.search(r"[:(,;]", h):
        rest = [_OBJECT_PRONOUNS.get(w, w) for w in words[1:]]
        verbs = [verb]
        while len(rest) >= 2 and rest[0].lower() in ("and", "or"):
            nxt = gerund_to_verb(rest[1])
            if not nxt:
                return None  # "Printing and clearing": cannot coordinate a gerund with a noun
            verbs += [rest[0].lower(), nxt]
            rest = rest[2:]
        if rest and rest[0].lower() in ("with", "from", "to", "in", "on", "for", "into", "over", "across", "against"):
            if len(verbs) > 1 or verb not in ("work", "deal", "port", "migrate", "log", "connect", "upgrade", "switch",
                                              "link", "reply", "contribute"):
                return None  # "Logging to multiple destinations" needs an object first
            if len(rest) < 2 or not noun_phrase_ok(rest[1:]):
                return None
        elif not noun_phrase_ok(rest):
            return None
        q = f"How do I {' '.join(verbs)} {common_case(' '.join(rest), casing)}?"
        return (q, "gerund_heading") if is_question_sentence(q) else None
    return None


def _sentence_case(text: str, casing: Casing) -> str:
    """*text* with its first word kept and the rest in the document's casing (``common_case``)."""
    first, _, rest = text.partition(" ")
    return f"{first} {common_case(rest, casing)}" if rest else text


def _lower_first(word: str) -> str:
    return word[0].lower() + word[1:] if word[:1].isupper() and not word[1:2].isupper() else word


def looks_like_base_verb(word: str) -> bool:
    """True when *word* can be a verb's base form ("install", "log"): a known task verb, or an
    alphabetic word not shaped like a participle, plural or adverb ("guides", "running")."""
    return _base_verb(word)


def _base_verb(word: str) -> bool:
    w = word.lower()
    if w in _TASK_VERBS:
        return True
    # Base forms do not end like participles, plurals or adverbs ("guides", "running", "quickly").
    return w.isalpha() and not w.endswith(("ing", "ed")) and not (w.endswith("ly") and not w.endswith(("ply", "ely"))) \
        and not (w.endswith("s") and not w.endswith("ss"))


def question_to_task(question: str) -> str:
    """Phrase a question as an instruction ("How do I x?" → "Explain how to x.")."""
    q = question.rstrip("?").strip()
    lower = q.lower()
    for prefix in ("how do i ", "how can i ", "how should i ", "how do you ", "how can you ", "how to "):
        if lower.startswith(prefix):
            return f"Explain how to {q[len(prefix):]}."
    for prefix, verb in (("what is ", "is"), ("what are ", "are")):
        if lower.startswith(prefix):
            return f"Explain what {q[len(prefix):]} {verb}."
    return f"Answer the following question: {question}"


# ---------------------------------------------------------------- terms → questions


def term_question(term: str, command: str | None = None, glossary: bool = False) -> tuple[str, str] | None:
    """(question, rule) for a definition-list term, or None when the term is no nameable thing.

    An option ("-a", "--echo-all", "-U username") → "What does the --echo-all option of
    *command* do?" (``option``); a signature ("dumps(obj, *, …)") → "What does dumps() do?"
    (``api_entry``); a code name, acronym or proper name → "What is X?"; a plural noun →
    "What are X?"; a common noun → "What is a/an X?" (``definition``). A single lower-case word
    outside a glossary (*glossary* False) is read as a name ("What is tableoid?"): reference
    lists name columns, settings and commands far more often than common nouns.
    """
    t = norm_text(term).rstrip(":").strip()
    while len(t) > 2 and t[0] in "‘’“”\"'" and t[-1] in "‘’“”\"'":  # a quoted term: both quotes go, or none
        t = t[1:-1].strip()
    t = t.strip("‘’“”").strip() if not re.search(r"\w", t) else t
    if not t or len(t) > 120 or not re.search(r"\w", t) and not t.startswith("\\"):
        return None
    if t.lower() in SKIP_HEADINGS:
        return None  # an admonition label ("Warning", "Note") names no thing
    item = api_item_question(t)
    if item:
        return item[0], "api_entry"
    label = kind_label(t)
    if label:  # texinfo @deffn: "Function: po_file_t po_file_create ()", "Variable: int errno"
        kind, rest = label
        inner = term_question(rest, command, glossary)
        if inner and inner[1] in ("api_entry", "option"):
            return inner
        name = rest.split()[-1].strip("*&")
        q = f"What is the {name} {kind}{' for' if kind in THING_KINDS else ''}?"
        return (q, "api_entry") if re.search(r"[A-Za-z]", name) and is_question_sentence(q) else None
    if re.fullmatch(r"<[\w .-]+>", t):
        return f"What is {t}?", "definition"  # a placeholder of a synopsis: "<branchname>"
    if t.endswith("?"):
        return (t, "faq_term") if is_question_sentence(t) else None
    parts = [p.strip() for p in re.split(r",\s+(?=-)|\s+/\s+", t) if p.strip()]
    if parts and all(OPTION.match(p) for p in parts):
        names = [re.split(r"[=\s\[<]", p.replace("[no-]", ""), maxsplit=1)[0] for p in parts]
        longs = [n for n in names if n.startswith("--")]
        name = (longs or names)[0].rstrip(",")
        where = f" of {command}" if command else ""
        return f"What does the {name} option{where} do?", "option"
    m = signature_match(t)
    if m:
        name = m.group("name")
        if m.groupdict().get("kind") in ("class", "exception"):
            return f"What is the {name} {m.group('kind')} for?", "api_entry"
        return f"What does {name}() do?", "api_entry"
    if t.startswith("(") or (re.search(r",\s", t) and not CODEISH.search(t.split(",")[0])) \
            or len(re.findall(r"\S+=\S*", t)) > 1:
        return None  # "(space)", "s, z": a list of several keys or a note names no one thing
    if re.search(r"[\[{<]", t):  # "\copy { table … }": name the command, not its grammar
        head = t.split()[0]
        if CODEISH.search(head) and len(head) > 1 and not re.fullmatch(r"[\[(]?\d+[\])]?[,.;]?", head) \
                and not (re.fullmatch(r"<[^<>]+>", head) and "<" in t[len(head):]):
            # a citation label ("[1]", "4],") names no command, nor does one placeholder of a
            # grammar with several ("<query1> NOT <query2>"); mutt's "<create-alias>" is a name
            return f"What does {head} do?", "api_entry"
        return None
    if t.lower() in GENERIC_HEADINGS or t.lower() in FIELD_LABELS or t.startswith(("- ", "* ")) \
            or t.split()[0].lower() in ("to", "and", "or", "of", "for", "with", "from", "by", "if", "when"):
        return None  # a field label of an API entry ("Returns", "Since"), a list item, a fragment
    words = t.split()
    if len(words) > MAX_TERM_WORDS or t.endswith((".", ";", "!")) or len(re.findall(r"[A-Za-z]", t)) < 2:
        return None  # a sentence, or a one-letter key binding that names nothing
    if any(w.lower() in ("is", "are", "was", "were", "has", "have", "you", "we", "i", "can", "could", "will",
                         "would", "should", "must", "may", "might", "shall") for w in words[1:]) \
            or (len(words) > 1 and words[-1].lower() in FUNCTION_WORDS):
        return None  # a sentence or a fragment of one, not a term
    if t.startswith("\\") or (len(words) == 1 and CODEISH.search(t)):
        return (f"What does {t} do?" if t.startswith("\\") else f"What is {t}?"), "definition"
    if CODEISH.search(t) or any(ch.isdigit() for ch in t):
        return f"What is {t}?", "definition"
    if is_plural(words[-1]):
        return f"What are {t}?", "definition"
    if words[0][:1].isupper():
        return f"What is {t}?", "definition"
    if words[-1].lower() in MASS_NOUNS or words[-1].endswith(("ing", "ness", "ism")) \
            or (len(words) == 1 and not glossary):
        return f"What is {t}?", "definition"
    return f"What is {_article(t)} {t}?", "definition"
