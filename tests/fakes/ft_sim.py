"""Provider-neutral simulation of one fine-tuning job for the loopback fakes.

A ``JobSim`` moves through ``validating → queued → running → completed`` on the wall clock
(``validate_s``, ``queue_s``, ``step_s`` per training step; paused time does not count), or
fails at validation when the training file is invalid. ``advance()`` appends the events the
job emitted since the last call (one ``metrics`` event per step), so every fake turns the same
history into its provider's shapes (OpenAI events, Together events + ``/metrics``, Fireworks
``jobProgress``). Loss values are a seeded decreasing curve with noise, so two fakes given the
same seed report the same numbers.
"""

from __future__ import annotations

import math
import random
import threading
import time
from dataclasses import dataclass, field


@dataclass
class Timing:
    """Seconds spent in each phase (``step_s`` per training step).

    ``hold_at_step``: training goes no further than this step (the job stays ``running``) until a
    test sets it back to ``None`` (``step_gate``). A GUI test that must see a job training cannot
    then lose the race against the clock on a loaded box, and need not wait through a long
    training either. Shared by every job of the fake (the fakes pass their ``timing`` object)."""

    validate_s: float = 0.05
    queue_s: float = 0.05
    step_s: float = 0.02
    hold_at_step: int | None = None


def step_gate(timing: Timing, shown_steps: int, last: int = 3) -> None:
    """Lockstep for a test watching an app follow a held job: once the app shows
    ``timing.hold_at_step`` steps, allow one more, and after *last* release the job to finish.
    Call it from the test's wait predicate while the app shows the job training."""
    held = timing.hold_at_step
    if held is not None and shown_steps >= held:
        timing.hold_at_step = None if held >= last else held + 1


@dataclass
class SimEvent:
    """One thing that happened: ``kind`` in ``created, validating, validated, started, metrics,
    checkpoint, completed, failed, cancelled, paused, resumed``; ``t`` wall time (s)."""

    seq: int
    t: float
    kind: str
    step: int | None = None
    metrics: dict | None = None
    message: str = ""


def loss_at(step: int, total: int, rng_seed: int) -> dict:
    """Deterministic metrics at *step*: train loss falls from ~2.3 to ~0.4, accuracy rises."""
    r = random.Random(rng_seed * 1_000_003 + step)
    x = step / max(1, total)
    train = 0.35 + 2.0 * math.exp(-3.5 * x) + r.uniform(-0.08, 0.08)
    acc = min(0.99, 0.45 + 0.5 * (1 - math.exp(-3.0 * x)) + r.uniform(-0.02, 0.02))
    return {"train_loss": round(train, 4), "train_mean_token_accuracy": round(acc, 4),
            "valid_loss": round(train + 0.1 + r.uniform(0, 0.05), 4),
            "valid_mean_token_accuracy": round(acc - 0.03, 4)}


@dataclass
class JobSim:
    """One job's timeline. ``failure`` = ``{"code", "message", "param"}`` → fails after validation."""

    n_examples: int
    epochs: int
    batch_size: int
    timing: Timing
    has_validation: bool = False
    failure: dict | None = None
    seed: int = 0
    t0: float = field(default_factory=time.time)
    phase: str = "validating"  # validating, queued, running, completed, failed, cancelled, paused
    step: int = 0
    events: list[SimEvent] = field(default_factory=list)
    metrics: list[dict] = field(default_factory=list)
    finished_at: float | None = None
    _paused_at: float | None = None
    _paused_total: float = 0.0
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self):
        self.total_steps = max(1, math.ceil(self.n_examples / max(1, self.batch_size))) * max(1, self.epochs)
        self.steps_per_epoch = max(1, self.total_steps // max(1, self.epochs))
        self._emit("created", message="Created fine-tuning job")
        self._emit("validating", message="Validating training file")

    def _emit(self, kind: str, t: float | None = None, **kw) -> None:
        self.events.append(SimEvent(len(self.events) + 1, t if t is not None else time.time(), kind, **kw))

    # -- clock -----------------------------------------------------------------------------------
    def _elapsed(self, now: float) -> float:
        paused = self._paused_total + ((now - self._paused_at) if self._paused_at is not None else 0.0)
        return now - self.t0 - paused

    def advance(self, now: float | None = None) -> None:
        """Bring the job up to *now* (wall clock), emitting every event on the way."""
        now = time.time() if now is None else now
        with self._lock:
            if self.phase in ("completed", "failed", "cancelled", "paused"):
                return
            el = self._elapsed(now)
            tm = self.timing
            if self.phase == "validating" and el >= tm.validate_s:
                if self.failure:
                    self.phase, self.finished_at = "failed", now
                    self._emit("failed", message=self.failure["message"])
                    return
                self.phase = "queued"
                self._emit("validated", message="Files validated, moving job to queued state")
            if self.phase == "queued" and el >= tm.validate_s + tm.queue_s:
                self.phase = "running"
                self._emit("started", message="Fine-tuning job started")
            if self.phase == "running":
                target = min(self.total_steps, int((el - tm.validate_s - tm.queue_s) / tm.step_s) if tm.step_s > 0 else self.total_steps)
                if tm.hold_at_step is not None:
                    target = min(target, tm.hold_at_step)
                while self.step < target:
                    self.step += 1
                    m = {"step": self.step, **loss_at(self.step, self.total_steps, self.seed)}
                    if not self.has_validation:
                        m.pop("valid_loss"), m.pop("valid_mean_token_accuracy")
                    if self.step % self.steps_per_epoch == 0 and self.has_validation:
                        m["full_valid_loss"] = round(m["valid_loss"] - 0.02, 4)
                        m["full_valid_mean_token_accuracy"] = round(m["valid_mean_token_accuracy"] + 0.01, 4)
                    self.metrics.append(m)
                    self._emit("metrics", step=self.step, metrics=m,
                               message=f"Step {self.step}/{self.total_steps}: training loss={m['train_loss']:.4f}"
                                       + (f", validation loss={m['valid_loss']:.4f}" if "valid_loss" in m else ""))
                    if self.step % self.steps_per_epoch == 0:
                        self._emit("checkpoint", step=self.step, message=f"Checkpoint created at step {self.step}")
                if self.step >= self.total_steps:
                    self.phase, self.finished_at = "completed", now
                    self._emit("completed", message="The job has successfully completed")

    # -- actions ---------------------------------------------------------------------------------
    def cancel(self) -> bool:
        """Cancel unless finished; True if it changed."""
        self.advance()
        with self._lock:
            if self.phase in ("completed", "failed", "cancelled"):
                return False
            self.phase, self.finished_at = "cancelled", time.time()
            self._emit("cancelled", message="Fine-tuning job cancelled")
            return True

    def pause(self) -> bool:
        self.advance()
        with self._lock:
            if self.phase != "running":
                return False
            self.phase, self._paused_at = "paused", time.time()
            self._emit("paused", message="Fine-tuning job paused")
            return True

    def resume(self) -> bool:
        with self._lock:
            if self.phase != "paused":
                return False
            self._paused_total += time.time() - self._paused_at
            self._paused_at, self.phase = None, "running"
            self._emit("resumed", message="Fine-tuning job resumed")
        self.advance()
        return True

    def finish_now(self) -> None:
        """Jump to the end (tests that do not want to wait)."""
        with self._lock:
            self.t0 -= 10 ** 6
        self.advance()

    def estimated_finish(self) -> float | None:
        """Wall time the job should end (running only)."""
        if self.phase != "running":
            return None
        return time.time() + (self.total_steps - self.step) * self.timing.step_s


def check_chat_jsonl(data: bytes) -> dict | None:
    """The first problem of a chat/DPO JSONL training file as ``{code, message, param}``, or ``None``.

    The message follows the shape of OpenAI's validation failures ("Invalid file format. Line
    N, key …"), with the line number so the user can find it."""
    lines = data.decode("utf-8", "replace").splitlines()
    n = 0
    import json

    for i, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        n += 1
        try:
            rec = json.loads(raw)
        except ValueError:
            return {"code": "invalid_training_file", "param": "training_file",
                    "message": f"The job failed due to an invalid training file. Invalid file format. Line {i} is not valid JSON."}
        msgs = rec.get("messages") if isinstance(rec, dict) else None
        if msgs is None and isinstance(rec, dict) and "input" in rec:
            msgs = (rec.get("input") or {}).get("messages")
        if not isinstance(msgs, list) or not msgs:
            return {"code": "invalid_training_file", "param": "training_file",
                    "message": f"The job failed due to an invalid training file. Invalid file format. Line {i}, key \"messages\": missing or empty."}
    if n < 10:
        return {"code": "invalid_training_file", "param": "training_file",
                "message": f"The job failed due to an invalid training file. Training file has {n} example(s), but must have at least 10 examples."}
    return None


def count_examples(data: bytes) -> int:
    return sum(1 for raw in data.splitlines() if raw.strip())
