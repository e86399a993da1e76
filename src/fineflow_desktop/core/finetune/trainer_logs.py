"""Read the training logs a local run writes: LLaMA-Factory ``trainer_log.jsonl`` and Hugging
Face Trainer ``trainer_state.json`` — incrementally, tolerating a file that is still being written.

Sources (``shared/specs/FINE-TUNING-APIS.md`` §3–4):

- LLaMA-Factory ``LogCallback`` appends one JSON object per line to ``trainer_log.jsonl``:
  ``current_steps, total_steps, loss, eval_loss, lr, epoch, percentage, elapsed_time,
  remaining_time`` (times as ``str(timedelta)``, e.g. ``"0:01:23"``; keys whose value is None
  are dropped). The experimental v1 trainer writes raw HF logs plus ``step`` / ``total_steps``.
- HF ``TrainerState.save_to_json`` rewrites ``trainer_state.json`` whole (inside every
  ``checkpoint-<step>/`` during training; in the output folder when training ends):
  ``global_step, max_steps, log_history`` where each entry has ``step`` and either
  ``loss`` (+ ``learning_rate``, ``grad_norm``, ``epoch``), ``eval_loss`` (+ ``eval_*``), or the
  final summary (``train_runtime``, ``train_loss``…).

Metric points use the cloud jobs' keys (issue 12): ``loss`` → ``train_loss``, ``eval_loss`` →
``valid_loss``, ``current_steps`` / ``step`` → ``step``; ``epoch`` and ``learning_rate`` ride along.
A line without its newline (the trainer is mid-write) is never read; it is read whole on a later
call. A complete line that is not a JSON object is skipped and counted, never raised.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

TRAINER_LOG = "trainer_log.jsonl"  # LLaMA-Factory extras/constants.py TRAINER_LOG
TRAINER_STATE = "trainer_state.json"  # transformers trainer_callback TRAINER_STATE_NAME
# What a run folder is searched for, in order (named in the error when none is found).
LOOKED_FOR = (TRAINER_LOG, TRAINER_STATE, f"checkpoint-*/{TRAINER_STATE}")

_DURATION = re.compile(r"^(?:(\d+) days?, )?(\d+):(\d{2}):(\d{2})(?:\.\d+)?$")


@dataclass
class LogRead:
    """What one incremental read of ``trainer_log.jsonl`` found.

    ``records``: ``(end_offset, object)`` per complete line, in file order (``end_offset`` = byte
    offset just after the line, usable as a resume point and a stable event id);
    ``offset``: where the next read starts; ``bad_lines``: complete lines that were not JSON objects."""

    records: list[tuple[int, dict]] = field(default_factory=list)
    offset: int = 0
    bad_lines: int = 0


def read_trainer_log(path: Path, offset: int = 0, max_bytes: int = 64 * 1024 * 1024) -> LogRead:
    """Complete lines of *path* from byte *offset* on (at most *max_bytes* per call).

    A trailing line without ``\\n`` is left for the next call (``offset`` stops before it). A
    missing file reads as nothing. If the file shrank below *offset* (the trainer started over with
    ``overwrite_output_dir``), reading restarts at 0."""
    out = LogRead(offset=offset)
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        return out
    if size < offset:
        offset = out.offset = 0
    with path.open("rb") as fh:
        fh.seek(offset)
        data = fh.read(max_bytes)
    end = data.rfind(b"\n")
    if end < 0:
        return out
    pos = offset
    for raw in data[: end + 1].split(b"\n")[:-1]:
        pos += len(raw) + 1
        text = raw.strip()
        if not text:
            continue
        try:
            obj = json.loads(text)
        except ValueError:
            out.bad_lines += 1
            continue
        if isinstance(obj, dict):
            out.records.append((pos, obj))
        else:
            out.bad_lines += 1
    out.offset = offset + end + 1
    return out


def parse_duration(text: object) -> float | None:
    """Seconds of a ``str(timedelta)`` such as ``"0:01:23"`` or ``"1 day, 2:03:04"``; ``None`` if not one."""
    if not isinstance(text, str):
        return None
    m = _DURATION.match(text.strip())
    if not m:
        return None
    days, h, mi, s = m.groups()
    return float(int(days or 0) * 86400 + int(h) * 3600 + int(mi) * 60 + int(s))


def _num(value: object) -> float | None:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def point_from_log_line(rec: dict) -> dict | None:
    """Metric point of one ``trainer_log.jsonl`` object, or ``None`` when it carries no loss.

    Returns ``{step, train_loss, valid_loss, epoch, learning_rate}`` (absent values ``None``)."""
    step = rec.get("current_steps", rec.get("step"))
    if not isinstance(step, int) or isinstance(step, bool):
        return None
    train, valid = _num(rec.get("loss")), _num(rec.get("eval_loss"))
    if train is None and valid is None:
        return None
    return {"step": step, "train_loss": train, "valid_loss": valid, "epoch": _num(rec.get("epoch")),
            "learning_rate": _num(rec.get("lr", rec.get("learning_rate")))}


def progress_from_log_line(rec: dict) -> dict:
    """``{step, total_steps, percent, remaining_s, elapsed_s}`` (known keys only) of one log object."""
    out: dict = {}
    step = rec.get("current_steps", rec.get("step"))
    if isinstance(step, int):
        out["step"] = step
    if isinstance(rec.get("total_steps"), int):
        out["total_steps"] = rec["total_steps"]
    pct = _num(rec.get("percentage"))
    if pct is None and out.get("total_steps"):
        pct = round(100.0 * out.get("step", 0) / out["total_steps"], 2)
    if pct is not None:
        out["percent"] = pct
    for key, name in (("remaining_time", "remaining_s"), ("elapsed_time", "elapsed_s")):
        secs = parse_duration(rec.get(key))
        if secs is not None:
            out[name] = secs
    return out


def log_line_finished(rec: dict) -> bool:
    """True when a ``trainer_log.jsonl`` object reports the last step (``current_steps ≥ total_steps > 0``)."""
    step, total = rec.get("current_steps", rec.get("step")), rec.get("total_steps")
    return isinstance(step, int) and isinstance(total, int) and total > 0 and step >= total


def read_trainer_state(path: Path) -> dict | None:
    """The parsed ``trainer_state.json``, or ``None`` while it is missing or half-written."""
    try:
        obj = json.loads(path.read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError, UnicodeDecodeError):
        return None
    return obj if isinstance(obj, dict) and isinstance(obj.get("log_history"), list) else None


def points_from_state(state: dict) -> list[dict]:
    """Metric points of a ``trainer_state.json``'s ``log_history``, one per step, step order.

    Training entries give ``train_loss`` (and ``learning_rate``, ``epoch``), eval entries
    ``valid_loss``; the final summary (``train_runtime`` …) is not a step point."""
    by_step: dict[int, dict] = {}
    for entry in state.get("log_history") or []:
        if not isinstance(entry, dict) or "train_runtime" in entry:
            continue
        step = entry.get("step")
        if not isinstance(step, int) or isinstance(step, bool):
            continue
        p = by_step.setdefault(step, {"step": step, "train_loss": None, "valid_loss": None, "epoch": None,
                                      "learning_rate": None})
        if _num(entry.get("loss")) is not None:
            p["train_loss"] = _num(entry["loss"])
            p["learning_rate"] = _num(entry.get("learning_rate"))
        if _num(entry.get("eval_loss")) is not None:
            p["valid_loss"] = _num(entry["eval_loss"])
        if _num(entry.get("epoch")) is not None:
            p["epoch"] = _num(entry["epoch"])
    return [by_step[k] for k in sorted(by_step) if by_step[k]["train_loss"] is not None or by_step[k]["valid_loss"] is not None]


def checkpoint_dirs(run_dir: Path) -> list[tuple[int, Path]]:
    """``(step, folder)`` of the run's ``checkpoint-<step>`` folders, highest step first."""
    found = []
    for p in run_dir.glob("checkpoint-*"):
        tail = p.name.rpartition("-")[2]
        if p.is_dir() and tail.isdigit():
            found.append((int(tail), p))
    return sorted(found, reverse=True)


def latest_state_file(run_dir: Path) -> tuple[Path | None, bool]:
    """``(path, final)``: the run folder's own ``trainer_state.json`` (written when training ends:
    ``final=True``), else the one in the highest ``checkpoint-<step>/``, else ``(None, False)``."""
    top = run_dir / TRAINER_STATE
    if top.is_file():
        return top, True
    for _step, folder in checkpoint_dirs(run_dir):
        if (folder / TRAINER_STATE).is_file():
            return folder / TRAINER_STATE, False
    return None, False
