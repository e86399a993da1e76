"""The instruction pass of the offline extractive generator: one pair per section with a heading
and enough prose. ``instruction_for`` phrases the instruction from the heading path and the
document's title (``topic_name`` names an API entry by its name); ``instruction_pair`` makes the
section's pair, its response the section text (an API entry's description, not its signature)."""

from __future__ import annotations

import re
import zlib
from typing import Callable

from fineflow_desktop.core.dedup import normalize_for_hash
from fineflow_desktop.core.extractive.api_entries import api_item, entry_signature
from fineflow_desktop.core.extractive.api_headings import api_heading
from fineflow_desktop.core.extractive.casing import Casing
from fineflow_desktop.core.extractive.grammar import GENERIC_HEADINGS, MIN_SECTION_WORDS, SKIP_HEADINGS, heading_question, question_to_task
from fineflow_desktop.core.extractive.languages import ENGLISH, PHRASINGS
from fineflow_desktop.core.extractive.patterns import API_NAME, signature_match
from fineflow_desktop.core.extractive.records import PairDraft, SectionInput
from fineflow_desktop.core.extractive.sentences import heading_topic, names_topic
from fineflow_desktop.core.extractive.structures import (
    api_answer, clean_answer, drop_entry_metadata, line_words, prose_words, reference_name, split_paragraphs,
    without_file_footer,
)

# make(question, answer, section, chunk id, rule) → the pair, or None when it is refused (a
# repeated user message, an empty answer); ``generator.extract_pairs`` supplies it
MakePair = Callable[[str, str, SectionInput, int, str], "PairDraft | None"]


def topic_name(heading: str) -> str:
    """The topic of a heading for an instruction: an API entry's signature ("pub fn load(&self,
    order: Ordering) -> bool", "◆ asString()") is named by its name ("load()"); other headings
    are kept (``heading_topic``)."""
    h = heading_topic(heading)
    item = api_item(h)
    if item:
        return item[0]
    m = signature_match(h)
    if m and (h[m.end("name")] == "(" or API_NAME.search(m.group("name"))):
        return m.group("name") + "()"
    return h


# A heading of more words than this is a paragraph that a PDF's fonts made look like a heading
# ("composition of material that contains a lot of mathematical …"), not a topic to name. In the
# English benchmark sets only 5 of 13,000 instruction pairs named a longer one: FAQ questions of
# two sentences ("Describe what General says about “Django appears to be … How come …?”") and
# one release note's issue title (bench_extract_docs, session 12).
MAX_TOPIC_WORDS = 16


def instruction_for(heading_path: list[str], title: str, topic: str | None = None,
                    language: str = ENGLISH) -> tuple[str, str] | None:
    """(instruction, rule) naming the topic and the document, or None for boilerplate headings
    and for a *language* with no phrasings (``languages.PHRASINGS``).

    The phrasing is picked by a CRC-32 of the heading path (stable across runs and machines).
    A generic heading ("Examples") is named with its parent ("Examples of CREATE INDEX"; in
    English only, since the generic headings are English words).
    *topic* names the last heading instead of ``topic_name`` (an overload by its signature).
    """
    phrasings = PHRASINGS.get(language)
    path = [topic_name(h) for h in heading_path if heading_topic(h)]
    if topic and path:
        path[-1] = topic
    if not path or not title or phrasings is None:
        return None
    h = path[-1].rstrip(":")
    if h.lower() in SKIP_HEADINGS or not names_topic(h) or line_words(h) > MAX_TOPIC_WORDS:
        return None
    pick = zlib.crc32("\x1f".join(path).encode())
    doc = title = heading_topic(title) or title
    if len(path) == 1 and (h == title or reference_name(h) or h.lower() in GENERIC_HEADINGS):
        return phrasings.overviews[pick % len(phrasings.overviews)].format(doc=doc), "section_overview"
    if h.lower() in GENERIC_HEADINGS and language == ENGLISH:
        parents = [p for p in path[:-1] if p != title and p.lower() not in GENERIC_HEADINGS]
        if parents:
            rn = reference_name(parents[-1])
            h = f"{h} of {rn[0] if rn else parents[-1]}"
    topic = h.replace("“", "\"").replace("”", "\"")
    return phrasings.sections[pick % len(phrasings.sections)].format(topic=topic, doc=doc), "section_instruction"


def instruction_pair(section: SectionInput, text: str, title: str, prose: int, make: MakePair,
                     casing: Casing, answered: set[str], language: str = ENGLISH) -> PairDraft | None:
    """The instruction pair of one section (None when it has no heading, too little prose, or
    repeats one made already); *text* is the section's text without furniture, *prose* its
    word count (``prose_words``), *title* the document's (``document_title``); *answered*
    collects the document's responses (normalised) so that an overload is told apart by its
    parameters only when it says something else. The instruction is in the document's
    *language* (``languages.document_language``); the English heading rules ("How to …")
    apply to English documents only."""
    if not section.heading_path or prose < MIN_SECTION_WORDS:
        return None
    if language == ENGLISH:
        phrased = heading_question(section.heading_path[-1], casing=casing)
    else:  # a heading that asks in the document's language is its instruction as it stands
        own = heading_topic(section.heading_path[-1])
        phrased = (own, "question_heading") if own.endswith("?") else None
    if phrased and language != ENGLISH:
        instruction, rule = phrased
    elif phrased and phrased[1] != "gerund_heading":
        instruction, rule = question_to_task(phrased[0]), phrased[1]
    else:
        made = instruction_for(section.heading_path, title, language=language)
        if not made:
            return None
        instruction, rule = made
    answer = ""
    last = section.heading_path[-1]
    is_api = bool(api_heading(last) or api_item(last))
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
        made = instruction_for(section.heading_path, title, signature, language) if signature else None
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
