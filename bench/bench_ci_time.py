"""Test-suite time now against the suite as it was when issue 9 was filed (its "CI time within
+10%" acceptance), on the same machine and hour.

Runs ``pytest -n 2`` three ways and prints wall and CPU seconds, test counts and the load:
1. the base commit's whole suite in its own checkout (``--base``, a clone with its ``.venv``:
   ``git clone . ../base9 && git -C ../base9 checkout dea9530 && make -C ../base9 setup``);
2. this checkout, only the test files that existed at the base commit (they may hold more
   tests now);
3. this checkout, the whole suite (the files later issues added included).

    python bench/bench_ci_time.py [--base ../base9] [--skip-full]
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run_pytest(cwd: Path, python: Path, files: list[str]) -> dict:
    """One ``pytest -n 2 -q`` in *cwd*; wall and children's CPU seconds, passed/failed counts."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    load = os.getloadavg()[0]
    t0 = time.perf_counter()
    proc = subprocess.run([str(python), "-m", "pytest", "-n", "2", "-q", "-p", "no:cacheprovider", *files],
                          cwd=cwd, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    tail = proc.stdout.strip().splitlines()[-1] if proc.stdout.strip() else proc.stderr[-300:]
    counts = {k: int(n) for n, k in re.findall(r"(\d+) (passed|failed|error)", tail)}
    return {"wall": wall, "cpu": (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime),
            "counts": counts, "load": load, "tail": tail}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--base", type=Path, default=ROOT.parent / "base9",
                    help="checkout of the base commit with its .venv (default: ../base9)")
    ap.add_argument("--skip-full", action="store_true", help="skip the whole current suite")
    args = ap.parse_args()
    if not (args.base / ".venv/bin/python").is_file():
        print(f"skipped: no checkout of the base commit with its .venv at {args.base} (see this script's docstring)")
        return 0
    base_files = sorted(p.name for p in (args.base / "tests").glob("test_*.py"))
    missing = [f for f in base_files if not (ROOT / "tests" / f).is_file()]
    rows = [("base commit, whole suite", run_pytest(args.base, args.base / ".venv/bin/python", [])),
            (f"now, the base's {len(base_files) - len(missing)} test files",
             run_pytest(ROOT, Path(sys.executable), [f"tests/{f}" for f in base_files if f not in missing]))]
    if not args.skip_full:
        rows.append(("now, whole suite", run_pytest(ROOT, Path(sys.executable), [])))
    print(f"{'suite':40} {'tests':>6} {'wall s':>8} {'CPU s':>8} {'load':>5}")
    for name, r in rows:
        n = sum(r["counts"].values())
        print(f"{name:40} {n:6d} {r['wall']:8.1f} {r['cpu']:8.1f} {r['load']:5.1f}   {r['tail']}")
    if missing:
        print("base test files gone now:", ", ".join(missing))
    return 0


if __name__ == "__main__":
    sys.exit(main())
