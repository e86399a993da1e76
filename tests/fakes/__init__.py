"""Loopback fakes of remote APIs (OpenAI, Anthropic) for tests and benchmarks.

Under pytest ``tests/`` is on ``sys.path`` (rootdir-relative, no ``__init__`` in tests/), so
import them as ``from fakes.openai_fake import OpenAIFake``; bench scripts insert ``tests/``.
"""
