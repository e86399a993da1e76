"""The official OpenAI OpenAPI spec, loaded once, and request/response checks against it.

``shared/specs/openai-openapi.yaml`` is parsed with PyYAML's CLoader; operations are matched by
path template and method; bodies are validated with jsonschema (Draft 2020-12) against the
operation's schemas, ``$ref``s resolved inside the spec (``components`` is put next to the
``$ref`` in the validator's root schema).
"""

from __future__ import annotations

import email.parser
import email.policy
import functools
import json
import re
import threading
from pathlib import Path
from typing import Any

import jsonschema
import yaml


def _find_spec() -> Path:
    """``shared/specs/openai-openapi.yaml`` in the nearest ancestor folder (main tree or worktree)."""
    here = Path(__file__).resolve()
    for parent in here.parents:
        candidate = parent / "shared" / "specs" / "openai-openapi.yaml"
        if candidate.is_file():
            return candidate
    return here.parents[3] / "shared" / "specs" / "openai-openapi.yaml"


SPEC_PATH = _find_spec()

@functools.lru_cache(maxsize=1)
def load_spec() -> dict:
    """The parsed OpenAPI document (cached for the process), OAS 3.0 boolean bounds rewritten."""
    loader = getattr(yaml, "CLoader", yaml.SafeLoader)
    with open(SPEC_PATH, "rb") as fh:
        return fix_boolean_bounds(yaml.load(fh, Loader=loader))


def fix_boolean_bounds(node: Any) -> Any:
    """Rewrite OAS 3.0 ``minimum: 0, exclusiveMinimum: true`` as JSON Schema 2020-12
    ``exclusiveMinimum: 0`` (same for maximum), in place. The OpenAI spec mixes the 3.0 form
    into a 3.1 document; Draft 2020-12 reads ``true`` as the number 1, so a
    ``learning_rate_multiplier`` of 0.5 was rejected as "≤ the minimum of True"."""
    if isinstance(node, dict):
        for bound in ("Minimum", "Maximum"):
            ex, plain = f"exclusive{bound}", bound.lower()
            if isinstance(node.get(ex), bool):
                if node[ex] and plain in node:
                    node[ex] = node.pop(plain)
                else:
                    del node[ex]
        for v in node.values():
            fix_boolean_bounds(v)
    elif isinstance(node, list):
        for v in node:
            fix_boolean_bounds(v)
    return node


@functools.lru_cache(maxsize=1)
def _operations() -> list[tuple[re.Pattern, str, dict]]:
    """(path regex, method, operation) for every spec operation; literal segments first."""
    ops = []
    for path, item in load_spec()["paths"].items():
        rx = re.compile("^" + re.sub(r"\{([^}]+)\}", r"(?P<\1>[^/]+)", path) + "$")
        for method, op in item.items():
            if method in ("get", "post", "put", "patch", "delete"):
                ops.append((rx, method.upper(), op, path.count("{")))
    ops.sort(key=lambda t: t[3])
    return [(rx, m, op) for rx, m, op, _ in ops]


_validators: dict[str, jsonschema.Draft202012Validator] = {}
_vlock = threading.Lock()


def validator_for(schema: dict) -> jsonschema.Draft202012Validator:
    """A cached validator for *schema* (usually ``{"$ref": "#/components/schemas/X"}``)."""
    key = json.dumps(schema, sort_keys=True)
    with _vlock:
        v = _validators.get(key)
        if v is None:
            root = {**schema, "components": load_spec()["components"]}
            v = _validators[key] = jsonschema.Draft202012Validator(root)
        return v


def schema_errors(schema: dict, instance: Any) -> list[str]:
    """Messages of every validation error (``$.path: message``), empty if valid."""
    v = validator_for(schema)
    best = jsonschema.exceptions.best_match(v.iter_errors(instance))
    if best is None:
        return []
    return [f"{best.json_path}: {best.message[:300]}"]


def match_operation(method: str, path: str) -> tuple[dict, dict] | None:
    """(operation, path params) for a request path relative to ``/v1``, or ``None``."""
    for rx, m, op in _operations():
        if m == method:
            mt = rx.match(path)
            if mt:
                return op, mt.groupdict()
    return None


def response_schema(op: dict, status: int = 200) -> dict | None:
    """The JSON schema of the operation's *status* response, if it has one."""
    resp = op.get("responses", {}).get(str(status))
    if not resp or "$ref" in resp:
        return None
    schema = resp.get("content", {}).get("application/json", {}).get("schema")
    if schema == {"type": "string"}:
        return None  # file content endpoints answer raw bytes
    return schema


def parse_multipart(content_type: str, body: bytes) -> dict[str, Any]:
    """Form fields of a multipart body: text fields as str, files as ``(filename, bytes)``."""
    msg = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
        b"Content-Type: " + content_type.encode() + b"\r\nMIME-Version: 1.0\r\n\r\n" + body
    )
    fields: dict[str, Any] = {}
    if not msg.is_multipart():
        return fields
    for part in msg.iter_parts():
        name = part.get_param("name", header="content-disposition")
        filename = part.get_filename()
        payload = part.get_payload(decode=True) or b""
        fields[name] = (filename, payload) if filename is not None else payload.decode("utf-8")
    return fields
