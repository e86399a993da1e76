"""Per-model fine-tuning limits and training prices (defaults; users edit them per workspace).

Token limits are the maximum tokens per training example. Sources: OpenAI fine-tuning guide
(context length per model: gpt-4o-mini / gpt-4o / gpt-4.1 family 65,536 training tokens per
example; gpt-3.5-turbo-0125 16,385 — the OpenAI cookbook's ``MAX_TOKENS_PER_EXAMPLE``).
Prices are USD per 1M training tokens from OpenAI's public pricing page as of
``PRICES_AS_OF``; they change — the Settings pane lets users edit and re-date them.
"""

from __future__ import annotations

DEFAULT_MODEL = "gpt-4o-mini"
PRICES_AS_OF = "2025-06-01"

TOKEN_LIMITS: dict[str, int] = {
    "gpt-4o-mini": 65_536,
    "gpt-4o-mini-2024-07-18": 65_536,
    "gpt-4o": 65_536,
    "gpt-4o-2024-08-06": 65_536,
    "gpt-4.1": 65_536,
    "gpt-4.1-mini": 65_536,
    "gpt-4.1-nano": 65_536,
    "gpt-3.5-turbo": 16_385,
    "gpt-3.5-turbo-0125": 16_385,
    # Anthropic Claude 3 Haiku fine-tuning on Amazon Bedrock: 32k-token records (AWS docs).
    "claude-3-haiku": 32_000,
}

TRAINING_PRICE_PER_M: dict[str, float] = {
    "gpt-4o-mini": 3.00,
    "gpt-4o": 25.00,
    "gpt-4.1": 25.00,
    "gpt-4.1-mini": 5.00,
    "gpt-4.1-nano": 1.50,
    "gpt-3.5-turbo": 8.00,
}

# Minimum examples a provider accepts for one fine-tuning job.
# OpenAI fine-tuning guide: "at least 10 examples"; Amazon Bedrock Claude 3 Haiku: 32 records.
MIN_EXAMPLES: dict[str, int] = {"openai": 10, "anthropic": 32}


def provider_of(model: str) -> str:
    """``anthropic`` for Claude models, else ``openai``."""
    return "anthropic" if model.startswith("claude") else "openai"


def lookup(table: dict, model: str, default=None):
    """Find *model* in *table*, also by its base name (``gpt-4o-mini-2024-07-18`` → ``gpt-4o-mini``,
    ``ft:gpt-4o-mini:org::id`` → ``gpt-4o-mini``)."""
    if model in table:
        return table[model]
    base = model.split(":")[1] if model.startswith("ft:") and ":" in model[3:] else model
    for key in sorted(table, key=len, reverse=True):
        if base.startswith(key):
            return table[key]
    return default
