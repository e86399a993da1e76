"""The fakes themselves: spec checks, files/batches/embeddings through the real SDK, failure mix."""

import json
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import openai
import pytest

from fakes.fixtures import OPENAI_TEST_KEY, openai_fake  # noqa: F401
from fakes.openai_fake import OpenAIFake, match_operation, schema_errors


def _client(fake, key=OPENAI_TEST_KEY, timeout=5.0):
    return openai.OpenAI(api_key=key, base_url=fake.base_url, max_retries=0, timeout=timeout)


def _line(cid, content="Write 1 pairs. Water boils at 100 degrees.", model="gpt-4o-mini"):
    return json.dumps({"custom_id": cid, "method": "POST", "url": "/v1/chat/completions",
                       "body": {"model": model, "messages": [{"role": "user", "content": content}],
                                "response_format": {"type": "json_object"}}}) + "\n"


def test_spec_routing_and_schema_checks():
    op, params = match_operation("GET", "/batches/batch_123")
    assert op["operationId"] == "retrieveBatch" and params == {"batch_id": "batch_123"}
    assert match_operation("POST", "/no/such/thing") is None
    ref = {"$ref": "#/components/schemas/CreateChatCompletionRequest"}
    assert schema_errors(ref, {"model": "m", "messages": [{"role": "user", "content": "x"}]}) == []
    assert schema_errors(ref, {"model": "m"})  # messages required
    assert schema_errors(ref, {"model": "m", "messages": [{"role": "user", "content": "x"}], "temperature": "hot"})


def test_batch_roundtrip_output_matched_by_custom_id(openai_fake):
    c = _client(openai_fake)
    f = c.files.create(file=("in.jsonl", "".join(_line(f"chunk-{i}", f"Write 1 pairs. Fact {i} holds.") for i in range(4)).encode()), purpose="batch")
    b = c.batches.create(input_file_id=f.id, endpoint="/v1/chat/completions", completion_window="24h")
    assert b.status in ("validating", "in_progress")
    openai_fake.complete_batches()
    b = c.batches.retrieve(b.id)
    assert b.status == "completed" and b.request_counts.completed == 4 and b.error_file_id is None
    lines = [json.loads(x) for x in c.files.content(b.output_file_id).text.splitlines()]
    by_id = {l["custom_id"]: l["response"]["body"]["choices"][0]["message"]["content"] for l in lines}
    assert "Fact 2 holds" in by_id["chunk-2"]
    assert {x.id for x in c.files.list()} >= {f.id, b.output_file_id}
    assert c.files.delete(f.id).deleted


def test_batch_failed_lines_go_to_error_file():
    with OpenAIFake(batch_line_failure_rate=1.0) as fake:
        c = _client(fake, key="sk-any-000000000000")
        f = c.files.create(file=("in.jsonl", (_line("a") + _line("b")).encode()), purpose="batch")
        b = c.batches.create(input_file_id=f.id, endpoint="/v1/chat/completions", completion_window="24h")
        fake.complete_batches()
        b = c.batches.retrieve(b.id)
        assert b.request_counts.failed == 2 and b.output_file_id is None
        errs = [json.loads(x) for x in c.files.content(b.error_file_id).text.splitlines()]
        assert {e["custom_id"] for e in errs} == {"a", "b"} and errs[0]["response"]["status_code"] == 500
        assert fake.violations == []


def test_invalid_batch_input_fails_validation(openai_fake):
    c = _client(openai_fake)
    bad = _line("a") + '{"custom_id": "b", "method": "POST", "url": "/v1/chat/completions", "body": {"model": "m"}}\n' + _line("a")
    f = c.files.create(file=("in.jsonl", bad.encode()), purpose="batch")
    b = c.batches.create(input_file_id=f.id, endpoint="/v1/chat/completions", completion_window="24h")
    assert b.status == "failed"
    codes = {e.code for e in b.errors.data}
    assert codes == {"invalid_request", "duplicate_custom_id"}


def test_embeddings_float_and_base64_are_deterministic(openai_fake):
    c = _client(openai_fake)
    e1 = c.embeddings.create(model="text-embedding-3-small", input=["alpha", "beta"], dimensions=16)  # SDK asks base64
    e2 = c.embeddings.create(model="text-embedding-3-small", input="alpha", dimensions=16, encoding_format="float")
    v1, v2 = np.array(e1.data[0].embedding), np.array(e2.data[0].embedding)
    assert v1.shape == (16,) and np.allclose(v1, v2, atol=1e-6) and abs(np.linalg.norm(v1) - 1) < 1e-5
    assert not np.allclose(v1, e1.data[1].embedding)
    assert e1.usage.prompt_tokens == 2


@pytest.mark.slow
def test_failure_mix_and_concurrency():
    """Each injected failure surfaces as its own SDK exception, request by request.

    The client timeout (3 s) is far above the fake's latency (50 ms) and far below its hang
    (8 s), so only injected hangs time out even on a loaded CI machine (CI once saw a 429
    answered after a 0.5 s timeout when the whole suite ran on 2 busy cores)."""
    mix = {"429": 0.05, "500": 0.05, "timeout": 0.05, "disconnect": 0.05}
    with OpenAIFake(failure_mix=mix, seed=7, hang_s=8.0, latency_s=0.05) as fake:
        c = _client(fake, key="sk-any-000000000000", timeout=3.0)

        def one(i):
            try:
                c.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": f"q{i}"}])
                return "ok"
            except openai.RateLimitError:
                return "429"
            except openai.InternalServerError:
                return "500"
            except openai.APITimeoutError:
                return "timeout"
            except openai.APIConnectionError:
                return "disconnect"

        with ThreadPoolExecutor(8) as pool:
            outcomes = list(pool.map(one, range(200)))
        injected = {e.json["messages"][0]["content"]: e.failure or "ok" for e in fake.requests_to("/chat/completions")}
        assert len(injected) == 200  # max_retries=0: one request each
        mismatched = {i: (injected[f"q{i}"], got) for i, got in enumerate(outcomes) if injected[f"q{i}"] != got}
        assert mismatched == {}  # request → (what the fake injected, what the SDK raised)
        for kind in mix:
            assert outcomes.count(kind) > 0, kind
        assert 100 < outcomes.count("ok") < 200
        assert fake.max_concurrent >= 4
        assert fake.violations == []


def test_wrong_key_and_missing_key(openai_fake):
    with pytest.raises(openai.AuthenticationError) as e:
        _client(openai_fake, key="sk-test-NOTTHEKEY-1234").models.list()
    assert e.value.code == "invalid_api_key" and "NOTTHEKEY" not in str(e.value)
    import httpx2
    r = httpx2.get(openai_fake.base_url + "/models")
    assert r.status_code == 401 and r.json()["error"]["type"] == "invalid_request_error"
