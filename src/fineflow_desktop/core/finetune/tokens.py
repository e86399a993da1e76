"""Training tokens of an exported training file (what the provider bills per epoch).

Each record is counted with the cookbook rule (``core.tokens.chat_tokens``: 3 per message, +1
per name, +3 per conversation) and capped at the model's per-example limit (longer examples
are truncated by the provider, cookbook ``num_tokens_from_messages`` + ``MAX_TOKENS_PER_EXAMPLE``).
Chat records use ``messages``; DPO records (``input.messages`` + ``preferred_output`` +
``non_preferred_output``) count the prompt once with both outputs.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Mapping

from fineflow_desktop.core.tokens import chat_tokens


@dataclass(frozen=True)
class TokenCount:
    """``examples`` counted, ``tokens`` (sum of capped per-example tokens), ``capped`` (examples over the limit)."""

    examples: int
    tokens: int
    capped: int


def record_messages(record: Mapping) -> list[Mapping]:
    """The messages a record trains on (chat or DPO shape); empty for anything else."""
    if isinstance(record.get("messages"), list):
        return record["messages"]
    inp = record.get("input")
    if isinstance(inp, Mapping) and isinstance(inp.get("messages"), list):
        out = list(inp["messages"])
        for key in ("preferred_output", "non_preferred_output"):
            if isinstance(record.get(key), list):
                out.extend(record[key])
        return out
    return []


def training_tokens(records: Iterable[Mapping], limit: int | None = None) -> TokenCount:
    """Count *records* (see module doc); *limit* caps each example (``None``: no cap)."""
    n = total = capped = 0
    for rec in records:
        n += 1
        t = chat_tokens(record_messages(rec))
        if limit is not None and t > limit:
            t, capped = limit, capped + 1
        total += t
    return TokenCount(n, total, capped)
