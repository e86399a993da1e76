"""Helpers of the fine-tuning tests: a dataset of clean chat pairs and a credential on a fake."""

from __future__ import annotations

import time

from fineflow_desktop.providers import credentials as creds
from fineflow_desktop.services import datasets
from fineflow_desktop.services import pairs as pair_bulk

TEST_KEY = "sk-test-FINETUNE123456"


def make_dataset(ws, name: str = "support", n: int = 30, system: str = "You help.") -> int:
    """A dataset of *n* clean pairs (valid for OpenAI: ≥ 10 examples, non-empty turns)."""
    did = datasets.get_or_create_dataset(ws, name)
    pair_bulk.insert_pairs(ws, did, [{"system": system, "user": f"How do I reset device number {i}?",
                                      "assistant": f"Hold the power button of device {i} for ten seconds."} for i in range(n)])
    return did


def add_credential(ws, fake, name: str = "oa", provider: str = "openai", key: str = TEST_KEY, settings: dict | None = None):
    """A credential of *provider* pointing at *fake* with *key* (session memory, like a test keyring)."""
    return creds.create_credential(ws, name, provider, base_url=fake.base_url, api_key=key, session_only=True,
                                   settings=settings)


def sync_until_terminal(ws, job_id: int, timeout_s: float = 30.0, **kw):
    """Run ``sync_jobs`` until the job is terminal; the final ``JobRecord`` (AssertionError on timeout)."""
    from fineflow_desktop.services import finetune as ft

    end = time.monotonic() + timeout_s
    while time.monotonic() < end:
        ft.sync_jobs(ws, **kw)
        job = ft.get_job(ws, job_id)
        if job.terminal:
            return job
        time.sleep(0.05)
    raise AssertionError(f"job {job_id} did not finish: {ft.get_job(ws, job_id)}")
