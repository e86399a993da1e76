"""providers/keys.py: keyring status detection, session-only keys, masking and scrubbing."""

import logging

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import fail

from fineflow_desktop.providers import keys


class RaisingKeyring(KeyringBackend):
    """Like Secret Service without a D-Bus session: every call raises."""

    priority = 1

    def get_password(self, service, username):
        raise keyring.errors.KeyringError("Failed to unlock the collection!")

    def set_password(self, service, username, password):
        raise keyring.errors.PasswordSetError("Failed to unlock the collection!")

    def delete_password(self, service, username):
        raise keyring.errors.PasswordDeleteError("Failed to unlock the collection!")


@pytest.fixture(autouse=True)
def _fresh_session():
    keys.clear_session_keys()
    yield
    keys.clear_session_keys()


def test_mask_key_keeps_prefix_and_last_four_only():
    assert keys.mask_key("sk-abcdefghijklmnopqrstuvwxyz") == "sk-…wxyz"
    assert keys.mask_key("sk-ant-api03-XXXXXXXXXXXXXXXXXXXXabcd") == "sk-…abcd"
    assert keys.mask_key("short") == "…"  # too short to reveal anything
    assert keys.mask_key("") == ""


def test_scrub_masks_known_keys_and_key_shaped_tokens():
    keys.remember_secret("plainsecretvalue-1234")
    text = "auth failed for plainsecretvalue-1234 and sk-test-SECRET123456 in header"
    out = keys.scrub(text)
    assert "plainsecretvalue-1234" not in out and "SECRET123456" not in out
    assert "…3456" in out


def test_memory_keyring_is_ok_and_roundtrips(isolated_dirs):
    ok, msg = keys.keyring_status()
    assert ok, msg
    assert keys.set_key("credential:w:1", "sk-test-ABCDEFGH1234") == "keyring"
    assert keys.get_key("credential:w:1") == "sk-test-ABCDEFGH1234"
    assert isolated_dirs.store[(keys.SERVICE, "credential:w:1")] == "sk-test-ABCDEFGH1234"
    assert keys.key_location("credential:w:1") == "keyring"
    keys.delete_key("credential:w:1")
    assert keys.get_key("credential:w:1") is None


@pytest.mark.parametrize("backend", [fail.Keyring(), RaisingKeyring()], ids=["fail-backend", "raises-on-read-and-write"])
def test_broken_keyring_detected_and_no_plaintext_fallback(backend, tmp_path):
    keyring.set_keyring(backend)
    ok, msg = keys.keyring_status()
    assert not ok
    assert "session only" in msg and "keyring" in msg
    with pytest.raises(keys.KeyringUnavailableError):
        keys.set_key("credential:w:2", "sk-test-ABCDEFGH1234")
    assert keys.get_key("credential:w:2") is None  # reading a broken keyring does not raise
    # session-only works and lives in memory only
    assert keys.set_key("credential:w:2", "sk-test-ABCDEFGH1234", session_only=True) == "session"
    assert keys.get_key("credential:w:2") == "sk-test-ABCDEFGH1234"
    assert keys.key_location("credential:w:2") == "session"
    keys.delete_key("credential:w:2")  # must not raise on a broken backend
    assert keys.get_key("credential:w:2") is None
    assert not any(tmp_path.rglob("*")) or all(b"ABCDEFGH1234" not in p.read_bytes() for p in tmp_path.rglob("*") if p.is_file())


def test_log_scrubber_masks_keys_in_log_records(caplog):
    keys.remember_secret("sk-test-LOGSECRET9999")
    logger = logging.getLogger("fineflow_test_scrub")
    caplog.handler.addFilter(keys.ScrubFilter())
    logger.warning("calling with %s", "sk-test-LOGSECRET9999")
    assert "LOGSECRET" not in caplog.text
    assert "sk-…9999" in caplog.text
