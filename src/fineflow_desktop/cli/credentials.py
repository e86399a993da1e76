"""``fineflow credentials add|list|test|remove|set-default`` and ``fineflow usage``.

Keys are never taken as command-line arguments (they would land in shell history and process
lists): ``--key-from-env VAR`` reads them from an environment variable. ``add`` stores the key
in the OS keyring; ``test --key-from-env`` uses a key for this process only (useful on a
headless machine without a keyring). A credential for a local OpenAI-compatible server needs
no key.
"""

from __future__ import annotations

import argparse
import os

from fineflow_desktop.cli.common import UsageError, command, emit


def register(sub, common) -> None:
    """Add the ``credentials`` and ``usage`` command groups."""
    p = sub.add_parser("credentials", help="provider credentials (keys live in the OS keyring)")
    csub = p.add_subparsers(dest="credentials_command", required=True, metavar="ACTION")

    add = csub.add_parser("add", parents=[common], help="add a credential")
    add.add_argument("--name", required=True)
    add.add_argument("--provider", required=True, choices=["openai", "anthropic", "compatible", "extractive", "together", "fireworks"],
                     help="together/fireworks credentials serve fine-tuning jobs")
    add.add_argument("--base-url", default=None, help="API base URL (required for compatible; presets: ollama, lmstudio, llamacpp, vllm)")
    add.add_argument("--model", default="", help="preferred model")
    add.add_argument("--account-id", default=None, help="Fireworks account id (fine-tuning paths are per account)")
    add.add_argument("--key-from-env", metavar="VAR", default=None, help="read the API key from environment variable VAR")
    add.add_argument("--concurrency", type=int, default=4)
    add.add_argument("--priority", type=int, default=100, help="fallback order, lower first")
    add.add_argument("--temperature", type=float, default=0.7)
    add.add_argument("--max-tokens", type=int, default=1024)
    add.add_argument("--default", action="store_true", help="make it the default for its provider")
    add.set_defaults(handler=cmd_add)

    ls = csub.add_parser("list", parents=[common], help="list credentials")
    ls.set_defaults(handler=cmd_list)

    test = csub.add_parser("test", parents=[common], help="three-level connection test")
    test.add_argument("name")
    test.add_argument("--key-from-env", metavar="VAR", default=None, help="use this key for this run only")
    test.set_defaults(handler=cmd_test)

    rm = csub.add_parser("remove", parents=[common], help="delete a credential and its key")
    rm.add_argument("name")
    rm.set_defaults(handler=cmd_remove)

    dflt = csub.add_parser("set-default", parents=[common], help="make a credential its provider's default")
    dflt.add_argument("name")
    dflt.set_defaults(handler=cmd_set_default)

    u = sub.add_parser("usage", parents=[common], help="provider usage: totals per day and per model")
    u.add_argument("--days", type=int, default=30, help="days covered by the per-day totals")
    u.set_defaults(handler=cmd_usage)


_PRESET_ALIASES = {"ollama": "Ollama", "lmstudio": "LM Studio", "lm-studio": "LM Studio", "llamacpp": "llama.cpp", "llama.cpp": "llama.cpp", "vllm": "vLLM"}


def _key_from_env(var: str | None) -> str | None:
    if var is None:
        return None
    value = os.environ.get(var, "").strip()
    if not value:
        raise UsageError(f"--key-from-env: environment variable {var} is not set or empty")
    return value


def _base_url(value: str | None) -> str | None:
    from fineflow_desktop.providers.compatible import PRESETS

    if value and value.lower() in _PRESET_ALIASES:
        return PRESETS[_PRESET_ALIASES[value.lower()]]
    return value


def creds_needs_key(provider: str) -> bool:
    """Whether credentials of *provider* need an API key (``providers.credentials.NEEDS_KEY``)."""
    from fineflow_desktop.providers.credentials import NEEDS_KEY

    return NEEDS_KEY.get(provider, False)


def _row(c) -> str:
    flags = " (default)" if c.is_default else ""
    key = c.key_hint or ("no key" if creds_needs_key(c.provider) else "-")
    return (f"{c.name}{flags}\t{c.provider}\t{c.model or '-'}\t{c.base_url or '-'}\tkey {key}\t"
            f"prio {c.priority}\tconc {c.concurrency}\tcalls {c.n_calls}")


@command
def cmd_add(ws, args: argparse.Namespace) -> int:
    from fineflow_desktop.providers import credentials as creds
    from fineflow_desktop.providers.keys import KeyringUnavailableError

    key = _key_from_env(args.key_from_env)
    if creds_needs_key(args.provider) and not key:
        print(f"note: no key given; add one later (the {args.provider} API needs it)")
    try:
        info = creds.create_credential(
            ws, args.name, args.provider, base_url=_base_url(args.base_url), model=args.model,
            temperature=args.temperature, max_tokens=args.max_tokens, is_default=args.default,
            priority=args.priority, concurrency=args.concurrency, api_key=key,
            settings={"account_id": args.account_id} if args.account_id else None,
        )
    except (creds.CredentialError, KeyringUnavailableError) as exc:
        raise UsageError(str(exc)) from None
    emit(args, info.to_dict(), f"added credential {info.name} ({info.provider}{', default' if info.is_default else ''}"
                               f"{', key ' + info.key_hint + ' in the keyring' if info.has_key else ''})")
    return 0


@command
def cmd_list(ws, args: argparse.Namespace) -> int:
    from fineflow_desktop.providers import credentials as creds
    from fineflow_desktop.providers.ping import last_status

    items = creds.list_credentials(ws)
    payload = []
    for c in items:
        ok, when, summary = last_status(ws, c.id)
        d = c.to_dict()
        d["last_test"] = {"ok": ok, "at": when.isoformat(timespec="seconds") if when else None, "summary": summary}
        payload.append(d)
    text = "\n".join(_row(c) for c in items) if items else "no credentials; add one with `fineflow credentials add`"
    emit(args, payload, text)
    return 0


def _credential_by_name(ws, name: str):
    """``CredentialInfo`` named *name* in *ws*; ``UsageError`` (exit 2) if there is none."""
    from fineflow_desktop.providers import credentials as creds

    try:
        return creds.get_credential(ws, name)
    except creds.CredentialError as exc:
        raise UsageError(str(exc)) from None


@command
def cmd_test(ws, args: argparse.Namespace) -> int:
    from fineflow_desktop.providers import credentials as creds
    from fineflow_desktop.providers.ping import LEVEL_NAMES, test_credential

    key = _key_from_env(args.key_from_env)
    info = _credential_by_name(ws, args.name)
    if key:
        creds.set_credential_key(ws, info.id, key, session_only=True)
    results = test_credential(ws, info.id)
    payload = {"credential": info.name, "ok": all(r.ok for r in results),
               "levels": [{"level": r.level, "name": LEVEL_NAMES[r.level], "ok": r.ok,
                           "latency_ms": round(r.latency_ms, 1), "detail": r.detail} for r in results]}
    text = "\n".join(f"{'PASS' if r.ok else 'FAIL'}  {r.level} {LEVEL_NAMES[r.level]:<22} {r.latency_ms:8.1f} ms  {r.detail}" for r in results)
    emit(args, payload, text)
    return 0 if payload["ok"] else 1


@command
def cmd_remove(ws, args: argparse.Namespace) -> int:
    from fineflow_desktop.providers import credentials as creds

    info = _credential_by_name(ws, args.name)
    creds.delete_credential(ws, info.id)
    emit(args, {"removed": info.name}, f"removed credential {info.name} and its key")
    return 0


@command
def cmd_set_default(ws, args: argparse.Namespace) -> int:
    from fineflow_desktop.providers import credentials as creds

    try:
        info = creds.set_default(ws, creds.get_credential(ws, args.name).id)
    except creds.CredentialError as exc:
        raise UsageError(str(exc)) from None
    emit(args, info.to_dict(), f"{info.name} is now the default {info.provider} credential")
    return 0


@command
def cmd_usage(ws, args: argparse.Namespace) -> int:
    from fineflow_desktop.providers.usage import totals_per_day, totals_per_model

    days, models = totals_per_day(ws, args.days), totals_per_model(ws)

    def fmt(t) -> str:
        cost = f"${t.cost_usd:.4f}" + (f" (+{t.unpriced_calls} unpriced)" if t.unpriced_calls else "")
        return f"{t.key:<40} calls {t.calls:>6}  errors {t.errors:>4}  in {t.input_tokens:>9}  out {t.output_tokens:>9}  {cost}"

    text = "Per day:\n" + ("\n".join(fmt(t) for t in days) or "  (no calls)") + "\nPer model:\n" + ("\n".join(fmt(t) for t in models) or "  (no calls)")
    emit(args, {"per_day": [t.to_dict() for t in days], "per_model": [t.to_dict() for t in models]}, text)
    return 0
