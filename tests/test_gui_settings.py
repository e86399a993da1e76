"""Settings pane driven through real widgets: add a credential with a key, test it (3 levels),
history, broken keyring banner with session-only keys, usage tables + chart, price edits."""

from datetime import datetime, timedelta
from pathlib import Path

import keyring
import pytest
from keyring.backends import fail
from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QMessageBox
from sqlalchemy import update

from fakes.fixtures import OPENAI_TEST_KEY, openai_fake  # noqa: F401
from fineflow_desktop.providers import credentials as creds
from fineflow_desktop.providers import keys, usage
from fineflow_desktop.store.models_providers import UsageRecord
from fineflow_desktop.ui.context import AppContext, Events
from fineflow_desktop.ui.settings import SettingsPane
from fineflow_desktop.workers import TaskManager

SHOTS = Path("/work/screens/settings")


def _shot(widget, name):
    from PySide6.QtWidgets import QApplication

    QApplication.processEvents()  # let pending layout requests settle first
    SHOTS.mkdir(parents=True, exist_ok=True)
    widget.grab().save(str(SHOTS / f"{name}.png"))


@pytest.fixture(autouse=True)
def _fresh_session_keys():
    keys.clear_session_keys()
    yield
    keys.clear_session_keys()


@pytest.fixture
def make_pane(qtbot, workspace):
    made = []

    def _make(synchronous=True):
        tasks = TaskManager(synchronous=synchronous)
        ctx = AppContext(workspace, tasks, QUndoStack(), Events())
        pane = SettingsPane(ctx)
        qtbot.addWidget(pane)
        pane.resize(1200, 800)
        pane.show()
        qtbot.waitExposed(pane)
        made.append(tasks)
        return pane

    yield _make
    for t in made:
        assert t.shutdown(10_000)


def _fill_new_openai(qtbot, pane, base_url, key, name="OpenAI main"):
    qtbot.mouseClick(pane.new_button, Qt.MouseButton.LeftButton)
    f = pane.form
    qtbot.keyClicks(f.name, name)
    f.provider.setCurrentIndex(f.provider.findData("openai"))
    qtbot.keyClicks(f.base_url, base_url)
    qtbot.keyClicks(f.key, key)
    f.model.setEditText("gpt-4o-mini")


def test_add_credential_saves_key_to_keyring_and_tests_three_levels(qtbot, make_pane, workspace, openai_fake, isolated_dirs, qtmodeltester):
    pane = make_pane()
    assert not pane.banner.isVisible()  # memory keyring works
    assert pane.empty_hint.isVisible()
    _shot(pane, "01_empty")
    _fill_new_openai(qtbot, pane, openai_fake.base_url, OPENAI_TEST_KEY)
    assert pane.form.key.echoMode() == pane.form.key.EchoMode.Password
    qtbot.mouseClick(pane.save_button, Qt.MouseButton.LeftButton)
    [info] = creds.list_credentials(workspace)
    assert info.name == "OpenAI main" and info.has_key and info.base_url == openai_fake.base_url
    assert isolated_dirs.store  # key went to the keyring
    assert list(isolated_dirs.store.values()) == [OPENAI_TEST_KEY]
    assert pane.form.key.text() == ""  # not kept in the widget
    assert "sk-…3456" in pane.form.key_status.text() and "keyring" in pane.form.key_status.text()
    assert OPENAI_TEST_KEY not in pane.form_message.text()
    assert pane.model.rowCount() == 1 and "sk-…3456 (keyring)" in pane.model.index(0, 3).data()

    qtbot.mouseClick(pane.test_panel.button, Qt.MouseButton.LeftButton)
    for level in (1, 2, 3):
        assert pane.test_panel.status[level].text().startswith("✓"), pane.test_panel.status[level].text()
    assert pane.test_panel.latency[1].text().endswith("ms")
    assert "All three levels passed" in pane.test_panel.summary.text()
    assert pane.test_panel.history_model.rowCount() == 1
    assert pane.model.index(0, 4).data().startswith("✓")
    qtmodeltester.check(pane.model)
    qtmodeltester.check(pane.test_panel.history_model)
    _shot(pane, "02_credential_tested")

    # a failing test shows the failed level, keeps history, never shows the key
    openai_fake.api_key = "sk-test-ROTATED-000000"
    qtbot.mouseClick(pane.test_panel.button, Qt.MouseButton.LeftButton)
    assert pane.test_panel.status[1].text().startswith("✗")
    assert pane.test_panel.status[2].text() == "✗ skipped: level 1 failed"
    assert pane.test_panel.history_model.rowCount() == 2
    assert OPENAI_TEST_KEY not in pane.test_panel.status[1].text()
    assert pane.model.index(0, 4).data().startswith("✗")
    _shot(pane, "03_test_failed_history")


def test_edit_validation_and_default(qtbot, make_pane, workspace):
    creds.create_credential(workspace, "a", "anthropic", model="claude-haiku-4-5")
    creds.create_credential(workspace, "b", "anthropic", model="claude-sonnet-4-5")
    pane = make_pane()
    assert pane.model.rowCount() == 2
    pane.table.selectRow(1)
    assert pane.form.name.text() == "b"
    pane.form.settings.setPlainText("{not json")
    qtbot.mouseClick(pane.save_button, Qt.MouseButton.LeftButton)
    assert pane.form_message.text().startswith("settings:")
    pane.form.settings.setPlainText('{"beta": "x"}')
    pane.form.concurrency.setValue(8)
    qtbot.mouseClick(pane.save_button, Qt.MouseButton.LeftButton)
    b = creds.get_credential(workspace, "b")
    assert b.concurrency == 8 and b.settings == {"beta": "x"} and b.base_url == "https://api.anthropic.com"
    qtbot.mouseClick(pane.default_button, Qt.MouseButton.LeftButton)
    assert creds.get_credential(workspace, "b").is_default and not creds.get_credential(workspace, "a").is_default
    # compatible without URL: field named
    qtbot.mouseClick(pane.new_button, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(pane.form.name, "local")
    pane.form.provider.setCurrentIndex(pane.form.provider.findData("compatible"))
    qtbot.mouseClick(pane.save_button, Qt.MouseButton.LeftButton)
    assert pane.form_message.text().startswith("base_url:")
    pane.form.preset.setCurrentIndex(pane.form.preset.findData("http://localhost:1234/v1"))  # LM Studio preset
    qtbot.mouseClick(pane.save_button, Qt.MouseButton.LeftButton)
    assert creds.get_credential(workspace, "local").base_url == "http://localhost:1234/v1"


def test_delete_asks_and_removes(qtbot, make_pane, workspace, monkeypatch):
    creds.create_credential(workspace, "gone", "openai", api_key=OPENAI_TEST_KEY)
    pane = make_pane()
    pane.table.selectRow(0)
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    qtbot.mouseClick(pane.delete_button, Qt.MouseButton.LeftButton)
    assert creds.list_credentials(workspace) == [] and pane.model.rowCount() == 0


def test_broken_keyring_banner_and_session_only_key(qtbot, make_pane, workspace, openai_fake):
    keyring.set_keyring(fail.Keyring())
    pane = make_pane()
    assert pane.banner.isVisible() and "session only" in pane.banner.label.text()
    text = pane.banner.label.text()
    assert "keyring.backends" not in text and "Keyring" not in text  # no internal backend name
    assert "fail" in pane.banner.toolTip()  # the technical reason stays reachable
    providers = [pane.form.provider.itemData(i) for i in range(pane.form.provider.count())]
    assert "extractive" not in providers  # the offline generator needs no credential
    _fill_new_openai(qtbot, pane, openai_fake.base_url, OPENAI_TEST_KEY)
    qtbot.mouseClick(pane.save_button, Qt.MouseButton.LeftButton)
    assert "was not saved" in pane.form_message.text()
    assert creds.list_credentials(workspace) == []  # nothing stored, no plaintext fallback
    _shot(pane, "04_keyring_unavailable")
    qtbot.mouseClick(pane.banner.session_button, Qt.MouseButton.LeftButton)
    assert pane.session_only and not pane.banner.session_button.isVisible()
    qtbot.mouseClick(pane.save_button, Qt.MouseButton.LeftButton)
    [info] = creds.list_credentials(workspace)
    assert creds.credential_key_location(workspace, info.id) == "session"
    assert "this session only" in pane.form.key_status.text()
    assert pane.has_session_keys()  # the window asks before quitting
    qtbot.mouseClick(pane.test_panel.button, Qt.MouseButton.LeftButton)
    assert all(pane.test_panel.status[l].text().startswith("✓") for l in (1, 2, 3))
    _shot(pane, "05_session_key_tested")
    workspace.close()
    for f in workspace.path.rglob("*"):
        if f.is_file():
            assert b"SECRET123456" not in f.read_bytes()


def test_fetch_models_fills_the_model_list(qtbot, make_pane, openai_fake):
    pane = make_pane()
    _fill_new_openai(qtbot, pane, openai_fake.base_url, OPENAI_TEST_KEY)
    qtbot.mouseClick(pane.form.fetch, Qt.MouseButton.LeftButton)
    items = [pane.form.model.itemText(i) for i in range(pane.form.model.count())]
    assert "gpt-4.1-mini" in items and pane.form_message.text() == f"{len(items)} models available."


def test_usage_view_tables_chart_and_price_edit(qtbot, make_pane, workspace, qtmodeltester):
    c = creds.create_credential(workspace, "main", "openai", api_key=OPENAI_TEST_KEY)
    for days_ago, model, tin, tout in [(0, "gpt-4o-mini", 120_000, 40_000), (0, "gpt-4o", 30_000, 9_000),
                                        (1, "gpt-4o-mini", 300_000, 90_000), (3, "gpt-4o-mini", 80_000, 20_000),
                                        (3, "claude-x", 1000, 100)]:
        usage.record_call(workspace, provider="openai", model=model, credential_id=c.id, input_tokens=tin, output_tokens=tout, latency_ms=800)
        with workspace.session() as s:
            last = s.query(UsageRecord).order_by(UsageRecord.id.desc()).first()
            last.created_at = datetime.utcnow() - timedelta(days=days_ago)
    pane = make_pane()
    pane.tabs.setCurrentWidget(pane.usage)
    view = pane.usage
    assert view.per_day.rowCount() == 3 and view.per_model.rowCount() == 3
    assert view.bars is not None and len(view.bars.opts["height"]) == 4  # 4 days, one without calls
    assert "5 calls" in view.total_label.text()
    unpriced = view.per_model.rows[[r.key for r in view.per_model.rows].index("openai/claude-x")]
    assert unpriced.unpriced_calls == 1
    for m in (view.per_day, view.per_model, view.prices):
        qtmodeltester.check(m)
    _shot(pane, "06_usage")
    qtbot.mouseClick(view.metric, Qt.MouseButton.LeftButton)
    view.metric.setCurrentText("Tokens (in + out)")
    assert max(view.bars.opts["height"]) == 390_000
    # edit a price through the model (what the delegate does on Enter)
    row = [p.model for p in view.prices.rows].index("gpt-4o-mini")
    assert view.prices.setData(view.prices.index(row, 3), "0.30")
    qtbot.waitUntil(lambda: usage.price_for(workspace, "openai", "gpt-4o-mini").input_per_mtok == 0.30)
    # add a dated price for a new model
    qtbot.keyClicks(view.new_model, "my-finetune")
    view.new_in.setValue(3.0)
    view.new_out.setValue(12.0)
    qtbot.mouseClick(view.add_price, Qt.MouseButton.LeftButton)
    assert usage.price_for(workspace, "openai", "my-finetune").output_per_mtok == 12.0
    assert "my-finetune" in [p.model for p in view.prices.rows]


def test_connection_test_on_real_threads(qtbot, make_pane, workspace):
    from fakes.openai_fake import OpenAIFake

    with OpenAIFake(api_key=OPENAI_TEST_KEY, latency_s=0.2) as fake:
        creds.create_credential(workspace, "slow", "openai", base_url=fake.base_url, model="gpt-4o-mini", api_key=OPENAI_TEST_KEY)
        pane = make_pane(synchronous=False)
        qtbot.mouseClick(pane.test_panel.button, Qt.MouseButton.LeftButton)
        assert not pane.test_panel.button.isEnabled()
        assert pane.test_panel.summary.text() == "Testing…"
        qtbot.waitUntil(lambda: pane.test_panel.button.isEnabled(), timeout=20_000)
        assert all(pane.test_panel.status[l].text().startswith("✓") for l in (1, 2, 3))
        assert pane.test_panel.history_model.rowCount() == 1
        assert fake.violations == []


def test_credential_form_never_scrolls_sideways_at_1100x700(qtbot, make_pane, workspace):
    """Issue 9: at 1100×700 (the pane is 920×660 there) the form scrolled sideways and cut
    "Fetch models" and "Fallback priority". Every provider's form now fits the view's width."""
    creds.create_credential(workspace, name="local llama", provider="compatible", base_url="http://127.0.0.1:9/v1",
                            model="llama3")
    pane = make_pane()
    pane.reload()
    pane.resize(920, 660)
    f = pane.form
    scroll = f.parentWidget().parentWidget()  # viewport → VerticalScrollArea
    for i in range(f.provider.count()):
        f.provider.setCurrentIndex(i)
        qtbot.wait(5)  # the splitter re-reads the minimum width
        view = scroll.viewport().width()
        assert f.width() <= view, f.provider.currentText()
        for w in (f.fetch, f.priority, f.concurrency, f.model, f.base_url):
            right = w.mapTo(f, w.rect().topRight()).x()
            assert right < view, (f.provider.currentText(), w.objectName() or type(w).__name__, right, view)
    assert scroll.horizontalScrollBarPolicy() == Qt.ScrollBarPolicy.ScrollBarAlwaysOff
    _shot(pane, "credential_form_920x660")
