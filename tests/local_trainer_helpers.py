"""Helpers of the local-training tests: the stand-in ``llamafactory-cli`` on PATH (a local program,
not a remote service — see ``tests/fixtures/local_trainer/fake_llamafactory_cli.py``), an exported
LLaMA-Factory project, and trainer logs written at a realistic pace."""

from __future__ import annotations

import json
import os
import sys
import time
from datetime import timedelta
from pathlib import Path

from finetune_helpers import make_dataset

from fineflow_desktop.services.finetune.local_export import export_llamafactory

FAKE = Path(__file__).parent / "fixtures" / "local_trainer" / "fake_llamafactory_cli.py"
OVERRIDES = {"logging_steps": 5, "eval_steps": 20, "save_steps": 30}


def install_fake_trainer(tmp_path: Path, monkeypatch, **env) -> Path:
    """Put the stand-in ``llamafactory-cli`` first on PATH (run by this interpreter)."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    exe = bin_dir / "llamafactory-cli"
    exe.write_text(f"#!{sys.executable}\n" + FAKE.read_text())
    exe.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}")
    for k, v in env.items():
        monkeypatch.setenv(k, str(v))
    return exe


def project(ws, tmp_path: Path) -> Path:
    make_dataset(ws, n=30)
    out = export_llamafactory(ws, "support", tmp_path / "lf", validation_split=0.2, base_model="/models/fake-base",
                              overrides=OVERRIDES)
    return out.config


def wait_for(cond, timeout_s: float = 20.0):
    end = time.monotonic() + timeout_s
    while time.monotonic() < end:
        if cond():
            return
        time.sleep(0.05)
    raise AssertionError("timed out")


def lf_log_lines(total: int, every: int = 5, eval_every: int = 20, lr0: float = 1e-4) -> list[dict]:
    """LLaMA-Factory ``trainer_log.jsonl`` objects with a warm-up then linear-decay ``lr``."""
    lines, warm = [], max(1, total // 10)
    for step in range(every, total + 1, every):
        common = {"current_steps": step, "total_steps": total, "epoch": round(3 * step / total, 2),
                  "percentage": round(100 * step / total, 2), "elapsed_time": str(timedelta(seconds=step)),
                  "remaining_time": str(timedelta(seconds=total - step))}
        lr = lr0 * step / warm if step < warm else lr0 * (1 - (step - warm) / (total - warm))
        lines.append({**common, "loss": round(2.2 - 1.5 * step / total, 4), "lr": lr})
        if step % eval_every == 0:
            lines.append({**common, "eval_loss": round(2.3 - 1.4 * step / total, 4)})
    return lines


def write_log(path: Path, lines: list[dict], pause: float = 0.01) -> None:
    """Append *lines* one by one (every fifth in two halves), *pause* seconds apart."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as fh:
        for i, obj in enumerate(lines):
            text = json.dumps(obj) + "\n"
            if i % 5 == 2:
                fh.write(text[: len(text) // 2])
                fh.flush()
                time.sleep(pause)
                fh.write(text[len(text) // 2:])
            else:
                fh.write(text)
            fh.flush()
            time.sleep(pause)
