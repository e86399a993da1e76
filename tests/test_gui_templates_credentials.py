"""The Templates pane executes previews through the workspace's stored credentials (Settings)."""

from PySide6.QtGui import QUndoStack

from fakes.fixtures import OPENAI_TEST_KEY, openai_fake  # noqa: F401 - pytest fixture
from fineflow_desktop.providers.credentials import create_credential
from fineflow_desktop.services import templates as svc
from fineflow_desktop.ui.context import AppContext, Events
from fineflow_desktop.ui.templates.pane import TemplatesPane
from fineflow_desktop.workers import TaskManager
from fineflow_desktop.ui.effects import Effect


def test_preview_executes_against_a_stored_credential(qtbot, workspace, openai_fake):  # noqa: F811
    ctx = AppContext(workspace, TaskManager(synchronous=True), QUndoStack(), Events())
    pane = TemplatesPane(ctx)
    qtbot.addWidget(pane)
    assert pane.preview.provider_combo.count() == 0  # no credentials yet: Execute has nothing to use
    create_credential(workspace, name="fake-openai", provider="openai", base_url=openai_fake.base_url,
                      model="gpt-4o-mini", api_key=OPENAI_TEST_KEY)
    ctx.events.announce({Effect.CREDENTIALS})
    assert [pane.preview.provider_combo.itemText(i) for i in range(pane.preview.provider_combo.count())] == ["fake-openai"]
    svc.ensure_builtin_templates(workspace)
    pane.select("builtin-qa")
    pane.preview.fill_sample()
    pane.preview.execute_button.click()
    qtbot.waitUntil(lambda: pane.preview.result_edit.toPlainText() != "", timeout=10_000)
    runs = svc.list_executions(workspace)
    assert runs and runs[0].status == "completed" and runs[0].credential_name == "fake-openai" and runs[0].is_preview
    assert len(openai_fake.chat_bodies()) == 1
