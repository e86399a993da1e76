"""Helpers for the generation tests: chunks from real text, credentials on the fakes.

Chunk text: paragraphs of the Python 3.11 documentation sources
(/usr/share/doc/python3.11/html/_sources, Debian python3.11-doc, PSF licence).
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

from fineflow_desktop.core.tokens import count_tokens_batch
from fineflow_desktop.store.models import Chunk, Dataset, Document

PYDOC = Path("/usr/share/doc/python3.11/html/_sources")
SOURCE_FILES = ["library/json.rst.txt", "library/functions.rst.txt", "library/stdtypes.rst.txt",
                "library/os.rst.txt", "tutorial/classes.rst.txt", "library/re.rst.txt"]


def real_paragraphs(n: int) -> list[tuple[str, str]]:
    """*n* distinct prose paragraphs (200–1500 chars) as (file name, text)."""
    out, seen = [], set()
    for name in SOURCE_FILES:
        for para in (PYDOC / name).read_text(encoding="utf-8").split("\n\n"):
            text = para.strip()
            if not 200 <= len(text) <= 1500 or text.startswith(("..", "::", "=", "-", "+")) or text in seen:
                continue
            seen.add(text)
            out.append((name, text))
            if len(out) == n:
                return out
    raise RuntimeError(f"only {len(out)} paragraphs found")


def add_chunks(ws, n: int, dataset: str = "docs-qa", flagged: int = 0) -> list[int]:
    """Insert documents/chunks for *n* real paragraphs (the first *flagged* marked as injection
    suspects) and a dataset; returns the chunk ids."""
    paras = real_paragraphs(n)
    tokens = count_tokens_batch([t for _, t in paras])
    ids = []
    with ws.session() as s:
        if s.query(Dataset).filter_by(name=dataset).first() is None:
            s.add(Dataset(name=dataset, system_prompt="You are a helpful Python expert."))
        docs = {}
        for (name, text), ntok in zip(paras, tokens):
            if name not in docs:
                docs[name] = Document(source_path=str(PYDOC / name), name=Path(name).name, kind="rst",
                                      content_hash=hashlib.sha256(name.encode()).hexdigest(), status="ready")
                s.add(docs[name])
                s.flush()
            doc = docs[name]
            c = Chunk(document_id=doc.id, ordinal=doc.n_chunks, text=text, heading_path=[name.split("/")[0], Path(name).stem],
                      n_tokens=ntok, norm_hash=hashlib.sha256(text.encode()).hexdigest(), language="en",
                      is_flagged=len(ids) < flagged)
            doc.n_chunks += 1
            s.add(c)
            s.flush()
            ids.append(c.id)
    return ids


_SENT = re.compile(r"(?<=[.!?])\s+")


def grounded_pairs(prompt: str, n: int | None = None) -> list[dict]:
    """What a well-behaved model returns for our prompt: *n* pairs grounded in the <source>."""
    m = re.search(r"<source>\n(.*?)\n</source>", prompt, re.S)
    source = m.group(1) if m else prompt
    if n is None:
        k = re.search(r"Write (\d+) ", prompt)
        n = int(k.group(1)) if k else 3
    section = re.search(r"Section: (.*)", prompt)
    topic = section.group(1).strip() if section else "this topic"
    sentences = [s.strip() for s in _SENT.split(" ".join(source.split())) if len(s.split()) >= 4] or [source[:200]]
    def gist(sentence: str) -> str:  # a shortened restatement, never the whole source
        words = sentence.split()
        return " ".join(words[: max(4, min(30, int(len(words) * 0.7)))]) + " (as the documentation explains)."

    return [{"question": f"According to the Python docs on {topic}, what is point {i + 1} of this passage?",
             "answer": "In short: " + gist(sentences[i % len(sentences)])} for i in range(n)]


def openai_responder(body: dict) -> str:
    """``OpenAIFake`` responder producing grounded JSON pairs for our generation prompt."""
    prompt = body["messages"][-1]["content"]
    return json.dumps({"pairs": grounded_pairs(prompt)})


def anthropic_responder(body: dict) -> str:
    """``AnthropicFake`` responder: same grounded pairs, from the Messages API body."""
    last = body["messages"][-1]["content"]
    prompt = last if isinstance(last, str) else " ".join(b.get("text", "") for b in last)
    return json.dumps({"pairs": grounded_pairs(prompt)})


def conversation_responder(body: dict) -> str:
    """Replies in the conversation shape (two user/assistant exchanges per item)."""
    pairs = grounded_pairs(body["messages"][-1]["content"])
    return json.dumps({"pairs": [{"messages": [
        {"role": "user", "content": p["question"]}, {"role": "assistant", "content": p["answer"]},
        {"role": "user", "content": "Can you give a short example?"}, {"role": "assistant", "content": "For example: " + p["answer"][:120]},
    ]} for p in pairs]})


def duplicate_report(ws, run_id: int) -> dict:
    """Integrity of a run's output: items per state, items lost, duplicate pairs, stray pairs."""
    from sqlalchemy import text

    with ws.engine.connect() as c:
        states = dict(c.execute(text("SELECT state, count(*) FROM work_items WHERE run_id=:r GROUP BY state"), {"r": run_id}).all())
        dups = c.execute(text(
            "SELECT count(*) FROM (SELECT chunk_id, user, assistant, count(*) n FROM pairs WHERE run_id=:r "
            "GROUP BY chunk_id, user, assistant HAVING n > 1)"), {"r": run_id}).scalar()
        mismatched = c.execute(text(
            "SELECT count(*) FROM work_items w WHERE w.run_id=:r AND w.n_pairs != "
            "(SELECT count(*) FROM pairs p WHERE p.run_id=:r AND p.chunk_id=w.chunk_id)"), {"r": run_id}).scalar()
        stray = c.execute(text(
            "SELECT count(*) FROM pairs p WHERE p.run_id=:r AND NOT EXISTS (SELECT 1 FROM work_items w "
            "WHERE w.run_id=:r AND w.chunk_id=p.chunk_id AND w.state='done')"), {"r": run_id}).scalar()
        errorless = c.execute(text(
            "SELECT count(*) FROM work_items WHERE run_id=:r AND state='failed' AND coalesce(last_error,'')=''"), {"r": run_id}).scalar()
        total = c.execute(text("SELECT count(*) FROM work_items WHERE run_id=:r"), {"r": run_id}).scalar()
    return {"states": states, "total": total, "lost": total - states.get("done", 0) - states.get("failed", 0),
            "duplicate_pairs": dups, "count_mismatch": mismatched, "stray_pairs": stray, "failed_without_error": errorless}
