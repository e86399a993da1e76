"""Offline extractive pair generation: no model, no network.

Pairs are *extracted* from the documents, never written by an AI:

* a heading that is a question ("How do I …?") or can be phrased as one — "How to …"
  headings, module titles ("json — JSON encoder and decoder"), gerund headings
  ("Installing the tools") — plus its section body;
* explicit FAQ markup inside a section: ``Q:``/``A:`` lines and Markdown bold questions;
* glossary entries (an RST definition list under a "Glossary" heading).

``qa`` mode keeps the question; ``instruction`` mode phrases it as a task ("Explain how to …").
Every pair carries its provenance (document id, chunk id, heading path, rule).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Iterable, Iterator

from fineflow_desktop.core.dedup import normalize_for_hash
from fineflow_desktop.core.markup import clean_inline, clean_markup

MODES = ("qa", "instruction")
MIN_ANSWER_WORDS = 8
MAX_ANSWER_CHARS = 6000  # ~1.5k tokens: long enough for a full FAQ answer, short enough to read

QUESTION_WORDS = ("how", "what", "why", "when", "where", "which", "who", "can", "is", "are", "do", "does",
                  "should", "will", "would", "could", "must")
_MODULE_TITLE = re.compile(r"^`?(?P<name>[\w.]+)`?\s+(?:—|---|--|–)\s+(?P<desc>.+)$")
# Verbs whose gerund opens a task heading ("Installing the tools", "Writing tests"). A closed list:
# suffix rules alone turn adjectives into nonsense ("Operating System Utilities" → "operat").
_TASK_VERBS = """access add avoid build call catch change check choose close combine compare compile compute
configure connect control convert copy create customize deal debug declare decode define delete deploy disable
display distribute embed enable encode execute extend filter find format generate get handle implement import
install interpret invoke iterate join load log manage manipulate map measure migrate monitor open override pack
package parse port print process profile provide raise read receive register release remove render replace
retrieve run search select send serialize set share sort specify split store subclass test track translate
unpack update upgrade use validate work wrap write""".split()
_DOUBLED = {"run", "set", "get", "map", "log", "wrap", "debug", "stop", "put", "ship", "plan"}


def _gerund(verb: str) -> str:
    if verb in _DOUBLED:
        return verb + verb[-1] + "ing"
    if verb.endswith("e") and not verb.endswith("ee"):
        return verb[:-1] + "ing"
    return verb + "ing"


_GERUNDS = {_gerund(v): v for v in _TASK_VERBS}
_QA_INLINE = re.compile(r"^\s*(?:Q|Question)\s*[:.]\s*(?P<q>.+?)\s*\n\s*(?:A|Answer)\s*[:.]\s*(?P<a>.+?)(?=\n\s*(?:Q|Question)\s*[:.]|\Z)",
                        re.S | re.M | re.I)
_MD_BOLD_Q = re.compile(r"^\s*\*\*(?P<q>[^*\n]+\?)\*\*\s*\n(?P<a>.+?)(?=\n\s*\*\*[^*\n]+\?\*\*|\Z)", re.S | re.M)


@dataclass
class SectionInput:
    """The chunks of one section (same document and heading path), in document order."""

    document_id: int
    document_name: str
    heading_path: list[str]
    chunks: list[tuple[int, str]]  # (chunk id, text)


@dataclass
class PairDraft:
    """An extracted pair with provenance; ``meta`` has heading_path and the rule that fired."""

    user: str
    assistant: str
    document_id: int
    chunk_id: int
    meta: dict = field(default_factory=dict)


def _gerund_to_verb(word: str) -> str | None:
    """Base verb of a known task gerund ("Installing" → "install"), else None."""
    return _GERUNDS.get(word.lower())


def heading_question(heading: str, parent: str | None = None) -> tuple[str, str] | None:
    """(question, rule) for a heading that is or can be phrased as a question, else None."""
    h = clean_inline(heading).strip().strip("`").strip()
    h = re.sub(r"\s+", " ", h)
    if not h or len(h) > 200:
        return None
    if h.endswith("?"):
        return h, "question_heading"
    words = h.split()
    first = words[0].lower()
    if first == "how" and len(words) > 2 and words[1].lower() == "to":
        return f"How do I {' '.join(words[2:])}?", "how_to_heading"
    if first in QUESTION_WORDS and len(words) >= 3 and first not in ("is", "are", "do", "does"):
        return h + "?", "question_heading"
    m = _MODULE_TITLE.match(h)
    if m:
        name, desc = m.group("name"), m.group("desc").rstrip(".")
        if len(desc) > 1 and desc[1].islower():
            desc = desc[0].lower() + desc[1:]
        return f"What is the `{name}` module for ({desc})?", "module_title"
    verb = _gerund_to_verb(words[0])
    if verb and len(words) >= 2:
        rest = words[1:]
        if len(rest) >= 2 and rest[0].lower() in ("and", "or") and _gerund_to_verb(rest[1]):
            rest = [rest[0], _gerund_to_verb(rest[1]), *rest[2:]]  # "Loading and running tests"
        return f"How do I {verb} {' '.join(rest)}?", "gerund_heading"
    return None


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


def _answer(section: SectionInput) -> tuple[str, int] | None:
    """Cleaned section body (first chunk, extended while short) and the chunk id it came from."""
    heading = section.heading_path[-1] if section.heading_path else ""
    parts: list[str] = []
    for _chunk_id, text in section.chunks:
        body = clean_markup(text)
        first_line, _, rest = body.partition("\n")
        if heading and clean_inline(first_line).strip() == clean_inline(heading).strip():
            body = rest.strip()
        parts.append(body)
        if len(" ".join(parts).split()) >= MIN_ANSWER_WORDS * 4:
            break
    answer = "\n\n".join(p for p in parts if p).strip()
    if len(answer.split()) < MIN_ANSWER_WORDS:
        return None
    if len(answer) > MAX_ANSWER_CHARS:
        cut = answer.rfind("\n\n", 0, MAX_ANSWER_CHARS)
        answer = answer[: cut if cut > MAX_ANSWER_CHARS // 2 else MAX_ANSWER_CHARS].rstrip()
    return answer, section.chunks[0][0]


def _inline_pairs(section: SectionInput) -> Iterator[tuple[str, str, int, str]]:
    for chunk_id, text in section.chunks:
        for pattern, rule in ((_QA_INLINE, "inline_qa"), (_MD_BOLD_Q, "bold_question")):
            for m in pattern.finditer(text):
                q, a = clean_inline(m.group("q")).strip(), clean_markup(m.group("a")).strip()
                if q and len(a.split()) >= 3:
                    yield q if q.endswith("?") else q + "?", a, chunk_id, rule


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())


def _glossary_pairs(section: SectionInput) -> Iterator[tuple[str, str, int, str]]:
    """RST definition lists under a "Glossary" heading: a term line followed by more-indented lines."""
    if not any("glossary" in h.lower() for h in section.heading_path):
        return
    for chunk_id, text in section.chunks:
        lines = text.splitlines()
        i = 0
        while i < len(lines):
            term = lines[i]
            nxt = lines[i + 1] if i + 1 < len(lines) else ""
            if term.strip() and not term.lstrip().startswith("..") and nxt.strip() and _indent(nxt) > _indent(term):
                body = []
                j = i + 1
                while j < len(lines) and (not lines[j].strip() or _indent(lines[j]) > _indent(term)):
                    body.append(lines[j].strip())
                    j += 1
                definition = clean_markup("\n".join(body)).strip()
                name = clean_inline(term.strip()).strip("`")
                if definition and len(definition.split()) >= 3 and len(name) < 80:
                    yield f"What does “{name}” mean?", definition, chunk_id, "glossary"
                i = j
            else:
                i += 1


def extract_pairs(sections: Iterable[SectionInput], mode: str = "qa", system_prompt: str = "",
                  seen: set[str] | None = None) -> Iterator[PairDraft]:
    """Yield extracted pairs for *sections* in *mode* ``qa`` or ``instruction``.

    User messages are unique (after ``normalize_for_hash``) within one call, or across calls
    sharing the *seen* set. Raises ``ValueError`` for an unknown mode.
    """
    if mode not in MODES:
        raise ValueError(f"unknown extractive mode {mode!r}; use one of {MODES}")
    seen = set() if seen is None else seen

    def make(question: str, answer: str, section: SectionInput, chunk_id: int, rule: str) -> PairDraft | None:
        user = question if mode == "qa" else question_to_task(question)
        key = normalize_for_hash(user)
        if key in seen:
            return None
        seen.add(key)
        meta = {"heading_path": section.heading_path, "rule": rule, "generator": "extractive", "mode": mode}
        return PairDraft(user=user, assistant=answer, document_id=section.document_id, chunk_id=chunk_id, meta=meta)

    for section in sections:
        found = list(_inline_pairs(section)) + list(_glossary_pairs(section))
        for q, a, chunk_id, rule in found:
            pair = make(q, a, section, chunk_id, rule)
            if pair:
                yield pair
        if found or not section.heading_path:
            continue
        parent = section.heading_path[-2] if len(section.heading_path) > 1 else None
        phrased = heading_question(section.heading_path[-1], parent)
        if not phrased:
            continue
        body = _answer(section)
        if body:
            pair = make(phrased[0], body[0], section, body[1], phrased[1])
            if pair:
                yield pair
