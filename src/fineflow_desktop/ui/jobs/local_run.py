""""Watch local run…" in the monitor (issue 12): follow a run folder on this machine, or start
LLaMA-Factory training (``llamafactory-cli train CONFIG``) when it is on PATH — else the dialog
says how to install it. Either way the run is a ``local`` job of the monitor, followed by a task
(progress and Cancel in the task list; Cancel on a started run stops the trainer).

The dialog only asks; ``LocalRunLauncher`` runs ``services.finetune.watch_local_run`` /
``run_local_training`` through ``ctx.ops.run``.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import (
    QDialog, QDialogButtonBox, QDoubleSpinBox, QFileDialog, QFormLayout, QHBoxLayout, QLabel, QLineEdit,
    QPushButton, QTabWidget, QVBoxLayout, QWidget,
)

from fineflow_desktop.services import finetune as ft
from fineflow_desktop.ui.style import set_tone

WATCH, TRAIN = "watch", "train"


def _path_row(edit: QLineEdit, browse) -> QHBoxLayout:
    row = QHBoxLayout()
    row.addWidget(edit, 1)
    btn = QPushButton("Browse…")
    btn.clicked.connect(browse)
    row.addWidget(btn)
    return row


class LocalRunDialog(QDialog):
    """Two tabs: *Watch a run folder* and *Start training*. ``values()`` → ``(mode, path, name,
    idle_timeout_s)``; ``trainer`` is the ``llamafactory-cli`` path found (or ``None``)."""

    def __init__(self, parent: QWidget | None = None, trainer: str | None = None):
        super().__init__(parent)
        self.setWindowTitle("Watch a local training run")
        self.trainer = trainer
        lay = QVBoxLayout(self)
        self.tabs = QTabWidget()
        self.tabs.addTab(self._build_watch(), "Watch a run folder")
        self.tabs.addTab(self._build_train(), "Start training (LLaMA-Factory)")
        lay.addWidget(self.tabs)
        form = QFormLayout()
        self.name_edit = QLineEdit()
        self.name_edit.setPlaceholderText("default: the folder's name")
        form.addRow("Name:", self.name_edit)
        self.idle_spin = QDoubleSpinBox()
        self.idle_spin.setRange(5, 86_400)
        self.idle_spin.setDecimals(0)
        self.idle_spin.setValue(ft.DEFAULT_IDLE_TIMEOUT_S)
        self.idle_spin.setSuffix(" s")
        self.idle_spin.setToolTip("Mark the run stalled when no new log line arrives for this long")
        form.addRow("Stop after silence:", self.idle_spin)
        lay.addLayout(form)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.ok_btn = self.buttons.addButton("Watch", QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        lay.addWidget(self.buttons)
        self.tabs.currentChanged.connect(lambda _i: self._update())
        self.folder_edit.textChanged.connect(lambda _t: self._update())
        self.config_edit.textChanged.connect(lambda _t: self._update())
        self._update()

    def _build_watch(self) -> QWidget:
        page = QWidget()
        col = QVBoxLayout(page)
        hint = QLabel("The trainer's output folder: FineFlow follows its trainer_log.jsonl (LLaMA-Factory) or "
                      "trainer_state.json (any Hugging Face Trainer run) as it grows — the folder may not exist yet.")
        hint.setWordWrap(True)
        col.addWidget(hint)
        self.folder_edit = QLineEdit()
        self.folder_edit.setObjectName("runFolderEdit")
        self.folder_edit.setPlaceholderText("e.g. ~/lf-project/output")
        col.addLayout(_path_row(self.folder_edit, self._browse_folder))
        col.addStretch(1)
        return page

    def _build_train(self) -> QWidget:
        page = QWidget()
        col = QVBoxLayout(page)
        hint = QLabel("A LLaMA-Factory training YAML (\u201cfineflow jobs export-local\u201d writes one). FineFlow runs "
                      "llamafactory-cli train CONFIG from its folder; the output goes to the run's "
                      "fineflow_train.log and Cancel stops the trainer.")
        hint.setWordWrap(True)
        col.addWidget(hint)
        self.config_edit = QLineEdit()
        self.config_edit.setObjectName("trainConfigEdit")
        self.config_edit.setPlaceholderText("e.g. ~/lf-project/train_lora_sft.yaml")
        col.addLayout(_path_row(self.config_edit, self._browse_config))
        self.trainer_label = QLabel()
        self.trainer_label.setObjectName("trainerStatus")
        self.trainer_label.setWordWrap(True)
        if self.trainer:
            self.trainer_label.setText(f"llamafactory-cli found: {self.trainer}")
            set_tone(self.trainer_label, "ok")
        else:
            self.trainer_label.setText(f"llamafactory-cli is not on PATH. Install it with: {ft.INSTALL_HINT} — "
                                       "or run the training yourself and watch its folder.")
            set_tone(self.trainer_label, "warn")
        col.addWidget(self.trainer_label)
        col.addStretch(1)
        return page

    def _browse_folder(self) -> None:
        path = QFileDialog.getExistingDirectory(self, "Run output folder", self.folder_edit.text())
        if path:
            self.folder_edit.setText(path)

    def _browse_config(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Training config", self.config_edit.text(), "YAML (*.yaml *.yml)")
        if path:
            self.config_edit.setText(path)

    def mode(self) -> str:
        return WATCH if self.tabs.currentIndex() == 0 else TRAIN

    def _update(self) -> None:
        if self.mode() == WATCH:
            self.ok_btn.setText("Watch")
            self.ok_btn.setEnabled(bool(self.folder_edit.text().strip()))
        else:
            self.ok_btn.setText("Start training")
            self.ok_btn.setEnabled(bool(self.trainer) and bool(self.config_edit.text().strip()))

    def values(self) -> tuple[str, str, str | None, float]:
        path = (self.folder_edit if self.mode() == WATCH else self.config_edit).text().strip()
        return self.mode(), str(Path(path).expanduser()), self.name_edit.text().strip() or None, self.idle_spin.value()


class LocalRunLauncher(QObject):
    """Runs a watch or a training launch as a task; ``job_seen(job_id)`` once the job row exists
    (the monitor selects it), ``ended(JobRecord)`` when the run ended, ``failed(message)`` when it
    could not start or follow the run (no trainer on PATH, a bad config, a file as folder)."""

    job_seen = Signal(int)
    ended = Signal(object)
    failed = Signal(str)

    def __init__(self, ctx, parent: QObject | None = None, interval_s: float = 2.0):
        super().__init__(parent)
        self.ctx = ctx
        self.interval_s = interval_s
        self.errors: list[str] = []
        self._seen: set[int] = set()

    def start(self, mode: str, path: str, name: str | None, idle_timeout_s: float, trigger=None) -> None:
        """Follow folder *path* (``watch``) or start training from config *path* (``train``)."""
        fn = ft.watch_local_run if mode == WATCH else ft.run_local_training
        title = f"{'Watching' if mode == WATCH else 'Training'} {name or Path(path).name} (local)"
        interval = self.interval_s

        def work(state, ws, target):
            def changed(job):
                prog = job.progress or {}
                # carries the job id to the main thread (progress is the task's only channel there)
                state.progress(int(prog.get("step") or 0), int(prog.get("total_steps") or 0), f"job #{job.id}")
            return fn(ws, target, name=name, idle_timeout_s=idle_timeout_s, interval_s=interval, on_change=changed,
                      state=state)

        self.ctx.ops.run(title, work, self.ctx.workspace, path, trigger=trigger, on_progress=self._progress,
                         on_result=self._ended, on_error=self._failed)

    def _failed(self, message: str) -> None:
        self.errors.append(message)
        self.failed.emit(message)

    def _progress(self, _done: int, _total: int, message: str) -> None:
        if message.startswith("job #") and message[5:].isdigit():
            job_id = int(message[5:])
            if job_id not in self._seen:
                self._seen.add(job_id)
                self.job_seen.emit(job_id)

    def _ended(self, job) -> None:
        if job.id not in self._seen:
            self._seen.add(job.id)
            self.job_seen.emit(job.id)
        self.ended.emit(job)
