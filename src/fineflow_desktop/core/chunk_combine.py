"""Small whole sections combined into one chunk (``combine_small_sections``) and given back
(``split_combined``): the last step of ``core.chunking.chunk_sections`` (round 20). Split out of
``core.chunking`` (a move, no change)."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from fineflow_desktop.core.tokens import DEFAULT_ENCODING, count_tokens_batch

if TYPE_CHECKING:  # chunking imports this module; the type only
    from fineflow_desktop.core.chunking import ChunkDraft

MIN_SECTION_TOKENS = 20  # a whole section under this is combined with its neighbours (see combine_small_sections)
_MAX_HEADING_LEVEL = 6  # Markdown's deepest heading mark


def _common_path(paths: list[list[str]]) -> list[str]:
    first = paths[0]
    n = min(len(p) for p in paths)
    k = 0
    while k < n and all(p[k] == first[k] for p in paths):
        k += 1
    return list(first[:k])


def _family(paths: list[list[str]]) -> list[str] | None:
    """The heading path a group of sections may be combined under: their common path when it is not
    empty and every section is that path's own section or one of its direct children, else None (the
    tail of §2.3 never joins §3: their common path §-less parent is two levels above §2.3)."""
    common = _common_path(paths)
    if not common or any(len(p) > len(common) + 1 for p in paths):
        return None
    return common


def _combined_text(members: list[ChunkDraft], path: list[str]) -> tuple[str, list[dict]]:
    """The text of *members* combined under *path*: each member whose own path is longer opens with
    its own heading as a Markdown heading line (``## See Also``: its level in the document), members
    separated by a blank line; and each member's ``{"heading_path", "start", "end"}`` (its own text's
    span in the combined text)."""
    parts, spans, pos = [], [], 0
    for d in members:
        if len(d.heading_path) > len(path):
            level = min(len(d.heading_path), _MAX_HEADING_LEVEL)
            head = "#" * level + " " + " > ".join(d.heading_path[len(path):]) + "\n\n"
            parts.append(head)
            pos += len(head)
        spans.append({"heading_path": list(d.heading_path), "start": pos, "end": pos + len(d.text)})
        parts.append(d.text)
        pos += len(d.text)
        parts.append("\n\n")
        pos += 2
    return "".join(parts[:-1]), spans


def combine_small_sections(drafts: list[ChunkDraft], max_tokens: int = 512,
                           encoding: str = DEFAULT_ENCODING) -> list[ChunkDraft]:
    """*drafts* (one document's, in order) with runs of small whole sections combined into one chunk,
    as Unstructured's ``chunk_by_title(combine_text_under_n_chars=…)`` does: a refentry's "Name" line
    ("pg_dump — extract …"), its "See Also" list, a function's one-row "Parameters" table are each a
    poor retrieval passage and pair source alone (< ``MIN_SECTION_TOKENS`` tokens).

    A section joins the group before it when it and every section of the group are under
    ``MIN_SECTION_TOKENS`` tokens, the combined text fits in *max_tokens*, and the group stays one
    family (``_family``): a parent section with its direct children, or siblings under one parent,
    never sections whose only common heading is none (top-level sections) and never a deeper
    section's tail with its parent's next sibling. Parts of a split section are never combined.
    A small section is not combined with a larger neighbour: that cost retrieval (round 20,
    ``bench/RESULTS-hybrid.md``: the larger section's heading leaves the heading field, and a page
    of many matching passages loses page evidence), so only small sections are combined.

    A combined chunk's heading path is the family's path; each member under it opens with its own
    heading as a Markdown heading line (nothing is lost); ``meta`` is the first member's plus
    ``combined`` = ``[{"heading_path", "start", "end"}]`` (each member's text span, for
    ``split_combined``) and ``page_end`` when the last member ends on a later page."""
    out: list[ChunkDraft] = []
    group: list[ChunkDraft] = []
    made: tuple[str, list[dict], int, list[str]] | None = None  # text, spans, tokens, path of *group*

    def flush() -> None:
        if len(group) == 1:
            out.append(group[0])
        elif group:
            text, spans, n, path = made
            meta = {k: v for k, v in group[0].meta.items() if k != "page_end"}
            last = group[-1].meta.get("page_end") or group[-1].meta.get("page")
            if last and meta.get("page") and last > meta["page"]:
                meta["page_end"] = last
            meta["combined"] = spans
            out.append(replace(group[0], text=text, heading_path=path, n_tokens=n, meta=meta))
        group.clear()

    for d in drafts:
        whole = "parts" not in d.meta
        if group and whole and "parts" not in group[-1].meta:
            if d.n_tokens < MIN_SECTION_TOKENS and all(g.n_tokens < MIN_SECTION_TOKENS for g in group):
                path = _family([g.heading_path for g in group] + [d.heading_path])
                if path is not None:
                    text, spans = _combined_text(group + [d], path)
                    n = count_tokens_batch([text], encoding)[0]
                    if n <= max_tokens:
                        group.append(d)
                        made = (text, spans, n, path)
                        continue
        flush()
        group.append(d)
        made = None
    flush()
    return out


def split_combined(heading_path: list[str], text: str, meta: dict | None) -> list[tuple[list[str], str]]:
    """The sections a chunk holds, ``[(heading path, text)]``: the members of a combined chunk
    (``combine_small_sections``; their own paths and texts, headings lines left out), else the chunk
    itself. A chunk whose spans do not fit its text (edited since) is returned whole."""
    spans = (meta or {}).get("combined") or []
    if spans and all(0 <= sp["start"] <= sp["end"] <= len(text) for sp in spans):
        return [(list(sp["heading_path"]), text[sp["start"]:sp["end"]]) for sp in spans]
    return [(list(heading_path), text)]
