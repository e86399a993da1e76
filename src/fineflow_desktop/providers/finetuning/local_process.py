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
import subprocess
import threading
from pathlib import Path

import psutil

LAUNCH_FILE = "fineflow_launch.json"
TRAIN_LOG = "fineflow_train.log"  # the trainer's stdout + stderr
TERMINATE_GRACE_S = 10.0  # SIGTERM, then SIGKILL (LLaMA-Factory saves nothing on SIGTERM anyway)
REAP_WAIT_S = 5.0  # how long a reader waits for this process's reaper to record an exit status

# Reaper threads of trainers this FineFlow process started, by run folder: between the trainer's
# exit and the launch file's "exit_code" there is a moment when the process is gone and the code
# not yet written; a reader in this process waits for the reaper instead of guessing.
_reapers: dict[Path, threading.Thread] = {}
_reapers_lock = threading.Lock()


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


def start(command: list[str], cwd: Path, run_dir: Path, extra: dict | None = None) -> subprocess.Popen:
    """Start *command* in its own session (so Cancel reaches its worker processes), its stdout and
    stderr appended to ``run_dir/TRAIN_LOG``; write the launch file (*extra* merged in) and start a
    reaper thread that records the exit status as ``exit_code``. Raises ``OSError`` when the
    program cannot be started (nothing is written then but the log file)."""
    run_dir = Path(run_dir)
    run_dir.mkdir(parents=True, exist_ok=True)
    with (run_dir / TRAIN_LOG).open("ab") as log:
        proc = subprocess.Popen(command, cwd=cwd, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                start_new_session=True)
    try:
        started = psutil.Process(proc.pid).create_time()
    except psutil.Error:  # already gone: the reaper records its exit status
        started = 0.0
    write_launch(run_dir, {"pid": proc.pid, "started": started, "command": list(command),
                           "log": str(run_dir / TRAIN_LOG), **(extra or {})})
    reaper = threading.Thread(target=_reap, args=(proc, run_dir), name=f"reap-{proc.pid}", daemon=True)
    with _reapers_lock:
        _reapers[run_dir.resolve()] = reaper
    reaper.start()
    return proc


def _reap(proc: subprocess.Popen, run_dir: Path) -> None:
    """Wait for the trainer, record its exit status in the launch file, then forget this reaper
    (``exit_code`` reads the file from then on)."""
    code = proc.wait()
    update_launch(run_dir, exit_code=code)
    with _reapers_lock:
        if _reapers.get(run_dir.resolve()) is threading.current_thread():
            del _reapers[run_dir.resolve()]


def exit_code(run_dir: Path) -> int | None:
    """The recorded exit status of the run's trainer once it is gone, ``None`` when unknown (it was
    started by a FineFlow that is no longer running, or never recorded). Waits up to
    ``REAP_WAIT_S`` for this process's reaper when it has not written the status yet."""
    run_dir = Path(run_dir)
    with _reapers_lock:
        reaper = _reapers.get(run_dir.resolve())
    if reaper is not None:
        reaper.join(REAP_WAIT_S)
    code = (read_launch(run_dir) or {}).get("exit_code")
    return code if isinstance(code, int) else None


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
