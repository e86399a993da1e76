"""RAG Test pane: type a query, see the top-k indexed passages with score and source, which
retriever found each (keyword, vector or both, with rank and score in each), the query's
matched terms highlighted, and build the system prompt a chat would get.

Search, embedding and prompt building are service calls (``services.retrieval``) run as tasks.
"""

from __future__ import annotations

import html

from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import (
    QComboBox, QHBoxLayout, QHeaderView, QLabel, QLineEdit, QPlainTextEdit, QPushButton,
    QSpinBox, QSplitter, QTextEdit, QVBoxLayout, QWidget,
)

from fineflow_desktop.core.keyword_query import term_spans
from fineflow_desktop.core.progress import TaskState
from fineflow_desktop.core.tokens import count_tokens
from fineflow_desktop.services.retrieval import get_ai_config
from fineflow_desktop.services.retrieval import build_context, embed_chunks, index_status, search
from fineflow_desktop.store.workspace import Workspace
from fineflow_desktop.ui.effects import Effect
from fineflow_desktop.ui.pane import Pane
from fineflow_desktop.ui.curation.models import DictTableModel
from fineflow_desktop.ui.curation.task_strip import TaskStrip
from fineflow_desktop.ui.tables import make_single_select_table
from fineflow_desktop.ui.style import css


MODES = [("Hybrid (keyword + vector)", "hybrid"), ("Keyword (BM25)", "keyword"), ("Vector", "vector")]
FOUND_BY = {"both": "both", "keyword": "keyword", "vector": "vector"}


def run_search(state: TaskState, ws: Workspace, query: str, k: int, mode: str = "hybrid") -> list[dict]:
    """Task body: top-k hits (plain dicts)."""
    state.check()
    return search(ws, query, k=k, mode=mode)


def retriever_cell(hit: dict, name: str) -> str:
    """``#2 · 7.41`` (rank and score in retriever *name*), or an em dash when it did not find the hit."""
    r = (hit.get("retrievers") or {}).get(name)
    return f"#{r['rank']} · {r['score']:.2f}" if r else "—"


def highlighted_html(text: str, words: list[str]) -> str:
    """*text* as HTML (escaped, line breaks kept) with the matched *words* marked."""
    parts, last = [], 0
    for start, end in term_spans(text, words):
        parts.append(html.escape(text[last:start]))
        parts.append(f"<span style='background-color:{css('mark_bg')};color:{css('mark_text')}'>{html.escape(text[start:end])}</span>")
        last = end
    parts.append(html.escape(text[last:]))
    return "".join(parts).replace("\n", "<br>")


def where_found_html(hit: dict) -> str:
    """One line: found by which retriever(s), with rank and score in each."""
    labels = {"keyword": "keyword (BM25)", "vector": "vector"}
    parts = []
    for name in ("keyword", "vector"):
        r = (hit.get("retrievers") or {}).get(name)
        parts.append(f"{labels[name]}: rank {r['rank']}, score {r['score']:.3f}" if r else f"{labels[name]}: not in its top hits")
    return f"<b>Found by {html.escape(hit.get('found_by', ''))}</b> — " + " · ".join(parts)


def run_context(state: TaskState, ws: Workspace, query: str) -> dict:
    """Task body: hits within the AI config limits and the resulting system prompt."""
    state.check()
    out = build_context(ws, query)
    return {"hits": out["hits"], "prompt": out["prompt"], "tokens": count_tokens(out["prompt"]),
            "threshold": out["config"]["semantic_search_threshold"], "max": out["config"]["max_context_chunks"],
            "rag_enabled": out["config"]["rag_enabled"]}


def run_embed(state: TaskState, ws: Workspace) -> dict:
    return embed_chunks(ws, state)


class HitsModel(DictTableModel):
    """Search hits: rank, found by, rank · score per retriever, score, source, heading path,
    chunk id, text preview."""

    def __init__(self, parent=None):
        super().__init__(
            [
                ("#", lambda h: h["rank"]),
                ("Found by", lambda h: FOUND_BY.get(h.get("found_by", ""), "")),
                ("Keyword", lambda h: retriever_cell(h, "keyword")),
                ("Vector", lambda h: retriever_cell(h, "vector")),
                ("Score", lambda h: f"{h['score']:.3f}"),
                ("Source", lambda h: h["document_path"]),
                ("Heading", lambda h: " > ".join(h["heading_path"])),
                ("Chunk", lambda h: h["chunk_id"] if h["chunk_id"] is not None else f"item {h['item_id']}"),
                ("Text", lambda h: " ".join(h["text"].split())[:200]),
            ],
            parent,
        )


class RagTestPane(Pane):
    """Query box → top-k hits; Build context → the system prompt with the retrieved passages."""

    title = "RAG Test"
    reload_on = {Effect.CHUNKS, Effect.DOCUMENTS, Effect.SETTINGS}  # SETTINGS: the embedder may change

    def build(self) -> None:
        top, row = self._build_search_bar()
        split = self._build_results()
        lay = QVBoxLayout(self)
        lay.addLayout(top)
        lay.addLayout(row)
        lay.addWidget(self.strip)
        lay.addWidget(self.message)
        lay.addWidget(split, 1)

    def _build_search_bar(self) -> tuple[QHBoxLayout, QHBoxLayout]:
        """Index status + Embed row, query row (mode, top k, Search, Build context), strip, message."""
        ctx = self.ctx
        self.status = QLabel()
        self.embed_button = QPushButton("Embed new chunks")
        self.embed_button.setToolTip("Add chunks imported since the last run to the vector index (offline)")
        self.embed_button.clicked.connect(self.embed)
        self.query = QLineEdit()
        self.query.setPlaceholderText("Ask something your documents answer…")
        self.query.returnPressed.connect(self.search)
        self.k = QSpinBox()
        self.k.setRange(1, 50)
        self.k.setValue(get_ai_config(ctx.workspace)["max_context_chunks"])
        self.k.setPrefix("top ")
        self.mode = QComboBox()
        for label, value in MODES:
            self.mode.addItem(label, value)
        self.mode.setToolTip("Hybrid fuses keyword (BM25) and vector hits; pick one retriever to compare")
        self.search_button = QPushButton("Search")
        self.search_button.setDefault(True)
        self.search_button.clicked.connect(self.search)
        self.context_button = QPushButton("Build context")
        self.context_button.setToolTip("Show the system prompt: AI-settings instructions + passages above the threshold")
        self.context_button.clicked.connect(self.build_context)
        self.strip = TaskStrip(ctx)
        self.message = QLabel()
        self.message.setWordWrap(True)
        top = QHBoxLayout()
        top.addWidget(self.status, 1)
        top.addWidget(self.embed_button)
        row = QHBoxLayout()
        row.addWidget(self.query, 1)
        row.addWidget(self.mode)
        row.addWidget(self.k)
        row.addWidget(self.search_button)
        row.addWidget(self.context_button)
        return top, row

    def _build_results(self) -> QSplitter:
        """Hits table above; the selected passage beside the built system prompt below."""
        self.hits_model = HitsModel(self)
        self.hits_view = make_single_select_table(self.hits_model)
        header = self.hits_view.horizontalHeader()
        for col in range(8):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.hits_view.selectionModel().currentRowChanged.connect(lambda cur, _p: self._show_hit(cur.row()))
        self.preview = QTextEdit()
        self.preview.setReadOnly(True)
        self.preview.setPlaceholderText("Select a hit to read the whole passage.")
        self.prompt = QPlainTextEdit()
        self.prompt.setReadOnly(True)
        self.prompt.setPlaceholderText("Build context shows the system prompt a chat would receive.")
        self.prompt_info = QLabel()
        self.prompt_info.hide()  # shown with the first context: empty, it set the prompt lower than the passage
        prompt_box = QWidget()
        play = QVBoxLayout(prompt_box)
        play.setContentsMargins(0, 0, 0, 0)
        play.addWidget(self.prompt_info)
        play.addWidget(self.prompt)
        lower = QSplitter()
        lower.addWidget(self.preview)
        lower.addWidget(prompt_box)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.hits_view)
        split.addWidget(lower)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        return split

    def reload(self) -> None:
        self.refresh_status()

    def refresh_status(self) -> None:
        st = index_status(self.ctx.workspace)
        if st["vectors"] and st["needs_rebuild"]:
            # never mixed: the next Embed (or search) re-embeds everything with the new embedder
            self.status.setText(f"Index: {st['vectors']} vectors built with {st['embedder']}, not the embedder in "
                                "AI Settings — “Embed new chunks” rebuilds it")
            self.status.setToolTip(f"AI Settings name {st['configured']}; the index is rebuilt with it (every item "
                                   "re-embedded) on the next Embed or search")
        elif st["vectors"]:
            self.status.setToolTip("")
            self.status.setText(f"Index: {st['vectors']} vectors · {st['embedder']} {st['dim']}-d · {st['kind']}")
        else:
            self.status.setText("Index: empty — click “Embed new chunks” after importing documents")

    def embed(self) -> None:
        self.strip.run("Embed chunks", run_embed, self.ctx.workspace, on_result=self._embedded, on_error=self._error,
                       trigger=self.embed_button, effects={Effect.CHUNKS}, initiator=self)

    def _embedded(self, report: dict) -> None:
        self.message.setText(f"Embedded {report['added']} new chunks.")
        self.refresh_status()

    def search(self) -> None:
        q = self.query.text().strip()
        if not q:
            self.message.setText("Type a query first.")
            return
        self.message.setText("")
        self.strip.run("Search", run_search, self.ctx.workspace, q, self.k.value(), self.mode.currentData(),
                       on_result=self._hits, on_error=self._error)

    def _hits(self, hits: list[dict]) -> None:
        for n, h in enumerate(hits, 1):
            h["rank"] = n
        self.hits_model.set_rows(hits)
        if hits:
            self.hits_view.selectionModel().setCurrentIndex(
                self.hits_model.index(0, 0),
                QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
            )
        self.message.setText(f"{len(hits)} hits" if hits else "No hits.")

    def build_context(self) -> None:
        q = self.query.text().strip()
        if not q:
            self.message.setText("Type a query first.")
            return
        self.strip.run("Build context", run_context, self.ctx.workspace, q, on_result=self._context, on_error=self._error)

    def _context(self, out: dict) -> None:
        self.prompt.setPlainText(out["prompt"])
        if not out["rag_enabled"]:
            info = "RAG is off in AI settings: the prompt is the instructions alone."
        else:
            info = (f"{len(out['hits'])} passages (max {out['max']}, similarity ≥ {out['threshold']:.2f}) · "
                    f"{out['tokens']} tokens")
        self.prompt_info.setText(info)
        self.prompt_info.show()

    def _error(self, message: str) -> None:
        self.message.setText(f"<span style='color:{css('error')}'>{html.escape(message)}</span>")

    def _show_hit(self, row: int) -> None:
        h = self.hits_model.row_dict(row)
        if h is None:
            self.preview.clear()
            return
        where = h["document_path"] + (f"  ›  {' > '.join(h['heading_path'])}" if h["heading_path"] else "")
        terms = ", ".join(h.get("matched_terms") or []) or "none"
        self.preview.setHtml(
            f"{html.escape(where)}<br>{where_found_html(h)}<br>score {h['score']:.3f}"
            + (f" · similarity {h['similarity']:.3f}" if h.get("similarity") is not None else "")
            + " · matched terms: "
            f"{html.escape(terms)}<br><br>{highlighted_html(h['text'], h.get('matched_terms') or [])}"
        )
