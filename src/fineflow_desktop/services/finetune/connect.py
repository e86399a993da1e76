"""Credential → fine-tuning adapter (the key comes from the keyring, never from the store)."""

from __future__ import annotations

from fineflow_desktop.providers import credentials as creds
from fineflow_desktop.providers.base import ProviderError
from fineflow_desktop.providers.finetuning.local_run import LOCAL_CREDENTIAL, LocalRunProvider
from fineflow_desktop.providers.finetuning.registry import FT_PROVIDERS, provider_for
from fineflow_desktop.services.finetune.types import CredentialRejected

# Timeouts of one poll request; the SDKs retry 429/5xx themselves (max_retries) before we see them.
TIMEOUT_S = 30.0
MAX_RETRIES = 2


def credential_info(ws, name: str):
    """``CredentialInfo`` of a fine-tuning credential; ``CredentialRejected`` for an unknown name,
    a provider that cannot fine-tune, or a missing key."""
    try:
        info = creds.get_credential(ws, name)
    except creds.CredentialError as exc:
        raise CredentialRejected(str(exc)) from None
    if info.provider not in FT_PROVIDERS:
        raise CredentialRejected(f"credential: {info.name!r} is a {info.provider} credential; fine-tuning needs "
                                 f"one of {', '.join(FT_PROVIDERS)}")
    return info


def open_provider(ws, name: str, *, max_retries: int = MAX_RETRIES):
    """``(adapter, CredentialInfo)`` for credential *name* (see ``credential_info`` for errors).

    Local runs (``provider == "local"``) carry the credential name ``(local run)`` and need no
    key: they get the log-following adapter and ``None`` for the credential."""
    if name == LOCAL_CREDENTIAL:
        return LocalRunProvider(), None
    info = credential_info(ws, name)
    key = creds.get_credential_key(ws, info.id)
    if not key:
        raise CredentialRejected(f"credential: {info.name!r} has no API key stored (add one in Settings or with "
                                 f"'fineflow credentials add … --key-from-env VAR')")
    try:
        adapter = provider_for(info.provider, key, info.base_url or None, info.settings, timeout_s=TIMEOUT_S,
                               max_retries=max_retries)
    except (ValueError, ProviderError) as exc:  # e.g. a Fireworks credential without an account id
        raise CredentialRejected(f"credential {info.name!r}: {exc}") from None
    return adapter, info


def credential_keys(ws) -> dict[str, str]:
    """Keyring username → key of every fine-tuning credential that has a key (session or keyring):
    what the app's poll process needs (``keys.adopt_keys``). Reads the keyring once per credential."""
    out = {}
    for info in creds.list_credentials(ws):
        if info.provider in FT_PROVIDERS:
            key = creds.get_credential_key(ws, info.id)
            if key:
                out[creds.key_username_for(ws, info.id)] = key
    return out
