"""Headings that name an API entry, as the offline extractive generator asks about them:
``api_heading`` (a signature, an option or a kind-named item heading → its question, plain-word
headings → None) and ``qualified_call`` (a method's question named with its type on the type's
page). Kinds and item headings themselves are read in ``api_entries``; the question grammar in
``grammar``."""

from __future__ import annotations

import re

from fineflow_desktop.core.extractive.api_entries import api_item, api_item_question
from fineflow_desktop.core.extractive.grammar import term_question
from fineflow_desktop.core.extractive.patterns import API_NAME, OPTION, signature_match
from fineflow_desktop.core.extractive.sentences import heading_topic


def api_heading(heading: str) -> tuple[str, str] | None:
    """A heading that names an API entry ("gtk_widget_show ()", "GtkWidget::destroy",
    "json.dumps()", "Struct std::fs::File", "Class: net.Socket", "--tls-min-v1.1") → its
    (question, rule); plain-word headings ("SQLite Keywords", "URI Format", "3D plots", "Custom
    (Application Defined) Tokenizers") → None."""
    item = api_item_question(heading)
    if item:
        return item
    h = heading_topic(heading)
    if OPTION.match(h) and len(h.split()) == 1:
        return term_question(h)  # "--tls-min-v1.1": an option's own entry
    if "@" in h:
        return None  # "Name Surname (someone@example.org)": an author line, not a signature
    sig = signature_match(h)
    if sig and h[sig.end("name"):sig.end()].strip() == "(" and h[sig.end("name")] == " " \
            and not API_NAME.search(sig.group("name")):
        sig = None  # "Custom (Application Defined) Tokenizers": words before a parenthesis
    if not (sig or (len(h.split()) <= 2 and any(API_NAME.search(w) for w in h.split()))):
        return None
    phrased = term_question(h)
    if phrased and phrased[1] == "option":
        return phrased
    return (phrased[0], "api_heading") if phrased and phrased[1] in ("api_entry", "definition") else None


def qualified_call(question: str, page_heading: str) -> str:
    """"What does load() do?" on the page of an API type ("Struct std::sync::atomic::AtomicBool",
    "Json::Value Class Reference") → "What does AtomicBool::load() do?": a method name alone is
    shared by many types (every ``from()``, ``size()``). Other questions are returned as they are."""
    item = api_item(page_heading)
    m = re.fullmatch(r"What does ([A-Za-z_]\w*)\(\) do\?", question)
    if not item or not m or item[1] not in ("struct", "enum", "union", "trait", "class", "interface", "type",
                                               "class template", "struct template", "primitive type", "record"):
        return question
    owner = item[0].split("::")[-1].split(".")[-1]
    return f"What does {owner}::{m.group(1)}() do?" if owner != m.group(1) else question
