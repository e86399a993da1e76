"""Helpers of the model comparison tests (service and GUI): the models' behaviour on the loopback
OpenAI fake, and the workspace set-up the playground tests share."""

from __future__ import annotations

import json
import re

FT = "ft:gpt-4o-mini:acme::abc123"
BASE = "gpt-4o-mini"
JUDGE = "gpt-4o"
HELPDESK_NOTES = ["Device number 4 resets with a paperclip in the pinhole at the back.",
                  "The office parrot is called Archimedes."]


def section(text: str, title: str) -> str:
    """The text under ``[title]`` in a rendered judge prompt (``core.judge.JUDGE_BODY``)."""
    return text.split(f"[{title}]\n", 1)[1].split("\n\n[", 1)[0]


def responder(body: dict) -> str:
    """A fine-tuned model (``ft:…``) answers like the ``make_dataset`` pairs; the base model answers
    vaguely. As the judge (``JUDGE``) it prefers the answer that starts like the dataset's, except
    on prompt 5 (a reply without a verdict)."""
    text = body["messages"][-1]["content"]
    if body["model"] == JUDGE:
        if "device number 5?" in section(text, "User question"):
            return "Both answers have merit."
        winner = "1" if section(text, "Assistant 1's answer").startswith("Hold the power") else "2"
        return json.dumps({"verdict": winner, "reason": f"answer {winner} gives the reference's steps"})
    n = re.search(r"device number (\d+)", text)
    if body["model"].startswith("ft:"):
        return f"Hold the power button of device {n.group(1)} for ten seconds." if n else "I do not know."
    return "Try turning it off and on again."


def helpdesk_workspace(ws) -> None:
    """Deploy ``FT`` (already in the catalog), set the instructions, and index two notes for RAG."""
    from fineflow_desktop.services import models
    from fineflow_desktop.services.retrieval import create_source, refresh_source, set_ai_config

    models.deploy_model(ws, FT)
    set_ai_config(ws, instructions="You are the device helpdesk.", semantic_search_threshold=0.0)
    src = create_source(ws, "manual", "Helpdesk notes", {"texts": HELPDESK_NOTES})
    refresh_source(ws, src["id"])
