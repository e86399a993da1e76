"""The domain half of ``fineflow-desktop --smoke-test``: the main job, end to end, on the sample.

``run_sample_flow`` runs, on an open (migrated) workspace: import of every bundled sample
document, extractive generation, validation of the dataset, export to OpenAI chat JSONL and
validation of the exported file. Each step raises ``SmokeTestError`` naming the step and the
reason when its result is wrong, so a broken frozen build fails loudly (a parser whose library
was not bundled shows up as that file's import error). The GUI half (every pane opened once)
is ``ui.smoke``.
"""

from __future__ import annotations

import time
from pathlib import Path


class SmokeTestError(RuntimeError):
    """A smoke-test step failed; ``step`` names it, the message says why."""

    def __init__(self, step: str, reason: str):
        super().__init__(f"{step}: {reason}")
        self.step = step


def run_sample_flow(ws, out_dir: Path, dataset: str = "smoke-test") -> dict:
    """Import → generate (extractive) → validate → export → validate the file; returns counts.

    Returns ``{"documents", "chunks", "pairs", "exported", "seconds": {step: s}}``. Raises
    ``SmokeTestError`` on the first step whose result is wrong.
    """
    from fineflow_desktop.services.datasets import export_dataset, generate_extractive, validate_dataset, validate_file
    from fineflow_desktop.services.sample import ingest_sample, sample_files

    seconds: dict[str, float] = {}

    def timed(step: str, fn, *args, **kwargs):
        t0 = time.perf_counter()
        try:
            result = fn(*args, **kwargs)
        except SmokeTestError:
            raise
        except Exception as exc:  # noqa: BLE001 - any failure of a step is the step's failure
            raise SmokeTestError(step, f"{type(exc).__name__}: {exc}") from exc
        seconds[step] = round(time.perf_counter() - t0, 3)
        return result

    files = sample_files()
    if len(files) < 2:
        raise SmokeTestError("sample", f"only {len(files)} sample documents found")
    report = timed("import", ingest_sample, ws)
    if report.errors:
        raise SmokeTestError("import", "; ".join(f"{Path(p).name}: {r}" for p, r in report.errors))
    if report.imported + report.unchanged_skipped != len(files):
        raise SmokeTestError("import", f"{report.imported} of {len(files)} sample documents imported")
    generated = timed("generate", generate_extractive, ws, dataset, mode="qa")
    if generated["pairs_added"] <= 0:
        raise SmokeTestError("generate", f"no pairs extracted from {generated['sections']} sections")
    validation = timed("validate", validate_dataset, ws, generated["dataset_id"])
    if not validation.ok:
        raise SmokeTestError("validate", f"{len(validation.errors)} errors, first: {validation.errors[0].message}")
    out = Path(out_dir) / f"{dataset}.jsonl"
    exported = timed("export", export_dataset, ws, generated["dataset_id"], out, "openai")
    file_report = timed("validate file", validate_file, out)
    if not file_report.ok:
        raise SmokeTestError("validate file", f"{out}: {file_report.errors[0].message}")
    n_lines = sum(1 for line in out.read_text(encoding="utf-8").splitlines() if line.strip())
    if n_lines != generated["pairs_added"]:
        raise SmokeTestError("export", f"{n_lines} lines exported for {generated['pairs_added']} pairs ({exported})")
    return {"documents": report.imported, "chunks": report.chunks, "pairs": generated["pairs_added"],
            "exported": n_lines, "seconds": seconds}
