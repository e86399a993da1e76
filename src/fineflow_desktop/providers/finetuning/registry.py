"""Build the fine-tuning adapter for a provider kind (imports each SDK only when used)."""

from __future__ import annotations

from fineflow_desktop.providers.finetuning.base import FineTuningProvider

FT_PROVIDERS = ("openai", "together", "fireworks")
# Export format (core.formats.writers) of the training file per provider and method. Together
# takes OpenAI-style "messages" JSONL and the same preference shape for DPO (together docs,
# FINE-TUNING-APIS.md §1); Fireworks SFT datasets are chat "messages" JSONL (format CHAT).
TRAINING_FORMATS = {
    "openai": {"supervised": "openai", "dpo": "openai-dpo"},
    "together": {"supervised": "openai", "dpo": "openai-dpo"},
    "fireworks": {"supervised": "openai"},
}


def training_format(kind: str, method: str) -> str:
    """Export format for *kind* and *method*; ``ValueError`` (``method: …``) when not offered."""
    formats = TRAINING_FORMATS.get(kind)
    if formats is None:
        raise ValueError(f"provider: {kind!r} cannot fine-tune here; use one of {', '.join(FT_PROVIDERS)}")
    if method not in formats:
        raise ValueError(f"method: {kind} offers {', '.join(formats)} here, not {method!r}")
    return formats[method]


def provider_for(kind: str, api_key: str, base_url: str | None = None, settings: dict | None = None,
                 *, timeout_s: float = 30.0, max_retries: int = 2) -> FineTuningProvider:
    """The adapter for *kind* bound to a key and base URL (``None``: the SDK's default host).

    *settings*: credential settings (Fireworks needs ``account_id``). Raises ``ValueError``
    (``provider: …``) for a kind that cannot fine-tune."""
    settings = settings or {}
    if kind == "openai":
        from fineflow_desktop.providers.finetuning.openai_ft import OpenAIFineTuning

        return OpenAIFineTuning(api_key, base_url, timeout_s=timeout_s, max_retries=max_retries)
    if kind == "together":
        from fineflow_desktop.providers.finetuning.together_ft import TogetherFineTuning

        return TogetherFineTuning(api_key, base_url, timeout_s=timeout_s, max_retries=max_retries)
    if kind == "fireworks":
        from fineflow_desktop.providers.finetuning.fireworks_ft import FireworksFineTuning

        return FireworksFineTuning(api_key, base_url, account_id=settings.get("account_id") or "",
                                   timeout_s=timeout_s, max_retries=max_retries)
    raise ValueError(f"provider: {kind!r} cannot fine-tune here; use one of {', '.join(FT_PROVIDERS)}")
