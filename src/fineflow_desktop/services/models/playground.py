"""The playground (issue 12, "the compare view doubles as the playground"): one typed prompt sent
to the workspace chat model (the deployed one) with the workspace instructions and, when RAG is
enabled in the AI Settings, the retrieved passages in the system prompt — the same system prompt
``services.retrieval.build_context`` gives a chat. Per-run overrides as in a comparison.
"""

from __future__ import annotations

from fineflow_desktop.core.embeddings import EmbeddingError
from fineflow_desktop.core.progress import TaskState
from fineflow_desktop.providers.base import ProviderError
from fineflow_desktop.providers.registry import provider_for_credential
from fineflow_desktop.providers.retry import call_with_retry
from fineflow_desktop.services.models.targets import credential_of, deployed_target, run_parameters
from fineflow_desktop.services.retrieval import RetrievalError, format_system_prompt, get_ai_config, search


def playground_answer(ws, prompt: str, *, model: str | None = None, credential: str | None = None,
                      temperature: float | None = None, max_tokens: int | None = None,
                      instructions: str | None = None, state: TaskState | None = None) -> dict:
    """Answer *prompt* with *model* (default: the workspace chat model) and return
    ``{"model", "credential", "prompt", "answer", "error", "system_prompt", "hits", "rag_enabled",
    "rag_note", "params"}``. ``hits``: the retrieved passages (``document_path``,
    ``heading_path``, ``text``, ``score``) when RAG is on; a search that cannot run (nothing
    indexed) leaves ``hits`` empty and says why in ``rag_note``. A provider failure is returned
    in ``error``, not raised. Raises ``ValueError`` for an empty prompt or bad parameters,
    ``ModelNotFound`` / ``CredentialError`` when no credential reaches the model."""
    state = state or TaskState()
    prompt = (prompt or "").strip()
    if not prompt:
        raise ValueError("prompt: type a prompt first")
    if model:
        cred = credential_of(ws, model, credential, fallback=deployed_target(ws)[1])
    else:
        model, cred = deployed_target(ws)
        cred = credential or cred
    params = run_parameters(ws, temperature=temperature, max_tokens=max_tokens, instructions=instructions)
    cfg = get_ai_config(ws)
    hits, note = [], ""
    if cfg["rag_enabled"]:
        state.progress(0, 2, "retrieving context")
        try:
            hits = search(ws, prompt, k=cfg["max_context_chunks"], min_score=cfg["semantic_search_threshold"])
        except (RetrievalError, EmbeddingError) as exc:
            note = f"no context retrieved: {exc}"
        else:
            note = f"{len(hits)} passage(s) retrieved" if hits else "no passage above the similarity threshold"
    system = format_system_prompt(params["instructions"], hits)
    messages = ([{"role": "system", "content": system}] if system else []) + [{"role": "user", "content": prompt}]
    state.check()
    state.progress(1, 2, f"asking {model}")
    provider = provider_for_credential(ws, cred, purpose="playground")
    answer = error = None
    try:
        res = call_with_retry(lambda: provider.chat(messages, model, temperature=params["temperature"],
                                                    max_tokens=params["max_tokens"]), cancel_check=state.check)
        answer = res.text
    except ProviderError as exc:
        error = str(exc)
    finally:
        provider.close()
    state.progress(2, 2, "answered")
    return {"model": model, "credential": cred, "prompt": prompt, "answer": answer, "error": error,
            "system_prompt": system, "rag_enabled": bool(cfg["rag_enabled"]), "rag_note": note, "params": params,
            "hits": [{"document_path": h.get("document_path"), "heading_path": h.get("heading_path") or [],
                      "text": h.get("text", ""), "score": h.get("score")} for h in hits]}
