"""The live training-curves widget: buffer growth, throttled redraw, downsampling, overlays."""

from __future__ import annotations

import numpy as np
import pytest

from fineflow_desktop.ui.widgets.curve_buffer import CurveBuffer
from fineflow_desktop.ui.widgets.training_curves import TrainingCurves
from gui_helpers import shot


def test_buffer_grows_by_doubling_and_skips_repeats_and_missing():
    buf = CurveBuffer(capacity=4)
    assert buf.extend([1, 2, 3], [0.5, None, 0.3]) == 2
    assert buf.extend([3, 4, 5, 6, 7], [9.0, 0.2, 0.1, 0.1, 0.05]) == 4  # step 3 already held
    assert buf.capacity == 8
    assert buf.x.tolist() == [1, 3, 4, 5, 6, 7]
    assert buf.y.tolist() == [0.5, 0.3, 0.2, 0.1, 0.1, 0.05]
    assert buf.last_x == 7


def points(start, n):
    out = []
    for s in range(start, start + n):
        out.append({"step": s, "train_loss": 2.0 / s, "valid_loss": 2.2 / s if s % 5 == 0 else None,
                    "train_mean_token_accuracy": 1 - 1 / (s + 1)})
    return out


def test_appends_coalesce_into_one_throttled_redraw(qtbot):
    chart = TrainingCurves()
    qtbot.addWidget(chart)
    chart.resize(800, 400)
    chart.show()
    with qtbot.waitSignal(chart.redrawn, timeout=20_000):
        for i in range(20):
            chart.append_points(7, points(1 + i * 10, 10))
    assert chart.redraw_count == 1
    assert chart.point_count(7) == 200
    assert chart.point_count(7, "valid_loss") == 40
    assert chart.last_step(7) == 200
    assert not chart.empty.isVisible()
    assert "step 200" in chart.summary_label.text()
    # re-reading an overlapping range adds nothing
    assert chart.append_points(7, points(150, 60)) == 9  # steps 201..209 only


def test_fifty_thousand_points_are_downsampled_for_display(qtbot):
    chart = TrainingCurves()
    qtbot.addWidget(chart)
    chart.resize(1000, 500)
    chart.show()
    steps = np.arange(1, 50_001, dtype=float)
    chart.append_series("a", "train_loss", steps, 2 * np.exp(-steps / 20_000))
    chart.flush()
    qtbot.wait(50)
    item = chart._runs["a"].items["train_loss"]
    shown = item.curve.xData
    assert chart.point_count("a") == 50_000
    assert shown is not None and len(shown) < 5_000  # about two points per pixel column
    assert shown.max() >= 49_000  # the view follows the whole curve


def test_overlay_of_runs_labels_legend_by_run(qtbot):
    chart = TrainingCurves()
    qtbot.addWidget(chart)
    chart.append_points("j1", points(1, 50), label="job 1")
    chart.append_points("j2", points(1, 30), label="job 2")
    chart.flush()
    names = [label.text for _sample, label in chart.legend.items]
    # several runs: one entry per run (its colour), then the line style of each metric shown
    assert names == ["job 1", "job 2", "Train loss", "Validation loss", "Train token accuracy"]
    j1, j2 = (chart._runs[k].items["valid_loss"].opts["pen"].color().getRgb()[:3] for k in ("j1", "j2"))
    assert j1 != j2 and chart._runs["j1"].items["train_loss"].opts["pen"].color().getRgb()[:3] == j1
    chart.remove_run("j1")
    assert chart.runs() == ["j2"]
    # one run again: per-metric colours and legend entries
    assert [label.text for _s, label in chart.legend.items] == ["Train loss", "Validation loss", "Train token accuracy"]
    assert chart._runs["j2"].items["valid_loss"].opts["pen"].color().getRgb()[:3] == (230, 120, 30)
    chart.clear()
    chart.flush()
    assert chart.empty.isVisible()


@pytest.mark.parametrize("dark", [False, True])
def test_screenshot_light_and_dark(qtbot, dark):
    from PySide6.QtGui import QColor, QPalette

    chart = TrainingCurves()
    qtbot.addWidget(chart)
    if dark:
        pal = QPalette()
        pal.setColor(QPalette.ColorRole.Base, QColor(30, 32, 36))
        pal.setColor(QPalette.ColorRole.Window, QColor(40, 42, 46))
        pal.setColor(QPalette.ColorRole.Text, QColor(220, 220, 220))
        pal.setColor(QPalette.ColorRole.WindowText, QColor(220, 220, 220))
        chart.setPalette(pal)
    chart.resize(900, 420)
    chart.show()
    chart.append_points(1, points(1, 400))
    chart.flush()
    assert chart.plot.backgroundBrush().color() == chart.palette().color(QPalette.ColorRole.Base)
    shot(chart, f"jobs11-chart-{'dark' if dark else 'light'}")


def test_learning_rate_goes_to_the_right_axis_when_runs_have_no_token_accuracy(qtbot):
    """Local runs (LLaMA-Factory ``lr``) have a learning rate and no token accuracy: the right
    axis switches to the learning rate by itself; once the user picks, it stays."""
    chart = TrainingCurves()
    qtbot.addWidget(chart)
    chart.resize(800, 400)
    chart.show()
    lr = [{"step": s, "train_loss": 2.0 / s, "learning_rate": 1e-4 * min(1.0, s / 10) * (1 - s / 200)}
          for s in range(1, 101)]
    chart.append_points("local", lr)
    chart.flush()
    assert chart.right_axis() == "lr"
    items = chart._runs["local"].items
    assert items["learning_rate"].isVisible() and not items["train_mean_token_accuracy"].isVisible()
    assert chart.point_count("local", "learning_rate") == 100
    assert chart.plot.getPlotItem().getAxis("right").labelText == "Learning rate"
    names = [label.text for _sample, label in chart.legend.items]
    assert "Learning rate" in names
    chart.set_right_axis("accuracy")
    chart.append_points("local", [{"step": 101, "train_loss": 0.01, "learning_rate": 1e-6}])
    chart.flush()
    assert chart.right_axis() == "accuracy" and not items["learning_rate"].isVisible()
    # an OpenAI-style run (token accuracy, no lr) keeps token accuracy on the right axis
    other = TrainingCurves()
    qtbot.addWidget(other)
    other.append_points("oa", points(1, 20))
    other.flush()
    assert other.right_axis() == "accuracy"
    with pytest.raises(ValueError, match="right axis"):
        other.set_right_axis("bogus")
