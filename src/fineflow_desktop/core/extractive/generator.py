"""The offline extractive generator's entry points: ``extract_pairs`` runs the qa pass
(``qa``) or the instruction pass (``instructions``) over a run's sections, document by document,
keeping user messages unique and counting what it saw; ``explain_nothing`` turns those counts
into the "why nothing" message the CLI and the app show."""

from __future__ import annotations

from typing import Iterable, Iterator

from fineflow_desktop.core.dedup import normalize_for_hash
from fineflow_desktop.core.markup import clean_markup
from fineflow_desktop.core.extractive.casing import document_casing
from fineflow_desktop.core.extractive.documents import by_document, document_title, furniture_of
from fineflow_desktop.core.extractive.grammar import MAX_ANSWER_CHARS, MIN_SECTION_WORDS, MODES
from fineflow_desktop.core.extractive.instructions import instruction_pair
from fineflow_desktop.core.extractive.languages import (
    ENGLISH, PHRASINGS, document_language, language_name, own_question, section_language,
)
from fineflow_desktop.core.extractive.qa import (
    declarations, document_command, heading_entry, named_paragraphs, purpose_paragraphs, reference_entry,
    structured_entries,
)
from fineflow_desktop.core.extractive.records import PairDraft, SectionInput
from fineflow_desktop.core.extractive.sentences import is_question_sentence
from fineflow_desktop.core.extractive.structures import join_chunks, prose_words, without_paragraphs
from fineflow_desktop.core.extractive.subjects import document_context


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
    ``structures`` (definition/option/FAQ entries seen), ``pairs_by_rule`` and ``languages``
    (sections not in English, by ISO 639-1 code — a section's own language when it is long
    enough to tell, else its document's, ``languages.section_language``: they get only their own
    questions in qa mode and instructions in their own language).
    Raises ``ValueError`` for an unknown mode.
    """
    if mode not in MODES:
        raise ValueError(f"unknown extractive mode {mode!r}; use one of {MODES}")
    seen = set() if seen is None else seen
    stats = {} if stats is None else stats
    for key in ("sections", "with_heading", "with_text", "structures"):
        stats.setdefault(key, 0)
    stats.setdefault("pairs_by_rule", {})
    stats.setdefault("languages", {})

    language = ENGLISH  # the current section's (set per section below; read by make)

    def make(question: str, answer: str, section: SectionInput, chunk_id: int, rule: str) -> PairDraft | None:
        key = normalize_for_hash(question)
        if key in seen or not answer.strip() or not _reads_well(question, language):
            return None
        seen.add(key)
        stats["pairs_by_rule"][rule] = stats["pairs_by_rule"].get(rule, 0) + 1
        meta = {"heading_path": section.heading_path, "rule": rule, "generator": "extractive", "mode": mode}
        return PairDraft(user=question, assistant=answer, document_id=section.document_id, chunk_id=chunk_id,
                         meta=meta)

    documents = list(by_document(sections))
    furniture = furniture_of(documents) if furniture is None else furniture
    for doc_sections in documents:
        command, refname, ref_idx = document_command(doc_sections)
        title = document_title(doc_sections[0], doc_sections)
        casing = document_casing((t for sec in doc_sections for _cid, t in sec.chunks),
                                 {h for sec in doc_sections for h in sec.heading_path})
        context = document_context([t for sec in doc_sections for _cid, t in sec.chunks], title, casing,
                                   doc_sections[0].document_name) if mode == "qa" else None
        doc_language = document_language(t for sec in doc_sections for _cid, t in sec.chunks)
        answered: set[str] = set()  # the document's instruction responses (normalised)
        for idx, section in enumerate(doc_sections):
            language = section_language((t for _cid, t in section.chunks), doc_language)
            if language != ENGLISH:
                stats["languages"][language] = stats["languages"].get(language, 0) + 1
            stats["sections"] += 1
            if section.heading_path:
                stats["with_heading"] += 1
            text = without_paragraphs(join_chunks(section.chunks, MAX_ANSWER_CHARS * 2), furniture)
            prose = prose_words(clean_markup(text))
            if section.heading_path and prose >= MIN_SECTION_WORDS:
                stats["with_text"] += 1
            if mode == "instruction":
                pair = instruction_pair(section, text, title, prose, make, casing, answered, language)
                if pair:
                    yield pair
                continue
            found = structured_entries(section, command, context)
            stats["structures"] += len(found)
            if idx == ref_idx and refname:
                entry = reference_entry(refname, doc_sections, idx)
                if entry:
                    found.insert(0, entry)
            if not found and section.heading_path:
                # no structure answered anything: the heading may still ask a question
                entry = heading_entry(section, text, casing, context, language)
                found = [entry] if entry else []
            answers = set()
            for f in found + named_paragraphs(section) + declarations(section) + purpose_paragraphs(section, context):
                if f.rule in ("named_paragraph", "declaration", "purpose_paragraph") \
                        and normalize_for_hash(f.answer) in answers:
                    continue  # the section is that one entry: its heading asked already
                if language != ENGLISH and not own_question(f.question, section.heading_path, text):
                    continue  # an English question over another language's answer
                pair = make(f.question, f.answer, section, f.chunk_id, f.rule)
                if pair:
                    answers.add(normalize_for_hash(pair.assistant))
                    yield pair


def _reads_well(user: str, language: str = ENGLISH) -> bool:
    """Last gate for every user message: a question must be a question sentence, an
    instruction must carry no ellipsis or fragment of a heading ("How do I...?"). A question
    of a document in another *language* is the document's own (``own_question``); the English
    sentence test cannot read it, so it only needs to end with one "?" and have 2–40 words."""
    if user.endswith("?") and language == ENGLISH:
        return is_question_sentence(user)
    whole = "..." not in user and "…" not in user and user.count("(") == user.count(")")
    if user.endswith("?"):
        return whole and user.count("?") == 1 and 2 <= len(user.split()) <= 40
    return whole


def explain_nothing(stats: dict, mode: str, for_cli: bool = True) -> str:
    """Why *mode* extracted no pair from sections with these *stats* (``extract_pairs``), and
    what to try instead: the other mode, or an LLM provider — as command-line flags
    (*for_cli*) or as the names the app shows. When every section is in a language other than
    English (``stats["languages"]``), that is the reason given."""
    n = stats.get("sections", 0)
    if n == 0:
        return ("no pairs extracted: there are no chunks to read (import documents first; duplicate and "
                "injection-flagged chunks are left out unless included). Nothing was written.")
    foreign = stats.get("languages") or {}
    in_foreign = sum(foreign.values()) == n
    names = " and ".join(language_name(c) for c in sorted(foreign, key=lambda c: -foreign[c]))
    phrased = any(c in PHRASINGS for c in foreign)  # instruction mode can write in their language
    if mode == "qa":
        why = (f"the {n} sections are in {names}, and the qa rules write English questions: of a document "
               "in another language only its own questions (FAQ entries, question headings) are used, and "
               "it asks none" if in_foreign else
               f"none of the {n} sections has a question heading, a task heading (\"How to …\", \"Installing …\"), "
               "a definition list or glossary, a command-line option list, a reference-page name "
               "(\"NAME — purpose\"), an API declaration followed by its description, or FAQ entries")
        other = "--mode instruction" if for_cli else "the instruction mode"
        hint = (f"{other}: it would use the {stats.get('with_text', 0)} sections that have a heading and "
                "enough text" if stats.get("with_text") and (phrased or not in_foreign) else "")
    elif in_foreign and not phrased:
        why = (f"the {n} sections are in {names}, and instructions are written offline only in "
               + ", ".join(language_name(c) for c in PHRASINGS))
        hint = ""
    else:
        why = (f"none of the {n} sections has both a heading and at least {MIN_SECTION_WORDS} words of prose "
               f"({stats.get('with_heading', 0)} have a heading)")
        hint = ("--mode qa" if for_cli else "the qa mode") + \
            ": it reads definition lists, option lists and FAQ entries, which need no heading"
    llm = "--generator llm --provider …" if for_cli else "“New run…” in the Generation runs pane"
    if in_foreign and not hint:
        tries = f"generating with an LLM provider ({llm}), which writes in the documents' language"
    else:
        tries = f"{hint}; or generate with an LLM provider ({llm})" if hint else \
            f"generating with an LLM provider ({llm}), or import documents with headings"
    return f"no pairs extracted in {mode} mode: {why}. Nothing was written. Try {tries}."
