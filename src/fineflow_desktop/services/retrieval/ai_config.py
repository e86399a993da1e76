"""The workspace AI config (seed 000 ``WorkspaceAiConfig``): get, set with validation, reset.

Ranges follow the OpenAI Chat Completions API reference: temperature 0-2, frequency and
presence penalties -2..2, max_tokens >= 1. ``semantic_search_threshold`` is a cosine (0-1) and
``max_context_chunks`` is capped at 50 so a context cannot silently swallow the prompt budget.
"""

from __future__ import annotations

from typing import Any

from fineflow_desktop.core.embeddings import COMPATIBLE_PREFIX, LSA_MODEL, WORDLLAMA_MODEL, wordllama_problem
from fineflow_desktop.core.local_embedder import LOCAL_PREFIX, model_folder_problem
from fineflow_desktop.store.models_retrieval import AiConfig
from fineflow_desktop.store.workspace import Workspace

DEFAULTS: dict[str, Any] = {
    "instructions": (
        "You are a helpful assistant. Answer from the context below when it is relevant; "
        "if it does not contain the answer, say so instead of guessing."
    ),
    "chat_model": "gpt-4o-mini",  # the Dataset.target_model default
    "embedding_model": LSA_MODEL,  # model-free default, see core.embeddings on WordLlama's licence
    "embedding_base_url": "",
    "temperature": 0.7,
    "max_tokens": 1024,
    "frequency_penalty": 0.0,  # OpenAI API default
    "presence_penalty": 0.0,  # OpenAI API default
    "rag_enabled": True,
    # fineflow-lsa scores are sparse TF-IDF cosines after re-ranking: on 238 Python-docs
    # title queries the right top passage scored 0.72-0.87 (10th-90th percentile), wrong ones
    # 0.10-0.45, off-topic queries 0.02-0.12 (bench/bench_rag.py). Other embedders need
    # their own value (WordLlama and OpenAI cosines run higher).
    "semantic_search_threshold": 0.1,
    "max_context_chunks": 5,
}
EMBEDDING_MODELS = [LSA_MODEL, WORDLLAMA_MODEL, COMPATIBLE_PREFIX + "<model name>", LOCAL_PREFIX + "<static-embedding model folder>"]
_RANGES = {
    "temperature": (0.0, 2.0),
    "frequency_penalty": (-2.0, 2.0),
    "presence_penalty": (-2.0, 2.0),
    "max_tokens": (1, 1_000_000),
    "semantic_search_threshold": (0.0, 1.0),
    "max_context_chunks": (1, 50),
}


class ConfigError(ValueError):
    """An AI config value is invalid; the message names the field and the allowed range."""


def _row_to_dict(row: AiConfig) -> dict[str, Any]:
    return {key: getattr(row, key) for key in DEFAULTS}


def _row(session) -> AiConfig:
    row = session.get(AiConfig, 1)
    if row is None:
        row = AiConfig(id=1, **DEFAULTS)
        session.add(row)
        session.flush()
    return row


def get_ai_config(ws: Workspace) -> dict[str, Any]:
    """The current config as a dict with the keys of ``DEFAULTS`` (created on first use)."""
    with ws.session() as s:
        return _row_to_dict(_row(s))


def validate(changes: dict[str, Any]) -> dict[str, Any]:
    """Coerce and check *changes*; returns the cleaned dict or raises ``ConfigError`` (also for
    WordLlama when its optional extra is not installed: the message says how to add it)."""
    clean: dict[str, Any] = {}
    for key, value in changes.items():
        if key not in DEFAULTS:
            raise ConfigError(f"unknown AI config field {key!r} (known: {', '.join(DEFAULTS)})")
        default = DEFAULTS[key]
        try:
            if isinstance(default, bool):
                value = value if isinstance(value, bool) else str(value).strip().lower() in ("1", "true", "yes", "on")
            elif isinstance(default, int):
                value = int(value)
            elif isinstance(default, float):
                value = float(value)
            else:
                value = str(value)
        except (TypeError, ValueError):
            raise ConfigError(f"AI config field {key!r}: {value!r} is not a {type(default).__name__}") from None
        if key in _RANGES:
            lo, hi = _RANGES[key]
            if not lo <= value <= hi:
                raise ConfigError(f"AI config field {key!r}: {value} is outside {lo}..{hi}")
        if key == "embedding_model":
            value = value.strip()
            if value.startswith(LOCAL_PREFIX):
                problem = model_folder_problem(value[len(LOCAL_PREFIX) :].strip())
                if problem:
                    raise ConfigError(f"AI config field 'embedding_model': {problem}")
            elif value == WORDLLAMA_MODEL and wordllama_problem():
                raise ConfigError(f"AI config field 'embedding_model': {wordllama_problem()}")
            elif value not in (LSA_MODEL, WORDLLAMA_MODEL) and not (
                value.startswith(COMPATIBLE_PREFIX) and len(value) > len(COMPATIBLE_PREFIX)
            ):
                raise ConfigError(
                    f"AI config field 'embedding_model': {value!r} is not one of {LSA_MODEL}, "
                    f"{WORDLLAMA_MODEL}, {COMPATIBLE_PREFIX}<model name> or {LOCAL_PREFIX}<static-embedding model folder>"
                )
        if key == "chat_model" and not value.strip():
            raise ConfigError("AI config field 'chat_model' must not be empty")
        clean[key] = value
    if str(clean.get("embedding_model", "")).startswith(COMPATIBLE_PREFIX) and "embedding_base_url" in clean:
        if not clean["embedding_base_url"].startswith(("http://", "https://")):
            raise ConfigError("AI config field 'embedding_base_url' must start with http:// or https://")
    return clean


def set_ai_config(ws: Workspace, **changes: Any) -> dict[str, Any]:
    """Validate and store *changes*; returns the full new config. Raises ``ConfigError``."""
    clean = validate(changes)
    with ws.session() as s:
        row = _row(s)
        for key, value in clean.items():
            setattr(row, key, value)
        s.flush()
        return _row_to_dict(row)


def reset_ai_config(ws: Workspace) -> dict[str, Any]:
    """Restore every field to ``DEFAULTS``; returns the config."""
    with ws.session() as s:
        row = _row(s)
        for key, value in DEFAULTS.items():
            setattr(row, key, value)
        s.flush()
        return _row_to_dict(row)


def embedding_model_problem(model: str) -> str | None:
    """Why *model* cannot be the embedder (``validate``'s message, e.g. a local folder that is a
    transformer model or lacks its weights), or None when it can."""
    try:
        validate({"embedding_model": model})
    except ConfigError as exc:
        return str(exc)
    return None


def embedding_licence(model: str) -> str:
    """The licence the user should see for embedding *model*: a local folder's as its model
    card states it (``core.local_embedder.model_licence``), WordLlama's Llama 2 notice, and
    for the model-free default and remote endpoints what applies instead."""
    from fineflow_desktop.core.local_embedder import model_licence

    if model.startswith(LOCAL_PREFIX):
        return model_licence(model[len(LOCAL_PREFIX) :].strip())
    if model == WORDLLAMA_MODEL:
        return "Llama 2 Community License (weights derive from Llama 2; see WORDLLAMA-NOTICE.txt)"
    if model.startswith(COMPATIBLE_PREFIX):
        return "the embedding service's terms"
    return "no model (fitted on this workspace's own chunks)"
