"""Token counting with tiktoken, fully offline.

tiktoken normally downloads its BPE vocabularies on first use; a user's offline laptop cannot.
The vocabularies ship inside the package (``resources/tiktoken``) and are verified against the
sha256 digests tiktoken itself expects (``tiktoken_ext/openai_public.py``).
"""

from __future__ import annotations

import base64
import hashlib
import threading
from functools import lru_cache
from typing import Iterable, Mapping

import tiktoken

from fineflow_desktop.resources import RESOURCES_DIR

VOCAB_DIR = RESOURCES_DIR / "tiktoken"
DEFAULT_ENCODING = "o200k_base"

# Regexes and special tokens copied from tiktoken_ext/openai_public.py (tiktoken 0.14.0, MIT).
_O200K_PAT = "|".join(
    [
        r"""[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?""",
        r"""[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?""",
        r"""\p{N}{1,3}""",
        r""" ?[^\s\p{L}\p{N}]+[\r\n/]*""",
        r"""\s*[\r\n]+""",
        r"""\s+(?!\S)""",
        r"""\s+""",
    ]
)
_CL100K_PAT = (
    r"""'(?i:[sdmt]|ll|ve|re)|[^\r\n\p{L}\p{N}]?+\p{L}++|\p{N}{1,3}+| ?[^\s\p{L}\p{N}]++[\r\n]*+|\s++$|\s*[\r\n]|\s+(?!\S)|\s"""
)
_SPECS = {
    "o200k_base": (_O200K_PAT, {"<|endoftext|>": 199999, "<|endofprompt|>": 200018}),
    "cl100k_base": (
        _CL100K_PAT,
        {
            "<|endoftext|>": 100257,
            "<|fim_prefix|>": 100258,
            "<|fim_middle|>": 100259,
            "<|fim_suffix|>": 100260,
            "<|endofprompt|>": 100276,
        },
    ),
}
_lock = threading.Lock()


class VocabularyError(RuntimeError):
    """The shipped vocabulary file is missing or its sha256 does not match SHA256SUMS."""


def _expected_hashes() -> dict[str, str]:
    sums = {}
    for line in (VOCAB_DIR / "SHA256SUMS").read_text().splitlines():
        digest, _, name = line.strip().partition("  ")
        if digest:
            sums[name.strip()] = digest
    return sums


def get_encoding(name: str = DEFAULT_ENCODING) -> tiktoken.Encoding:
    """Return the tiktoken ``Encoding`` *name*, loaded from the packaged vocabulary (once).

    Raises ``VocabularyError`` if the file is missing or fails its sha256 check, and
    ``KeyError`` for an encoding we do not ship (o200k_base, cl100k_base).
    """
    return _load_encoding(name)  # positional: one cache entry per name, default or not


@lru_cache(maxsize=None)
def _load_encoding(name: str) -> tiktoken.Encoding:
    with _lock:
        pat, special = _SPECS[name]
        path = VOCAB_DIR / f"{name}.tiktoken"
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise VocabularyError(f"tokenizer vocabulary missing: {path} ({exc})") from exc
        expected = _expected_hashes().get(path.name)
        actual = hashlib.sha256(data).hexdigest()
        if expected != actual:
            raise VocabularyError(f"tokenizer vocabulary {path} has sha256 {actual}, expected {expected}")
        ranks = {
            base64.b64decode(tok): int(rank)
            for tok, rank in (line.split() for line in data.splitlines() if line)
        }
        return tiktoken.Encoding(name, pat_str=pat, mergeable_ranks=ranks, special_tokens=special)


def preload_in_background(name: str = DEFAULT_ENCODING) -> threading.Thread:
    """Start loading vocabulary *name* on a daemon thread and return it.

    Parsing o200k_base takes ~0.4 s (200k base64 ranks); the app starts it after the first paint
    so the first ``count_tokens`` (e.g. the Templates preview) finds it cached instead of
    stalling the UI. Errors surface later, on the first real use.
    """
    def load() -> None:
        try:
            get_encoding(name)
        except Exception:  # noqa: BLE001 - reported by the first caller that needs the encoding
            pass

    thread = threading.Thread(target=load, name=f"preload-{name}", daemon=True)
    thread.start()
    return thread


def count_tokens(text: str, encoding: str = DEFAULT_ENCODING) -> int:
    """Number of tokens in *text* (special-token strings are counted as plain text)."""
    if not text:
        return 0
    return len(get_encoding(encoding).encode_ordinary(text))


def count_tokens_batch(texts: list[str], encoding: str = DEFAULT_ENCODING, threads: int = 2) -> list[int]:
    """Token counts for many texts, in input order.

    Identical texts are encoded once (system prompts and roles repeat in every example), and the
    distinct texts are split into one contiguous slice per thread: tiktoken's Rust encoder
    releases the GIL, while its own ``encode_ordinary_batch`` pays a thread-pool future per text,
    which cost more than the encoding itself on short chat messages (measured in
    bench/bench_validate.py).
    """
    enc = get_encoding(encoding)
    unique = list(dict.fromkeys(texts))
    encode = enc.encode_ordinary

    def run(part: list[str]) -> list[int]:
        return [len(encode(t)) for t in part]

    if threads <= 1 or len(unique) < 2000:
        counts = run(unique)
    else:
        from concurrent.futures import ThreadPoolExecutor

        # slices of about equal characters (encoding time follows length, not count)
        bounds, target, acc = [0], sum(map(len, unique)) / threads, 0
        for i, t in enumerate(unique):
            acc += len(t)
            if acc >= target * len(bounds) and len(bounds) < threads:
                bounds.append(i + 1)
        bounds.append(len(unique))
        parts = [unique[a:b] for a, b in zip(bounds, bounds[1:])]
        with ThreadPoolExecutor(threads) as pool:
            counts = [n for part in pool.map(run, parts) for n in part]
    lookup = dict(zip(unique, counts))
    return [lookup[t] for t in texts]


# OpenAI cookbook, "How to count tokens with tiktoken": every message costs 3 tokens of
# framing, a ``name`` field 1 more, and every reply is primed with 3 tokens.
TOKENS_PER_MESSAGE = 3
TOKENS_PER_NAME = 1
TOKENS_PER_CONVERSATION = 3


def chat_tokens(messages: Iterable[Mapping], encoding: str = DEFAULT_ENCODING) -> int:
    """Tokens a chat example costs, by the OpenAI cookbook rule.

    ``messages`` is a list of ``{"role", "content", ["name"]}`` mappings. Each message adds
    3 tokens, each ``name`` 1 more, and the conversation 3 more (OpenAI cookbook
    "How_to_count_tokens_with_tiktoken"). Non-string content (tool calls, content parts) is
    counted on its JSON text.
    """
    import json

    total = TOKENS_PER_CONVERSATION
    enc = get_encoding(encoding)
    for message in messages:
        total += TOKENS_PER_MESSAGE
        for key, value in message.items():
            if value is None:
                continue
            text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
            total += len(enc.encode_ordinary(text))
            if key == "name":
                total += TOKENS_PER_NAME
    return total
