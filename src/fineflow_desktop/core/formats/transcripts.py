"""Transcript CSVs with a confidence column → examples above a minimum confidence, at most N.

Two layouts are understood (see ``columns.guess_column_map``):

* **pair per row**: question/answer columns plus ``confidence`` (e.g. Q&A extracted from call
  transcripts, each with the extractor's confidence);
* **utterance per row**: ``conversation_id``, ``speaker``, ``text``, ``confidence`` — consecutive
  rows with the same conversation id form one conversation whose confidence is the mean of its
  utterances'. Speakers agent/assistant/bot/support → assistant, customer/caller/user → user.

Defaults follow seed 004 ("collect from transcripts"): minimum confidence 0.8, at most 100
examples. When more pass the threshold, the ``max_count`` most confident are kept (ties: file
order) using a bounded heap, so memory stays O(max_count); the kept ones come out in file order.
Confidence may be a fraction (0.85), a percentage (85 or "85%"): values above 1 are read as
percentages.
"""

from __future__ import annotations

import heapq
from typing import Any, Iterable, Iterator, Mapping

from fineflow_desktop.core.formats.canonical import RecordError
from fineflow_desktop.core.formats.columns import is_utterance_map, read_csv_row

DEFAULT_MIN_CONFIDENCE = 0.8
DEFAULT_MAX_COUNT = 100
SPEAKERS = {
    "agent": "assistant", "assistant": "assistant", "bot": "assistant", "support": "assistant", "rep": "assistant",
    "representative": "assistant", "gpt": "assistant", "ai": "assistant", "operator": "assistant",
    "customer": "user", "caller": "user", "user": "user", "client": "user", "human": "user", "visitor": "user",
    "system": "system",
}


def parse_confidence(value: Any, column: str = "confidence") -> float:
    """A confidence value as a fraction 0–1; raises ``RecordError`` naming *column*."""
    text = str(value).strip()
    percent = text.endswith("%")
    try:
        number = float(text.rstrip("%").strip())
    except ValueError:
        raise RecordError(column, f"confidence {text!r} is not a number") from None
    if percent or number > 1:
        number /= 100
    if not 0 <= number <= 1:
        raise RecordError(column, f"confidence {text!r} is outside 0-1 (or 0-100%)")
    return number


def _conversations(rows: Iterable[tuple[int, Any]], column_map: Mapping[str, str]) -> Iterator[tuple[int, Any, float | None]]:
    """Group utterance rows into (first_line, example | RecordError, mean confidence)."""
    conv_col, speaker_col, text_col = column_map["conversation"], column_map["speaker"], column_map["text"]
    conf_col = column_map.get("confidence")
    current: str | None = None
    first_line, messages, confs, error = 0, [], [], None

    def flush():
        if current is None:
            return None
        if error is not None:
            return first_line, error, None
        if not any(m["role"] == "assistant" for m in messages):
            return first_line, RecordError(speaker_col, f"conversation {current!r} has no agent/assistant turn"), None
        mean = sum(confs) / len(confs) if confs else None
        return first_line, {"messages": messages, "extra": {"conversation_id": current}}, mean

    for line, row in rows:
        if isinstance(row, RecordError) or not isinstance(row, Mapping):
            yield line, row, None
            continue
        conv = row.get(conv_col, "")
        if conv != current:
            done = flush()
            if done:
                yield done
            current, first_line, messages, confs, error = conv, line, [], [], None
        if error is not None:
            continue
        speaker = row.get(speaker_col, "").strip().lower()
        role = SPEAKERS.get(speaker)
        try:
            if role is None:
                raise RecordError(speaker_col, f"line {line}: unknown speaker {speaker!r}")
            if conf_col:
                confs.append(parse_confidence(row.get(conf_col, ""), conf_col))
        except RecordError as exc:
            error = exc
            continue
        text = row.get(text_col, "")
        if messages and messages[-1]["role"] == role:
            messages[-1]["content"] += "\n" + text
        else:
            messages.append({"role": role, "content": text})
    done = flush()
    if done:
        yield done


def _pairs(rows: Iterable[tuple[int, Any]], column_map: Mapping[str, str]) -> Iterator[tuple[int, Any, float | None]]:
    conf_col = column_map.get("confidence")
    for line, row in rows:
        if isinstance(row, RecordError) or not isinstance(row, Mapping):
            yield line, row, None
            continue
        try:
            example = read_csv_row(row, column_map)
            conf = parse_confidence(row.get(conf_col, ""), conf_col) if conf_col else None
        except RecordError as exc:
            yield line, exc, None
            continue
        if conf is not None:
            example.setdefault("extra", {}).pop(conf_col, None)
            example["extra"]["confidence"] = conf
        yield line, example, conf


def select_transcripts(rows: Iterable[tuple[int, Any]], column_map: Mapping[str, str],
                       min_confidence: float = DEFAULT_MIN_CONFIDENCE,
                       max_count: int | None = DEFAULT_MAX_COUNT) -> Iterator[tuple[int, Any]]:
    """Yield ``(line, example | RecordError)`` for transcript *rows* (``(line, dict)`` pairs).

    Rows under *min_confidence* and rows beyond the *max_count* most confident come out as
    ``RecordError`` with the reason, so the import report lists them. ``max_count=None``
    keeps every row above the threshold (streaming, in file order).
    """
    items = _conversations(rows, column_map) if is_utterance_map(column_map) else _pairs(rows, column_map)
    conf_col = column_map.get("confidence") or "confidence"
    heap: list[tuple[float, int, Any]] = []  # (confidence, -line, example): the smallest is evicted
    for line, item, conf in items:
        if isinstance(item, Exception) or not isinstance(item, dict):
            yield line, item
            continue
        if conf is not None and conf < min_confidence:
            yield line, RecordError(conf_col, f"{conf:g} is below the minimum {min_confidence:g}")
            continue
        if max_count is None:
            yield line, item
            continue
        key = (conf if conf is not None else 1.0, -line)
        if len(heap) < max_count:
            heapq.heappush(heap, (*key, item))
        elif max_count > 0 and key > heap[0][:2]:
            old_conf, old_neg_line, _ = heapq.heapreplace(heap, (*key, item))
            yield -old_neg_line, RecordError(conf_col, f"over the maximum count {max_count} (confidence {old_conf:g})")
        else:
            yield line, RecordError(conf_col, f"over the maximum count {max_count} (confidence {key[0]:g})")
    for conf, neg_line, item in sorted(heap, key=lambda e: -e[1]):
        yield -neg_line, item
