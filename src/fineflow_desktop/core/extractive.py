"""Offline extractive pair generation: no model, no network.

Pairs are *extracted* from the documents, never written by an AI. Two modes:

``instruction``
    Any section with a heading and enough prose (``MIN_SECTION_WORDS``) gives one pair: the
    instruction names the topic and the document ("Explain “Locking” in Concurrency Control.",
    "Summarize the section “Examples” of CREATE TABLE.", …; the phrasing is chosen from the
    heading deterministically, ``instruction_for``), the response is the section text cut at a
    paragraph boundary. Boilerplate sections ("See also", "Contents", …) are skipped.
``qa``
    Questions the documentation itself answers, from structures every documentation set has:

    * definition lists and glossaries ("What is an iterator?" → the definition): the chunk-text
      convention (a term line, then the definition on lines starting ``": "``), reST definition
      lists and ``.. glossary::`` entries, and Sphinx object descriptions (``.. function::``);
    * command-line option lists ("What does the --echo-all option of psql do?"): definition
      list items whose term is an option, and reST option lists (``-a, --all  text``);
    * API entries whose term is a signature ("What does json.dumps() do?");
    * reference tables with a "description" column ("What is flatpak?" → its description);
    * reference pages: "NAME — purpose" ("What does psql do?") as a title or first paragraph;
    * question headings, "How to …" and task headings ("Installing the tools" → "How do I
      install the tools?"), FAQ entries (``Q:``/``A:`` lines, a one-line question paragraph
      followed by its answer).

Every question is checked to be an English sentence; a heading that no rule can phrase
grammatically is skipped (``heading_question`` returns None) rather than mangled — no
"How do I print and clearing?". The rules use general structure (block types, term shapes,
part of speech of the first heading word), not one corpus' wording; ``bench/bench_extract_docs.py``
measures them on documentation sets they were not written on.

Every pair carries its provenance (document id, chunk id, heading path, rule).
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Iterable, Iterator

from fineflow_desktop.core.dedup import normalize_for_hash
from fineflow_desktop.core.markup import clean_inline, clean_markup, drop_leading_metadata, tidy_prose

MODES = ("qa", "instruction")
MIN_ANSWER_WORDS = 8
MIN_DEFINITION_WORDS = 4
MIN_SECTION_WORDS = 25  # "enough text" for an instruction pair: about two sentences of prose
MAX_ANSWER_CHARS = 4000  # ~1k tokens: a full section of most manuals, short enough to review
MAX_TERM_WORDS = 8

QUESTION_WORDS = ("how", "what", "why", "when", "where", "which", "who", "whom", "whose")
AUXILIARIES = ("is", "are", "was", "were", "do", "does", "did", "can", "could", "should", "will", "would",
               "may", "might", "must", "shall", "has", "have", "had", "am")
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
_TASK_VERBS = """access add adjust avoid back build call catch change check choose clean close combine compare
commit compile compute configure connect control convert copy create customize deal debug declare decode define delete
deploy describe design detect disable display distribute document drop embed enable encode encrypt execute expose
extend extract filter find fix format generate get handle implement import improve inspect install integrate
interpret invoke iterate join keep launch limit list load locate lock log maintain manage manipulate map measure
merge migrate modify monitor move open optimize organize override pack package parse pass patch port prepare
prevent print process profile protect provide publish query raise read rebuild receive recover reduce register
release reload remove rename render reorder repair replace report reset resolve restore restrict retrieve reuse
review revert rewrite run save scan schedule search secure select send serialize set setup share sign sort specify
split start stop store subclass submit support switch sync tag test trace track train transfer trim transform
translate troubleshoot tune undo uninstall unpack update upgrade upload use validate verify view wrap write""".split()
_DOUBLED = {"control", "commit", "drop", "scan", "trim", "strip", "run", "set", "get", "map", "log", "wrap", "stop", "put", "ship", "plan", "tag", "begin", "submit",
            "setup"}
_E_KEEP = {"be", "see", "free", "agree"}
DETERMINERS = frozenset("""a an the your my our their its this that these those some any each every all multiple
several many new existing custom other another one two both more own""".split())
# Nouns read without an article ("How do I handle data?", "What is bytecode?").
MASS_NOUNS = frozenset("""data information code software hardware input output memory text whitespace unicode metadata
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
_QA_INLINE = re.compile(r"^\s*(?:Q|Question)\s*[:.]\s*(?P<q>.+?)\s*\n\s*(?:A|Answer)\s*[:.]\s*(?P<a>.+?)(?=\n\s*(?:Q|Question)\s*[:.]|\Z)",
                        re.S | re.M | re.I)
_MD_BOLD_Q = re.compile(r"^\s*\*\*(?P<q>[^*\n]+\?)\*\*\s*\n(?P<a>.+?)(?=\n\s*\*\*[^*\n]+\?\*\*|\Z)", re.S | re.M)
_DASH = r"(?:—|–|---|--| - )"
_NAME_PURPOSE = re.compile(
    rf"^`?(?P<names>(?:[A-Z][A-Z0-9_]*(?: [A-Z][A-Z0-9_]*){{0,4}})|[\w.:/\\+@-]+(?:,\s*[\w.:/\\+@-]+){{0,5}})`?"
    rf"\s*{_DASH}\s*(?P<purpose>\S.{{2,200}})$")
_OPTION = re.compile(r"^(?:-{1,2}(?:\[no-\])?[A-Za-z?#@][\w-]*|\+[A-Za-z])(?:[=\s\[<,].*)?$")
_SIGNATURE = re.compile(r"^(?:(?P<kind>class|exception|async|classmethod|staticmethod|abstractmethod|coroutine)\s+)?"
                        r"(?P<name>[A-Za-z_][\w.]*(?:::\w+)*)\s*\(")
_C_SIGNATURE = re.compile(r"^(?:(?:const|unsigned|signed|struct|static|inline|extern|volatile)\s+)*[A-Za-z_]\w*[\s*]+"
                          r"(?P<name>[A-Za-z_]\w*)\s*\(")
_CODEISH = re.compile(r"[_.()\\/$<>\[\]{}=]|^[A-Z0-9_]{2,}$|\w[A-Z]|^-")
_OBJ_DIRECTIVE = re.compile(
    r"^(?P<indent>\s*)\.\.\s+(?:[a-z]+:)?(?P<kind>function|method|class|exception|attribute|data|decorator|"
    r"classmethod|staticmethod|coroutinefunction|coroutinemethod|option|cmdoption|envvar|describe|macro|member|"
    r"type|var|opcode|pdbcommand|2to3fixer|module|program)::\s*(?P<sig>.+)$")
_RST_OPTION_LIST = re.compile(r"^(?P<opts>-{1,2}[A-Za-z0-9][\w-]*(?:[ =]<?[\w-]+>?)?(?:,\s*-{1,2}[A-Za-z0-9][\w-]*(?:[ =]<?[\w-]+>?)?)*)\s{2,}(?P<text>\S.*)$")


@dataclass
class SectionInput:
    """The chunks of one section (same document and heading path), in document order.

    ``document_title`` is the document's own title (HTML ``<title>``, first heading…) when known;
    ``document_name`` is its file name.
    """

    document_id: int
    document_name: str
    heading_path: list[str]
    chunks: list[tuple[int, str]]  # (chunk id, text)
    document_title: str = ""


@dataclass
class PairDraft:
    """An extracted pair with provenance; ``meta`` has heading_path and the rule that fired."""

    user: str
    assistant: str
    document_id: int
    chunk_id: int
    meta: dict = field(default_factory=dict)


# ---------------------------------------------------------------- words and grammar


_SECTION_NUMBER = re.compile(r"^(?:(?:[Cc]hapter|[Pp]art|[Aa]ppendix|[Ss]ection)\s+)?(?:[A-Z](?:\.\d{1,3})*\."
                             r"|\d{1,3}(?:\.\d{1,3})*\.?|[IVXLC]{1,5}\.)\s+(?=\S)")
_TITLE_SUFFIX = re.compile(r"\s+(?:—|–|-|\|)\s+[^—–|]*\b(?:documentation|docs|manual|handbook|reference|guide)"
                           r"\b[^—–|]*$|\s+manual\s+page$", re.I)


def _norm(text: str) -> str:
    text = clean_inline(text).replace("¶", "").replace("\u00a0", " ")
    text = re.sub(r"\s+", " ", text).strip()
    return text.strip("`").strip()


def _topic(heading: str) -> str:
    """A heading as a topic: section numbers ("36.17.", "F.47.", "5.11.2.3") and site suffixes
    (" — Django 3.2 documentation", " Manual Page") removed."""
    t = _TITLE_SUFFIX.sub("", _norm(heading))
    stripped = _SECTION_NUMBER.sub("", t)
    return stripped if re.search(r"[A-Za-z]", stripped) else t


def _gerund_to_verb(word: str) -> str | None:
    """Base verb of a known task gerund ("Installing" → "install"), else None."""
    return _GERUNDS.get(word.lower())


def _is_plural(word: str) -> bool:
    w = word.lower().strip("`'\".,")
    return (len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is", "ics", "ous", "'s"))) \
        or w in ("data", "people", "children", "criteria", "indices")


def _noun_phrase_ok(words: list[str]) -> bool:
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
    if _CODEISH.search(head) or "`" in " ".join(words):
        return True
    if _is_plural(head) or head.lower() in MASS_NOUNS:
        return True
    return False


def _article(phrase: str) -> str:
    w = phrase.lower()
    if re.match(r"(?:uni|use|usa|eu|one|once|u[bcfhjkqrstn][aeiou])", w):
        return "a"
    if re.match(r"(?:hour|honest|honou?r|heir)", w) or (w[:1] in "aeiou"):
        return "an"
    return "a"


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


# ---------------------------------------------------------------- headings → questions


def heading_question(heading: str, parent: str | None = None) -> tuple[str, str] | None:
    """(question, rule) for a heading that is or can be phrased as an English question, else None.

    Rules: a heading that already is a question sentence (``question_heading``); "How to X"
    with X starting with a base verb (``how_to_heading``); a heading starting with a question
    word and an auxiliary or "to" ("What's new in 3.11", "When to use X") (``question_heading``);
    a task gerund with an object that needs no invented article (``gerund_heading``,
    "Installing the tools" → "How do I install the tools?"). Everything else → None.
    """
    h = _topic(heading)
    if not h or len(h) > 150:
        return None
    if h.endswith("?"):
        return (h, "question_heading") if is_question_sentence(h) else None
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
            q = f"How do I {_lower_first(rest[0])}{' ' + ' '.join(rest[1:]) if rest[1:] else ''}?"
            return (q, "how_to_heading") if is_question_sentence(q) else None
        return None
    if first.split("'")[0].split("’")[0] in QUESTION_WORDS and len(words) >= 3:
        q = h + "?"
        return (q, "question_heading") if is_question_sentence(q) else None
    verb = _gerund_to_verb(words[0])
    if verb and not re.search(r"[:(,;]", h):
        rest = [_OBJECT_PRONOUNS.get(w, w) for w in words[1:]]
        verbs = [verb]
        while len(rest) >= 2 and rest[0].lower() in ("and", "or"):
            nxt = _gerund_to_verb(rest[1])
            if not nxt:
                return None  # "Printing and clearing": cannot coordinate a gerund with a noun
            verbs += [rest[0].lower(), nxt]
            rest = rest[2:]
        if rest and rest[0].lower() in ("with", "from", "to", "in", "on", "for", "into", "over", "across"):
            if len(verbs) > 1 or verb not in ("work", "deal", "port", "migrate", "log", "connect", "upgrade", "switch"):
                return None  # "Logging to multiple destinations" needs an object first
            if len(rest) < 2 or not _noun_phrase_ok(rest[1:]):
                return None
        elif not _noun_phrase_ok(rest):
            return None
        q = f"How do I {' '.join(verbs)} {' '.join(rest)}?"
        return (q, "gerund_heading") if is_question_sentence(q) else None
    return None


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
    t = _norm(term).rstrip(":").strip().strip("‘’“”\"'").strip()
    if not t or len(t) > 120:
        return None
    if re.fullmatch(r"<[\w .-]+>", t):
        return f"What is {t}?", "definition"  # a placeholder of a synopsis: "<branchname>"
    if t.endswith("?"):
        return (t, "faq_term") if is_question_sentence(t) else None
    parts = [p.strip() for p in re.split(r",\s+(?=-)|\s+/\s+", t) if p.strip()]
    if parts and all(_OPTION.match(p) for p in parts):
        names = [re.split(r"[=\s\[<]", p.replace("[no-]", ""), maxsplit=1)[0] for p in parts]
        longs = [n for n in names if n.startswith("--")]
        name = (longs or names)[0].rstrip(",")
        where = f" of {command}" if command else ""
        return f"What does the {name} option{where} do?", "option"
    m = _SIGNATURE.match(t) or _C_SIGNATURE.match(t)
    if m:
        name = m.group("name")
        if m.groupdict().get("kind") in ("class", "exception"):
            return f"What is the {name} {m.group('kind')} for?", "api_entry"
        return f"What does {name}() do?", "api_entry"
    if re.search(r"[\[{<]", t):  # "\copy { table … }": name the command, not its grammar
        head = t.split()[0]
        if _CODEISH.search(head) and len(head) > 1:
            return f"What does {head} do?", "api_entry"
        return None
    if t.lower() in GENERIC_HEADINGS or t.lower() in _FIELD_LABELS or t.startswith(("- ", "* ")) \
            or t.split()[0].lower() in ("to", "and", "or", "of", "for", "with", "from", "by", "if", "when"):
        return None  # a field label of an API entry ("Returns", "Since"), a list item, a fragment
    words = t.split()
    if len(words) > MAX_TERM_WORDS or t.endswith((".", ";", "!")) or len(re.findall(r"[A-Za-z]", t)) < 2:
        return None  # a sentence, or a one-letter key binding that names nothing
    if any(w.lower() in ("is", "are", "was", "were", "has", "have", "you", "we", "i") for w in words[1:]) \
            or (len(words) > 1 and words[-1].lower() in _FUNCTION_WORDS):
        return None  # a sentence or a fragment of one, not a term
    if t.startswith("\\") or (len(words) == 1 and _CODEISH.search(t)):
        return (f"What does {t} do?" if t.startswith("\\") else f"What is {t}?"), "definition"
    if _CODEISH.search(t) or any(ch.isdigit() for ch in t):
        return f"What is {t}?", "definition"
    if _is_plural(words[-1]):
        return f"What are {t}?", "definition"
    if words[0][:1].isupper():
        return f"What is {t}?", "definition"
    if words[-1].lower() in MASS_NOUNS or words[-1].endswith(("ing", "ness", "ism")) \
            or (len(words) == 1 and not glossary):
        return f"What is {t}?", "definition"
    return f"What is {_article(t)} {t}?", "definition"


# ---------------------------------------------------------------- structures in section text


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())


def definition_items(text: str) -> Iterator[tuple[list[str], str]]:
    """Yield ``(terms, definition)`` for each definition-list entry of *text*.

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
                yield terms, "\n".join(body).strip()
            i = max(k, i + 1)
            continue
        m = _OBJ_DIRECTIVE.match(line)
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
                yield [sig], "\n".join(body).strip()
            i = k
            continue
        m = _RST_OPTION_LIST.match(line.strip())
        if m and _indent(line) == 0:
            body, k = _indented_body(lines, i + 1, _indent(line))
            yield [m.group("opts")], "\n".join([m.group("text"), *body]).strip()
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
                yield [stripped], "\n".join(body).strip()
            i = k
            continue
        i += 1


def _term_like(line: str) -> bool:
    """A term line: a few words or a code name, not a sentence fragment ending in a function word."""
    words = line.split()
    limit = MAX_TERM_WORDS * 3 if _CODEISH.search(line) else MAX_TERM_WORDS
    return 0 < len(words) <= limit and words[-1].lower() not in _FUNCTION_WORDS


_FUNCTION_WORDS = frozenset("""a an the of to in for on at by with from and or but as use is are be that which
this can will you we it""".split())


# Labels of API documentation fields (javadoc, Sphinx, Doxygen): "Returns:", "Since:" name no thing.
_FIELD_LABELS = frozenset("""returns return since throws raises type parameters specified by overrides default
see also deprecated version added author authors param params parameter value values type yields""".split("\n")[0]
                          .split() + ["type parameters", "specified by", "see also", "all implemented interfaces",
                                      "direct known subclasses", "enclosing class", "field summary", "method summary",
                                      "constructor summary", "method detail", "field detail", "constructor detail"])

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
    t = _norm(text.strip().splitlines()[0] if text.strip() else "")
    if len(t) > 250:
        return None
    m = _NAME_PURPOSE.match(t)
    if not m:
        return None
    purpose = m.group("purpose").strip().rstrip(".")
    names = m.group("names").strip()
    if not purpose[:1].isalpha() or len(purpose.split()) < 2 or purpose.endswith((":", ",")):
        return None
    return names, purpose


def _paragraphs(text: str) -> list[str]:
    return [p.strip("\n") for p in re.split(r"\n[ \t]*\n", text) if p.strip()]


def _prose_words(text: str) -> int:
    words = 0
    in_fence = False
    for line in text.splitlines():
        if line.lstrip().startswith(("```", "~~~")):
            in_fence = not in_fence
            continue
        if not in_fence and " | " not in line and not line.startswith(("    ", "\t")):
            words += len(re.findall(r"[A-Za-z]{2,}", line))
    return words


def _ends_sentence(par: str) -> bool:
    last = par.rstrip().splitlines()[-1].strip() if par.strip() else ""
    return bool(re.search(r"[.!?:;)\"”’'`]$", last)) or last.startswith(("- ", "* ", "```", "|")) \
        or bool(re.match(r"^\d+[.)]\s", last)) or " | " in last


def clean_answer(text: str, max_chars: int = MAX_ANSWER_CHARS) -> str:
    """Section or definition text → answer: markup stripped, leading metadata dropped, prose
    lines unwrapped (code kept), cut at the last paragraph boundary under *max_chars*, and a
    final paragraph that stops mid-sentence (a chunk cut) dropped."""
    body = tidy_prose(drop_leading_metadata(clean_markup(text)))
    pars = _paragraphs(body)
    out: list[str] = []
    size = 0
    for par in pars:
        if out and size + len(par) > max_chars:
            break
        out.append(par)
        size += len(par) + 2
    # A chunk cut or an announcement of what follows ("… as follows:") ends no answer.
    while len(out) > 1 and (not _ends_sentence(out[-1]) or out[-1].rstrip().endswith(":")):
        out.pop()
    if out and (not _ends_sentence(out[-1]) or out[-1].rstrip().endswith(":")) and "\n" not in out[-1].strip():
        last = out[-1]
        cut = max(last.rfind(". "), last.rfind("? "), last.rfind("! "))
        out[-1] = last[: cut + 1] if cut > 0 else ""
    answer = "\n\n".join(x for x in out if x.strip()).strip()
    if len(answer) > max_chars:  # one huge paragraph: cut at a sentence end
        cut = max(answer.rfind(". ", 0, max_chars), answer.rfind(".\n", 0, max_chars))
        answer = answer[: cut + 1] if cut > max_chars // 3 else ""
    return answer


def _join_chunks(chunks: list[tuple[int, str]], want_chars: int) -> str:
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


# ---------------------------------------------------------------- instruction phrasing


def document_title(section: SectionInput) -> str:
    """The document's title: its own title, else the first heading, else the file stem."""
    # the page's first heading names it best; <title> often carries the site name too
    title = _topic(section.heading_path[0]) if section.heading_path else ""
    if not title:
        title = _topic(section.document_title or "")
    if ":" in title and section.document_title and _topic(section.document_title) == title:
        title = title.split(":", 1)[1].strip() or title  # "GNU gettext utilities: 11. The Programmer's View"
        title = _topic(title)
    if not title:
        name = PurePath(section.document_name or "").name
        title = re.sub(r"(\.[A-Za-z0-9]+)+$", "", name).replace("_", " ").replace("-", " ").strip()
    rn = reference_name(title)
    return rn[0] if rn else title


_TEMPLATES = (
    "Explain “{topic}” in {doc}.",
    "Summarize the section “{topic}” of {doc}.",
    "Describe what {doc} says about “{topic}”.",
)
_OVERVIEW = (
    "Give an overview of {doc}.",
    "Summarize the introduction of {doc}.",
)


def instruction_for(heading_path: list[str], title: str) -> tuple[str, str] | None:
    """(instruction, rule) naming the topic and the document, or None for boilerplate headings.

    The phrasing is picked by a CRC-32 of the heading path (stable across runs and machines).
    A generic heading ("Examples") is named with its parent ("Examples of CREATE INDEX").
    """
    path = [_topic(h) for h in heading_path if _topic(h)]
    if not path or not title:
        return None
    h = path[-1].rstrip(":")
    if h.lower() in SKIP_HEADINGS or not re.search(r"[A-Za-z]", h):
        return None
    pick = zlib.crc32("\x1f".join(path).encode())
    doc = title = _topic(title) or title
    if len(path) == 1 and (h == title or reference_name(h) or h.lower() in GENERIC_HEADINGS):
        return _OVERVIEW[pick % len(_OVERVIEW)].format(doc=doc), "section_overview"
    if h.lower() in GENERIC_HEADINGS:
        parents = [p for p in path[:-1] if p != title and p.lower() not in GENERIC_HEADINGS]
        if parents:
            rn = reference_name(parents[-1])
            h = f"{h} of {rn[0] if rn else parents[-1]}"
    topic = h.replace("“", "\"").replace("”", "\"")
    return _TEMPLATES[pick % len(_TEMPLATES)].format(topic=topic, doc=doc), "section_instruction"


# ---------------------------------------------------------------- the generator


@dataclass
class _Found:
    question: str
    answer: str
    chunk_id: int
    rule: str


def _structured(section: SectionInput, command: str | None) -> list[_Found]:
    """Definition/option/API entries, FAQ lines and question paragraphs of one section."""
    found: list[_Found] = []
    glossary = any("glossary" in h.lower() or "terminology" in h.lower() for h in section.heading_path)
    # A question paragraph answered by the next one is an FAQ entry only on FAQ pages; elsewhere
    # a question in prose is rhetorical or describes a function ("Is row-level security active…?").
    faq = bool(re.search(r"\bfaq\b|frequently asked|questions|q ?& ?a|troubleshoot",
                         " ".join([*section.heading_path, section.document_name, section.document_title]), re.I))
    for chunk_id, text in section.chunks:
        for pattern, rule in ((_QA_INLINE, "inline_qa"), (_MD_BOLD_Q, "bold_question")):
            for m in pattern.finditer(text):
                q = _norm(m.group("q"))
                q = q if q.endswith("?") else q + "?"
                a = clean_answer(m.group("a"))
                if is_question_sentence(q) and len(a.split()) >= 3:
                    found.append(_Found(q, a, chunk_id, rule))
        for terms, definition in definition_items(text):
            answer = clean_answer(definition)
            if len(answer.split()) < MIN_DEFINITION_WORDS or re.match(r"(?:in|see|see also)\s", answer):
                continue  # too short, or an index entry pointing elsewhere
            phrased = term_question(", ".join(terms) if all(_OPTION.match(_norm(t)) for t in terms) else terms[0],
                                    command, glossary)
            if phrased:
                rule = "glossary" if glossary and phrased[1] == "definition" else phrased[1]
                found.append(_Found(phrased[0], answer, chunk_id, rule))
        for name, description in table_items(text):
            phrased = term_question(name, command)
            if phrased and phrased[1] in ("definition", "option", "api_entry"):
                answer = description if re.search(r"[.!?)]$", description) else description + "."
                found.append(_Found(phrased[0], answer[0].upper() + answer[1:], chunk_id, "table_" + phrased[1]))
        pars = _paragraphs(text) if faq else []
        for a, b in zip(pars, pars[1:]):
            q = _norm(a)
            if "\n" in a.strip() or not q.endswith("?") or not is_question_sentence(q) or len(q.split()) > 30:
                continue
            answer = clean_answer(b)
            if len(answer.split()) >= MIN_ANSWER_WORDS and not answer.rstrip().endswith("?"):
                found.append(_Found(q, answer, chunk_id, "faq_paragraph"))
    return found


def _document_command(sections: list[SectionInput]) -> tuple[str | None, tuple[str, str] | None, int]:
    """(command name for option questions, (name, purpose) of a reference page, index of the
    section holding it) for one document's sections."""
    for idx, sec in enumerate(sections[:3]):
        candidates = [sec.heading_path[-1]] if sec.heading_path else []
        candidates += _paragraphs(sec.chunks[0][1])[:1] if sec.chunks else []
        for cand in candidates:
            rn = reference_name(cand)
            if rn:
                return rn[0].split(",")[0].strip(), rn, idx
    title = document_title(sections[0]) if sections else ""
    if title and len(title.split()) == 1 and _CODEISH.search(title) is None and title.islower():
        return title, None, -1
    if title and len(title.split()) == 1 and re.match(r"^[\w.-]+$", title) and title.islower():
        return title, None, -1
    return None, None, -1


def extract_pairs(sections: Iterable[SectionInput], mode: str = "qa", system_prompt: str = "",
                  seen: set[str] | None = None, stats: dict | None = None) -> Iterator[PairDraft]:
    """Yield extracted pairs for *sections* in *mode* ``qa`` or ``instruction``.

    Sections of one document must be consecutive (document order), since reference pages and
    option lists need the document's name. User messages are unique (after
    ``normalize_for_hash``) within one call, or across calls sharing the *seen* set. When
    *stats* is given it is filled with counts for a "why nothing" message: ``sections``,
    ``with_heading``, ``with_text`` (heading and ≥ ``MIN_SECTION_WORDS`` words of prose),
    ``structures`` (definition/option/FAQ entries seen) and ``pairs_by_rule``.
    Raises ``ValueError`` for an unknown mode.
    """
    if mode not in MODES:
        raise ValueError(f"unknown extractive mode {mode!r}; use one of {MODES}")
    seen = set() if seen is None else seen
    stats = {} if stats is None else stats
    for key in ("sections", "with_heading", "with_text", "structures"):
        stats.setdefault(key, 0)
    stats.setdefault("pairs_by_rule", {})

    def make(question: str, answer: str, section: SectionInput, chunk_id: int, rule: str) -> PairDraft | None:
        key = normalize_for_hash(question)
        if key in seen or not answer.strip() or not _reads_well(question):
            return None
        seen.add(key)
        stats["pairs_by_rule"][rule] = stats["pairs_by_rule"].get(rule, 0) + 1
        meta = {"heading_path": section.heading_path, "rule": rule, "generator": "extractive", "mode": mode}
        return PairDraft(user=question, assistant=answer, document_id=section.document_id, chunk_id=chunk_id,
                         meta=meta)

    for doc_sections in by_document(sections):
        command, refname, ref_idx = _document_command(doc_sections)
        title = document_title(doc_sections[0])
        for idx, section in enumerate(doc_sections):
            stats["sections"] += 1
            if section.heading_path:
                stats["with_heading"] += 1
            text = _join_chunks(section.chunks, MAX_ANSWER_CHARS * 2)
            prose = _prose_words(clean_markup(text))
            if section.heading_path and prose >= MIN_SECTION_WORDS:
                stats["with_text"] += 1
            if mode == "instruction":
                pair = _instruction_pair(section, text, title, prose, make)
                if pair:
                    yield pair
                continue
            found = _structured(section, command)
            stats["structures"] += len(found)
            if idx == ref_idx and refname:
                answer = _reference_answer(refname, doc_sections, idx)
                if answer:
                    found.insert(0, _Found(f"What does {refname[0].split(',')[0].strip()} do?", answer,
                                           section.chunks[0][0], "reference_page"))
            for f in found:
                pair = make(f.question, f.answer, section, f.chunk_id, f.rule)
                if pair:
                    yield pair
            if found or not section.heading_path:
                continue
            parent = section.heading_path[-2] if len(section.heading_path) > 1 else None
            phrased = heading_question(section.heading_path[-1], parent) or _api_heading(section.heading_path[-1])
            if not phrased:
                continue
            answer = clean_answer(text)
            if len(answer.split()) >= MIN_ANSWER_WORDS:
                pair = make(phrased[0], answer, section, section.chunks[0][0], phrased[1])
                if pair:
                    yield pair


def _api_heading(heading: str) -> tuple[str, str] | None:
    """A heading that names an API entry ("gtk_widget_show ()", "GtkWidget::destroy",
    "json.dumps()") → its ``term_question``; plain-word headings → None."""
    h = _topic(heading)
    if "@" in h:
        return None  # "Name Surname (someone@example.org)": an author line, not a signature
    if not (_SIGNATURE.match(h) or _C_SIGNATURE.match(h) or (len(h.split()) <= 2 and re.search(r"[_:.]\w|\w[A-Z]", h))):
        return None
    phrased = term_question(h)
    return (phrased[0], "api_heading") if phrased and phrased[1] in ("api_entry", "definition") else None


def _reads_well(user: str) -> bool:
    """Last gate for every user message: a question must be a question sentence, an
    instruction must carry no ellipsis or fragment of a heading ("How do I...?")."""
    if user.endswith("?"):
        return is_question_sentence(user)
    return "..." not in user and "…" not in user and user.count("(") == user.count(")")


def _instruction_pair(section: SectionInput, text: str, title: str, prose: int, make) -> PairDraft | None:
    if not section.heading_path or prose < MIN_SECTION_WORDS:
        return None
    phrased = heading_question(section.heading_path[-1])
    if phrased and phrased[1] != "gerund_heading":
        instruction, rule = question_to_task(phrased[0]), phrased[1]
    else:
        made = instruction_for(section.heading_path, title)
        if not made:
            return None
        instruction, rule = made
    answer = clean_answer(text)
    if _prose_words(answer) < MIN_SECTION_WORDS // 2:
        return None
    return make(instruction, answer, section, section.chunks[0][0], rule)


def _reference_answer(refname: tuple[str, str], sections: list[SectionInput], idx: int) -> str:
    """"psql — PostgreSQL interactive terminal" + the description that follows it."""
    name, purpose = refname
    lead = f"{name.split(',')[0].strip()}: {purpose}."
    body = ""
    for sec in sections[idx: idx + 4]:
        text = _join_chunks(sec.chunks, MAX_ANSWER_CHARS)
        pars = _paragraphs(text)
        if sec is sections[idx] and pars and reference_name(pars[0]):
            pars = pars[1:]
        cleaned = clean_answer("\n\n".join(pars), MAX_ANSWER_CHARS // 2)
        if _prose_words(cleaned) >= MIN_ANSWER_WORDS and (sec is sections[idx] or not _is_synopsis(sec)):
            body = cleaned
            break
    return (lead + ("\n\n" + body if body else "")).strip()


def _is_synopsis(section: SectionInput) -> bool:
    return bool(section.heading_path) and section.heading_path[-1].strip().lower() in ("synopsis", "usage", "syntax")


def by_document(sections: Iterable[SectionInput]) -> Iterator[list[SectionInput]]:
    """Consecutive sections of one document, as lists (document order is kept)."""
    group: list[SectionInput] = []
    for s in sections:
        if group and group[-1].document_id != s.document_id:
            yield group
            group = []
        group.append(s)
    if group:
        yield group


def explain_nothing(stats: dict, mode: str, for_cli: bool = True) -> str:
    """Why *mode* extracted no pair from sections with these *stats* (``extract_pairs``), and
    what to try instead: the other mode, or an LLM provider — as command-line flags
    (*for_cli*) or as the names the app shows."""
    n = stats.get("sections", 0)
    if n == 0:
        return ("no pairs extracted: there are no chunks to read (import documents first; duplicate and "
                "injection-flagged chunks are left out unless included). Nothing was written.")
    if mode == "qa":
        why = (f"none of the {n} sections has a question heading, a task heading (\"How to …\", \"Installing …\"), "
               "a definition list or glossary, a command-line option list, a reference-page name "
               "(\"NAME — purpose\") or FAQ entries")
        other = "--mode instruction" if for_cli else "the instruction mode"
        hint = (f"{other}: it would use the {stats.get('with_text', 0)} sections that have a heading and "
                "enough text" if stats.get("with_text") else "")
    else:
        why = (f"none of the {n} sections has both a heading and at least {MIN_SECTION_WORDS} words of prose "
               f"({stats.get('with_heading', 0)} have a heading)")
        hint = ("--mode qa" if for_cli else "the qa mode") + \
            ": it reads definition lists, option lists and FAQ entries, which need no heading"
    llm = "--generator llm --provider …" if for_cli else "“New run…” in the Generation runs pane"
    tries = f"{hint}; or generate with an LLM provider ({llm})" if hint else \
        f"generating with an LLM provider ({llm}), or import documents with headings"
    return f"no pairs extracted in {mode} mode: {why}. Nothing was written. Try {tries}."
