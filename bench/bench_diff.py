"""Diff benchmark: two 2,000-line versions with 200 changes.

Text: the first 2,000 lines of the Python 3.11 docs source ``library/stdtypes.rst`` (PSF
licence, Debian python3.11-doc; real prose nobody here wrote), falling back to generated
prose if the package is missing. 200 changes at seeded random places: 120 modified lines
(one or two words replaced), 40 inserted lines, 40 deleted lines.

Prints the median of 5 runs for: building the Qt-free diff model (core.diff), building the
two QTextDocuments off-widget (no wrap, and wrapped at 100 columns), and a full
``DiffView.set_texts`` (model + documents + unified diff + gutters), offscreen.
Run: ``QT_QPA_PLATFORM=offscreen python bench/bench_diff.py``.
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

SOURCE = Path("/usr/share/doc/python3.11/html/_sources/library/stdtypes.rst.txt")
LINES, CHANGES, RUNS = 2000, 200, 5


def make_versions() -> tuple[str, str, str]:
    if SOURCE.exists():
        lines = SOURCE.read_text(encoding="utf-8").splitlines()[:LINES]
        origin = f"{SOURCE} (first {LINES} lines)"
    else:
        rnd = random.Random(1)
        words = "the template answer question model data prompt chunk token pair value".split()
        lines = [" ".join(rnd.choice(words) for _ in range(rnd.randint(0, 14))) for _ in range(LINES)]
        origin = "generated prose"
    rnd = random.Random(42)
    new = list(lines)
    # choose distinct target lines, apply from the bottom so indexes stay valid
    targets = sorted(rnd.sample(range(LINES), CHANGES), reverse=True)
    kinds = ["modify"] * 120 + ["insert"] * 40 + ["delete"] * 40
    rnd.shuffle(kinds)
    for idx, kind in zip(targets, kinds):
        if kind == "modify":
            words = new[idx].split(" ") or [""]
            for _ in range(rnd.randint(1, 2)):
                words[rnd.randrange(len(words))] = rnd.choice(["changed", "edited", "NEW", "rewritten", "x"])
            new[idx] = " ".join(words) if " ".join(words) != new[idx] else new[idx] + " edited"
        elif kind == "insert":
            new.insert(idx, f"An inserted line number {idx} with a few words.")
        else:
            del new[idx]
    return "\n".join(lines) + "\n", "\n".join(new) + "\n", origin


def median_ms(fn, runs: int = RUNS) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def main() -> None:
    from PySide6.QtWidgets import QApplication

    from fineflow_desktop.core.diff import diff_texts
    from fineflow_desktop.ui.widgets.diff_style import DiffStyle, build_diff_documents, monospace_font
    from fineflow_desktop.ui.widgets.diff_view import DiffView

    app = QApplication.instance() or QApplication([])
    left, right, origin = make_versions()
    model = diff_texts(left, right)
    print(f"input: {origin}; left {left.count(chr(10))} lines, right {right.count(chr(10))} lines")
    print(f"diff: {len(model.rows)} rows, {model.change_count} changes (hunks), "
          f"+{model.added} -{model.removed} ~{model.modified} lines")
    style = DiffStyle.from_palette(app.palette())
    font = monospace_font()
    t_model = median_ms(lambda: diff_texts(left, right))
    t_docs = median_ms(lambda: build_diff_documents(model, style, font))
    t_docs_wrap = median_ms(lambda: build_diff_documents(model, style, font, wrap_columns=100))
    view = DiffView()
    view.resize(1400, 800)
    view.show()
    app.processEvents()
    t_view = median_ms(lambda: (view.set_texts(left, right, left_title="v1", right_title="v2"), app.processEvents()))
    def unified():
        view.unified_toggle.setChecked(False)
        view.set_texts(left, right, left_title="v1", right_title="v2")
        t0 = time.perf_counter()
        view.unified_toggle.setChecked(True)
        app.processEvents()
        return (time.perf_counter() - t0) * 1000

    t_unified = statistics.median(unified() for _ in range(RUNS))
    print(f"diff model (core.diff.diff_texts):          {t_model:7.1f} ms")
    print(f"QTextDocuments, no wrap (2 docs):           {t_docs:7.1f} ms")
    print(f"QTextDocuments, wrapped at 100 columns:     {t_docs_wrap:7.1f} ms")
    print(f"DiffView.set_texts + paint, end to end:     {t_view:7.1f} ms")
    print(f"unified view, first shown (lazy build):     {t_unified:7.1f} ms")
    print(f"model + documents (goal well under 1000 ms): {t_model + t_docs:6.1f} ms   (median of {RUNS} runs)")


if __name__ == "__main__":
    main()
