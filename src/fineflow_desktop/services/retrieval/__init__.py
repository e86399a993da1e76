"""Retrieval (RAG) over a workspace: embedding sources, the vector and keyword indexes, search,
the AI config. Import from here; the modules inside are:

- ``ai_config``: the workspace AI settings (get / set with validation / reset).
- ``vector_store``: the FAISS index kept in step with SQLite and the configured embedder.
- ``sources``: what is indexed (documents, folders, datasets, manual texts), refreshed incrementally.
- ``search``: hybrid search and the RAG system prompt.
- ``checks``: the per-source self-test.

Imports point one way: checks -> search -> sources -> vector_store -> ai_config.
"""

from fineflow_desktop.services.retrieval.ai_config import (
    DEFAULTS,
    EMBEDDING_MODELS,
    ConfigError,
    embedding_licence,
    embedding_model_problem,
    get_ai_config,
    reset_ai_config,
    set_ai_config,
)
from fineflow_desktop.services.retrieval.checks import check_source
from fineflow_desktop.services.retrieval.search import build_context, format_system_prompt, search
from fineflow_desktop.services.retrieval.sources import (
    SourceError,
    create_source,
    delete_source,
    documents_source_id,
    embed_chunks,
    list_sources,
    refresh_all,
    refresh_source,
    set_source_active,
    update_source,
)
from fineflow_desktop.services.retrieval.vector_store import (
    RetrievalError,
    embedding_credential,
    forget,
    index_status,
    open_index,
    resolve_embedder,
)

__all__ = [
    "DEFAULTS", "EMBEDDING_MODELS", "ConfigError", "RetrievalError", "SourceError", "build_context", "check_source",
    "create_source", "delete_source", "documents_source_id", "embed_chunks", "embedding_credential", "embedding_licence", "embedding_model_problem", "forget",
    "format_system_prompt", "get_ai_config", "index_status", "list_sources", "open_index", "refresh_all",
    "refresh_source", "reset_ai_config", "resolve_embedder", "search", "set_ai_config", "set_source_active", "update_source",
]
