"""API keys in the OS keyring, session-only keys in memory, masking and scrubbing of secrets.

Keys are stored with ``keyring`` under service ``"FineFlow Desktop"`` and username
``credential:{workspace_uuid}:{credential_id}`` (``key_username``). They never go to SQLite,
logs, exports or error messages: everything that might echo text from a provider passes
through ``scrub()``, which replaces every key this process has handled with ``mask_key(key)``.

On headless Linux keyring selects its ``fail`` backend, and some backends (e.g. Secret Service
with no D-Bus session) raise on read *and* write (shared/design/ARCHITECTURE.md, "Known
traps"). ``keyring_status()`` detects both. When the keyring does not work, ``set_key`` raises
``KeyringUnavailableError`` and the caller may offer ``set_key(..., session_only=True)``, which
keeps the key in this process's memory only. There is no plaintext fallback.
"""

from __future__ import annotations

import logging
import re
import threading

import keyring
from keyring.errors import KeyringError, PasswordDeleteError

from fineflow_desktop import APP_NAME

log = logging.getLogger(__name__)

SERVICE = APP_NAME  # "FineFlow Desktop"
_PROBE_USER = "fineflow-keyring-probe"

_lock = threading.Lock()
_session_keys: dict[str, str] = {}  # username -> key, this process only
_known_secrets: set[str] = set()  # every key seen, for scrub()
_status_cache: list = [None, None]  # [backend object, status]; identity-checked (ids get reused)

# Shapes of common API keys (OpenAI sk-/sk-proj-, Anthropic sk-ant-, generic bearer tokens)
# so that even a key this process never loaded is masked in messages.
_KEY_PATTERN = re.compile(r"\b(sk-[A-Za-z0-9_\-]{6,})")
# Providers' own partial masks (OpenAI 401: "sk-proj-*****wxyz") are normalised to ours.
_PROVIDER_MASK = re.compile(r"\bsk-[A-Za-z0-9_\-]*\*{3,}([A-Za-z0-9]{4})\b")


class KeyringUnavailableError(RuntimeError):
    """No working keyring backend; the message explains why and what the user can do."""


def key_username(workspace_uuid: str, credential_id: int) -> str:
    """The keyring username of one credential's key."""
    return f"credential:{workspace_uuid}:{credential_id}"


def mask_key(key: str | None) -> str:
    """Masked form for display: ``"sk-abc…xyz1234"`` → ``"sk-…1234"``.

    Keeps an ``sk-`` prefix and the last 4 characters only when the key is long enough
    (>= 16 chars) that 4 characters reveal little; shorter secrets show as ``"…"`` only.
    """
    if not key:
        return ""
    prefix = "sk-" if key.startswith("sk-") else ""
    tail = key[-4:] if len(key) >= 16 else ""
    return f"{prefix}…{tail}"


def remember_secret(key: str | None) -> None:
    """Register *key* so ``scrub()`` masks it wherever it shows up in text."""
    if key and len(key) >= 6:
        with _lock:
            _known_secrets.add(key)


def scrub(text: object) -> str:
    """``str(text)`` with every known key and every ``sk-…``-shaped token masked."""
    s = str(text)
    with _lock:
        secrets = sorted(_known_secrets, key=len, reverse=True)
    for secret in secrets:
        if secret in s:
            s = s.replace(secret, mask_key(secret))
    s = _PROVIDER_MASK.sub(lambda m: f"sk-…{m.group(1)}", s)
    return _KEY_PATTERN.sub(lambda m: mask_key(m.group(1)), s)


# LogRecord attributes that are not free text: never rewritten by the scrubber.
_RECORD_FIELDS = frozenset(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime"}


class ScrubFilter(logging.Filter):
    """Logging filter that masks keys in a record before any formatter sees it.

    Covers the message, the traceback (formatted here once, then carried as ``exc_text`` —
    formatters print ``exc_text`` instead of re-formatting ``exc_info``), the stack and every
    text value passed with ``extra=``. Installed on every handler of the root logger.
    """

    def filter(self, record: logging.LogRecord) -> bool:  # noqa: A003 - logging API name
        try:
            msg = record.getMessage()
        except Exception:  # noqa: BLE001 - a broken format string must not kill logging
            return True
        clean = scrub(msg)
        if clean != msg:
            record.msg, record.args = clean, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = scrub(record.exc_text)
            record.exc_info = None  # the scrubbed text is what every formatter prints
        if record.stack_info:
            record.stack_info = scrub(record.stack_info)
        for key, value in list(vars(record).items()):
            if key not in _RECORD_FIELDS and isinstance(value, str):
                setattr(record, key, scrub(value))
        return True


def install_log_scrubber(logger: logging.Logger | None = None) -> None:
    """Attach ``ScrubFilter`` to every handler of *logger* (root by default), once."""
    logger = logger or logging.getLogger()
    for handler in logger.handlers:
        if not any(isinstance(f, ScrubFilter) for f in handler.filters):
            handler.addFilter(ScrubFilter())


def keyring_status() -> tuple[bool, str]:
    """``(ok, message)`` for the active keyring backend.

    Not ok when keyring chose its ``fail`` backend (no backend found, typical on headless
    Linux), a chainer with no usable backends, or a backend that raises on a read or a write
    of a probe entry. The result is cached per backend instance.
    """
    backend = keyring.get_keyring()
    if _status_cache[0] is backend:
        return _status_cache[1]
    name = f"{type(backend).__module__}.{type(backend).__name__}"
    status: tuple[bool, str]
    if _is_fail_backend(backend):
        status = (False, _unavailable_message(f"no keyring backend is available ({name})"))
    else:
        try:
            backend.get_password(SERVICE, _PROBE_USER)
            backend.set_password(SERVICE, _PROBE_USER, "probe")
            try:
                backend.delete_password(SERVICE, _PROBE_USER)
            except PasswordDeleteError:
                pass
            status = (True, f"Keys are stored in the system keyring ({type(backend).__name__}).")
        except Exception as exc:  # noqa: BLE001 - any backend failure means "not usable"
            status = (False, _unavailable_message(f"the keyring backend {name} failed: {scrub(exc)}"))
    _status_cache[:] = [backend, status]
    return status


def _is_fail_backend(backend) -> bool:
    from keyring.backends import chainer, fail

    if isinstance(backend, fail.Keyring):
        return True
    if isinstance(backend, chainer.ChainerBackend):
        return not backend.backends
    return False


def _unavailable_message(reason: str) -> str:
    return (
        f"The system keyring does not work: {reason}. API keys cannot be saved. "
        "You can use a key for this session only (kept in memory, forgotten when FineFlow quits), "
        "or install and unlock a keyring (e.g. GNOME Keyring / KWallet, or the keyrings.alt package)."
    )


def set_key(username: str, key: str, *, session_only: bool = False) -> str:
    """Store *key* for *username*; returns where: ``"keyring"`` or ``"session"``.

    Raises ``KeyringUnavailableError`` if the keyring does not work and *session_only* is
    false, or if the backend fails on write. Never writes the key anywhere else.
    """
    if not key:
        raise ValueError("empty API key")
    remember_secret(key)
    if session_only:
        with _lock:
            _session_keys[username] = key
        return "session"
    ok, message = keyring_status()
    if not ok:
        raise KeyringUnavailableError(message)
    try:
        keyring.set_password(SERVICE, username, key)
    except Exception as exc:  # noqa: BLE001
        _status_cache[:] = [None, None]
        raise KeyringUnavailableError(_unavailable_message(f"writing the key failed: {scrub(exc)}")) from None
    with _lock:
        _session_keys.pop(username, None)  # the keyring copy is now authoritative
    return "keyring"


def get_key(username: str) -> str | None:
    """The key for *username*: session key first, then the keyring; ``None`` if none/unreadable."""
    with _lock:
        if username in _session_keys:
            return _session_keys[username]
    try:
        key = keyring.get_password(SERVICE, username)
    except (KeyringError, Exception) as exc:  # noqa: BLE001 - fail backend raises on read
        log.warning("could not read key %s from the keyring: %s", username, scrub(exc))
        return None
    remember_secret(key)
    return key


def key_location(username: str) -> str:
    """``"session"``, ``"keyring"`` or ``"none"``: where the key for *username* lives."""
    with _lock:
        if username in _session_keys:
            return "session"
    return "keyring" if get_key(username) else "none"


def delete_key(username: str) -> None:
    """Remove the key from the session store and the keyring (missing is fine)."""
    with _lock:
        _session_keys.pop(username, None)
    try:
        keyring.delete_password(SERVICE, username)
    except PasswordDeleteError:
        pass
    except Exception as exc:  # noqa: BLE001 - a broken keyring has nothing to delete
        log.warning("could not delete key %s from the keyring: %s", username, scrub(exc))


def clear_session_keys() -> None:
    """Forget every session-only key (tests; workspace switch)."""
    with _lock:
        _session_keys.clear()


def adopt_keys(keys_by_username: dict[str, str]) -> None:
    """Use *keys_by_username* (keyring username → key) as this process's only keys: they become
    session keys and the OS keyring is never read here. For a helper process of the app
    (``workers.process``): it gets the keys the app holds — keyring and session-only alike —
    over its pipe, so nothing is written anywhere and the helper never prompts for a keyring."""
    from keyring.backends import fail

    keyring.set_keyring(fail.Keyring())
    with _lock:
        _session_keys.clear()
        _session_keys.update(keys_by_username)
    for key in keys_by_username.values():
        remember_secret(key)
