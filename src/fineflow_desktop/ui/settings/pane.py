"""Settings pane: provider credentials (list + form + connection test) and usage.

Keys: Save puts a typed key into the OS keyring via ``providers.credentials``. When the keyring
does not work (``keys.keyring_status()``), a banner says so and offers "Use keys for this
session only"; until the user accepts, keys are not stored anywhere (no plaintext fallback).
The connection test and model fetching run as tasks on ``ctx.tasks``; they receive ids and
plain values only.
"""

from __future__ import annotations

import json

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFrame, QHBoxLayout, QHeaderView, QLabel, QMessageBox, QPushButton, QSplitter,
    QTabWidget, QVBoxLayout, QWidget,
)

from fineflow_desktop.providers import credentials as creds
from fineflow_desktop.providers import keys
from fineflow_desktop.providers.credentials import DEFAULT_BASE_URLS
from fineflow_desktop.ui.effects import Effect
from fineflow_desktop.ui.pane import Pane
from fineflow_desktop.ui.settings.credential_form import CredentialForm
from fineflow_desktop.ui.settings.models import ID_ROLE, CredentialRow, CredentialsModel
from fineflow_desktop.ui.settings.test_panel import TestPanel
from fineflow_desktop.ui.settings.usage_view import UsageView
from fineflow_desktop.ui.tables import columns_width, make_single_select_table
from fineflow_desktop.ui.style import set_banner, set_tone
from fineflow_desktop.ui.widgets.vertical_scroll import VerticalScrollArea


def _ping_task(state, ws, credential_id: int) -> list[dict]:
    """Worker: run the three-level test; each level is reported live as JSON progress."""
    from fineflow_desktop.providers.ping import test_credential

    def on_level(r) -> None:
        state.progress(r.level, 3, json.dumps({"level": r.level, "ok": r.ok, "latency_ms": r.latency_ms, "detail": r.detail}))

    return [{"level": r.level, "ok": r.ok, "latency_ms": r.latency_ms, "detail": r.detail}
            for r in test_credential(ws, credential_id, on_level=on_level)]


def _models_task(state, kind: str, base_url: str, api_key: str | None, settings: dict) -> list[str]:
    """Worker: list model ids for unsaved form values."""
    from fineflow_desktop.providers.registry import build_provider

    provider = build_provider(kind, base_url=base_url, api_key=api_key, settings=settings, timeout_s=20)
    return sorted(m.id for m in provider.list_models())


CREDENTIALS_TABLE_MAX_WIDTH = 560  # beyond this the form beside it would be squeezed


class KeyringBanner(QFrame):
    """Yellow banner shown when the keyring does not work; offers session-only keys."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("keyringBanner")
        set_banner(self, "warn")
        lay = QHBoxLayout(self)
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.session_button = QPushButton("Use keys for this &session only")
        lay.addWidget(self.label, 1)
        lay.addWidget(self.session_button)


class SettingsPane(Pane):
    """Provider credentials, connection tests and usage for the open workspace."""

    title = "Settings"
    reload_on = {Effect.CREDENTIALS}

    def build(self) -> None:
        ctx = self.ctx
        self.ws = ctx.workspace
        self.session_only = False
        self._test_task = None
        root = QVBoxLayout(self)

        self.banner = KeyringBanner()
        root.addWidget(self.banner)
        self.banner.session_button.clicked.connect(self.use_session_keys)

        self.tabs = QTabWidget()
        root.addWidget(self.tabs, 1)
        self.tabs.addTab(self._build_credentials_tab(), "&Credentials")
        self.usage = UsageView(self.ws)
        self.tabs.addTab(self.usage, "&Usage")
        self.tabs.currentChanged.connect(lambda i: self.usage.refresh() if self.tabs.widget(i) is self.usage else None)

        self.update_keyring_banner()
        self.usage.refresh()

    # -- layout --------------------------------------------------------------------------------
    def _build_credentials_tab(self) -> QWidget:
        """The Credentials tab: the credential list beside the edit form over the connection test."""
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self._build_credential_list())
        split.addWidget(self._build_editor())
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 3)
        split.setSizes([470, 730])

        self.table.selectionModel().currentRowChanged.connect(lambda cur, _prev: self._select_row(cur.row()))
        self.new_button.clicked.connect(self.new_credential)
        self.delete_button.clicked.connect(self.delete_selected)
        self.default_button.clicked.connect(self.make_default)
        self.save_button.clicked.connect(self.save)
        self.revert_button.clicked.connect(lambda: self._select_row(self.table.currentIndex().row()))
        self.test_panel.test_requested.connect(self.run_test)
        self.form.fetch_models_requested.connect(self.fetch_models)
        return split

    def _build_credential_list(self) -> QWidget:
        """The credentials table, New / Delete / Make default and the empty-workspace hint."""
        left = QWidget()
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 0, 0)
        self.model = CredentialsModel(self)
        self.table = make_single_select_table(self.model)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        ll.addWidget(self.table, 1)
        buttons = QHBoxLayout()
        self.new_button = QPushButton("&New")
        self.delete_button = QPushButton("&Delete")
        self.default_button = QPushButton("Make de&fault")
        for b in (self.new_button, self.delete_button, self.default_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        ll.addLayout(buttons)
        self.empty_hint = QLabel("No credentials yet. Click New, pick a provider, paste a key (local servers need none) and Save.")
        self.empty_hint.setWordWrap(True)
        set_tone(self.empty_hint, "muted")
        ll.addWidget(self.empty_hint)
        return left

    def _build_editor(self) -> QSplitter:
        """The credential form with Save / Revert above the connection-test panel."""
        right = QWidget()
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        self.form = CredentialForm()
        scroll = VerticalScrollArea(self.form)  # never sideways: Fetch models stays in view at 1100×700
        rl.addWidget(scroll, 1)
        save_row = QHBoxLayout()
        self.save_button = QPushButton("&Save")
        self.save_button.setDefault(True)
        self.revert_button = QPushButton("Re&vert")
        self.form_message = QLabel()
        self.form_message.setWordWrap(True)
        save_row.addWidget(self.save_button)
        save_row.addWidget(self.revert_button)
        save_row.addWidget(self.form_message, 1)
        rl.addLayout(save_row)
        right_split = QSplitter(Qt.Orientation.Vertical)
        right_split.addWidget(right)
        self.test_panel = TestPanel()
        right_split.addWidget(self.test_panel)
        right_split.setStretchFactor(0, 3)
        right_split.setStretchFactor(1, 2)
        right_split.setSizes([450, 330])
        return right_split

    # -- keyring -------------------------------------------------------------------------------
    def update_keyring_banner(self) -> None:
        ok, message = keys.keyring_status()
        self.banner.setVisible(not ok)
        self.banner.setToolTip(message)  # the technical reason (backend name) for whoever fixes it
        if self.session_only:
            self.banner.label.setText("Keys you save now are kept in memory for this session only and are forgotten "
                                      "when FineFlow quits (the system keyring is not available).")
            self.banner.session_button.hide()
        else:
            self.banner.label.setText("The system keyring (your desktop's password store) is not available, so API "
                                      "keys cannot be saved permanently. You can keep them for this session only.")

    def has_session_keys(self) -> bool:
        """True if keys are kept in memory only and would be lost on quit."""
        return self.session_only and any(
            creds.credential_key_location(self.ws, info.id) == "session" for info in creds.list_credentials(self.ws))

    def use_session_keys(self) -> None:
        """The user accepted session-only keys (keyring broken)."""
        self.session_only = self.form.session_only = True
        self.form._provider_changed()  # refresh the key field's hint
        self.update_keyring_banner()
        set_tone(self.form_message, None)  # information, not an error
        self.form_message.setText("Keys will be kept for this session only.")

    # -- list ----------------------------------------------------------------------------------
    def reload(self, select_id: int | None = None) -> None:
        from fineflow_desktop.providers.ping import last_status

        current = select_id if select_id is not None else self.selected_id()
        rows = []
        for info in creds.list_credentials(self.ws):
            ok, when, summary = last_status(self.ws, info.id)
            rows.append(CredentialRow(info, creds.credential_key_location(self.ws, info.id), ok, when, summary))
        self.model.set_rows(rows)
        # Name … Last test … Calls stay readable (issue 9: the table cut its Key / Last test / Calls columns)
        self.table.setMinimumWidth(min(columns_width(self.table), CREDENTIALS_TABLE_MAX_WIDTH))
        self.empty_hint.setVisible(not rows)
        row = self.model.row_of(current) if current is not None else (0 if rows else -1)
        if row >= 0:
            self.table.selectRow(row)
            self._select_row(row)
        elif not rows:
            self.new_credential()

    def selected_id(self) -> int | None:
        idx = self.table.currentIndex()
        return self.model.data(self.model.index(idx.row(), 0), ID_ROLE) if idx.isValid() else None

    def _select_row(self, row: int) -> None:
        cid = self.model.id_at(row)
        if cid is None:
            return
        r = self.model.rows[row]
        self.form.load(r.info, r.key_location)
        self.form_message.clear()
        self._show_history(cid)
        self.test_panel.button.setEnabled(self._test_task is None)

    def _show_history(self, cid: int) -> None:
        from fineflow_desktop.providers.ping import last_status, ping_history

        ok, when, summary = last_status(self.ws, cid)
        text = "Never tested." if ok is None else f"Last test {when:%Y-%m-%d %H:%M}: {summary}"
        self.test_panel.reset()
        self.test_panel.show_history(ping_history(self.ws, cid), text)

    def new_credential(self) -> None:
        self.table.clearSelection()
        self.table.setCurrentIndex(self.model.index(-1, -1))
        self.form.load(None)
        self.test_panel.reset("Save the credential, then test it.")
        self.test_panel.history_model.set_rows([])
        self.test_panel.button.setEnabled(False)
        self.form_message.clear()

    # -- save / delete -------------------------------------------------------------------------
    def save(self) -> bool:
        """Create or update the credential from the form; store a typed key. True on success."""
        try:
            values = self.form.values()
        except ValueError as exc:
            return self._fail(str(exc))
        if not values["base_url"]:
            values["base_url"] = DEFAULT_BASE_URLS.get(values["provider"], "")
        key = self.form.key_text() or None
        if key and values["provider"] == "extractive":
            key = None
        try:
            if self.form.credential_id is None:
                info = creds.create_credential(self.ws, api_key=key, session_only=self.session_only, **values)
            else:
                if key:  # store the key first: if the keyring refuses, nothing else changes
                    creds.set_credential_key(self.ws, self.form.credential_id, key, session_only=self.session_only)
                info = creds.update_credential(self.ws, self.form.credential_id, **values)
        except keys.KeyringUnavailableError:
            self.update_keyring_banner()
            return self._fail("The key was not saved: the system keyring does not work. Use the banner above to keep "
                              "keys for this session only, or fix the keyring.")
        except creds.CredentialError as exc:
            return self._fail(str(exc))
        self.form.key.clear()  # do not keep the secret in the widget
        self.announce({Effect.CREDENTIALS})
        self.reload(select_id=info.id)
        where = creds.credential_key_location(self.ws, info.id)
        set_tone(self.form_message, "ok")
        self.form_message.setText(f"Saved {info.name}." + (f" Key {info.key_hint} is in the "
                                  f"{'system keyring' if where == 'keyring' else 'session memory'}." if key else ""))
        self.ctx.events.status_message.emit(f"Credential {info.name} saved")
        return True

    def _fail(self, message: str) -> bool:
        set_tone(self.form_message, "error")
        self.form_message.setText(message)
        return False

    def delete_selected(self) -> None:
        cid = self.selected_id()
        if cid is None:
            return
        info = creds.get_credential(self.ws, cid)
        answer = QMessageBox.question(self, "Delete credential", f"Delete {info.name} and its stored key? Usage records are kept.")
        if answer != QMessageBox.StandardButton.Yes:
            return
        creds.delete_credential(self.ws, cid)
        self.reload()
        self.announce({Effect.CREDENTIALS})

    def make_default(self) -> None:
        cid = self.selected_id()
        if cid is not None:
            creds.set_default(self.ws, cid)
            self.reload(select_id=cid)
            self.announce({Effect.CREDENTIALS})

    # -- background work -----------------------------------------------------------------------
    def run_test(self) -> None:
        cid = self.form.credential_id
        if cid is None or self._test_task is not None:
            return
        self.test_panel.set_running()
        self._test_task = True
        self.ctx.ops.run(f"Test credential {creds.get_credential(self.ws, cid).name}", _ping_task, self.ws, cid,
                         trigger=self.test_panel.button, on_progress=self._on_level,
                         on_result=lambda levels, c=cid: self._on_test_done(c, levels),
                         on_error=self._on_test_failed, on_finished=self._on_test_finished,
                         effects={Effect.CREDENTIALS}, initiator=self)

    def _on_level(self, _done: int, _total: int, message: str) -> None:
        try:
            r = json.loads(message)
        except ValueError:
            return
        self.test_panel.show_level(r["level"], r["ok"], r["latency_ms"], r["detail"])

    def _on_test_done(self, cid: int, levels: list[dict]) -> None:
        for r in levels:
            self.test_panel.show_level(r["level"], r["ok"], r["latency_ms"], r["detail"])
        ok = all(r["ok"] for r in levels)
        total = sum(r["latency_ms"] for r in levels)
        self.reload(select_id=cid)
        for r in levels:  # reload cleared the live rows; show this run's again
            self.test_panel.show_level(r["level"], r["ok"], r["latency_ms"], r["detail"])
        self.test_panel.show_done(ok, f"{'All three levels passed' if ok else 'Test failed'} ({total:.0f} ms in total).")

    def _on_test_failed(self, message: str) -> None:
        self.test_panel.show_done(False, keys.scrub(message))

    def _on_test_finished(self) -> None:
        self._test_task = None

    def fetch_models(self) -> None:
        try:
            values = self.form.values()
        except ValueError as exc:
            self._fail(str(exc))
            return
        key = self.form.key_text() or (creds.get_credential_key(self.ws, self.form.credential_id) if self.form.credential_id else None)
        base_url = values["base_url"] or DEFAULT_BASE_URLS.get(values["provider"], "")
        set_tone(self.form_message, None)
        self.form_message.setText("Fetching models…")
        self.ctx.ops.run("Fetch models", _models_task, values["provider"], base_url, key, values["settings"],
                         trigger=self.form.fetch, on_result=self._on_models,
                         on_error=lambda msg: self._fail("Could not list models: " + keys.scrub(msg)))

    def _on_models(self, ids: list[str]) -> None:
        self.form.set_models(ids)
        set_tone(self.form_message, None)
        self.form_message.setText(f"{len(ids)} models available.")
