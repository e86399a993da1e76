"""An OpenAPI document indexed for request/response checks (used by the Together fake; the OpenAI
fake has its own module, ``openai_spec``, with the same rules).

``SpecIndex(path, base="/v1")`` loads the YAML once; ``match(method, path)`` finds the operation
by path template; ``body_errors(op, instance)`` / ``response_errors(op, status, body)`` validate
with jsonschema Draft 2020-12. Fix-ups for specs that mix OAS 3.0 keywords into 3.1 (as
Together's does, FINE-TUNING-APIS.md "Spec quirks"): boolean ``exclusiveMinimum``/``Maximum``
become numbers; ``nullable: true`` admits ``null``; a ``type`` next to a ``oneOf``/``anyOf`` is
dropped (Together's ``train_on_inputs`` says ``type: boolean`` beside ``oneOf[boolean, "auto"]``,
so a strict validator would reject the ``"auto"`` the SDK sends); with ``lenient_one_of`` every
``oneOf`` is read as ``anyOf`` (Together's ``lr_scheduler_args`` is a ``oneOf`` of the cosine and
linear argument objects, and ``{min_lr_ratio, num_cycles}`` — what the SDK sends for cosine — is
valid under both, so a strict ``oneOf`` rejects every create).
"""

from __future__ import annotations

import json
import re
import threading
from pathlib import Path
from typing import Any

import jsonschema
import yaml

from .openai_spec import fix_boolean_bounds


def find_spec(name: str) -> Path:
    """``shared/specs/<name>`` in the nearest ancestor folder (main tree or worktree)."""
    here = Path(__file__).resolve()
    for parent in here.parents:
        candidate = parent / "shared" / "specs" / name
        if candidate.is_file():
            return candidate
    return here.parents[3] / "shared" / "specs" / name


def fix_oas30(node: Any, lenient_one_of: bool = False) -> Any:
    """In place: ``nullable`` → null allowed; ``type`` beside ``oneOf``/``anyOf`` dropped; with
    *lenient_one_of*, ``oneOf`` → ``anyOf`` (see module doc)."""
    if isinstance(node, dict):
        if lenient_one_of and "oneOf" in node and "anyOf" not in node:
            node["anyOf"] = node.pop("oneOf")
        if node.pop("nullable", False) is True:
            t = node.get("type")
            if isinstance(t, str):
                node["type"] = [t, "null"]
            elif "oneOf" in node or "anyOf" in node or "$ref" in node or "allOf" in node:
                alt = {k: node.pop(k) for k in ("oneOf", "anyOf", "$ref", "allOf") if k in node}
                node["anyOf"] = [alt, {"type": "null"}]
        if "type" in node and ("oneOf" in node or "anyOf" in node):
            del node["type"]
        if "$ref" in node and len(node) > 1:  # 3.0 ignores siblings of $ref (e.g. type: object, default: none)
            for k in ("type", "default"):
                node.pop(k, None)
        for v in list(node.values()):
            fix_oas30(v, lenient_one_of)
    elif isinstance(node, list):
        for v in node:
            fix_oas30(v, lenient_one_of)
    return node


class SpecIndex:
    """See the module docstring."""

    def __init__(self, path: Path, lenient_one_of: bool = False):
        loader = getattr(yaml, "CLoader", yaml.SafeLoader)
        with open(path, "rb") as fh:
            self.doc = fix_oas30(fix_boolean_bounds(yaml.load(fh, Loader=loader)), lenient_one_of)
        ops = []
        for tpl, item in self.doc["paths"].items():
            rx = re.compile("^" + re.sub(r"\{([^}]+)\}", r"(?P<\1>[^/]+)", tpl) + "$")
            for method, op in item.items():
                if method in ("get", "post", "put", "patch", "delete"):
                    ops.append((tpl.count("{"), rx, method.upper(), op))
        ops.sort(key=lambda t: t[0])
        self.ops = [(rx, m, op) for _n, rx, m, op in ops]
        self._validators: dict[str, jsonschema.Draft202012Validator] = {}
        self._lock = threading.Lock()

    def match(self, method: str, path: str) -> tuple[dict, dict] | None:
        for rx, m, op in self.ops:
            if m == method and (mt := rx.match(path)):
                return op, mt.groupdict()
        return None

    def errors(self, schema: dict, instance: Any) -> list[str]:
        key = json.dumps(schema, sort_keys=True)
        with self._lock:
            v = self._validators.get(key)
            if v is None:
                v = self._validators[key] = jsonschema.Draft202012Validator({**schema, "components": self.doc["components"]})
        best = jsonschema.exceptions.best_match(v.iter_errors(instance))
        return [] if best is None else [f"{best.json_path}: {best.message[:300]}"]

    def body_errors(self, op: dict, instance: Any) -> list[str]:
        rb = op.get("requestBody") or {}
        schema = (rb.get("content") or {}).get("application/json", {}).get("schema")
        if instance is None:
            return ["missing JSON body"] if rb.get("required") else []
        return self.errors(schema, instance) if schema else []

    def response_errors(self, op: dict, status: int, body: Any) -> list[str]:
        resp = (op.get("responses") or {}).get(str(status)) or {}
        schema = (resp.get("content") or {}).get("application/json", {}).get("schema")
        return self.errors(schema, body) if schema else []
