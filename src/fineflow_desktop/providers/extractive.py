"""The offline extractive generator presented as provider kind ``"extractive"``.

It calls no model and costs nothing: ``chat`` answers the last user turn with a JSON object
``{"pairs": [{"question": ..., "answer": ...}, ...]}`` whose answers are sentences copied from
that turn, so the same parsing path as a model reply works. Token counts are the local
tiktoken counts (core.tokens) so usage totals stay comparable. The generation engine may
instead call its core extractive function directly; this class only makes "extractive"
selectable wherever a ``ChatProvider`` is expected.
"""

from __future__ import annotations

import json
import re
import time

from fineflow_desktop.core.tokens import chat_tokens, count_tokens
from fineflow_desktop.providers.base import ChatResult, ModelInfo

MODEL_ID = "extractive"
_SENTENCE = re.compile(r"(?<=[.!?])\s+")


def extract_pairs(text: str, n: int = 3) -> list[dict]:
    """Up to *n* ``{"question", "answer"}`` pairs: each answer is one substantial sentence
    of *text* (>= 6 words), the question asks what the text says about its first words."""
    sentences = [s.strip() for s in _SENTENCE.split(text) if len(s.split()) >= 6]
    pairs = []
    for s in sentences[:n]:
        topic = " ".join(s.split()[:6]).rstrip(",;:")
        pairs.append({"question": f"What does the text say about \"{topic}\"?", "answer": s})
    return pairs


class ExtractiveProvider:
    """``ChatProvider`` that extracts instead of generating (no network, no key)."""

    name = "extractive"

    def __init__(self, pairs_per_call: int = 3):
        self.pairs_per_call = pairs_per_call

    def chat(self, messages: list[dict], model: str = MODEL_ID, *, temperature: float = 0.0,
             max_tokens: int = 1024, json_mode: bool = True, timeout_s: float = 60.0) -> ChatResult:
        """Pairs from the last user message as JSON text (see module doc)."""
        start = time.perf_counter()
        user = next((m.get("content") or "" for m in reversed(messages) if m.get("role") == "user"), "")
        text = json.dumps({"pairs": extract_pairs(user, self.pairs_per_call)}, ensure_ascii=False)
        return ChatResult(text=text, model=MODEL_ID, input_tokens=chat_tokens(messages),
                          output_tokens=count_tokens(text), latency_s=time.perf_counter() - start,
                          raw_finish_reason="stop")

    def list_models(self) -> list[ModelInfo]:
        """The single pseudo-model ``extractive``."""
        return [ModelInfo(MODEL_ID, "fineflow")]
