"""Built-in generation templates, seeded into every workspace as published version 1.

One template per generation mode (``qa``, ``instruction``, ``conversation``, ``auto``); the
bodies come from ``core.generation.prompts`` and ask for the JSON shapes its parser reads. They
are ordinary templates afterwards: users edit, version and publish them like any other.
``BUILTIN_TEMPLATES`` is ``slug -> {"name", "mode", "body", "output_format", "description", "tags"}``.
"""

from __future__ import annotations

from fineflow_desktop.core.generation.prompts import BUILTIN_TEMPLATES as GENERATION_BODIES
from fineflow_desktop.core.generation.prompts import TEMPLATE_VARIABLES

GENERATION_MODES = ("qa", "instruction", "conversation", "auto")

# The context a generation run supplies for each chunk.
GENERATION_VARIABLES = TEMPLATE_VARIABLES

# The bodies are the generation engine's (matched to its output parser): one set in the app.
_QA, _INSTRUCTION, _CONVERSATION, _AUTO = (
    GENERATION_BODIES[m]["body"] for m in ("qa", "instruction", "conversation", "auto")
)

_COMMON_TAGS = ["builtin", "generation"]

BUILTIN_TEMPLATES: dict[str, dict] = {
    "builtin-qa": {
        "name": "Question & answer",
        "mode": "qa",
        "body": _QA,
        "output_format": "json",
        "description": "Built-in: grounded question-answer pairs from one chunk.",
        "tags": _COMMON_TAGS + ["qa"],
    },
    "builtin-instruction": {
        "name": "Instruction following",
        "mode": "instruction",
        "body": _INSTRUCTION,
        "output_format": "json",
        "description": "Built-in: tasks a user could ask about the chunk, with the completed task.",
        "tags": _COMMON_TAGS + ["instruction"],
    },
    "builtin-conversation": {
        "name": "Conversation",
        "mode": "conversation",
        "body": _CONVERSATION,
        "output_format": "json",
        "description": "Built-in: informal chat exchanges grounded in the chunk.",
        "tags": _COMMON_TAGS + ["conversation"],
    },
    "builtin-auto": {
        "name": "Automatic",
        "mode": "auto",
        "body": _AUTO,
        "output_format": "json",
        "description": "Built-in: the model picks Q&A, instruction or chat form per chunk.",
        "tags": _COMMON_TAGS + ["auto"],
    },
}


def builtin_slug_for_mode(mode: str) -> str:
    """Slug of the built-in template of a generation mode; ``KeyError`` for unknown modes."""
    for slug, spec in BUILTIN_TEMPLATES.items():
        if spec["mode"] == mode:
            return slug
    raise KeyError(f"unknown generation mode {mode!r}; expected one of {', '.join(GENERATION_MODES)}")
