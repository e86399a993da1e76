"""What changed between two template versions: metadata fields and a body line summary.

A version snapshot is a mapping with ``body`` and the metadata fields in ``META_FIELDS``.
Body lines are counted from ``core.diff`` rows: ``modified`` = changed lines paired on both
sides, ``added``/``removed`` = lines only on one side.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping

from fineflow_desktop.core.diff import diff_texts

# Metadata captured in every version snapshot (the "name, tags, output format",
# plus the description).
META_FIELDS = ("name", "description", "tags", "output_format")


@dataclass(frozen=True)
class FieldChange:
    """One metadata field: ``old`` is None when the field is new (first version)."""

    field: str
    old: Any
    new: Any

    def describe(self) -> str:
        """Human-readable one-liner, e.g. ``tags +beginner`` or ``name: 'A' → 'B'``."""
        if self.field == "tags":
            old, new = set(self.old or ()), set(self.new or ())
            bits = [f"+{t}" for t in sorted(new - old)] + [f"-{t}" for t in sorted(old - new)]
            return "tags " + (" ".join(bits) if bits else "reordered")
        return f"{self.field}: {_short(self.old)} → {_short(self.new)}"


@dataclass
class Changeset:
    """Changes from an old snapshot (or none: a first version) to a new one."""

    fields: list[FieldChange] = field(default_factory=list)
    lines_added: int = 0
    lines_removed: int = 0
    lines_modified: int = 0
    body_changed: bool = False
    initial: bool = False

    @property
    def is_empty(self) -> bool:
        """Nothing changed: no metadata field and no body difference."""
        return not self.fields and not self.body_changed

    @property
    def changed_fields(self) -> list[str]:
        """Names of the metadata fields that changed, in ``META_FIELDS`` order."""
        return [c.field for c in self.fields]

    def summary(self) -> str:
        """One line for history lists, e.g. ``"name, tags; body +2 −1 ~3 lines"``."""
        if self.initial:
            return f"created ({self.lines_added} lines)"
        bits = []
        if self.fields:
            bits.append(", ".join(self.changed_fields))
        if self.body_changed:
            bits.append(f"body +{self.lines_added} −{self.lines_removed} ~{self.lines_modified} lines")
        return "; ".join(bits) if bits else "no changes"

    def as_dict(self) -> dict:
        """JSON-ready form (CLI ``--json``, export)."""
        return {
            "initial": self.initial,
            "fields": [{"field": c.field, "old": c.old, "new": c.new} for c in self.fields],
            "body": {
                "changed": self.body_changed,
                "lines_added": self.lines_added,
                "lines_removed": self.lines_removed,
                "lines_modified": self.lines_modified,
            },
            "summary": self.summary(),
        }


def _short(value: Any, limit: int = 40) -> str:
    text = repr(value) if not isinstance(value, str) else f"'{value}'"
    return text if len(text) <= limit else text[: limit - 1] + "…'"


def _norm(name: str, value: Any) -> Any:
    if name == "tags":
        return list(value or [])
    return value if value is not None else ""


def compute_changeset(old: Mapping[str, Any] | None, new: Mapping[str, Any]) -> Changeset:
    """Changeset from *old* to *new* snapshots (``body`` + ``META_FIELDS``).

    With ``old=None`` (the first version) every body line counts as added and ``initial``
    is set; metadata fields are not listed as changes then.
    """
    new_body = new.get("body") or ""
    if old is None:
        model = diff_texts("", new_body)
        return Changeset(lines_added=model.added, body_changed=bool(new_body), initial=True)
    cs = Changeset()
    for name in META_FIELDS:
        a, b = _norm(name, old.get(name)), _norm(name, new.get(name))
        if a != b:
            cs.fields.append(FieldChange(name, a, b))
    old_body = old.get("body") or ""
    if old_body != new_body:
        model = diff_texts(old_body, new_body)
        cs.body_changed = True
        cs.lines_added, cs.lines_removed, cs.lines_modified = model.added, model.removed, model.modified
    return cs
