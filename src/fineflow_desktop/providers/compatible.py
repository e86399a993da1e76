"""OpenAI-compatible servers (Ollama, LM Studio, llama.cpp server, vLLM, …) via the ``openai`` SDK.

A base URL is required; the key is optional (local servers ignore it, but the SDK insists on
one, so a placeholder is sent). Presets are the servers' documented default ports.
"""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

from fineflow_desktop.providers.openai_provider import OpenAIProvider

# Default listen addresses from each project's docs (Ollama "OpenAI compatibility",
# LM Studio "OpenAI Compatibility API", llama.cpp tools/server README, vLLM "OpenAI-Compatible Server").
PRESETS: dict[str, str] = {
    "Ollama": "http://localhost:11434/v1",
    "LM Studio": "http://localhost:1234/v1",
    "llama.cpp": "http://localhost:8080/v1",
    "vLLM": "http://localhost:8000/v1",
}
NO_KEY_PLACEHOLDER = "not-needed"  # local servers accept any bearer token


class CompatibleError(ValueError):
    """A base URL that cannot be used; the message names the field and the problem."""


def normalize_base_url(url: str) -> str:
    """Validate an http(s) base URL; append ``/v1`` when no path is given; strip a trailing ``/``.

    Raises ``CompatibleError`` for an empty URL or another scheme.
    """
    url = (url or "").strip()
    if not url:
        raise CompatibleError("base_url: an OpenAI-compatible server needs a base URL, e.g. http://localhost:11434/v1")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise CompatibleError(f"base_url: {url!r} is not an http(s) URL")
    path = parts.path.rstrip("/")
    if not path:
        path = "/v1"
    return urlunsplit((parts.scheme, parts.netloc, path, parts.query, ""))


class CompatibleProvider(OpenAIProvider):
    """``ChatProvider`` for an OpenAI-compatible server; models come from ``GET {base}/models``."""

    name = "compatible"
    _use_max_completion_tokens = False  # most servers only understand max_tokens

    def __init__(self, base_url: str, api_key: str | None = None, *, timeout_s: float = 60.0, settings: dict | None = None):
        super().__init__(api_key or NO_KEY_PLACEHOLDER, normalize_base_url(base_url), timeout_s=timeout_s, settings=settings)
