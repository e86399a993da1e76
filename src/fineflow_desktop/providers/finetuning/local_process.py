"""A local training process started by FineFlow (``llamafactory-cli train …``) and its launch file.

The launch file ``<run folder>/fineflow_launch.json`` says who trains the run: ``{"pid",
"started" (process create time, so a reused pid never counts), "command", "log", "exit_code"
(written when FineFlow saw the process end), "cancelled"}``. The ``local`` adapter reads it so a
run FineFlow launched can be cancelled through the ordinary ``cancel_job`` path and a trainer that
died shows as ``failed`` — also after FineFlow itself was restarted. LLaMA-Factory removes only
``trainer_log.jsonl`` from an existing output folder (``overwrite_output_dir``), so the file stays.
"""

from __future__ import annotations

import json
import os
import signal
from pathlib import Path

import psutil

LAUNCH_FILE = "fineflow_launch.json"
TRAIN_LOG = "fineflow_train.log"  # the trainer's stdout + stderr
TERMINATE_GRACE_S = 10.0  # SIGTERM, then SIGKILL (LLaMA-Factory saves nothing on SIGTERM anyway)


def read_launch(run_dir: Path) -> dict | None:
    """The launch file of *run_dir*, ``None`` when FineFlow did not launch it (or it is unreadable)."""
    try:
        obj = json.loads((Path(run_dir) / LAUNCH_FILE).read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError, UnicodeDecodeError, NotADirectoryError):
        return None
    return obj if isinstance(obj, dict) else None


def write_launch(run_dir: Path, info: dict) -> None:
    """Write the launch file atomically (a crash leaves the old one or the new one)."""
    run_dir = Path(run_dir)
    run_dir.mkdir(parents=True, exist_ok=True)
    tmp = run_dir / f".{LAUNCH_FILE}.tmp"
    tmp.write_text(json.dumps(info, indent=2), encoding="utf-8")
    os.replace(tmp, run_dir / LAUNCH_FILE)


def update_launch(run_dir: Path, **changes) -> dict:
    """Merge *changes* into the launch file; returns the new content."""
    info = {**(read_launch(run_dir) or {}), **changes}
    write_launch(run_dir, info)
    return info


def process_of(info: dict | None) -> psutil.Process | None:
    """The running trainer process of a launch (pid and create time match), else ``None``."""
    if not info or info.get("pid") is None:
        return None
    try:
        p = psutil.Process(int(info["pid"]))
        if abs(p.create_time() - float(info.get("started", 0))) >= 1.0 or p.status() == psutil.STATUS_ZOMBIE:
            return None
        return p
    except (psutil.Error, TypeError, ValueError):
        return None


def terminate(info: dict, grace_s: float = TERMINATE_GRACE_S) -> bool:
    """Stop the trainer of *info* and its children (it runs in its own session: the whole process
    group gets SIGTERM, then SIGKILL after *grace_s*). Returns False when it was not running."""
    p = process_of(info)
    if p is None:
        return False
    procs = [p, *p.children(recursive=True)]
    try:
        os.killpg(os.getpgid(p.pid), signal.SIGTERM)
    except (ProcessLookupError, PermissionError):
        for q in procs:
            try:
                q.terminate()
            except psutil.Error:
                pass
    _gone, alive = psutil.wait_procs(procs, timeout=grace_s)
    for q in alive:
        try:
            q.kill()
        except psutil.Error:
            pass
    return True


def log_tail(run_dir: Path, lines: int = 5) -> str:
    """The last *lines* lines of the trainer's output (for an error message)."""
    try:
        with (Path(run_dir) / TRAIN_LOG).open("rb") as fh:
            fh.seek(0, os.SEEK_END)
            fh.seek(max(0, fh.tell() - 4096))
            text = fh.read().decode("utf-8", "replace")
    except OSError:
        return ""
    return "\n".join(text.splitlines()[-lines:])
