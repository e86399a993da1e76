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
    * API entries whose term is a signature ("What does json.dumps() do?"), API headings that
      name an item with its kind ("Struct std::fs::File", "Class: net.Socket", "Json::Value
      Class Reference", "The \"collate\" method") or a keyword signature ("pub fn load(&self)"
      → "What does AtomicBool::load() do?" on the type's page), answered by the entry's
      description (``structures.api_answer``: no signature rows, labels, notices or
      cross-references; an entry without a description gives no pair);
    * a section headed by a name that opens "The <name> <kind> <verb> …" ("The reset command
      causes …" → "What does the reset command do?"; ``named_entry_question``);
    * reference tables with a "description" column ("What is flatpak?" → its description);
    * reference pages: "NAME — purpose" ("What does psql do?") as a title or first paragraph;
    * question headings, "How to …" and task headings ("Installing the tools" → "How do I
      install the tools?"), FAQ entries (``Q:``/``A:`` lines, a one-line question paragraph
      followed by its answer);
    * a section that opens by defining its heading's subject ("The glob files" / "The globs2
      file is a simple list of …" → "What are the glob files?"; ``defining_question``).

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
from fineflow_desktop.core.markup import clean_markup
from fineflow_desktop.core.extractive.api_entries import api_item, api_item_question, entry_signature, named_entry_question
from fineflow_desktop.core.extractive.grammar import (
    GENERIC_HEADINGS, MAX_ANSWER_CHARS, MIN_ANSWER_WORDS, MIN_DEFINITION_WORDS, MIN_SECTION_WORDS, MODES, SKIP_HEADINGS,
    defining_question, heading_question, question_to_task, term_question,
)
from fineflow_desktop.core.extractive.patterns import (
    API_NAME, C_SIGNATURE, CODEISH, KEYWORD_SIGNATURE, MD_BOLD_Q, OPTION, QA_INLINE, SIGNATURE,
)
from fineflow_desktop.core.extractive.casing import Casing, document_casing
from fineflow_desktop.core.extractive.sentences import heading_topic, is_question_sentence, names_topic, norm_text
from fineflow_desktop.core.extractive.structures import (
    api_answer, clean_answer, definition_items, drop_entry_metadata, is_xref, join_chunks, prose_words, reference_name,
    repeated_paragraphs, split_paragraphs, table_items, without_file_footer, without_paragraphs,
)


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



# ---------------------------------------------------------------- instruction phrasing


def document_title(section: SectionInput, sections: list[SectionInput] | None = None) -> str:
    """The document's title: its first heading, else its own title (HTML ``<title>``, PDF
    metadata), else the one top heading every headed section of the document (*sections*, in
    document order) shares — a page title after an untitled preamble —, else the file stem.
    An index's letter group ("- c -") titles nothing (``names_topic``)."""
    # the page's first heading names it best; <title> often carries the site name too
    title = heading_topic(section.heading_path[0]) if section.heading_path else ""
    if not names_topic(title):
        title = heading_topic(section.document_title or "")
    if not title and sections:
        roots = {heading_topic(s.heading_path[0]) for s in sections if s.heading_path}
        title = roots.pop() if len(roots) == 1 else ""
        title = title if names_topic(title) else ""
    if ":" in title and section.document_title and heading_topic(section.document_title) == title:
        title = title.split(":", 1)[1].strip() or title  # "GNU gettext utilities: 11. The Programmer's View"
        title = heading_topic(title)
    if not title:
        name = PurePath(section.document_name or "").name
        title = re.sub(r"(\.[A-Za-z0-9]+)+$", "", name).replace("_", " ").replace("-", " ").strip()
    rn = reference_name(title)
    item = api_item(title)
    if item:  # "Struct std::iter::Zip" → "the std::iter::Zip struct"
        return f"the {item[0]} {item[1]}"
    return rn[0] if rn else title


def topic_name(heading: str) -> str:
    """The topic of a heading for an instruction: an API entry's signature ("pub fn load(&self,
    order: Ordering) -> bool", "◆ asString()") is named by its name ("load()"); other headings
    are kept (``heading_topic``)."""
    h = heading_topic(heading)
    item = api_item(h)
    if item:
        return item[0]
    m = SIGNATURE.match(h) or C_SIGNATURE.match(h) or KEYWORD_SIGNATURE.match(h)
    if m and (h[m.end("name")] == "(" or API_NAME.search(m.group("name"))):
        return m.group("name") + "()"
    return h


_TEMPLATES = (
    "Explain “{topic}” in {doc}.",
    "Summarize the section “{topic}” of {doc}.",
    "Describe what {doc} says about “{topic}”.",
)
_OVERVIEW = (
    "Give an overview of {doc}.",
    "Summarize the introduction of {doc}.",
)


def instruction_for(heading_path: list[str], title: str, topic: str | None = None) -> tuple[str, str] | None:
    """(instruction, rule) naming the topic and the document, or None for boilerplate headings.

    The phrasing is picked by a CRC-32 of the heading path (stable across runs and machines).
    A generic heading ("Examples") is named with its parent ("Examples of CREATE INDEX").
    *topic* names the last heading instead of ``topic_name`` (an overload by its signature).
    """
    path = [topic_name(h) for h in heading_path if heading_topic(h)]
    if topic and path:
        path[-1] = topic
    if not path or not title:
        return None
    h = path[-1].rstrip(":")
    if h.lower() in SKIP_HEADINGS or not names_topic(h):
        return None
    pick = zlib.crc32("\x1f".join(path).encode())
    doc = title = heading_topic(title) or title
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
        for pattern, rule in ((QA_INLINE, "inline_qa"), (MD_BOLD_Q, "bold_question")):
            for m in pattern.finditer(text):
                q = norm_text(m.group("q"))
                q = q if q.endswith("?") else q + "?"
                a = clean_answer(m.group("a"))
                if is_question_sentence(q) and len(a.split()) >= 3:
                    found.append(_Found(q, a, chunk_id, rule))
        for terms, definition in definition_items(text):
            answer = clean_answer(definition)
            if is_xref(answer):
                continue  # "Use CharReader and CharReaderBuilder.": a pointer elsewhere answers nothing
            if len(answer.split()) < MIN_DEFINITION_WORDS or not re.search(r"[A-Za-z]{2}", answer) or re.match(r"(?:in|see|see also)\s", answer):
                continue  # too short (a row of dot leaders has no word), or an index entry pointing elsewhere
            phrased = term_question(", ".join(terms) if all(OPTION.match(norm_text(t)) for t in terms) else terms[0],
                                    command, glossary)
            if phrased and phrased[1] == "api_entry":
                # parameter lines ("error: is an error returned by …") come before what the entry does
                rest = answer.split("\n")
                while len(rest) > 1 and re.match(r"^[a-z_]\w*:\s", rest[0]):
                    rest = rest[1:]
                if len(" ".join(rest).split()) >= MIN_DEFINITION_WORDS:
                    answer = "\n".join(rest)
            if phrased:
                rule = "glossary" if glossary and phrased[1] == "definition" else phrased[1]
                found.append(_Found(phrased[0], answer, chunk_id, rule))
        for name, description in table_items(text):
            phrased = term_question(name, command)
            if phrased and phrased[1] in ("definition", "option", "api_entry"):
                answer = description if re.search(r"[.!?)]$", description) else description + "."
                found.append(_Found(phrased[0], answer[0].upper() + answer[1:], chunk_id, "table_" + phrased[1]))
        pars = split_paragraphs(text) if faq else []
        for a, b in zip(pars, pars[1:]):
            q = norm_text(a)
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
        candidates += split_paragraphs(sec.chunks[0][1])[:1] if sec.chunks else []
        for cand in candidates:
            rn = reference_name(cand)
            if rn:
                return rn[0].split(",")[0].strip(), rn, idx
    title = document_title(sections[0], sections) if sections else ""
    if title and len(title.split()) == 1 and CODEISH.search(title) is None and title.islower():
        return title, None, -1
    if title and len(title.split()) == 1 and re.match(r"^[\w.-]+$", title) and title.islower():
        return title, None, -1
    return None, None, -1


def extract_pairs(sections: Iterable[SectionInput], mode: str = "qa", system_prompt: str = "",
                  seen: set[str] | None = None, stats: dict | None = None,
                  furniture: set[str] | None = None) -> Iterator[PairDraft]:
    """Yield extracted pairs for *sections* in *mode* ``qa`` or ``instruction``.

    Sections of one document must be consecutive (document order), since reference pages and
    option lists need the document's name. Paragraphs repeated on most of the documents read
    together (a site banner, ``repeated_paragraphs``) are left out of answers; a caller that
    extracts one document at a time passes them as *furniture* (``furniture_of``). User messages are unique (after
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

    documents = list(by_document(sections))
    furniture = furniture_of(documents) if furniture is None else furniture
    for doc_sections in documents:
        command, refname, ref_idx = _document_command(doc_sections)
        title = document_title(doc_sections[0], doc_sections)
        casing = document_casing((t for sec in doc_sections for _cid, t in sec.chunks),
                                 {h for sec in doc_sections for h in sec.heading_path})
        answered: set[str] = set()  # the document's instruction responses (normalised)
        for idx, section in enumerate(doc_sections):
            stats["sections"] += 1
            if section.heading_path:
                stats["with_heading"] += 1
            text = without_paragraphs(join_chunks(section.chunks, MAX_ANSWER_CHARS * 2), furniture)
            prose = prose_words(clean_markup(text))
            if section.heading_path and prose >= MIN_SECTION_WORDS:
                stats["with_text"] += 1
            if mode == "instruction":
                pair = _instruction_pair(section, text, title, prose, make, casing, answered)
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
            phrased = heading_question(section.heading_path[-1], parent, casing)
            api = None if phrased else _api_heading(section.heading_path[-1])
            if api and len(section.heading_path) > 1:
                api = (qualified_call(api[0], section.heading_path[0]), api[1])
            phrased = (phrased or api or defining_question(section.heading_path[-1], clean_markup(text), casing)
                       or named_entry_question(section.heading_path[-1], clean_markup(text)))
            if not phrased:
                continue
            # an API entry answers with its description, not its signature and cross-references
            answer = api_answer(text, MIN_DEFINITION_WORDS) if api else clean_answer(drop_entry_metadata(text))
            if len(answer.split()) >= (MIN_DEFINITION_WORDS if api else MIN_ANSWER_WORDS):
                pair = make(phrased[0], answer, section, section.chunks[0][0], phrased[1])
                if pair:
                    yield pair


def qualified_call(question: str, page_heading: str) -> str:
    """"What does load() do?" on the page of an API type ("Struct std::sync::atomic::AtomicBool",
    "Json::Value Class Reference") → "What does AtomicBool::load() do?": a method name alone is
    shared by many types (every ``from()``, ``size()``). Other questions are returned as they are."""
    item = api_item(page_heading)
    m = re.fullmatch(r"What does ([A-Za-z_]\w*)\(\) do\?", question)
    if not item or not m or item[1] not in ("struct", "enum", "union", "trait", "class", "interface", "type",
                                               "class template", "struct template", "primitive type", "record"):
        return question
    owner = item[0].split("::")[-1].split(".")[-1]
    return f"What does {owner}::{m.group(1)}() do?" if owner != m.group(1) else question


def furniture_of(documents: Iterable[list[SectionInput]]) -> set[str]:
    """The paragraphs repeated on most of *documents* (lists of one document's sections, as
    ``by_document`` yields them): a site's banner or footer (``repeated_paragraphs``)."""
    return repeated_paragraphs([[t for sec in doc for _cid, t in sec.chunks] for doc in documents])


def _api_heading(heading: str) -> tuple[str, str] | None:
    """A heading that names an API entry ("gtk_widget_show ()", "GtkWidget::destroy",
    "json.dumps()", "Struct std::fs::File", "Class: net.Socket", "--tls-min-v1.1") → its
    question; plain-word headings ("SQLite Keywords", "URI Format", "3D plots", "Custom
    (Application Defined) Tokenizers") → None."""
    item = api_item_question(heading)
    if item:
        return item
    h = heading_topic(heading)
    if OPTION.match(h) and len(h.split()) == 1:
        return term_question(h)  # "--tls-min-v1.1": an option's own entry
    if "@" in h:
        return None  # "Name Surname (someone@example.org)": an author line, not a signature
    sig = SIGNATURE.match(h) or C_SIGNATURE.match(h) or KEYWORD_SIGNATURE.match(h)
    if sig and h[sig.end("name"):sig.end()].strip() == "(" and h[sig.end("name")] == " " \
            and not API_NAME.search(sig.group("name")):
        sig = None  # "Custom (Application Defined) Tokenizers": words before a parenthesis
    if not (sig or (len(h.split()) <= 2 and any(API_NAME.search(w) for w in h.split()))):
        return None
    phrased = term_question(h)
    if phrased and phrased[1] == "option":
        return phrased
    return (phrased[0], "api_heading") if phrased and phrased[1] in ("api_entry", "definition") else None


def _reads_well(user: str) -> bool:
    """Last gate for every user message: a question must be a question sentence, an
    instruction must carry no ellipsis or fragment of a heading ("How do I...?")."""
    if user.endswith("?"):
        return is_question_sentence(user)
    return "..." not in user and "…" not in user and user.count("(") == user.count(")")


def _instruction_pair(section: SectionInput, text: str, title: str, prose: int, make,
                      casing: Casing, answered: set[str]) -> PairDraft | None:
    """The instruction pair of one section (None when it has no heading, too little prose, or
    repeats one made already); *answered* collects the document's responses (normalised) so that
    an overload is told apart by its parameters only when it says something else."""
    if not section.heading_path or prose < MIN_SECTION_WORDS:
        return None
    phrased = heading_question(section.heading_path[-1], casing=casing)
    if phrased and phrased[1] != "gerund_heading":
        instruction, rule = question_to_task(phrased[0]), phrased[1]
    else:
        made = instruction_for(section.heading_path, title)
        if not made:
            return None
        instruction, rule = made
    answer = ""
    last = section.heading_path[-1]
    is_api = bool(_api_heading(last) or api_item(last))
    if is_api and (topic_name(last) != heading_topic(last) or api_item(last)):
        answer = api_answer(text, MIN_SECTION_WORDS // 2)  # an API entry: its description, not its signature
    elif is_api:
        # named as headed ("◆ getMemberNames()", "napi_set_element"): the section without the
        # signature block it opens with; everything else as written
        answer = _without_signature(clean_answer(without_file_footer(drop_entry_metadata(text))),
                                    topic_name(last).removesuffix("()"))
    if not answer:
        answer = clean_answer(without_file_footer(drop_entry_metadata(text)) if is_api else drop_entry_metadata(text))
    if prose_words(answer) < MIN_SECTION_WORDS // 2:
        return None
    pair = make(instruction, answer, section, section.chunks[0][0], rule)
    key = normalize_for_hash(answer)
    if pair is None and is_api and rule == "section_instruction" and key not in answered:
        # the same name headed an earlier entry of the page (an overload, "◆ Value() [9/14]"):
        # name this one by its parameters
        name = topic_name(section.heading_path[-1])
        heading = heading_topic(section.heading_path[-1])
        # its parameters as headed ("new Buffer(size)"), else as its signature row prints them
        signature = (entry_signature(name.removesuffix("()"), heading)
                     or entry_signature(name.removesuffix("()"), text.strip().split("\n\n", 1)[0])
                     ) if name.endswith("()") else None
        made = instruction_for(section.heading_path, title, signature) if signature else None
        if made:
            pair = make(made[0], answer, section, section.chunks[0][0], made[1])
    if pair:
        answered.add(key)
    return pair


def _without_signature(answer: str, name: str) -> str:
    """*answer* without its first paragraph when that is an entry's signature or type line — no
    sentence, label ("Syntax:") or definition entry ("RPMs" / ": js"), at most three lines, naming *name* or of at most four words ("Value::Members
    Json::Value::getMemberNames | ( | | ) | const", "#define GTK_STOCK_BOLD …", "- <boolean>")
    — and enough prose follows; else *answer* as it is."""
    pars = split_paragraphs(answer)
    if len(pars) < 2:
        return answer
    first = pars[0].strip()
    if re.search(r"[.!?:]\W*$", first) or first.count("\n") > 2 or first.startswith(("```", "~~~")) or "\n: " in first \
            or not (name in first or len(first.split()) <= 4):
        return answer
    rest = "\n\n".join(pars[1:])
    return rest if prose_words(rest) >= MIN_SECTION_WORDS // 2 else answer


def _reference_answer(refname: tuple[str, str], sections: list[SectionInput], idx: int) -> str:
    """"psql — PostgreSQL interactive terminal" + the description that follows it."""
    name, purpose = refname
    lead = f"{name.split(',')[0].strip()}: {purpose}."
    body = ""
    for sec in sections[idx: idx + 4]:
        text = join_chunks(sec.chunks, MAX_ANSWER_CHARS)
        pars = split_paragraphs(text)
        if sec is sections[idx] and pars and reference_name(pars[0]):
            pars = pars[1:]
        cleaned = clean_answer("\n\n".join(pars), MAX_ANSWER_CHARS // 2)
        if prose_words(cleaned) >= MIN_ANSWER_WORDS and (sec is sections[idx] or not _is_synopsis(sec)):
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
