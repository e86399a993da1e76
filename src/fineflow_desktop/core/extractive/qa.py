"""The qa pass of the offline extractive generator: the questions one section's own structure
answers. ``structured_entries`` reads inline Q/A and bold questions, definition/option/API
entries, description tables and FAQ paragraphs; ``reference_entry`` the "NAME — purpose" entry
of a reference page (found by ``document_command``); ``heading_entry`` a section whose heading
is a question, a task, an API entry or a subject its first sentence defines;
``named_paragraphs`` the paragraphs that each describe one named item ("The inline option
uses …"); ``declarations`` the declarations followed by their description ("subparser :: …" /
"Builder for a command parser.")."""

from __future__ import annotations

import re
from dataclasses import dataclass

from fineflow_desktop.core.markup import clean_markup
from fineflow_desktop.core.extractive.api_entries import named_entry_question, named_paragraph_question
from fineflow_desktop.core.extractive.api_headings import api_heading, qualified_call
from fineflow_desktop.core.extractive.casing import Casing
from fineflow_desktop.core.extractive.documents import document_title
from fineflow_desktop.core.extractive.enclosing import (
    NestedLists, is_bare_word, is_value, kind_said, listed_name, value_question,
)
from fineflow_desktop.core.extractive.declarations import declared_entries
from fineflow_desktop.core.extractive.definitions import defining_question, without_leading_code
from fineflow_desktop.core.extractive.help_tags import tagged_entries
from fineflow_desktop.core.extractive.languages import ENGLISH
from fineflow_desktop.core.extractive.purposes import purpose_question
from fineflow_desktop.core.extractive.grammar import (
    MAX_ANSWER_CHARS, MIN_ANSWER_WORDS, MIN_DEFINITION_WORDS, heading_question, term_question,
)
from fineflow_desktop.core.extractive.patterns import CODEISH, MD_BOLD_Q, OPTION, QA_INLINE
from fineflow_desktop.core.extractive.records import SectionInput
from fineflow_desktop.core.extractive.sentences import heading_topic, is_question_sentence, norm_text
from fineflow_desktop.core.extractive.subjects import DocumentContext, in_context
from fineflow_desktop.core.extractive.structures import (
    api_answer, clean_answer, drop_entry_metadata, is_xref, join_chunks, prose_words, reference_name,
    split_paragraphs, table_items,
)


@dataclass
class Found:
    """A question the section answers, before ``generator.extract_pairs`` accepts it as a pair:
    *chunk_id* is the chunk it was read from, *rule* the rule that fired."""

    question: str
    answer: str
    chunk_id: int
    rule: str


def structured_entries(section: SectionInput, command: str | None, context: DocumentContext | None = None) -> list[Found]:
    """Definition/option/API entries, FAQ lines and question paragraphs of one section, in
    chunk order; *command* names option questions ("What does the --echo-all option of psql
    do?"; ``document_command``); *context* (the document) is the evidence that a bare word is of
    the kind its list's heading names (``enclosing.kind_said``)."""
    found: list[Found] = []
    glossary = any("glossary" in h.lower() or "terminology" in h.lower() for h in section.heading_path) \
        or bool(section.heading_path) and heading_topic(section.heading_path[-1]).lower().rstrip(":") == "definitions"
    # A question paragraph answered by the next one is an FAQ entry only on FAQ pages; elsewhere
    # a question in prose is rhetorical or describes a function ("Is row-level security active…?").
    faq = bool(re.search(r"\bfaq\b|frequently asked|questions|q ?& ?a|troubleshoot",
                         " ".join([*section.heading_path, section.document_name, section.document_title]), re.I))
    nested = NestedLists()  # what encloses each definition entry, across the section's chunks
    for chunk_id, text in section.chunks:
        for pattern, rule in ((QA_INLINE, "inline_qa"), (MD_BOLD_Q, "bold_question")):
            for m in pattern.finditer(text):
                q = norm_text(m.group("q"))
                q = q if q.endswith("?") else q + "?"
                a = clean_answer(m.group("a"))
                if is_question_sentence(q) and len(a.split()) >= 3:
                    found.append(Found(q, a, chunk_id, rule))
        for entry, enclosing in nested.read(text):
            terms, definition = entry.terms, entry.definition
            named = None  # the term with its kind, when its list's heading had to say it
            answer = clean_answer(definition)
            if is_xref(answer):
                continue  # "Use CharReader and CharReaderBuilder.": a pointer elsewhere answers nothing
            if len(answer.split()) < MIN_DEFINITION_WORDS or not re.search(r"[A-Za-z]{2}", answer) or re.match(r"(?:in|see|see also)\s", answer):
                continue  # too short (a row of dot leaders has no word), or an index entry pointing elsewhere
            phrased = term_question(", ".join(terms) if all(OPTION.match(norm_text(t)) for t in terms) else terms[0],
                                    command, glossary)
            if enclosing and len(terms) == 1 and is_value(terms[0], enclosing.terms) and phrased \
                    and phrased[1] == "definition":
                # "color" in the list of --word-diff's modes: asked with what it is a value of, or not at all
                phrased = value_question(terms[0], enclosing.terms)
                if not phrased:
                    continue
            elif not enclosing and not glossary and len(terms) == 1 and is_bare_word(terms[0]) and phrased \
                    and phrased[1] == "definition":
                # "ort" under "MERGE STRATEGIES": the list's heading says what it is, or nothing does
                named = listed_name(terms[0], section.heading_path[-1] if section.heading_path else "", command,
                                    nested.mixed or nested.unsure,
                                    lambda phrase: kind_said(phrase, definition, context.writes if context else
                                                             lambda _p: False))
                if named == "":
                    continue
                phrased = (f"What is {named}?", "definition") if named else phrased
            if phrased and phrased[1] == "api_entry":
                # parameter lines ("error: is an error returned by …") come before what the entry does
                rest = answer.split("\n")
                while len(rest) > 1 and re.match(r"^[a-z_]\w*:\s", rest[0]):
                    rest = rest[1:]
                if len(" ".join(rest).split()) >= MIN_DEFINITION_WORDS:
                    answer = "\n".join(rest)
            if phrased and phrased[1] == "definition":
                phrased, answer = _predicate_definition(phrased, named or terms[0], answer)
            if phrased:
                rule = "glossary" if glossary and phrased[1] == "definition" else phrased[1]
                found.append(Found(phrased[0], answer, chunk_id, rule))
        if "*" in text:  # Vim help: "*'autoindent'*", "*:delete*", "*abs()*" tag the entries
            found += [Found(q, a, chunk_id, "help_tag") for _name, q, a in tagged_entries(text)]
        for name, description in table_items(text):
            phrased = term_question(name, command)
            if phrased and phrased[1] in ("definition", "option", "api_entry"):
                answer = description if re.search(r"[.!?)]$", description) else description + "."
                found.append(Found(phrased[0], answer[0].upper() + answer[1:], chunk_id, "table_" + phrased[1]))
        pars = split_paragraphs(text) if faq else []
        for a, b in zip(pars, pars[1:]):
            q = norm_text(a)
            if "\n" in a.strip() or not q.endswith("?") or not is_question_sentence(q) or len(q.split()) > 30:
                continue
            answer = clean_answer(b)
            if len(answer.split()) >= MIN_ANSWER_WORDS and not answer.rstrip().endswith("?"):
                found.append(Found(q, answer, chunk_id, "faq_paragraph"))
    return found


# A definition that goes on the term's sentence: its term is the subject ("archive" / ": takes a file
# or directory offline.", gnu-maintain's upload directives). A verb in -s and an object say what it
# does; a requirement or a status ("must be the value ‘1.2’ …", "is optional, and ignored if
# present:") says how it is used, not what it is. Other predicates ("can be used to …", "is set
# to …") keep their "What is X?".
_ACTS = re.compile(r"^(?P<verb>[a-z]{2,}[^s\W]s)\s+(?:a|an|the|its|their|all|any|each|every|one|this|that|these|those)\s")
_USED = re.compile(r"^(?:must|should|shall)\s|^(?:is|are)\s+(?:optional|required|mandatory|ignored|deprecated"
                   r"|obsolete|not)\b")


def _predicate_definition(phrased: tuple[str, str], term: str, answer: str) -> tuple[tuple[str, str] | None, str]:
    """The question and answer of a definition entry whose text goes on the term's sentence
    ("archive" / "takes a file or directory offline." → "What does archive do?" / "Takes a file or
    directory offline."); ``(None, answer)`` for one that says how the term is used ("must be the
    value …", "is optional …"); *phrased* and *answer* unchanged for any other definition."""
    if _USED.match(answer):
        return None, answer
    m = _ACTS.match(answer)
    if not m or m.group("verb") in _NOT_ACTIONS:
        return phrased, answer
    name = norm_text(term).rstrip(":").strip()
    q = f"What does {name} do?"
    return ((q, "definition") if is_question_sentence(q) else None), answer[0].upper() + answer[1:]


# Words in -s that start a definition as a plural noun, not as a verb ("options the user sets").
_NOT_ACTIONS = frozenset("options values arguments parameters files names items elements entries bytes".split())


def document_command(sections: list[SectionInput]) -> tuple[str | None, tuple[str, str] | None, int]:
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


def reference_entry(refname: tuple[str, str], sections: list[SectionInput], idx: int) -> Found | None:
    """"What does psql do?" answered by "psql: PostgreSQL interactive terminal." and the
    description that follows it, for the reference name *refname* (``document_command``) of
    ``sections[idx]``; None when there is nothing to answer with."""
    answer = _reference_answer(refname, sections, idx)
    if not answer:
        return None
    name = refname[0].split(',')[0].strip()
    q = f"What does {name} do?"
    if _man_section(name, sections) in ("5", "7"):
        # gitrepository-layout(5), gittutorial(7): a page about a file format or a topic, not a program
        q = f"What does the {name} manual page describe?"
    return Found(q, answer, sections[idx].chunks[0][0], "reference_page")


def _man_section(name: str, sections: list[SectionInput]) -> str | None:
    """The manual section a reference page gives its *name* in its title or first heading
    ("gitrepository-layout(5) Manual Page" → "5"), or None. Sections 5 (file formats) and 7
    (overviews, conventions) name no program (man-pages(7), "Sections of the manual pages")."""
    first = sections[0] if sections else None
    for text in ([first.document_title, *first.heading_path[:1]] if first else []):
        m = re.search(rf"(?<![\w-]){re.escape(name)}\((\d)\w*\)", text or "")
        if m:
            return m.group(1)
    return None


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


def heading_entry(section: SectionInput, text: str, casing: Casing, context: DocumentContext | None = None,
                  language: str = ENGLISH) -> Found | None:
    """The question a headed section's heading gives — a question or task heading
    (``heading_question``), an API entry (``api_heading``, qualified by its type's page), a
    subject the section defines (``defining_question``) or a named entry
    (``named_entry_question``) — answered by the section's *text* (without furniture); None
    when no rule phrases the heading or the answer is too short. A task question must stand
    alone: ``subjects.in_context`` names what "the font" or "these files" are, from the headings
    above or the document (*context*), or the heading gives no question. Those rules compose
    English; in a document in another *language* only a heading that is a question itself
    ("Comment installer le package ?") gives one."""
    if language != ENGLISH:
        own = heading_topic(section.heading_path[-1])
        answer = clean_answer(drop_entry_metadata(text))
        if own.endswith("?") and len(answer.split()) >= MIN_ANSWER_WORDS and not _only_announces(answer):
            return Found(own, answer, section.chunks[0][0], "question_heading")
        return None
    parent = section.heading_path[-2] if len(section.heading_path) > 1 else None
    phrased = heading_question(section.heading_path[-1], parent, casing)
    if phrased and (phrased[1] in ("gerund_heading", "how_to_heading")
                    or phrased[1] == "question_heading" and re.fullmatch(r"\w+ to \S+\?", phrased[0])):
        q = in_context(phrased[0], section.heading_path, context or DocumentContext(casing=casing))
        if q is None:
            return None
        phrased = (q, phrased[1])
    api = None if phrased else api_heading(section.heading_path[-1])
    if api and len(section.heading_path) > 1:
        api = (qualified_call(api[0], section.heading_path[0]), api[1])
    phrased = (phrased or api or defining_question(section.heading_path[-1], clean_markup(without_leading_code(text)), casing)
               or named_entry_question(section.heading_path[-1], clean_markup(text)))
    if not phrased:
        return None
    # an API entry answers with its description, not its signature and cross-references
    answer = api_answer(text, MIN_DEFINITION_WORDS) if api else clean_answer(drop_entry_metadata(text))
    if _only_announces(answer):
        return None  # "How do I deal with mail?" → "This chapter describes setting up mailing lists …"
    if len(answer.split()) >= (MIN_DEFINITION_WORDS if api else MIN_ANSWER_WORDS):
        return Found(phrased[0], answer, section.chunks[0][0], phrased[1])
    return None


# The opening of a chapter that only says what its subsections hold ("This chapter describes setting
# up mailing lists for your package, and gives advice on …", gnu-maintain): a table of contents in prose.
_ANNOUNCES = re.compile(r"^(?:This|The following)\s+(?:chapter|section|appendix|part|node)\s+(?:\w+ly\s+)?"
                        r"(?:describes|explains|covers|discusses|presents|introduces|gives|contains|lists)\b")


def _only_announces(answer: str) -> bool:
    """True when *answer* is one short paragraph that announces what the chapter's subsections
    say (``_ANNOUNCES``) instead of saying it, followed at most by their menu (list items of a
    few words: "- Standard Mailing Lists"): a heading's question it does not answer."""
    first, *rest = split_paragraphs(answer.strip()) or [""]
    menu = all(re.fullmatch(r"[-*]\s+\S.{0,60}", ln.strip()) and not ln.rstrip().endswith(".")
               for par in rest for ln in par.splitlines())
    return menu and len(first.split()) <= 50 and bool(_ANNOUNCES.match(first))


def named_paragraphs(section: SectionInput) -> list[Found]:
    """The paragraphs of one section that each open by naming one item with its kind and
    saying what it does ("The inline option uses …" → "What does the inline option do?",
    ``api_entries.named_paragraph_question``), answered by that paragraph: a manual describing
    its options, functions or environments in prose, one paragraph each. These do not stand
    in for the heading's own question (``generator.extract_pairs`` asks both)."""
    found: list[Found] = []
    for chunk_id, text in section.chunks:
        for par in split_paragraphs(text):
            phrased = named_paragraph_question(clean_markup(par))
            if not phrased:
                continue
            answer = clean_answer(par)
            if len(answer.split()) >= MIN_ANSWER_WORDS:
                found.append(Found(phrased[0], answer, chunk_id, phrased[1]))
    return found


def purpose_paragraphs(section: SectionInput, context: DocumentContext | None = None) -> list[Found]:
    """The paragraphs of one section that open with a goal and the instruction that reaches it
    ("To check whether papers have been received, look in /gd/gnuorg/copyright." → "How do I
    check whether papers have been received?", ``purposes.purpose_question``), answered by that
    paragraph; a goal that leans on its document ("To install the package, …") is named from the
    headings or the document (*context*; ``subjects.in_context``), or gives nothing. Like
    ``named_paragraphs``, these do not stand in for the heading's question."""
    found: list[Found] = []
    for chunk_id, text in section.chunks:
        for par in split_paragraphs(text):
            if par.lstrip().startswith(("```", "- ", "* ", "|")):
                continue
            phrased = purpose_question(clean_markup(par))
            if not phrased:
                continue
            q = in_context(phrased[0], section.heading_path, context or DocumentContext(), own_heading=False)
            if q is None:
                continue
            phrased = (q, phrased[1])
            answer = clean_answer(par)
            if answer.endswith(":"):  # "… add the g (global) flag. The command:" — its code is not here
                answer = answer[: answer.rfind(". ") + 1] if ". " in answer else ""
            lines = answer.split("\n")
            while len(lines) > 1 and not re.search(r"[.!?)\"'`]$", lines[-1].strip()):
                lines.pop()  # a line break inside the paragraph ("<br>") before a fragment ("press ctrl + ,")
            answer = "\n".join(lines)
            if len(answer.split()) >= MIN_ANSWER_WORDS:
                found.append(Found(phrased[0], answer, chunk_id, phrased[1]))
    return found


def declarations(section: SectionInput) -> list[Found]:
    """The declarations of one section that are followed by their description
    (``declarations.declared_entries``: "subparser :: Mod CommandFields a -> Parser a" /
    "Builder for a command parser." → "What does the subparser function do?"), answered by
    that description. An item the section's own heading names is left to the heading's
    question. Like ``named_paragraphs``, these do not stand in for the heading's question."""
    heading = section.heading_path[-1] if section.heading_path else ""
    named = set(re.findall(r"[\w']+|[^\w\s()]+", heading))
    found: list[Found] = []
    for chunk_id, text in section.chunks:
        for item, question, answer in declared_entries(text):
            if item.name not in named:
                found.append(Found(question, answer, chunk_id, "declaration"))
    return found
