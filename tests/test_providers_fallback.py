"""registry.chat_with_fallback: default first, fail over on auth/quota/exhausted retries."""

import pytest

from fakes.openai_fake import OpenAIFake
from fineflow_desktop.providers import credentials as creds
from fineflow_desktop.providers.base import BadRequestError
from fineflow_desktop.providers.registry import NoCredentialError, chat_with_fallback, provider_for_credential

MSG = [{"role": "user", "content": "hi"}]


@pytest.fixture
def two_servers():
    with OpenAIFake(api_key="sk-test-AAAA11112222") as a, OpenAIFake(api_key="sk-test-BBBB33334444") as b:
        yield a, b


def test_fails_over_on_auth_error_and_records_which_answered(workspace, two_servers):
    a, b = two_servers
    creds.create_credential(workspace, "primary", "openai", base_url=a.base_url, model="gpt-4o-mini", api_key="sk-test-WRONG99998888")
    second = creds.create_credential(workspace, "backup", "openai", base_url=b.base_url, model="gpt-4o-mini", api_key="sk-test-BBBB33334444", priority=5)
    result, cid, failed = chat_with_fallback(workspace, "openai", MSG)
    assert cid == second.id and result.text
    assert [f.credential_name for f in failed] == ["primary"] and "AuthError" in failed[0].error


def test_fails_over_on_quota_and_on_exhausted_retries(workspace, two_servers):
    a, b = two_servers
    creds.create_credential(workspace, "primary", "openai", base_url=a.base_url, model="gpt-4o-mini", api_key="sk-test-AAAA11112222")
    creds.create_credential(workspace, "backup", "openai", base_url=b.base_url, model="gpt-4o-mini", api_key="sk-test-BBBB33334444")
    a.fail_next("quota")
    _, cid, failed = chat_with_fallback(workspace, "openai", MSG, sleep=lambda s: None)
    assert creds.get_credential(workspace, cid).name == "backup" and "QuotaError" in failed[0].error
    a.fail_next("500", 6)
    sleeps = []
    _, cid, failed = chat_with_fallback(workspace, "openai", MSG, sleep=sleeps.append)
    assert creds.get_credential(workspace, cid).name == "backup" and len(sleeps) == 5
    assert len(a.requests_to("/chat/completions")) == 1 + 6


def test_bad_request_is_not_failed_over(workspace, two_servers):
    a, b = two_servers
    creds.create_credential(workspace, "primary", "openai", base_url=a.base_url, model="gpt-nope", api_key="sk-test-AAAA11112222")
    creds.create_credential(workspace, "backup", "openai", base_url=b.base_url, model="gpt-4o-mini", api_key="sk-test-BBBB33334444")
    with pytest.raises(BadRequestError):
        chat_with_fallback(workspace, "openai", MSG)
    assert b.requests_to("/chat/completions") == []


def test_all_failing_or_none_configured(workspace, two_servers):
    with pytest.raises(NoCredentialError, match="no credential"):
        chat_with_fallback(workspace, "anthropic", MSG)
    a, _ = two_servers
    creds.create_credential(workspace, "only", "openai", base_url=a.base_url, model="gpt-4o-mini", api_key="sk-test-WRONG77776666")
    with pytest.raises(NoCredentialError, match="only: AuthError") as e:
        chat_with_fallback(workspace, "openai", MSG)
    assert "WRONG77776666" not in str(e.value)


def test_extractive_credential_needs_nothing(workspace):
    c = creds.create_credential(workspace, "offline", "extractive", model="extractive")
    p = provider_for_credential(workspace, c.id)
    r = p.chat([{"role": "user", "content": "The quick brown fox jumps over the lazy dog today. Short. Another sentence with enough words in it."}])
    import json
    pairs = json.loads(r.text)["pairs"]
    assert len(pairs) == 2 and pairs[0]["answer"].startswith("The quick brown fox")
    assert [m.id for m in p.list_models()] == ["extractive"]
