"""Anthropic adapter through the real SDK against the loopback fake; message batches."""

import json

import pytest

from fakes.fixtures import ANTHROPIC_TEST_KEY, anthropic_fake  # noqa: F401
from fineflow_desktop.providers.anthropic_provider import AnthropicProvider, to_anthropic_messages
from fineflow_desktop.providers.base import AuthError, BadRequestError, QuotaError, RateLimitError, ServerError, TransientError

MSGS = [{"role": "system", "content": "You write pairs."}, {"role": "user", "content": "Write 2 pairs. The sky is blue. Grass is green."}]


def test_system_goes_to_system_param_and_json_instruction(anthropic_fake):
    p = AnthropicProvider(ANTHROPIC_TEST_KEY, anthropic_fake.base_url)
    r = p.chat(MSGS, "claude-haiku-4-5", json_mode=True, max_tokens=400)
    assert len(json.loads(r.text)["pairs"]) == 2
    body = anthropic_fake.message_bodies()[-1]
    assert body["system"].startswith("You write pairs.") and "JSON" in body["system"]
    assert [m["role"] for m in body["messages"]] == ["user"]
    assert body["max_tokens"] == 400 and "temperature" not in body
    assert r.input_tokens > 0 and r.output_tokens > 0 and r.raw_finish_reason == "end_turn"


def test_message_conversion_merges_and_starts_with_user():
    system, msgs = to_anthropic_messages([
        {"role": "system", "content": "a"}, {"role": "assistant", "content": "x"},
        {"role": "user", "content": "u1"}, {"role": "user", "content": "u2"},
    ])
    assert system == "a"
    assert [m["role"] for m in msgs] == ["user", "assistant", "user"]
    assert msgs[-1]["content"] == "u1\n\nu2"
    with pytest.raises(BadRequestError):
        to_anthropic_messages([{"role": "system", "content": "only"}])


def test_models(anthropic_fake):
    p = AnthropicProvider(ANTHROPIC_TEST_KEY, anthropic_fake.base_url)
    assert "claude-haiku-4-5" in [m.id for m in p.list_models()]
    assert p.retrieve_model("claude-sonnet-4-5").id == "claude-sonnet-4-5"
    with pytest.raises(BadRequestError):
        p.retrieve_model("claude-nope")


@pytest.mark.parametrize(
    "kind, exc, status",
    [("429", RateLimitError, 429), ("529", ServerError, 529), ("500", ServerError, 500),
     ("quota", QuotaError, 400), ("timeout", TransientError, None), ("disconnect", TransientError, None)],
)
def test_errors_are_mapped_without_sdk_retries(anthropic_fake, kind, exc, status):
    anthropic_fake.retry_after_s = 3
    anthropic_fake.fail_next(kind)
    with pytest.raises(exc) as e:
        AnthropicProvider(ANTHROPIC_TEST_KEY, anthropic_fake.base_url).chat(MSGS, "claude-haiku-4-5", timeout_s=2.0)  # hang is 5 s
    assert e.value.status == status
    if kind == "429":
        assert e.value.retry_after == 3
    assert len(anthropic_fake.message_bodies()) == 1
    assert ANTHROPIC_TEST_KEY not in str(e.value)


def test_wrong_key(anthropic_fake):
    with pytest.raises(AuthError):
        AnthropicProvider("sk-ant-wrong-000000000", anthropic_fake.base_url).chat(MSGS, "claude-haiku-4-5")


def test_message_batch_roundtrip_through_sdk(anthropic_fake):
    client = AnthropicProvider(ANTHROPIC_TEST_KEY, anthropic_fake.base_url).client
    reqs = [{"custom_id": f"chunk-{i}", "params": {"model": "claude-haiku-4-5", "max_tokens": 200,
             "messages": [{"role": "user", "content": f"Write 1 pairs. Fact number {i} is true."}]}} for i in range(5)]
    batch = client.messages.batches.create(requests=reqs)
    assert batch.processing_status == "in_progress"
    anthropic_fake.complete_batches()
    batch = client.messages.batches.retrieve(batch.id)
    assert batch.processing_status == "ended" and batch.request_counts.succeeded == 5
    got = {r.custom_id: r.result.message.content[0].text for r in client.messages.batches.results(batch.id)}
    assert set(got) == {f"chunk-{i}" for i in range(5)}
    assert "Fact number 3" in got["chunk-3"]


def test_batch_with_bad_params_is_rejected_and_recorded():
    from fakes.anthropic_fake import AnthropicFake

    with AnthropicFake() as fake:
        client = AnthropicProvider("sk-ant-any-123456789", fake.base_url).client
        import anthropic
        with pytest.raises(anthropic.BadRequestError):
            client.messages.batches.create(requests=[{"custom_id": "a", "params": {"model": "claude-haiku-4-5", "messages": []}}])
        assert fake.violations and "max_tokens" in fake.violations[0]["error"]


def test_env_base_url_does_not_redirect(anthropic_fake, monkeypatch):
    monkeypatch.setenv("ANTHROPIC_BASE_URL", "http://127.0.0.1:9")  # would refuse connections
    p = AnthropicProvider(ANTHROPIC_TEST_KEY, anthropic_fake.base_url)
    assert p.chat(MSGS, "claude-haiku-4-5").text
