"""Batch submission, polling and cancelling go through ``providers.batch.BatchProvider``:
the OpenAI and Anthropic adapters implement it; the generation service neither branches on
provider names nor reaches into SDK clients (behaviour: tests/test_generation_batch.py)."""

import ast
from pathlib import Path

import pytest

from fineflow_desktop.providers.anthropic_provider import AnthropicProvider
from fineflow_desktop.providers.base import BadRequestError
from fineflow_desktop.providers.batch import BatchProvider, BatchRequest, as_batch_provider
from fineflow_desktop.providers.extractive import ExtractiveProvider
from fineflow_desktop.providers.openai_provider import OpenAIProvider

GENERATION = Path(__file__).resolve().parents[1] / "src" / "fineflow_desktop" / "services" / "generation"


def test_the_openai_and_anthropic_adapters_are_batch_providers():
    openai = OpenAIProvider("sk-test-0123456789", "http://127.0.0.1:9/v1")
    anthropic = AnthropicProvider("sk-ant-test-0123456789", "http://127.0.0.1:9")
    try:
        assert isinstance(openai, BatchProvider) and isinstance(anthropic, BatchProvider)
        request = BatchRequest("run1-item2", [{"role": "system", "content": "S"}, {"role": "user", "content": "Q"}],
                               "gpt-4o-mini", 512, 0.2)
        line, size = openai.prepare_batch_request(request)
        assert size == len(line) and b'"custom_id": "run1-item2"' in line and b'"max_completion_tokens": 512' in line
        entry, _ = anthropic.prepare_batch_request(request)
        assert entry["custom_id"] == "run1-item2" and entry["params"]["system"].startswith("S\n\n")
        assert entry["params"]["messages"] == [{"role": "user", "content": "Q"}]
    finally:
        openai.close()
        anthropic.close()


def test_a_provider_without_a_batch_api_is_refused_by_name():
    with pytest.raises(BadRequestError, match="extractive: this provider has no batch API"):
        as_batch_provider(ExtractiveProvider())


def test_the_generation_service_does_not_branch_on_providers_or_touch_sdk_clients():
    offenders = []
    for path in sorted(GENERATION.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and node.attr in ("client", "batches", "files"):
                offenders.append(f"{path.name}:{node.lineno} .{node.attr}")
            if isinstance(node, ast.Constant) and node.value in ("openai", "anthropic"):
                offenders.append(f"{path.name}:{node.lineno} {node.value!r}")
    assert not offenders, offenders
