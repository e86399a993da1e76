"""The app's poll process and launches: ``LaunchesOf`` tells the poll process which launches of
the app are still running, so it reconciles an interrupted launch of the living app (a transient
error on create) but never one the app is making; ``monitor_pass`` returns a picklable snapshot."""

from __future__ import annotations

import pickle
import time

import psutil
import pytest
from finetune_helpers import add_credential, make_dataset
from sqlalchemy import select

from fakes.fixtures import openai_ft_fake  # noqa: F401
from fineflow_desktop.services import finetune as ft
from fineflow_desktop.services.finetune import launch as launch_mod
from fineflow_desktop.store.models_finetune import FineTuneJob


class Killed(BaseException):
    """Stands in for the launch giving up at one line (the app itself lives on)."""


@pytest.fixture
def interrupted(workspace, openai_ft_fake, monkeypatch):  # noqa: F811
    """A launch of 'another process' (pid 1, alive) that stopped after the create reached the fake."""
    make_dataset(workspace)
    add_credential(workspace, openai_ft_fake)
    monkeypatch.setattr(launch_mod, "adopt_remote", lambda *a, **k: (_ for _ in ()).throw(Killed()))
    with pytest.raises(Killed):
        ft.create_job(workspace, ft.JobSpec(dataset="support", credential="oa", model="gpt-4o-mini"))
    monkeypatch.undo()
    with workspace.session() as s:
        row = s.scalars(select(FineTuneJob)).one()
        launcher = {"pid": 1, "started": psutil.Process(1).create_time(), "at": time.time() - 60}
        row.request = {**row.request, "launcher": launcher}
        return row.id


def test_a_launch_the_app_is_making_is_left_alone(workspace, openai_ft_fake, interrupted):  # noqa: F811
    running = ft.LaunchesOf(pid=1, job_ids=frozenset({interrupted}), as_of=time.time())
    assert ft.sync_jobs(workspace, launches=running).reconciled == []
    assert len(openai_ft_fake.created) == 1


def test_a_launch_newer_than_the_snapshot_counts_as_running(workspace, openai_ft_fake, interrupted):  # noqa: F811
    old_snapshot = ft.LaunchesOf(pid=1, job_ids=frozenset(), as_of=time.time() - 61)  # taken before the row
    assert ft.sync_jobs(workspace, launches=old_snapshot).reconciled == []


def test_a_launch_the_app_gave_up_is_reconciled_once(workspace, openai_ft_fake, interrupted):  # noqa: F811
    gave_up = ft.LaunchesOf(pid=1, job_ids=frozenset(), as_of=time.time())
    report = ft.sync_jobs(workspace, launches=gave_up)
    assert report.reconciled == [interrupted] and not report.errors
    assert len(openai_ft_fake.created) == 1  # found by its marker, not created again
    assert ft.get_job(workspace, interrupted).provider_job_id in openai_ft_fake.jobs


def test_monitor_pass_snapshot_crosses_a_process_boundary(workspace, openai_ft_fake, interrupted):  # noqa: F811
    from fineflow_desktop.core.progress import TaskState

    cursor = ft.DetailCursor(interrupted, None, 0)
    snap = ft.monitor_pass(TaskState(), workspace, 0, "all", cursor, 5.0, ft.LaunchesOf(1, frozenset(), time.time()))
    back = pickle.loads(pickle.dumps(snap))
    assert [j.id for j in back.jobs] == [interrupted] and back.live == snap.live
    assert back.detail.cursor == cursor and len(back.detail.events) == len(snap.detail.events) > 0
    assert back.summary == snap.summary and back.report.reconciled == [interrupted]
