"""Pair quality score (0–1) from named, explainable signals.

Every signal reports ``{value, threshold, ok, score, weight, source}`` so the UI can show *why*
a pair scored low. The overall score is the weighted mean of the per-signal scores of the signals
that could be computed (grounding needs the source chunk, diversity needs neighbours), so a pair
imported without provenance is not punished for missing data.

Signals and where their rules come from:

``answer_length``
    Words in the answer; fewer than ``MIN_ANSWER_WORDS`` is suspicious. Validation warns on
    answers under 3 words (core.validation ``SHORT_ANSWER_WORDS``); longer responses are a strong
    selection baseline for instruction tuning (Zhao et al. 2024, "Long Is More for Alignment",
    ICML 2024).
``length_ratio``
    Answer words / question words. An answer much shorter than its question is usually a stub
    (same source). Threshold ``MIN_LENGTH_RATIO``; score ramps linearly up to it.
``grounding``
    ROUGE-1 recall of the answer against its source chunk: the share of the answer's content
    words (lower-cased, stop words removed) that occur in the chunk (Lin 2004, "ROUGE: A Package
    for Automatic Evaluation of Summaries"; used as a faithfulness proxy for extractive answers).
    Only when the source chunk text is known.
``diversity``
    1 − the highest Jaccard similarity between the question's word uni+bigram set and those of
    the neighbouring pairs' questions (near-duplicate prompts add little; Lee et al. 2022,
    "Deduplicating Training Data Makes Language Models Better"). Threshold ``MAX_SIMILARITY`` = 0.7
    is the Jaccard threshold the near-duplicate detector uses. Only when neighbours are given.

What a reviewer sees — *defects* that multiply the score by ``1 - penalty × (1 - signal score)``
(``PENALTIES``), so one broken pair cannot hide behind good lengths:

``question_form``
    Problems of the user message: an ellipsis or a fragment ("... choose a name?", "How do
    I...?"), a question that is no English sentence (``core.extractive.is_question_sentence``),
    "How do I" + a word that is no base verb ("How do I log HOWTO?", "How do I print and
    clearing?"), a message starting in lower case or ending on a comma or a function word
    ("… the"). Value = count.
``answer_markup``
    Source markup a rendered page never shows, outside code blocks: reStructuredText roles
    (``:func:`x```), ``**``, double backticks, unbalanced backticks, field lists (``:Email:``),
    directives (``.. note::``), link targets. Value = count (docutils reStructuredText spec).
``hard_wraps``
    Line breaks inside prose paragraphs that were wrapped at a fixed width
    (``core.markup.unwrap_lines`` would join them; CommonMark soft line breaks). Value = count.
``answer_start``
    The answer opens with page metadata: a field list, "Source code:", "Author:", a rule line;
    on API reference pages a signature's table row ("LargestInt Json::Value::asLargestInt | ( |
    | ) | const"), a version label ("Added in: v8.0.0", "History" + its version table), a
    "source · [−]" line or a symbol-led notice ("🔬 This is a nightly-only experimental API").
``answer_end``
    The answer stops mid-sentence (a chunk cut), on a ":" that announces what is missing, or on
    a generator's cross-reference list ("Referenced by Json::Reader::pushError().", "Definition
    at line 743 of file json_value.cpp.").

The signals are cheap (no model): a 100k-pair dataset rescoring is dominated by candidate search,
see ``services.pairs.rescore_dataset``.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Iterable

WORD_RE = re.compile(r"\w+", re.UNICODE)

# The scorer's version, stored with a dataset's scores (``services.pairs.scoring``): bump it
# whenever a signal, threshold, weight or penalty changes, and stored scores are recomputed in the
# background when the dataset is next opened. 1: length/grounding/diversity (issue 3);
# 2: the reviewer defects of issue 10; 3: API-reference defects (anchor glyphs and copied labels
# in questions, signature rows / version labels / notices at the start, cross-references at the end).
SCORER_VERSION = 3

MIN_ANSWER_WORDS = 5
MIN_LENGTH_RATIO = 0.5
MIN_GROUNDING = 0.5
MAX_SIMILARITY = 0.7

WEIGHTS = {"answer_length": 0.25, "length_ratio": 0.2, "grounding": 0.35, "diversity": 0.2,
           "question_form": 0.0, "answer_markup": 0.0, "hard_wraps": 0.0, "answer_start": 0.0, "answer_end": 0.0}
# Defects multiply the score (see module docstring); a value here is the most a defect takes off.
PENALTIES = {"question_form": 0.6, "answer_markup": 0.4, "hard_wraps": 0.3, "answer_start": 0.4, "answer_end": 0.5}

SOURCES = {
    "answer_length": "Zhao et al. 2024 'Long Is More for Alignment'; validation short-answer warning (< 3 words)",
    "length_ratio": "answer/question word ratio; stubs answer long questions with a few words",
    "grounding": "ROUGE-1 recall of answer content words in the source chunk (Lin 2004)",
    "diversity": "1 - max Jaccard of question uni+bigrams vs neighbours (Lee et al. 2022 dedup); 0.7 = near-dup threshold",
    "question_form": "problems in the question: fragment/ellipsis, not an English sentence, 'How do I' + non-verb",
    "answer_markup": "reST roles, **, ``, unbalanced backticks, field lists, directives left in the answer (docutils spec)",
    "hard_wraps": "line breaks inside prose paragraphs wrapped at a fixed width (CommonMark soft breaks)",
    "answer_start": "answer opens with page metadata (field list, 'Source code:', 'Author:', rule line, a signature's "
                    "table row, a version label 'Added in: v8.0.0', a symbol-led notice)",
    "answer_end": "answer stops mid-sentence, on a ':' announcing missing text, or on a cross-reference list "
                  "('Referenced by …', 'Definition at line N of file F')",
}

# A short English stop-word list (the most frequent function words; after the NLTK/SMART lists).
STOP_WORDS = frozenset(
    """a about above after again against all am an and any are as at be because been before being
    below between both but by can could did do does doing down during each few for from further had
    has have having he her here hers herself him himself his how i if in into is it its itself just
    me more most my myself no nor not now of off on once only or other our ours ourselves out over
    own same she should so some such than that the their theirs them themselves then there these
    they this those through to too under until up very was we were what when where which while who
    whom why will with would you your yours yourself yourselves""".split()
)


def words(text: str) -> list[str]:
    """Lower-cased word tokens (``\\w+``) of *text*."""
    return WORD_RE.findall(text.lower()) if text else []


def content_words(text: str) -> list[str]:
    """Words of *text* without stop words."""
    return [w for w in words(text) if w not in STOP_WORDS]


def shingles(text: str) -> set[str]:
    """Uni- and bigrams of the lower-cased words of *text* (the diversity features)."""
    ws = words(text)
    return set(ws) | {f"{a} {b}" for a, b in zip(ws, ws[1:])}


def jaccard(a: set, b: set) -> float:
    """|a ∩ b| / |a ∪ b| (0 when both are empty)."""
    if not a and not b:
        return 0.0
    return len(a & b) / len(a | b)


def _signal(name: str, value: float, threshold: float, ok: bool, score: float, detail: str = "") -> dict:
    out = {
        "value": round(float(value), 4),
        "threshold": threshold,
        "ok": bool(ok),
        "score": round(max(0.0, min(1.0, score)), 4),
        "weight": WEIGHTS[name],
        "source": SOURCES[name],
    }
    if name in PENALTIES:
        out["penalty"] = PENALTIES[name]
    if detail:
        out["detail"] = detail
    return out


_ROLE = re.compile(r":[A-Za-z][\w:.+-]*:`[^`]*`")
_DOUBLE_TICKS = re.compile(r"``")
_BOLD = re.compile(r"(?<![\w*])\*\*(?=\S)[^*\n]+?(?<=\S)\*\*(?![\w*])")  # a **bold** pair, not **kwargs
_FIELD = re.compile(r"(?m)^\s*:[A-Za-z][\w -]*:\s")
_DIRECTIVE = re.compile(r"(?m)^\s*\.\.\s+[\w:-]+::")
_TARGET = re.compile(r"(?m)^\s*\.\.\s+_[^:]*:|(?<=\S)`__?(?!\w)")
_CODE_SPAN = re.compile(r"`[^`\n]+`")
_META_START = re.compile(r"^\s*(?::[A-Za-z][\w -]*:\s|\**\s*(?:source code|authors?|release|version|date|"
                         r"copyright|maintainer|last updated)\s*:?\**\s*:|[-=~*_]{4,}\s*$)", re.I)
_HOW_DO_I = re.compile(r"^how\s+(?:do|can|should)\s+(?:i|you|we)\s+(?P<verb>\S+)(?P<rest>.*)$", re.I)


def _prose(text: str) -> str:
    """*text* without fenced or indented code blocks (markup rules do not apply to code)."""
    from fineflow_desktop.core.markup import code_spans

    parts = [text[a:b] for a, b, is_code in code_spans(text) if not is_code]
    return "\n".join(ln for ln in "".join(parts).splitlines() if not ln.startswith(("   ", "\t")))


# "What is Class: X509Certificate?", "What is Struct std::fs::File?": a generator's kind label.
_COPIED_LABEL = re.compile(r"^(?:What|Which|Who)\s+(?:is|are|does)\s+((?:Class|Struct|Enum|Trait|Module|Function|Method|"
                           r"Macro|Constant|Event|Interface|Namespace|Type|Property|Field|Union|Typedef)\b:?)\s+\S")
_TRAILING_FUNCTION_WORDS = frozenset("a an the of to in for on at by with from and or but as that which is are".split())


def question_problems(user: str) -> list[str]:
    """Reasons the user message is a truncated or ungrammatical question (empty = none found)."""
    from fineflow_desktop.core.extractive.grammar import looks_like_base_verb
    from fineflow_desktop.core.extractive.sentences import AUXILIARIES, QUESTION_WORDS, is_question_sentence

    q = " ".join(user.split())
    problems = []
    if not q:
        return ["empty"]
    if ("..." in q or "…" in q) and "\n" not in user.strip() and len(q) < 300:
        problems.append("ellipsis (a fragment or a placeholder)")  # in a long message it may be quoted text
    glyphs = sorted({ch for ch in q if unicodedata.category(ch) == "So"})
    if glyphs:
        problems.append(f"stray symbol {''.join(glyphs)} (an anchor or badge of the page)")
    label = _COPIED_LABEL.search(q) if q.endswith("?") and len(q) < 200 else None
    if label:
        problems.append(f"'{label.group(1)}' is a heading label copied into the question")
    if q[0].islower() and not re.match(r"^[a-z_][\w.]*[(`]", q):
        problems.append("starts in lower case (a fragment)")
    first = q.split()[0].lower().strip("¿¡\"'“")
    last = q.split()[-1].lower()
    if len(q) < 400 and (q.endswith((",", "-", "(")) or (last in _TRAILING_FUNCTION_WORDS and not q.endswith((".", "?", "!")))):
        problems.append(f"ends on '{q.split()[-1]}' (truncated)")  # instructions may omit the period
    if q.endswith("?") and (first in QUESTION_WORDS or first in AUXILIARIES) and len(q) < 300 \
            and "\n" not in user.strip() and not is_question_sentence(q):
        problems.append("not an English question sentence")
    m = _HOW_DO_I.match(q.rstrip("?"))
    if m and q.endswith("?") and len(q) < 300:
        verb, rest = m.group("verb"), m.group("rest").split()
        if not looks_like_base_verb(verb):
            problems.append(f"'{verb}' after 'How do I' is no verb")
        elif rest[:1] and rest[0].lower() in ("and", "or") and len(rest) > 1 and rest[1].lower().endswith("ing"):
            problems.append(f"'{verb} {rest[0]} {rest[1]}' mixes a verb and a gerund")
        elif rest and all(w[:1].isupper() or w.isupper() for w in rest) and len(rest) == 1 and rest[0].isupper() \
                and rest[0].isalpha() and len(rest[0]) > 3:
            problems.append(f"'{rest[0]}' names a document, not an object")
    return problems


def markup_hits(answer: str) -> dict[str, int]:
    """Counts of source markup left in the prose of *answer* (see ``answer_markup``)."""
    prose = _prose(answer)
    roles = len(_ROLE.findall(prose))
    prose = _ROLE.sub("", prose)
    targets = len(_TARGET.findall(prose))
    doubles = len(_DOUBLE_TICKS.findall(prose)) // 2
    prose = re.sub(r"``[^`]*``", "", prose)
    single = prose.count("`")
    prose = _CODE_SPAN.sub("", prose)  # `**kwargs` in a code span is code, not bold
    hits = {
        "reST roles": roles,
        "**": len(_BOLD.findall(prose)),
        "double backticks": doubles,
        "unbalanced backticks": single % 2,
        "field lists": len(_FIELD.findall(prose)),
        "directives": len(_DIRECTIVE.findall(prose)),
        "link targets": targets,
    }
    return {k: v for k, v in hits.items() if v}


def hard_wrap_count(answer: str) -> int:
    """Line breaks inside prose paragraphs that ``core.markup.unwrap_lines`` would join."""
    from fineflow_desktop.core.markup import unwrap_lines

    return max(0, answer.count("\n") - unwrap_lines(answer).count("\n"))


def ends_mid_sentence(answer: str) -> bool:
    """True when the last prose line of *answer* stops mid-sentence or on an announcing ':'."""
    text = answer.rstrip()
    if not text or text.endswith(("```", "~~~")):
        return False
    last = text.splitlines()[-1].strip()
    if last.startswith(("- ", "* ", "|", ">>>", "$ ")) or re.match(r"^\d+[.)]\s", last) or " | " in last:
        return False
    if text.splitlines()[-1].startswith(("   ", "\t")):
        return False  # an indented code block (reST literal blocks are indented by 3 or more)
    if last.endswith(":"):
        return True
    # a sentence cut by a chunk boundary ends on a word or a comma; numbers, tags and code do not
    return len(text.split()) >= 8 and bool(re.search(r"[A-Za-z]{2}[,]?$", last))


def metadata_start(answer: str) -> bool:
    """True when *answer* opens with page metadata (see ``answer_start``)."""
    from fineflow_desktop.core.extractive.structures import is_entry_metadata, split_paragraphs

    if _META_START.match(answer):
        return True
    pars = split_paragraphs(answer.strip())
    if not pars:
        return False
    first = pars[0].splitlines()[0]
    if " | " in first and re.search(r"\|\s+\|", first) and "(" in first:
        return True  # a signature laid out as a table row: "Type Name | ( |  | ) | const"
    if len(pars[0].split()) == 1 and len(pars) > 1 and " | " in pars[1] and re.search(r"\bv?\d+\.\d+", pars[1]):
        return True  # "History" + its table of versions
    return "```" not in pars[0] and not pars[0].lstrip().startswith(("- ", "* ", "|")) and is_entry_metadata(pars[0])


def ends_with_xref(answer: str) -> bool:
    """True when the last paragraph of *answer* is a cross-reference list or a source location."""
    from fineflow_desktop.core.extractive.structures import is_xref, split_paragraphs

    pars = split_paragraphs(answer.strip())
    return bool(pars) and is_xref(pars[-1])


def score_pair(
    user: str,
    assistant: str,
    source_chunk_text: str | None = None,
    neighbours: Iterable[str] | None = None,
    source: str | None = None,
) -> tuple[float, dict[str, dict]]:
    """Score one pair. Returns ``(score in 0..1, signals)``.

    ``signals`` maps a signal name (see module docstring) to
    ``{value, threshold, ok, score, weight, source}`` (defects also ``penalty`` and, when they
    fire, ``detail``: what was found). Score = weighted mean of the measures × the defect factors. ``source_chunk_text`` enables grounding,
    ``neighbours`` (other pairs' user messages) enables diversity. An empty answer scores 0.
    *source* (``pairs.source``): for pairs written by a model or a person ("generated",
    "imported", "manual") ``**bold**`` is meant Markdown and line breaks are meant, so ``**``
    does not count as markup and ``hard_wraps`` is not computed; text copied from documents
    ("extractive", or unknown) gets every signal.
    """
    a_words = words(assistant)
    q_words = words(user)
    signals: dict[str, dict] = {}
    n_a = len(a_words)
    signals["answer_length"] = _signal("answer_length", n_a, MIN_ANSWER_WORDS, n_a >= MIN_ANSWER_WORDS,
                                       n_a / MIN_ANSWER_WORDS)
    ratio = n_a / max(1, len(q_words))
    signals["length_ratio"] = _signal("length_ratio", ratio, MIN_LENGTH_RATIO, ratio >= MIN_LENGTH_RATIO,
                                      ratio / MIN_LENGTH_RATIO)
    if source_chunk_text:
        answer_terms = content_words(assistant)
        if answer_terms:
            chunk_terms = set(content_words(source_chunk_text))
            recall = sum(1 for w in answer_terms if w in chunk_terms) / len(answer_terms)
        else:
            recall = 0.0
        signals["grounding"] = _signal("grounding", recall, MIN_GROUNDING, recall >= MIN_GROUNDING,
                                       recall / MIN_GROUNDING)
    if neighbours is not None:
        mine = shingles(user)
        best = max((jaccard(mine, shingles(n)) for n in neighbours), default=0.0)
        diversity = 1.0 - best
        signals["diversity"] = _signal("diversity", diversity, round(1 - MAX_SIMILARITY, 4),
                                       best < MAX_SIMILARITY, diversity / (1 - MAX_SIMILARITY))
    problems = question_problems(user)
    signals["question_form"] = _signal("question_form", len(problems), 0, not problems,
                                       0.0 if problems else 1.0, "; ".join(problems))
    from_documents = source in (None, "", "extractive")
    hits = markup_hits(assistant)
    if not from_documents:
        hits.pop("**", None)
    n_hits = sum(hits.values())
    signals["answer_markup"] = _signal("answer_markup", n_hits, 0, n_hits == 0, 1 - min(1.0, n_hits / 3),
                                       ", ".join(f"{k} {v}" for k, v in hits.items()))
    if from_documents:
        wraps = hard_wrap_count(assistant)
        signals["hard_wraps"] = _signal("hard_wraps", wraps, 0, wraps == 0, 1 - min(1.0, wraps / 4),
                                        f"{wraps} line breaks inside paragraphs" if wraps else "")
    meta = metadata_start(assistant or "")
    signals["answer_start"] = _signal("answer_start", int(meta), 0, not meta, 0.0 if meta else 1.0,
                                      (assistant or "").strip().splitlines()[0][:60] if meta else "")
    cut = ends_mid_sentence(assistant or "") or ends_with_xref(assistant or "")
    signals["answer_end"] = _signal("answer_end", int(cut), 0, not cut, 0.0 if cut else 1.0,
                                    (assistant or "").rstrip()[-60:] if cut else "")
    if n_a == 0:
        return 0.0, signals
    measures = [s for s in signals.values() if s["weight"] > 0]
    total_w = sum(s["weight"] for s in measures)
    score = sum(s["score"] * s["weight"] for s in measures) / total_w
    for s in signals.values():
        score *= 1 - s.get("penalty", 0.0) * (1 - s["score"])
    return round(score, 4), signals


def explain(signals: dict[str, dict], failing_first: bool = False) -> str:
    """Multi-line human text for a tooltip: one line per signal, ✓/✗, value vs threshold, and
    for a failing defect what was found. *failing_first* lists the ✗ lines first."""
    lines = []
    items = list(signals.items())
    if failing_first:
        items.sort(key=lambda kv: bool(kv[1].get("ok")))
    for name, s in items:
        mark = "✓" if s.get("ok") else "✗"
        limit = f"at most {s.get('threshold')}" if "penalty" in s else f"threshold {s.get('threshold')}"
        detail = f" — {s['detail']}" if s.get("detail") else ""
        lines.append(f"{mark} {name.replace('_', ' ')}: {s.get('value')} ({limit}){detail}")
    return "\n".join(lines)
