"""Estimate a generation run before it starts: calls, input/output tokens and cost.

Input tokens are exact up to the chunk: the prompt framing is rendered once per run and
counted with ``core.tokens.chat_tokens``; each chunk adds its stored ``n_tokens``. Output
tokens are a stated assumption (see ``OUTPUT_*`` below), since the reply length is not known
in advance. Cost uses a per-model price in USD per million tokens; batch mode applies the 50 %
discount both OpenAI (Batch API pricing) and Anthropic (Message Batches pricing) publish.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Iterable

from fineflow_desktop.core.generation.prompts import build_messages
from fineflow_desktop.core.tokens import chat_tokens

BATCH_DISCOUNT = 0.5  # OpenAI Batch API and Anthropic Message Batches: "50% off"
# Our assumptions for reply length (tokens): question + JSON framing per pair, and an answer
# about half as long as the chunk, bounded; conversations have ~2.5 exchanges.
OUTPUT_QUESTION_TOKENS = 40
OUTPUT_ANSWER_MIN, OUTPUT_ANSWER_MAX, OUTPUT_ANSWER_RATIO = 80, 400, 0.5
CONVERSATION_FACTOR = 2.5
REPLY_FRAMING_TOKENS = 10


def format_cost(usd: float | None) -> str:
    """``"≈ $1.23"``; small amounts keep 4 decimals (``"≈ $0.0042"``); ``None`` → "cost unknown"."""
    if usd is None:
        return "cost unknown (no price for this model)"
    return f"≈ ${usd:,.2f}" if usd >= 0.01 or usd == 0 else f"≈ ${usd:.4f}"


@dataclass(frozen=True)
class Price:
    """USD per million input / output tokens for one model (from the price table)."""

    input_per_mtok: float
    output_per_mtok: float


@dataclass
class Estimate:
    """What a run will cost. ``cost_usd`` is ``None`` when the model has no price."""

    calls: int
    input_tokens: int
    output_tokens: int
    cost_usd: float | None
    batch: bool = False
    note: str = ""

    def to_dict(self) -> dict:
        return asdict(self)

    def summary(self) -> str:
        """One line for dialogs and the CLI, e.g. ``400 calls · 312,400 in · 198,000 out · ≈ $0.41``."""
        cost = format_cost(self.cost_usd)
        extra = " (batch: 50% off)" if self.batch and self.cost_usd is not None else ""
        return f"{self.calls:,} calls · {self.input_tokens:,} input tokens · ~{self.output_tokens:,} output tokens · {cost}{extra}"


def framing_tokens(mode: str, pairs_per_chunk: int, system_prompt: str | None = None, template_body: str | None = None) -> int:
    """Tokens of one request without the chunk text (system message + template + framing)."""
    messages = build_messages(
        mode, chunk_text="", heading_path=["Section", "Subsection"], document_name="document.txt",
        pairs_per_chunk=pairs_per_chunk, language="English", system_prompt=system_prompt, template_body=template_body,
    )
    return chat_tokens(messages)


def output_tokens_for(chunk_tokens: int, mode: str, pairs_per_chunk: int) -> int:
    """Assumed reply tokens for one chunk (see module constants)."""
    answer = min(OUTPUT_ANSWER_MAX, max(OUTPUT_ANSWER_MIN, int(chunk_tokens * OUTPUT_ANSWER_RATIO)))
    per_pair = OUTPUT_QUESTION_TOKENS + answer
    if mode == "conversation":
        per_pair = int(per_pair * CONVERSATION_FACTOR)
    return REPLY_FRAMING_TOKENS + pairs_per_chunk * per_pair


def estimate_run(
    chunk_tokens: Iterable[int],
    *,
    mode: str,
    pairs_per_chunk: int,
    system_prompt: str | None = None,
    template_body: str | None = None,
    price: Price | None = None,
    batch: bool = False,
) -> Estimate:
    """Estimate a run over chunks with the given token counts (one call per chunk)."""
    framing = framing_tokens(mode, pairs_per_chunk, system_prompt, template_body)
    calls = input_tokens = output_tokens = 0
    for n in chunk_tokens:
        calls += 1
        input_tokens += framing + int(n)
        output_tokens += output_tokens_for(int(n), mode, pairs_per_chunk)
    cost = None
    if price is not None:
        cost = (input_tokens * price.input_per_mtok + output_tokens * price.output_per_mtok) / 1_000_000
        if batch:
            cost *= BATCH_DISCOUNT
    return Estimate(calls, input_tokens, output_tokens, cost, batch,
                    note="output tokens are an estimate; input tokens are counted")
