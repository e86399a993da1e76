"""The catalog tab of the Models pane (issue 12, catalog side), driving the real widgets against a
real fine-tuning job run to completion on the spec-checked OpenAI fine-tuning fake: created date,
usage from the usage log, checkpoints as models, links, deploy, delete at the provider."""

from __future__ import annotations

import pytest
from finetune_helpers import add_credential, make_dataset, sync_until_terminal
from gui_helpers import shot
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from fakes.fixtures import openai_ft_fake  # noqa: F401
from fineflow_desktop.providers import credentials as creds
from fineflow_desktop.providers.usage import record_call, set_price
from fineflow_desktop.services import finetune as ft
from fineflow_desktop.services.retrieval import get_ai_config
from fineflow_desktop.ui.effects import Effect
from fineflow_desktop.ui.models import ModelsPane
from fineflow_desktop.ui.style import apply_app_style, dark_palette

HEADERS = ["Model id", "Provider", "Base model", "Source", "Status", "Deployed", "Last comparison", "Created (UTC)",
           "Usage"]


def finished_job(ws, fake):
    make_dataset(ws, n=30)
    add_credential(ws, fake, name="oa", provider="openai")
    job = ft.create_job(ws, ft.JobSpec(dataset="support", credential="oa", model="gpt-4o-mini", validation_split=0.2,
                                       suffix="support"))
    done = sync_until_terminal(ws, job.id)
    assert done.status == "completed"
    return done


def cells(pane) -> list[dict]:
    m = pane.catalog.model
    heads = [m.headerData(c, Qt.Orientation.Horizontal) for c in range(m.columnCount())]
    assert heads == HEADERS
    return [dict(zip(heads, (m.data(m.index(r, c)) for c in range(m.columnCount())))) for r in range(m.rowCount())]


def click_in_next_message_box(button_text: str, seen: list) -> None:
    """Press *button_text* in the message box about to open (records its text in *seen*)."""
    def press():
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox), box
        seen.append(box.text())
        for b in box.buttons():
            if b.text() == button_text:
                b.click()
                return
        raise AssertionError([b.text() for b in box.buttons()])
    QTimer.singleShot(0, press)


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_catalog_usage_checkpoints_links_deploy_and_delete(ctx, qtbot, openai_ft_fake, dark):
    ws, fake = ctx.workspace, openai_ft_fake
    job = finished_job(ws, fake)
    cid = creds.get_credential(ws, "oa").id
    set_price(ws, "openai", job.fine_tuned_model, 0.30, 1.20)
    for _ in range(2):
        record_call(ws, provider="openai", model=job.fine_tuned_model, credential_id=cid, input_tokens=1200,
                    output_tokens=300)
    app = QApplication.instance()
    saved_palette, saved_sheet = app.palette(), app.styleSheet()
    notices = []
    ctx.events.changed.connect(notices.append)
    try:
        if dark:
            app.setPalette(dark_palette())
        apply_app_style(app)
        pane = ModelsPane(ctx)
        qtbot.addWidget(pane)
        pane.resize(1280, 640)
        pane.show()
        qtbot.waitExposed(pane)
        [row] = cells(pane)
        assert row["Model id"] == job.fine_tuned_model and row["Source"] == f"job #{job.id} · support"
        assert row["Created (UTC)"] == job.finished_at.strftime("%Y-%m-%d %H:%M")
        assert row["Usage"] == "2 calls · 3.0k tokens · $0.0014"  # 2 × (1200 × 0.30 + 300 × 1.20) / 1e6
        view = pane.catalog
        detail = view.detail_label.text()
        assert f"href='job:{job.id}'" in detail and f"href='dataset:{job.dataset_id}'" in detail
        # links: the source job and dataset
        with qtbot.waitSignal(pane.open_job_requested) as sig:
            view.detail_label.linkActivated.emit(f"job:{job.id}")
        assert sig.args == [job.id]
        with qtbot.waitSignal(pane.open_dataset_requested) as sig:
            view.detail_label.linkActivated.emit(f"dataset:{job.dataset_id}")
        assert sig.args == [job.dataset_id]
        # checkpoints: asked from the provider (a task), each a model row of its own
        qtbot.mouseClick(view.checkpoints_btn, Qt.MouseButton.LeftButton)
        rows = cells(pane)
        ckpts = [r for r in rows if r["Source"].startswith(f"job #{job.id} · checkpoint step")]
        assert len(ckpts) == len(rows) - 1 >= 1 and all(":ckpt-step-" in r["Model id"] for r in ckpts)
        # each checkpoint is a model the compare tab offers (A or B) ...
        assert all(pane.compare.model_a_combo.findData(r["Model id"]) >= 0 for r in ckpts)
        # ... and deployable like any model: it becomes the workspace chat model
        assert view.select_model(ckpts[0]["Model id"])
        assert not view.checkpoints_btn.isEnabled()  # a checkpoint has no checkpoints of its own
        qtbot.mouseClick(view.deploy_btn, Qt.MouseButton.LeftButton)
        assert get_ai_config(ws)["chat_model"] == ckpts[0]["Model id"]
        assert any(Effect.SETTINGS in n.effects for n in notices)  # AI Settings and the run dialogs hear it
        assert view.select_model(job.fine_tuned_model)
        shot(pane, f"catalog12-catalog-{'dark' if dark else 'light'}")
        # delete: the confirmation says what the provider is asked, then DELETE /models/{model}
        seen: list[str] = []
        click_in_next_message_box("Cancel", seen)
        view.delete_selected()
        assert "FineFlow asks openai to delete" in seen[0] and job.fine_tuned_model in fake.models
        click_in_next_message_box("Delete at provider", seen)
        view.delete_selected()
        assert job.fine_tuned_model not in fake.models
        assert view.last_delete.deleted_at_provider
        assert job.fine_tuned_model not in {r["Model id"] for r in cells(pane)}
        # a checkpoint: removed from the catalog only, and the confirmation says so
        assert view.select_model(ckpts[-1]["Model id"])
        click_in_next_message_box("Remove from catalog", seen)
        view.delete_selected()
        assert "catalog only" in seen[-1] and not view.last_delete.deleted_at_provider
        assert ckpts[-1]["Model id"] in fake.models
    finally:
        app.setPalette(saved_palette)
        app.setStyleSheet(saved_sheet)


def test_deploy_makes_the_model_the_default_of_runs_and_previews(ctx, qtbot, openai_ft_fake):
    """AI Settings is the one place for chat defaults: Deploy sets its chat model; the generation
    run dialog offers and selects it for the credential that reaches it; a template preview starts
    from the workspace defaults and shows a per-run override; the credential form has no
    sampling fields any more (connection data and limits only)."""
    from fineflow_desktop.services.retrieval import set_ai_config
    from fineflow_desktop.ui.generation.run_dialog import RunDialog
    from fineflow_desktop.ui.settings.credential_form import CredentialForm
    from fineflow_desktop.ui.templates.preview import PreviewPanel

    ws, fake = ctx.workspace, openai_ft_fake
    job = finished_job(ws, fake)
    set_ai_config(ws, temperature=0.3, max_tokens=400)
    pane = ModelsPane(ctx)
    qtbot.addWidget(pane)
    preview = PreviewPanel(ctx)
    qtbot.addWidget(preview)
    assert (preview.model_edit.text(), preview.temperature_spin.value(), preview.max_tokens_spin.value()) == \
        ("gpt-4o-mini", 0.3, 400)
    assert "Workspace defaults (AI Settings): gpt-4o-mini" in preview.defaults_label.text()
    assert not preview.defaults_btn.isEnabled()
    assert pane.catalog.select_model(job.fine_tuned_model)
    qtbot.mouseClick(pane.catalog.deploy_btn, Qt.MouseButton.LeftButton)
    # the deploy notice reaches the preview (through its pane in the app; directly here)
    preview.load_workspace_defaults()
    assert preview.model_edit.text() == job.fine_tuned_model
    preview.temperature_spin.setValue(1.1)  # a per-run override, shown as such
    assert preview.overrides() == {"temperature": 1.1}
    assert "this preview overrides: temperature 1.1" in preview.defaults_label.text()
    preview.resize(640, 620)
    preview.show()
    shot(preview, "catalog12-preview-defaults")
    set_ai_config(ws, temperature=0.5, max_tokens=800)
    preview.load_workspace_defaults()  # the override stays, the untouched field follows AI Settings
    assert preview.temperature_spin.value() == 1.1 and preview.max_tokens_spin.value() == 800
    qtbot.mouseClick(preview.defaults_btn, Qt.MouseButton.LeftButton)
    assert preview.temperature_spin.value() == 0.5 and preview.overrides() == {}
    # the run dialog: the deployed model first and selected for its credential
    dialog = RunDialog(ctx)
    qtbot.addWidget(dialog)
    items = [dialog.model.itemText(i) for i in range(dialog.model.count())]
    assert items[0] == job.fine_tuned_model and dialog.model.currentText() == job.fine_tuned_model
    qtbot.waitUntil(lambda: dialog.models_note.text().endswith("models"), timeout=10_000)
    assert dialog.model.currentText() == job.fine_tuned_model  # kept after the server's model list arrived
    assert dialog.params().model == job.fine_tuned_model
    # credentials: connection data and limits only
    form = CredentialForm()
    qtbot.addWidget(form)
    assert not hasattr(form, "temperature") and not hasattr(form, "system_prompt")
    assert set(form.values()) == {"name", "provider", "base_url", "model", "concurrency", "priority", "is_default",
                                  "settings"}
    assert "AI Settings" in form.defaults_note.text()
