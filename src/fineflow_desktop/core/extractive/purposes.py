"""A paragraph that opens with a goal and the step that reaches it, for the offline extractive
generator's qa pass: ``purpose_question`` ("To check whether papers have been received, look in
/gd/gnuorg/copyright." → "How do I check whether papers have been received?").

Technical writing states a task as an infinitive of purpose followed by the instruction ("To
<goal>, <imperative> …"; the task sentence of style guides such as Microsoft's "Procedures"
and the DITA task topic's context/step pattern). When a paragraph opens that way, the goal is the
reader's question and the paragraph its answer. The goal must stand alone: a goal that points
back ("To do this", "To apply these patches", "To make it clear") or speaks of someone else ("To
correct this confusion, we have made …") asks nothing the paragraph answers out of context.
"""

from __future__ import annotations

import re

from fineflow_desktop.core.extractive.grammar import FUNCTION_WORDS, is_task_verb
from fineflow_desktop.core.extractive.sentences import is_question_sentence

# "To <goal>, <instruction>": the goal up to the first comma of the first sentence.
_OPENING = re.compile(r"^To\s+(?P<goal>[a-z][^,.;:!?()]{3,120}?),\s+(?P<main>[^.!?]+)")
# The instruction: an imperative, or "you can / should / must / need to" + a verb.
_MODAL = re.compile(r"^(?:you\s+(?:can|could|should|must|may|might|need\s+to|have\s+to|will\s+need\s+to)"
                    r"(?:\s+(?:just|simply|first|also))?\s+(?P<verb>[a-z]+)|(?:just|simply|first|please)\s+(?P<verb2>[a-z]+)"
                    r"|(?P<verb3>[a-z]+))\b")
# Imperatives outside the task-verb list that instructions open with.
_IMPERATIVES = frozenset("look type enter press click go cd put make give pass try keep tell ask contact write send "
                         "include mention follow".split())
# Words that make the goal point back or away: it is no question on its own.
_DEICTIC = frozenset("""this that these those it its them they their he she his her we us our one ones you
so above below following former latter such same here there""".split())
# Goals that organise the text, not a task ("To summarize, …", "To illustrate this, …").
_DISCOURSE = frozenset("""be do sum summarize summarise conclude recap illustrate demonstrate begin start
continue repeat review recall reiterate clarify explain elaborate simplify compare""".split())


def purpose_question(paragraph: str) -> tuple[str, str] | None:
    """("How do I <goal>?", ``purpose_paragraph``) for a *paragraph* (plain text) that opens "To
    <goal>, <instruction> …" — an imperative ("look in …", "add each year …") or "you can /
    should / must <verb> …" — with a goal of 2–16 words that stands alone (no pronoun or
    demonstrative, no "we"); "your" becomes "my". Else None. A goal whose object is the document's
    own subject unnamed ("To install the package, …") is named or refused by the caller
    (``subjects.in_context``)."""
    # Vim help's links ("To enable |folding|, use this:") are a word in bars: the word asks
    first = re.sub(r"\|([^|\s]+)\|", r"\1", " ".join(paragraph.split()))
    m = _OPENING.match(first)
    if not m:
        return None
    goal = m.group("goal").split()
    if not 2 <= len(goal) <= 16 or goal[0] in _DISCOURSE or not goal[0].isalpha():
        return None
    if any(w.lower().strip("’'") in _DEICTIC for w in goal) or goal[-1].lower() in FUNCTION_WORDS:
        return None
    i = _MODAL.match(m.group("main"))
    if not i:
        return None
    if i.group("verb3"):  # an imperative: a verb's base form ("add", not "adds" nor "gp")
        if not _is_base(i.group("verb3")):
            return None
    elif (i.group("verb") or i.group("verb2")) in ("see", "refer"):
        return None  # "To learn more, you can see …" points elsewhere
    q = "How do I " + " ".join({"your": "my", "yourself": "myself"}.get(w, w) for w in goal) + "?"
    return (q, "purpose_paragraph") if is_question_sentence(q) else None


def _is_base(word: str) -> bool:
    """True for the base form of a known task verb or imperative ("add", "look"), not its third
    person ("adds", "creates")."""
    if word in _IMPERATIVES:
        return True
    if not is_task_verb(word):
        return False
    third = any(word.endswith(end) and is_task_verb(word[: -len(end)] + add)
                for end, add in (("s", ""), ("es", ""), ("ies", "y")))
    return not third or word in ("process", "access", "pass", "address")
