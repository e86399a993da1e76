"""Curation panes: near-duplicate groups, RAG test, AI settings, embedding sources."""

from fineflow_desktop.ui.curation.ai_config_pane import AiConfigPane
from fineflow_desktop.ui.curation.duplicates_pane import DuplicatesPane
from fineflow_desktop.ui.curation.rag_pane import RagTestPane
from fineflow_desktop.ui.curation.sources_pane import EmbeddingSourcesPane

__all__ = ["AiConfigPane", "DuplicatesPane", "EmbeddingSourcesPane", "RagTestPane"]
