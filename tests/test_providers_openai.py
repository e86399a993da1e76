"""OpenAI + OpenAI-compatible adapters driven through the real SDK against the loopback fake."""

import json
from email.utils import format_datetime
from datetime import datetime, timedelta, timezone

import pytest

from fakes.fixtures import OPENAI_TEST_KEY, openai_fake  # noqa: F401
from fakes.openai_fake import OpenAIFake
from fineflow_desktop.providers.base import (
    AuthError, BadRequestError, QuotaError, RateLimitError, ServerError, TransientError,
)
from fineflow_desktop.providers.compatible import PRESETS, CompatibleProvider, normalize_base_url
from fineflow_desktop.providers.error_map import parse_retry_after
from fineflow_desktop.providers.openai_provider import OpenAIProvider

MSGS = [{"role": "system", "content": "You write pairs."}, {"role": "user", "content": "Write 2 pairs. The sky is blue. Grass is green."}]


def test_chat_json_mode_and_usage(openai_fake):
    p = OpenAIProvider(OPENAI_TEST_KEY, openai_fake.base_url)
    r = p.chat(MSGS, "gpt-4o-mini", json_mode=True, max_tokens=300, temperature=0.3)
    assert len(json.loads(r.text)["pairs"]) == 2
    assert r.input_tokens > 0 and r.output_tokens > 0 and r.raw_finish_reason == "stop"
    body = openai_fake.chat_bodies()[-1]
    assert body["response_format"] == {"type": "json_object"}
    assert body["max_completion_tokens"] == 300 and "max_tokens" not in body and body["temperature"] == 0.3


def test_reasoning_models_get_no_temperature(openai_fake):
    openai_fake.models.append("o4-mini")
    OpenAIProvider(OPENAI_TEST_KEY, openai_fake.base_url).chat(MSGS, "o4-mini", temperature=0.9)
    assert "temperature" not in openai_fake.chat_bodies()[-1]


def test_max_tokens_truncates_with_length_finish(openai_fake):
    r = OpenAIProvider(OPENAI_TEST_KEY, openai_fake.base_url).chat(MSGS, "gpt-4o-mini", json_mode=True, max_tokens=5)
    assert r.raw_finish_reason == "length" and r.output_tokens == 5


def test_list_and_retrieve_models(openai_fake):
    p = OpenAIProvider(OPENAI_TEST_KEY, openai_fake.base_url)
    assert "gpt-4o-mini" in [m.id for m in p.list_models()]
    assert p.retrieve_model("gpt-4o").id == "gpt-4o"
    with pytest.raises(BadRequestError) as e:
        p.retrieve_model("gpt-nope")
    assert e.value.status == 404


def test_env_base_url_does_not_redirect(openai_fake, monkeypatch):
    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:9/v1")  # would refuse connections
    p = OpenAIProvider(OPENAI_TEST_KEY, openai_fake.base_url)
    assert p.chat(MSGS, "gpt-4o-mini").text
    assert str(p.client.base_url).startswith(openai_fake.base_url)


@pytest.mark.parametrize(
    "kind, exc, status",
    [("429", RateLimitError, 429), ("quota", QuotaError, 429), ("500", ServerError, 500),
     ("timeout", TransientError, None), ("disconnect", TransientError, None)],
)
def test_errors_are_mapped_and_sdk_does_not_retry(openai_fake, kind, exc, status):
    openai_fake.retry_after_s = 7
    openai_fake.fail_next(kind)
    p = OpenAIProvider(OPENAI_TEST_KEY, openai_fake.base_url)
    with pytest.raises(exc) as e:
        p.chat(MSGS, "gpt-4o-mini", timeout_s=2.0)  # hang is 5 s; 2 s spares a loaded CI box
    assert e.value.status == status
    if kind == "429":
        assert e.value.retry_after == 7
    assert len(openai_fake.requests_to("/chat/completions")) == 1  # max_retries=0
    assert OPENAI_TEST_KEY not in str(e.value)


def test_wrong_key_is_auth_error_without_the_key(openai_fake):
    wrong = "sk-test-WRONGKEY-77778888"
    with pytest.raises(AuthError) as e:
        OpenAIProvider(wrong, openai_fake.base_url).list_models()
    assert e.value.status == 401 and wrong not in str(e.value)


def test_unknown_model_and_bad_request_are_bad_request(openai_fake):
    p = OpenAIProvider(OPENAI_TEST_KEY, openai_fake.base_url)
    with pytest.raises(BadRequestError) as e:
        p.chat(MSGS, "gpt-unknown")
    assert e.value.status == 404 and "does not exist" in str(e.value)


def test_spec_violation_is_answered_400_and_recorded():
    with OpenAIFake() as fake:
        p = OpenAIProvider("sk-test-anything-000", fake.base_url)
        with pytest.raises(BadRequestError):
            p.chat([{"role": "robot", "content": "hi"}], "gpt-4o-mini")
        assert len(fake.violations) == 1 and "messages[0]" in fake.violations[0]["error"]


def test_malformed_output_reaches_the_caller_as_text(openai_fake):
    openai_fake.fail_next("malformed")
    r = OpenAIProvider(OPENAI_TEST_KEY, openai_fake.base_url).chat(MSGS, "gpt-4o-mini", json_mode=True)
    with pytest.raises(ValueError):
        json.loads(r.text)


def test_retry_after_parsing_seconds_date_and_ms():
    assert parse_retry_after({"retry-after": "12"}) == 12
    when = datetime.now(timezone.utc) + timedelta(seconds=30)
    assert 25 <= parse_retry_after({"retry-after": format_datetime(when, usegmt=True)}) <= 31
    assert parse_retry_after({"retry-after-ms": "1500", "retry-after": "9"}) == 1.5
    assert parse_retry_after({"retry-after": "soon"}) is None
    assert parse_retry_after({}) is None


def test_compatible_server_without_key_uses_max_tokens():
    with OpenAIFake(models=["llama3.2:3b"]) as fake:  # accepts any key, like Ollama
        p = CompatibleProvider(fake.root_url)  # no /v1 given: added
        assert p.base_url == fake.base_url
        assert [m.id for m in p.list_models()] == ["llama3.2:3b"]
        p.chat(MSGS, "llama3.2:3b", max_tokens=64)
        body = fake.chat_bodies()[-1]
        assert body["max_tokens"] == 64 and "max_completion_tokens" not in body
        assert fake.violations == []


def test_presets_and_url_normalisation():
    assert PRESETS["Ollama"] == "http://localhost:11434/v1"
    assert PRESETS["LM Studio"] == "http://localhost:1234/v1"
    assert PRESETS["llama.cpp"] == "http://localhost:8080/v1"
    assert PRESETS["vLLM"] == "http://localhost:8000/v1"
    assert normalize_base_url("http://h:1/v1/") == "http://h:1/v1"
    assert normalize_base_url("http://h:1/custom/api") == "http://h:1/custom/api"
