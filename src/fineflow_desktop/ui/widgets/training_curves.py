"""Live training curves (pyqtgraph): loss vs step on the left axis; on the right axis either
token accuracy or the learning rate (``RIGHT_AXES``; local runs and Together report the learning
rate, OpenAI token accuracy).

It only draws what it is given (metric points read from the store by the caller). Each run
(one fine-tuning job; issue 12 overlays several) owns one ``CurveBuffer`` per metric; points
are appended incrementally and the plot is refreshed at most ``REDRAW_INTERVAL_MS`` apart
(~10 Hz), with pyqtgraph's peak downsampling and clip-to-view so 50,000 points per curve stay
smooth (architecture guide, "Live charts"; ``bench/bench_chart.py`` measures it).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QCheckBox, QComboBox, QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from fineflow_desktop.ui.widgets.curve_buffer import CurveBuffer

REDRAW_INTERVAL_MS = 100  # ~10 Hz: the redraw limit
DOWNSAMPLE_BINS_PER_PIXEL = 1.0


@dataclass(frozen=True)
class CurveMetric:
    """One metric drawn per run: attribute/key name, legend text, axis (``loss``|``accuracy``|``lr``), pen style."""

    name: str
    label: str
    axis: str
    style: Qt.PenStyle
    color: tuple[int, int, int]


# Names follow services.finetune.MetricPoint (OpenAI metrics events / results CSV).
METRICS: tuple[CurveMetric, ...] = (
    CurveMetric("train_loss", "Train loss", "loss", Qt.PenStyle.SolidLine, (45, 110, 200)),
    CurveMetric("valid_loss", "Validation loss", "loss", Qt.PenStyle.DashLine, (230, 120, 30)),
    CurveMetric("full_valid_loss", "Full validation loss", "loss", Qt.PenStyle.DotLine, (200, 50, 60)),
    CurveMetric("train_mean_token_accuracy", "Train token accuracy", "accuracy", Qt.PenStyle.SolidLine, (40, 160, 90)),
    CurveMetric("valid_mean_token_accuracy", "Validation token accuracy", "accuracy", Qt.PenStyle.DashLine,
                (140, 80, 190)),
    CurveMetric("learning_rate", "Learning rate", "lr", Qt.PenStyle.DashDotLine, (110, 110, 110)),
)
METRIC_BY_NAME = {m.name: m for m in METRICS}
# What the right axis shows: (key, combo text, axis label). "auto": token accuracy until a run has
# learning-rate points and none of token accuracy (local runs), then the learning rate.
RIGHT_AXES = (("accuracy", "Token accuracy", "Token accuracy"), ("lr", "Learning rate", "Learning rate"),
              ("none", "Nothing", ""))

# Colours of overlaid runs: with two or more runs each run has one colour and the metric is told by
# the line style; a single run uses the per-metric colours.
RUN_COLORS = ((45, 110, 200), (230, 120, 30), (40, 160, 90), (200, 50, 60), (140, 80, 190), (120, 120, 120))


@dataclass
class _Run:
    key: object
    label: str
    index: int
    buffers: dict[str, CurveBuffer]
    items: dict[str, pg.PlotDataItem]


class TrainingCurves(QWidget):
    """Loss / token-accuracy curves of one or more runs, for live updates.

    ``append_points(run, points)`` takes objects or dicts with ``step`` and metric names of
    ``METRICS`` (``None`` values are skipped); ``append_series`` takes numpy arrays. Redraws are
    coalesced by a single-shot timer; ``flush()`` redraws now. ``redrawn`` is emitted after
    each redraw (tests and the benchmark count them).
    """

    redrawn = Signal()

    def __init__(self, parent: QWidget | None = None, empty_text: str = "No training metrics yet"):
        super().__init__(parent)
        self._runs: dict[object, _Run] = {}
        self._dirty: set[tuple[object, str]] = set()
        self._style_items: dict[str, pg.PlotDataItem] = {}  # legend samples of line styles (several runs)
        self._legend_key: list = []
        self.redraw_count = 0
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(REDRAW_INTERVAL_MS)
        self._timer.timeout.connect(self.flush)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(2)
        lay.addLayout(self._build_toolbar())
        self.plot = self._build_plot()
        lay.addWidget(self.plot, 1)
        self.empty = pg.TextItem(empty_text, anchor=(0.5, 0.5))
        self.plot.addItem(self.empty, ignoreBounds=True)
        self._apply_palette()
        self._update_empty()

    # ---- building --------------------------------------------------------------------------

    def _build_toolbar(self) -> QHBoxLayout:
        row = QHBoxLayout()
        row.setContentsMargins(4, 0, 4, 0)
        self.summary_label = QLabel()
        self.summary_label.setObjectName("curveSummary")
        # Several runs make a long line: clip it rather than push the controls off (full text in the tooltip).
        self.summary_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        row.addWidget(self.summary_label, 1)
        row.addWidget(QLabel("Right axis:"))
        self.right_combo = QComboBox()
        self.right_combo.setObjectName("rightAxisCombo")
        for key, text, _label in RIGHT_AXES:
            self.right_combo.addItem(text, key)
        self.right_combo.setToolTip("Token accuracy (OpenAI) or the learning rate (local runs, Together) "
                                    "on the right axis")
        self._right_chosen = False  # the user picked one: no more automatic switching
        self.right_combo.activated.connect(self._on_right_chosen)
        self.right_combo.currentIndexChanged.connect(lambda _i: self._show_right_axis())
        row.addWidget(self.right_combo)
        self.follow_check = QCheckBox("Follow latest")
        self.follow_check.setToolTip("Keep the whole curve in view as points arrive")
        self.follow_check.setChecked(True)
        self.follow_check.toggled.connect(self._set_follow)
        row.addWidget(self.follow_check)
        return row

    def _build_plot(self) -> pg.PlotWidget:
        plot = pg.PlotWidget()
        plot.setMinimumHeight(180)
        plot.setMenuEnabled(False)
        item = plot.getPlotItem()
        item.setLabel("bottom", "Step")
        item.setLabel("left", "Loss")
        # No grid: with 50k points the grid lines cost 3× the curves per repaint (bench_chart).
        item.setClipToView(True)
        item.setDownsampling(auto=True, mode="peak")
        # The legend sits above the plot, in the title's grid cell: inside the view it hid the
        # curves' ends (the monitor's screenshots at 1100x700), wherever it was anchored.
        self.legend = pg.LegendItem(colCount=3)
        item.layout.removeItem(item.titleLabel)
        item.titleLabel.setVisible(False)
        item.layout.addItem(self.legend, 0, 1, alignment=Qt.AlignmentFlag.AlignRight)
        # Second y axis for token accuracy: a ViewBox sharing x with the main one (pyqtgraph's
        # MultiplePlotAxes example).
        self.acc_view = pg.ViewBox()
        item.showAxis("right")
        item.scene().addItem(self.acc_view)
        item.getAxis("right").linkToView(self.acc_view)
        item.getAxis("right").setLabel("Token accuracy")
        item.getAxis("right").enableAutoSIPrefix(False)  # accuracy is 0–1, not "×0.001"
        self.acc_view.setXLink(item)
        self.acc_view.setYRange(0, 1)
        self.acc_view.enableAutoRange(axis=pg.ViewBox.YAxis, enable=True)
        # The learning rate (~1e-5…1e-3) gets its own ViewBox; the right axis links to the one shown.
        self.lr_view = pg.ViewBox()
        item.scene().addItem(self.lr_view)
        self.lr_view.setXLink(item)
        self.lr_view.enableAutoRange(axis=pg.ViewBox.YAxis, enable=True)
        item.vb.sigResized.connect(self._sync_views)
        return plot

    def _sync_views(self) -> None:
        vb = self.plot.getPlotItem().vb
        for view in (self.acc_view, self.lr_view):
            view.setGeometry(vb.sceneBoundingRect())
            view.linkedViewChanged(vb, view.XAxis)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt API
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.StyleChange):
            self._apply_palette()
        super().changeEvent(event)

    def _apply_palette(self) -> None:
        """Light or dark: background, axes and text follow the widget's palette."""
        pal = self.palette()
        base = pal.color(QPalette.ColorRole.Base)
        text = pal.color(QPalette.ColorRole.Text)
        self.plot.setBackground(base)
        item = self.plot.getPlotItem()
        for side in ("left", "bottom", "right"):
            axis = item.getAxis(side)
            axis.setPen(pg.mkPen(text))
            axis.setTextPen(pg.mkPen(text))
        self.legend.setLabelTextColor(text)
        muted = pal.color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text)
        self.empty.setColor(muted)
        self._legend_key = []  # the style samples take the text colour
        self._sync_legend()

    # ---- runs --------------------------------------------------------------------------------

    def ensure_run(self, key: object, label: str = "") -> None:
        """Add run *key* (no points yet) unless present; *label* prefixes its legend entries when
        more than one run is shown."""
        if key in self._runs:
            return
        run = _Run(key, label or str(key), len(self._runs), {}, {})
        for m in METRICS:
            run.buffers[m.name] = CurveBuffer()
            curve = pg.PlotDataItem(pen=self._pen(run.index, m), name=None, skipFiniteCheck=True)
            if m.axis in ("accuracy", "lr"):
                (self.acc_view if m.axis == "accuracy" else self.lr_view).addItem(curve)
                curve.setVisible(self.right_axis() == m.axis)
            else:
                self.plot.getPlotItem().addItem(curve)
            # After addItem: PlotItem.addItem applies its own downsampling settings to the item.
            curve.setDownsampling(auto=True, method="peak")
            curve.setClipToView(True)
            # ~1 sample bin per pixel (2 points with "peak"): pyqtgraph's default of 5 per pixel
            # drew 5× more segments for the same picture (bench_chart: 8 ms → 2 ms per curve).
            curve.opts["autoDownsampleFactor"] = DOWNSAMPLE_BINS_PER_PIXEL
            run.items[m.name] = curve
        self._runs[key] = run
        if len(self._runs) == 2:
            self._repen()

    def _pen(self, run_index: int, metric: CurveMetric):
        single = len(self._runs) <= 1
        color = metric.color if single else RUN_COLORS[run_index % len(RUN_COLORS)]
        # Width 1 (cosmetic): Qt's raster engine draws wider pens 4–5× slower (bench_chart).
        return pg.mkPen(color=color, width=1, style=metric.style)

    def _repen(self) -> None:
        """Re-colour every run's curves (one run ↔ several runs)."""
        for i, run in enumerate(self._runs.values()):
            run.index = i
            for m in METRICS:
                run.items[m.name].setPen(self._pen(i, m))

    def remove_run(self, key: object) -> None:
        run = self._runs.pop(key, None)
        if run is None:
            return
        for m in METRICS:
            item = run.items[m.name]
            item.getViewBox().removeItem(item) if item.getViewBox() else None
        self._dirty = {d for d in self._dirty if d[0] != key}
        if len(self._runs) == 1:
            self._repen()
        self._sync_legend()
        self._update_empty()

    def clear(self) -> None:
        """Remove every run."""
        for key in list(self._runs):
            self.remove_run(key)

    def runs(self) -> list[object]:
        return list(self._runs)

    def point_count(self, key: object | None = None, metric: str = "train_loss") -> int:
        """Points held for *metric* of run *key* (or of all runs)."""
        if key is not None and key not in self._runs:
            return 0
        runs = [self._runs[key]] if key is not None else self._runs.values()
        return sum(len(r.buffers[metric]) for r in runs)

    def last_step(self, key: object) -> int | None:
        """The highest step held for run *key* over all metrics (``None`` if none)."""
        run = self._runs.get(key)
        if run is None:
            return None
        xs = [b.last_x for b in run.buffers.values() if len(b)]
        return int(max(xs)) if xs else None

    # ---- data --------------------------------------------------------------------------------

    def append_points(self, key: object, points: Iterable, label: str = "") -> int:
        """Append metric points (ascending step) to run *key*; returns the points added."""
        points = list(points)
        if not points:
            self.ensure_run(key, label)
            return 0
        # One attribute access per value (no helper call): 3 runs × 3,000 points × 8 metrics per
        # compare-runs redraw (bench_compare_runs). ``None`` becomes NaN (skipped by the buffer).
        get = (lambda name: [p.get(name) for p in points]) if isinstance(points[0], dict) else \
            (lambda name: [getattr(p, name, None) for p in points])
        steps = np.array(get("step"), dtype=np.float64)
        added = 0
        for m in METRICS:
            values = np.array(get(m.name), dtype=np.float64)
            added = max(added, self.append_series(key, m.name, steps, values, label=label))
        return added

    def append_series(self, key: object, metric: str, steps, values, label: str = "") -> int:
        """Append arrays of one metric to run *key* (NaN values skipped); schedules a redraw."""
        self.ensure_run(key, label)
        n = self._runs[key].buffers[metric].extend(steps, values)
        if n:
            self._dirty.add((key, metric))
            if not self._timer.isActive():
                self._timer.start()
        return n

    def flush(self) -> None:
        """Redraw the curves that changed since the last redraw (the throttle timer calls this)."""
        self._timer.stop()
        if not self._dirty:
            return
        dirty, self._dirty = self._dirty, set()
        if self.follow_check.isChecked():
            # Before setData: a curve clipped to a stale range reports stale bounds, and the
            # auto-range then never widens to the whole curve (seen with the empty (0,1) range).
            self._set_follow(True)
        for key, metric in dirty:
            run = self._runs.get(key)
            if run is None:
                continue
            buf = run.buffers[metric]
            run.items[metric].setData(buf.x, buf.y)
        self._auto_right_axis()
        self._sync_legend()
        self._update_empty()
        self.redraw_count += 1
        self.redrawn.emit()

    # ---- legend ------------------------------------------------------------------------------

    def _shown(self, m: CurveMetric) -> bool:
        return m.axis == "loss" or m.axis == self.right_axis()

    def legend_entries(self) -> list[tuple[object, str]]:
        """``(sample item, text)`` of the legend. One run: one entry per metric shown. Several
        runs: one entry per run (its colour), then one per metric shown in a neutral colour (its
        line style) — n runs × m metrics entries would cover the plot."""
        shown = [m for m in METRICS if self._shown(m) and any(len(r.buffers[m.name]) for r in self._runs.values())]
        runs = sorted(self._runs.values(), key=lambda r: r.index)
        if len(runs) <= 1:
            return [(run.items[m.name], m.label) for run in runs for m in shown if len(run.buffers[m.name])]
        out = []
        for run in runs:
            first = next((m for m in shown if len(run.buffers[m.name])), None)
            if first is not None:
                out.append((run.items[first.name], run.label))
        for m in shown:
            item = self._style_items.get(m.name)
            if item is None:
                item = self._style_items[m.name] = pg.PlotDataItem()
            item.setPen(pg.mkPen(color=self.palette().color(QPalette.ColorRole.Text), width=1, style=m.style))
            out.append((item, m.label))
        return out

    def _sync_legend(self) -> None:
        """Rebuild the legend when its entries changed (not on every redraw: that costs)."""
        want = self.legend_entries()
        key = [(id(item), text) for item, text in want]
        if key == self._legend_key:
            return
        self.legend.clear()
        for item, text in want:
            self.legend.addItem(item, text)
        self._legend_key = key

    def _update_empty(self) -> None:
        has = any(len(b) for r in self._runs.values() for b in r.buffers.values())
        self.empty.setVisible(not has)
        if not has:
            self.plot.getPlotItem().setRange(xRange=(0, 1), yRange=(0, 1), padding=0)
            self.empty.setPos(0.5, 0.5)
            self.summary_label.setText("")
            return
        parts = []
        for run in self._runs.values():
            b = run.buffers["train_loss"]
            if len(b) and len(self._runs) > 1:
                parts.append(f"{run.label}: {b.y[-1]:.3g} @ {int(b.last_x):,}")
            elif len(b):
                parts.append(f"step {int(b.last_x):,} · train loss {b.y[-1]:.4g}")
        self.summary_label.setText("   ".join(parts))
        self.summary_label.setToolTip("\n".join(parts))

    # ---- right axis ------------------------------------------------------------------------

    def right_axis(self) -> str:
        """What the right axis shows now: ``accuracy`` | ``lr`` | ``none``."""
        return self.right_combo.currentData() or "accuracy"

    def set_right_axis(self, key: str) -> None:
        """Show ``accuracy``, ``lr`` or ``none`` on the right axis (as if the user picked it)."""
        idx = self.right_combo.findData(key)
        if idx < 0:
            raise ValueError(f"right axis: {key!r} is not one of {[k for k, _t, _l in RIGHT_AXES]}")
        self._right_chosen = True
        self.right_combo.setCurrentIndex(idx)

    def _on_right_chosen(self, _index: int) -> None:
        self._right_chosen = True

    def _auto_right_axis(self) -> None:
        """Until the user picks: learning rate when runs have it and no token accuracy."""
        if self._right_chosen:
            return
        has_acc = any(len(r.buffers[m.name]) for r in self._runs.values() for m in METRICS if m.axis == "accuracy")
        has_lr = any(len(r.buffers["learning_rate"]) for r in self._runs.values())
        want = "lr" if has_lr and not has_acc else "accuracy"
        if want != self.right_axis():
            self.right_combo.setCurrentIndex(self.right_combo.findData(want))

    def _show_right_axis(self) -> None:
        key = self.right_axis()
        for run in self._runs.values():
            for m in METRICS:
                if m.axis in ("accuracy", "lr"):
                    run.items[m.name].setVisible(m.axis == key)
        axis = self.plot.getPlotItem().getAxis("right")
        axis.setVisible(key != "none")
        if key != "none":
            view = self.acc_view if key == "accuracy" else self.lr_view
            axis.linkToView(view)
            axis.setLabel(dict((k, lab) for k, _t, lab in RIGHT_AXES)[key])
            # the learning rate is tiny: pyqtgraph's SI prefix scales the ticks ("Learning rate (x1e-06)")
            axis.enableAutoSIPrefix(key == "lr")
        self._sync_legend()

    def _set_follow(self, on: bool) -> None:
        if on:
            self.plot.getPlotItem().enableAutoRange()
            self.acc_view.enableAutoRange(axis=pg.ViewBox.YAxis, enable=True)
            self.lr_view.enableAutoRange(axis=pg.ViewBox.YAxis, enable=True)
