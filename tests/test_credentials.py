"""providers/credentials.py: CRUD, defaults, fallback order, validation, keys only in the keyring."""

import keyring
import pytest
from keyring.backends import fail

from fineflow_desktop.providers import credentials as creds
from fineflow_desktop.providers import keys

KEY = "sk-test-SECRET123456"


def test_create_list_update_delete(workspace, isolated_dirs):
    a = creds.create_credential(workspace, "main", "openai", model="gpt-4o-mini", api_key=KEY)
    assert a.is_default and a.has_key and a.key_hint == "sk-…3456"
    assert a.base_url == "https://api.openai.com/v1" and a.concurrency == 4
    assert creds.get_credential_key(workspace, a.id) == KEY
    b = creds.update_credential(workspace, a.id, model="gpt-4o", temperature=0.2, settings={"organization": "org-1"})
    assert (b.model, b.temperature, b.settings) == ("gpt-4o", 0.2, {"organization": "org-1"})
    assert creds.get_credential(workspace, "main").id == a.id
    creds.delete_credential(workspace, a.id)
    assert creds.list_credentials(workspace) == []
    assert not isolated_dirs.store  # key removed from the keyring too


def test_default_is_unique_per_provider_and_fallback_order(workspace):
    first = creds.create_credential(workspace, "o1", "openai", api_key=KEY, priority=50)
    creds.create_credential(workspace, "o2", "openai", api_key=KEY, priority=10)
    creds.create_credential(workspace, "o3", "openai", api_key=KEY, priority=20)
    creds.create_credential(workspace, "a1", "anthropic", api_key=KEY)
    assert [c.name for c in creds.credentials_for(workspace, "openai")] == ["o1", "o2", "o3"]  # default first
    creds.set_default(workspace, creds.get_credential(workspace, "o3").id)
    assert [c.name for c in creds.credentials_for(workspace, "openai")] == ["o3", "o2", "o1"]
    assert creds.get_credential(workspace, "a1").is_default  # other provider untouched
    creds.delete_credential(workspace, creds.get_credential(workspace, "o3").id)
    assert creds.credentials_for(workspace, "openai")[0].name == "o2"  # next by priority takes over
    assert not creds.get_credential(workspace, first.id).is_default


@pytest.mark.parametrize(
    "kwargs, field",
    [
        (dict(name=" ", provider="openai"), "name"),
        (dict(name="x", provider="gemini"), "provider"),
        (dict(name="x", provider="compatible"), "base_url"),
        (dict(name="x", provider="compatible", base_url="ftp://host"), "base_url"),
        (dict(name="x", provider="openai", temperature=3), "temperature"),
        (dict(name="x", provider="openai", concurrency=0), "concurrency"),
        (dict(name="x", provider="openai", max_tokens=0), "max_tokens"),
    ],
)
def test_bad_input_names_the_field(workspace, kwargs, field):
    with pytest.raises(creds.CredentialError, match=rf"^{field}:"):
        creds.create_credential(workspace, **kwargs)
    assert creds.list_credentials(workspace) == []


def test_duplicate_name_rejected(workspace):
    creds.create_credential(workspace, "main", "openai")
    with pytest.raises(creds.CredentialError, match="^name: .*already exists"):
        creds.create_credential(workspace, "main", "anthropic")


def test_compatible_needs_no_key_and_gets_v1(workspace):
    c = creds.create_credential(workspace, "ollama", "compatible", base_url="http://localhost:11434")
    assert c.base_url == "http://localhost:11434/v1" and not c.has_key


def test_broken_keyring_stores_nothing_unless_session_only(workspace):
    keyring.set_keyring(fail.Keyring())
    with pytest.raises(keys.KeyringUnavailableError):
        creds.create_credential(workspace, "main", "openai", api_key=KEY)
    assert creds.list_credentials(workspace) == []
    c = creds.create_credential(workspace, "main", "openai", api_key=KEY, session_only=True)
    assert c.has_key and creds.credential_key_location(workspace, c.id) == "session"
    assert creds.get_credential_key(workspace, c.id) == KEY
    keys.clear_session_keys()
    assert creds.get_credential_key(workspace, c.id) is None


def test_key_never_in_sqlite(workspace):
    c = creds.create_credential(workspace, "main", "openai", api_key=KEY)
    creds.set_credential_key(workspace, c.id, "sk-test-OTHERKEY98765")
    workspace.close()
    for f in workspace.path.rglob("*"):
        if f.is_file():
            data = f.read_bytes()
            assert b"SECRET123456" not in data and b"OTHERKEY98765" not in data, f


def test_record_use_updates_counters(workspace):
    c = creds.create_credential(workspace, "main", "openai")
    creds.record_use(workspace, c.id, ok=True, input_tokens=10, output_tokens=5, cost_usd=0.5)
    creds.record_use(workspace, c.id, ok=False)
    c = creds.get_credential(workspace, c.id)
    assert (c.n_calls, c.n_errors, c.input_tokens, c.output_tokens, c.cost_usd) == (2, 1, 10, 5, 0.5)
    assert c.last_used_at is not None
