"""The judge of a model comparison: the built-in judge prompt template and a robust verdict parser
(Qt-free, no network).

The judge sees one prompt, the reference answer (when there is one) and two answers labelled
"Assistant 1" / "Assistant 2", and says which is better or that they tie. The prompt follows
MT-Bench's pairwise judge (Zheng et al. 2023, "Judging LLM-as-a-judge", fig. 5 / appendix): the
judge is told to ignore position, length and names, to compare against the reference, and to
reply with a verdict. We ask for JSON ``{"verdict": "1" | "2" | "tie", "reason": "..."}`` and
also accept MT-Bench's own ``[[A]]`` / ``[[B]]`` / ``[[C]]`` tags and plain sentences, because
judges (small local models especially) do not always follow the format.

Position bias (the same paper, section 3.3: GPT-4 kept its verdict in 65% of swapped pairs) is
reduced by the caller alternating which model is shown first (``services.models``).
"""

from __future__ import annotations

import json
import re

JUDGE_SLUG = "builtin-judge"
JUDGE_TAG = "judge"
# The variables the judge template may use; the caller supplies all of them.
JUDGE_VARIABLES = ("prompt", "reference", "answer_1", "answer_2")
NO_REFERENCE = "(no reference answer: judge on helpfulness, correctness and relevance)"

JUDGE_BODY = """\
Please act as an impartial judge and evaluate two AI assistants' answers to the user's question \
below. Compare both answers with the reference answer when one is given: an answer that agrees \
with the reference on the facts is better than one that does not. Then consider helpfulness, \
relevance, accuracy and level of detail. Do not let the order in which the answers are shown, \
their length or the assistants' names influence you. Be as objective as possible.

[User question]
{{prompt}}

[Reference answer]
{{reference}}

[Assistant 1's answer]
{{answer_1}}

[Assistant 2's answer]
{{answer_2}}

Reply with JSON only, in this shape:
{"verdict": "1" or "2" or "tie", "reason": "one or two sentences on why"}
"""

JUDGE_TEMPLATE = {
    "name": "Pairwise judge",
    "body": JUDGE_BODY,
    "output_format": "json",
    "description": "Built-in: compares two answers to one prompt against the reference (model comparisons).",
    "tags": ["builtin", JUDGE_TAG],
}

VERDICTS = ("1", "2", "tie")
_VERDICT_KEYS = ("verdict", "winner", "better", "choice", "answer", "result", "preferred")
_REASON_KEYS = ("reason", "explanation", "rationale", "justification", "why")
_FENCE = re.compile(r"```(?:json)?\s*(.*?)```", re.S | re.I)
_MT_BENCH = re.compile(r"\[\[\s*(A|B|C|1|2|tie)\s*\]\]", re.I)
_SENTENCE = re.compile(
    r"\b(?:verdict|winner|better(?: answer)?|final answer|choice)\s*(?:is|:|=)?\s*\**\s*"
    r"(?:assistant\s*|answer\s*)?[\"'\[(]*\s*(1|2|a|b|tie|both|neither|equal)\b",
    re.I,
)
_SIDE_BETTER = re.compile(
    r"\b(?:assistant|answer)\s*(1|2|a|b)(?:'s answer)?\s+(?:is|was)\s+(?:clearly\s+|slightly\s+)?"
    r"(?:better|superior|preferred|more accurate|more helpful)",
    re.I,
)
_PREFER = re.compile(r"\bprefer(?:s|red)?\s+(?:assistant|answer)\s*(1|2|a|b)\b", re.I)
_TIE = re.compile(r"(?<!not )(?<!n't )\b(?:it'?s|is|a)\s+(tie)\b|\b(?:both|the two)\b[^.]*\bequally\b", re.I)
_LAST_LINE = re.compile(r"^\W*(?:assistant\s*|answer\s*)?(1|2|a|b|tie)\W*$", re.I)
_SIDE_WORDS = {"1": "1", "a": "1", "2": "2", "b": "2", "c": "tie", "tie": "tie", "both": "tie", "neither": "tie",
               "equal": "tie", "draw": "tie", "same": "tie"}


class JudgeParseError(ValueError):
    """The judge's reply holds no verdict; the message quotes the start of the reply."""


def _verdict_word(value) -> str | None:
    if isinstance(value, (int, float)) and value in (1, 2):
        return str(int(value))
    if not isinstance(value, str):
        return None
    v = value.strip().strip("[]()\"'*.").lower()
    v = re.sub(r"^(assistant|answer|model|response)\s*", "", v)
    return _SIDE_WORDS.get(v)


def _json_objects(text: str):
    """JSON objects in *text*: fenced blocks first, then every ``{...}`` that parses."""
    for block in _FENCE.findall(text):
        try:
            obj = json.loads(block)
        except ValueError:
            continue
        if isinstance(obj, dict):
            yield obj
    decoder = json.JSONDecoder()
    i = text.find("{")
    while i >= 0:
        try:
            obj, _end = decoder.raw_decode(text, i)
        except ValueError:
            obj = None
        if isinstance(obj, dict):
            yield obj
        i = text.find("{", i + 1)


def parse_verdict(text: str | None) -> tuple[str, str]:
    """``(verdict, reason)`` from a judge reply: verdict ``"1"`` | ``"2"`` | ``"tie"`` (the answers
    as shown to the judge), reason a short text (may be empty).

    Accepts, in order: a JSON object (fenced or bare, keys ``verdict``/``winner``/``better``/…,
    values ``1``/``2``/``A``/``B``/``tie``/``Assistant 1``…), MT-Bench tags ``[[A]]``/``[[B]]``/
    ``[[C]]`` (C = tie), then the last of the statements "Verdict: Assistant 2", "Answer 1 is
    better", "I prefer Assistant 2", "it's a tie" / "both … equally", or a bare closing line
    ("2", "Tie."). Raises ``JudgeParseError`` when none is found or the reply names both sides in
    tags."""
    text = (text or "").strip()
    if not text:
        raise JudgeParseError("the judge's reply is empty")
    for obj in _json_objects(text):
        lowered = {str(k).lower(): v for k, v in obj.items()}
        for key in _VERDICT_KEYS:
            verdict = _verdict_word(lowered.get(key))
            if verdict:
                reason = next((str(lowered[k]).strip() for k in _REASON_KEYS if lowered.get(k)), "")
                return verdict, reason
    tags = {_SIDE_WORDS[t.lower()] for t in _MT_BENCH.findall(text)}
    if len(tags) == 1:
        return tags.pop(), _reason_text(_MT_BENCH.sub("", text))
    if len(tags) > 1:
        raise JudgeParseError(f"the judge's reply names more than one verdict: {text[:120]!r}")
    found = [(m.start(), _SIDE_WORDS[m.group(1).lower()])
             for m in (*_SENTENCE.finditer(text), *_SIDE_BETTER.finditer(text), *_PREFER.finditer(text))]
    found += [(m.start(), "tie") for m in _TIE.finditer(text)]
    last_line = _LAST_LINE.match(text.splitlines()[-1].strip())
    if last_line:  # a bare "2" or "Tie." closing the reply is the verdict
        found.append((len(text), _SIDE_WORDS[last_line.group(1).lower()]))
    if found:
        return sorted(found)[-1][1], _reason_text(text)  # the last statement is the conclusion
    raise JudgeParseError(f"no verdict (1, 2 or tie) in the judge's reply: {text[:120]!r}")


def _reason_text(text: str, limit: int = 400) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def unswap(verdict: str, swapped: bool) -> str:
    """The verdict in terms of the comparison's models: ``"a"``, ``"b"`` or ``"tie"``. *swapped*:
    model B's answer was shown as answer 1."""
    if verdict == "tie":
        return "tie"
    first_is_a = not swapped
    return "a" if (verdict == "1") == first_is_a else "b"
