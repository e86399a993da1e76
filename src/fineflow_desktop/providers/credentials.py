"""Create, read, update and delete provider credentials of a workspace; fallback order.

Functions take a ``Workspace`` and return ``CredentialInfo`` (plain values, safe across threads).
The API key goes to ``providers.keys`` (OS keyring, or session memory on request), never to
SQLite; the row keeps only ``has_key`` and a masked ``key_hint``. Bad input raises
``CredentialError`` whose message starts with the field name.
"""

from __future__ import annotations

import uuid
from dataclasses import asdict, dataclass
from datetime import datetime

from sqlalchemy import select, update

from fineflow_desktop.providers import keys
from fineflow_desktop.store.models import Setting, utcnow
from fineflow_desktop.store.models_providers import Credential

PROVIDERS = ("openai", "anthropic", "compatible", "extractive", "together", "fireworks")
# Credentials of these providers serve fine-tuning only (issue 11), not generation.
FINETUNE_ONLY = ("together", "fireworks")
# LLM chat (generation runs, previews); extractive is the offline generator, FINETUNE_ONLY serve jobs.
CHAT_PROVIDERS = ("openai", "anthropic", "compatible")
BATCH_PROVIDERS = ("openai", "anthropic")  # their adapters implement providers.batch.BatchProvider
DEFAULT_BASE_URLS = {
    "openai": "https://api.openai.com/v1",
    "anthropic": "https://api.anthropic.com",
    "compatible": "",
    "extractive": "",
    "together": "https://api.together.ai",  # the together SDK 3.x default (its paths add /v1)
    "fireworks": "https://api.fireworks.ai",  # fireworks-ai SDK default host
}
NEEDS_KEY = {"openai": True, "anthropic": True, "compatible": False, "extractive": False, "together": True, "fireworks": True}
DEFAULT_CONCURRENCY = 4  # issue 4: "Concurrency limit (default 4, configurable per credential)"
MAX_CONCURRENCY = 64
_UUID_SETTING = "workspace.uuid"
_EDITABLE = (
    "name", "provider", "base_url", "model", "temperature", "max_tokens", "system_prompt",
    "settings", "is_default", "priority", "concurrency",
)


class CredentialError(ValueError):
    """Invalid credential input or unknown credential; message names the field."""


@dataclass(frozen=True)
class CredentialInfo:
    """A credential as plain values (no key; ``key_hint`` is masked like ``sk-…wxyz``)."""

    id: int
    name: str
    provider: str
    base_url: str
    model: str
    temperature: float
    max_tokens: int
    system_prompt: str
    settings: dict
    is_default: bool
    priority: int
    concurrency: int
    has_key: bool
    key_hint: str
    created_at: datetime
    last_used_at: datetime | None
    n_calls: int
    n_errors: int
    input_tokens: int
    output_tokens: int
    cost_usd: float

    def to_dict(self) -> dict:
        """JSON-ready dict (datetimes as ISO strings)."""
        d = asdict(self)
        for k in ("created_at", "last_used_at"):
            d[k] = d[k].isoformat(timespec="seconds") if d[k] else None
        return d


def _info(c: Credential) -> CredentialInfo:
    return CredentialInfo(
        id=c.id, name=c.name, provider=c.provider, base_url=c.base_url, model=c.model,
        temperature=c.temperature, max_tokens=c.max_tokens, system_prompt=c.system_prompt,
        settings=dict(c.settings or {}), is_default=c.is_default, priority=c.priority,
        concurrency=c.concurrency, has_key=c.has_key, key_hint=c.key_hint, created_at=c.created_at,
        last_used_at=c.last_used_at, n_calls=c.n_calls, n_errors=c.n_errors,
        input_tokens=c.input_tokens, output_tokens=c.output_tokens, cost_usd=c.cost_usd,
    )


def workspace_uuid(ws) -> str:
    """A stable random id of this workspace (stored in ``settings``), used in keyring names."""
    with ws.session() as s:
        row = s.get(Setting, _UUID_SETTING)
        if row is None or not row.value:
            row = Setting(key=_UUID_SETTING, value=uuid.uuid4().hex)
            s.merge(row)
        return str(row.value)


def key_username_for(ws, credential_id: int) -> str:
    """Keyring username of a credential of *ws*."""
    return keys.key_username(workspace_uuid(ws), credential_id)


def _validate(fields: dict) -> dict:
    out = dict(fields)
    if "name" in out:
        out["name"] = (out["name"] or "").strip()
        if not out["name"]:
            raise CredentialError("name: must not be empty")
        if out["name"].startswith("("):
            # reserved for built-in pseudo credentials, e.g. "(local run)" on local training jobs
            raise CredentialError("name: names starting with '(' are reserved; choose another name")
    if "provider" in out and out["provider"] not in PROVIDERS:
        raise CredentialError(f"provider: {out['provider']!r} is not one of {', '.join(PROVIDERS)}")
    if "base_url" in out and out["base_url"]:
        from fineflow_desktop.providers.compatible import CompatibleError, normalize_base_url

        try:
            url = normalize_base_url(out["base_url"])
        except CompatibleError as exc:
            raise CredentialError(str(exc)) from None
        # OpenAI/Anthropic URLs are used as typed (Anthropic's has no /v1); only compatible gets /v1.
        out["base_url"] = url if out.get("provider") == "compatible" else out["base_url"].strip().rstrip("/")
    if "temperature" in out:
        t = float(out["temperature"])
        if not 0.0 <= t <= 2.0:
            raise CredentialError(f"temperature: {t} is outside 0–2")
        out["temperature"] = t
    if "max_tokens" in out:
        n = int(out["max_tokens"])
        if n < 1:
            raise CredentialError(f"max_tokens: {n} must be at least 1")
        out["max_tokens"] = n
    if "concurrency" in out:
        n = int(out["concurrency"])
        if not 1 <= n <= MAX_CONCURRENCY:
            raise CredentialError(f"concurrency: {n} is outside 1–{MAX_CONCURRENCY}")
        out["concurrency"] = n
    if "priority" in out:
        out["priority"] = int(out["priority"])
    if "settings" in out:
        if out["settings"] is None:
            out["settings"] = {}
        if not isinstance(out["settings"], dict):
            raise CredentialError("settings: must be a JSON object")
    return out


def create_credential(
    ws,
    name: str,
    provider: str,
    *,
    base_url: str | None = None,
    model: str = "",
    temperature: float = 0.7,
    max_tokens: int = 1024,
    system_prompt: str = "",
    settings: dict | None = None,
    is_default: bool = False,
    priority: int = 100,
    concurrency: int = DEFAULT_CONCURRENCY,
    api_key: str | None = None,
    session_only: bool = False,
) -> CredentialInfo:
    """Add a credential; with *api_key*, store the key (keyring, or session with *session_only*).

    The first credential of a provider becomes its default. Raises ``CredentialError``
    (bad field, duplicate name, compatible without base URL) or
    ``keys.KeyringUnavailableError`` (key given, keyring broken, not *session_only*); in both
    cases nothing is stored.
    """
    if base_url is None or base_url == "":
        base_url = DEFAULT_BASE_URLS.get(provider, "")
    fields = _validate(dict(
        name=name, provider=provider, base_url=base_url, model=model, temperature=temperature,
        max_tokens=max_tokens, system_prompt=system_prompt, settings=settings or {},
        is_default=bool(is_default), priority=priority, concurrency=concurrency,
    ))
    if provider == "compatible" and not fields["base_url"]:
        raise CredentialError("base_url: an OpenAI-compatible credential needs a base URL")
    if api_key and not session_only:
        ok, message = keys.keyring_status()
        if not ok:
            raise keys.KeyringUnavailableError(message)
    ws_uuid = workspace_uuid(ws)
    with ws.session() as s:
        if s.scalar(select(Credential.id).where(Credential.name == fields["name"])) is not None:
            raise CredentialError(f"name: a credential named {fields['name']!r} already exists")
        has_default = s.scalar(select(Credential.id).where(Credential.provider == provider, Credential.is_default)) is not None
        if not has_default:
            fields["is_default"] = True
        elif fields["is_default"]:
            s.execute(update(Credential).where(Credential.provider == provider).values(is_default=False))
        cred = Credential(**fields)
        s.add(cred)
        s.flush()
        if api_key:
            # Inside the transaction: if the keyring write fails the row is rolled back too.
            keys.set_key(keys.key_username(ws_uuid, cred.id), api_key, session_only=session_only)
            cred.has_key, cred.key_hint = True, keys.mask_key(api_key)
        return _info(cred)


def get_credential(ws, ref: int | str) -> CredentialInfo:
    """A credential by id or name; ``CredentialError`` if there is none."""
    with ws.session() as s:
        cred = _load(s, ref)
        return _info(cred)


def _load(s, ref: int | str) -> Credential:
    if isinstance(ref, int):
        cred = s.get(Credential, ref)
    else:
        cred = s.scalar(select(Credential).where(Credential.name == ref))
        if cred is None and str(ref).isdigit():
            cred = s.get(Credential, int(ref))
    if cred is None:
        raise CredentialError(f"credential: no credential {ref!r} in this workspace")
    return cred


def list_credentials(ws, provider: str | None = None) -> list[CredentialInfo]:
    """All credentials (or one provider's), by provider then fallback order."""
    with ws.session() as s:
        q = select(Credential)
        if provider:
            q = q.where(Credential.provider == provider)
        q = q.order_by(Credential.provider, Credential.is_default.desc(), Credential.priority, Credential.id)
        return [_info(c) for c in s.scalars(q)]


def credentials_for(ws, provider: str) -> list[CredentialInfo]:
    """Fallback order for *provider*: the default first, then ascending priority, then id."""
    return list_credentials(ws, provider)


def update_credential(ws, credential_id: int, **fields) -> CredentialInfo:
    """Change editable fields (see ``_EDITABLE``); setting ``is_default`` clears the others'."""
    unknown = set(fields) - set(_EDITABLE)
    if unknown:
        raise CredentialError(f"{sorted(unknown)[0]}: not an editable credential field")
    with ws.session() as s:
        cred = _load(s, credential_id)
        fields.setdefault("provider", cred.provider)
        fields = _validate(fields)
        if fields.get("name") and fields["name"] != cred.name:
            if s.scalar(select(Credential.id).where(Credential.name == fields["name"])) is not None:
                raise CredentialError(f"name: a credential named {fields['name']!r} already exists")
        if fields["provider"] == "compatible" and not fields.get("base_url", cred.base_url):
            raise CredentialError("base_url: an OpenAI-compatible credential needs a base URL")
        if fields.get("is_default"):
            s.execute(update(Credential).where(Credential.provider == fields["provider"], Credential.id != cred.id).values(is_default=False))
        for k, v in fields.items():
            setattr(cred, k, v)
        s.flush()
        return _info(cred)


def set_default(ws, credential_id: int) -> CredentialInfo:
    """Make *credential_id* the default of its provider."""
    return update_credential(ws, credential_id, is_default=True)


def set_credential_key(ws, credential_id: int, api_key: str | None, *, session_only: bool = False) -> str:
    """Store (or with ``None``/empty, remove) the key; returns ``"keyring"``, ``"session"`` or ``"none"``.

    Raises ``keys.KeyringUnavailableError`` when the keyring is broken and not *session_only*.
    """
    username = key_username_for(ws, credential_id)
    get_credential(ws, credential_id)  # raises if unknown
    if not api_key:
        keys.delete_key(username)
        where = "none"
    else:
        where = keys.set_key(username, api_key, session_only=session_only)
    with ws.session() as s:
        cred = s.get(Credential, credential_id)
        cred.has_key, cred.key_hint = bool(api_key), keys.mask_key(api_key) if api_key else ""
    return where


def get_credential_key(ws, credential_id: int) -> str | None:
    """The key from session memory or keyring (``None`` if missing or unreadable)."""
    return keys.get_key(key_username_for(ws, credential_id))


def credential_key_location(ws, credential_id: int) -> str:
    """``"session"``, ``"keyring"`` or ``"none"``."""
    return keys.key_location(key_username_for(ws, credential_id))


def delete_credential(ws, credential_id: int) -> None:
    """Delete the credential, its ping history and its key; usage records keep their numbers.

    If it was its provider's default, the next in fallback order becomes default.
    """
    username = key_username_for(ws, credential_id)
    with ws.session() as s:
        cred = _load(s, credential_id)
        provider, was_default = cred.provider, cred.is_default
        s.delete(cred)
        s.flush()
        if was_default:
            nxt = s.scalar(select(Credential).where(Credential.provider == provider).order_by(Credential.priority, Credential.id))
            if nxt is not None:
                nxt.is_default = True
    keys.delete_key(username)


def record_use(ws, credential_id: int, *, ok: bool, input_tokens: int = 0, output_tokens: int = 0, cost_usd: float | None = None) -> None:
    """Bump the credential's counters and ``last_used_at`` (missing credential: ignored)."""
    with ws.session() as s:
        s.execute(
            update(Credential)
            .where(Credential.id == credential_id)
            .values(
                n_calls=Credential.n_calls + 1,
                n_errors=Credential.n_errors + (0 if ok else 1),
                input_tokens=Credential.input_tokens + int(input_tokens),
                output_tokens=Credential.output_tokens + int(output_tokens),
                cost_usd=Credential.cost_usd + float(cost_usd or 0.0),
                last_used_at=utcnow(),
            )
        )
