"""Shared pieces of the fine-tuning GUI tests: the OpenAI fine-tuning fake, a workspace with a
launchable dataset and a credential pointing at the fake, and a wait helper."""

from __future__ import annotations

import pytest

from fakes.ft_sim import Timing
from fakes.openai_ft_fake import OpenAIFineTuneFake

FT_KEY = "sk-test-FT-SECRET-0001"
TOPICS = ("billing", "refunds", "passwords", "shipping", "invoices", "accounts", "exports", "api keys",
          "webhooks", "teams", "roles", "audit logs", "backups", "imports", "search", "alerts")


def support_rows(n: int = 40, near_duplicates: int = 0) -> list[dict]:
    """*n* distinct support Q/A pairs; the last *near_duplicates* rows copy earlier ones with one word changed."""
    rows = []
    for i in range(n - near_duplicates):
        topic = TOPICS[i % len(TOPICS)]
        rows.append({"user": f"Case {i}: how do I change the {topic} settings for workspace number {i * 37 % 101}?",
                     "assistant": f"Open Settings, choose {topic}, then edit item {i % 7} and press Save. "
                                  f"Changes apply within {i % 5 + 1} minutes.", "source": "manual"})
    for k in range(near_duplicates):
        src = rows[k]
        rows.append({"user": src["user"].replace("how do I", "how can I"), "assistant": src["assistant"],
                     "source": "manual"})
    return rows


def make_dataset(ws, name: str = "support", rows: list[dict] | None = None) -> int:
    from fineflow_desktop.services import pairs as psvc
    from fineflow_desktop.services.datasets import get_or_create_dataset

    ds = get_or_create_dataset(ws, name)
    psvc.insert_pairs(ws, ds, rows if rows is not None else support_rows())
    return ds


def add_credential(ws, fake, name: str = "openai-ft") -> None:
    from fineflow_desktop.providers import credentials as creds

    creds.create_credential(ws, name, "openai", base_url=fake.base_url, api_key=FT_KEY)


@pytest.fixture
def ft_fake():
    """A started OpenAI fine-tuning fake (fast timeline) that fails the test on spec violations."""
    with OpenAIFineTuneFake(api_key=FT_KEY, hang_s=5.0, timing=Timing(0.3, 0.3, 0.03)) as fake:
        yield fake
        assert fake.violations == [], fake.violations


def wait_until(qtbot, predicate, timeout_ms: int = 20_000, step_ms: int = 50) -> None:
    """Process events until *predicate()* is true (fails the test after *timeout_ms*)."""
    qtbot.waitUntil(predicate, timeout=timeout_ms)
