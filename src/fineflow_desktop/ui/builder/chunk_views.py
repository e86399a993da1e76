"""The right side of the Dataset Builder: chunk list with quality filter + histogram, and the
flagged-chunks review list. Both only show service results (services.chunk_stats)."""

from __future__ import annotations

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from fineflow_desktop.services import chunk_stats
from fineflow_desktop.ui.builder.models import ChunksModel, FlaggedChunksModel, heading_text, marks_tooltip, quality_text
from fineflow_desktop.ui.builder.quality_view import QualityFilter
from fineflow_desktop.ui.context import AppContext
from fineflow_desktop.ui.undo import SetFlaggedCommand
from fineflow_desktop.ui.tables import make_table
from fineflow_desktop.ui.style import set_heading, set_tone

ALL_DOCS_LIMIT = 2000  # rows shown when listing chunks of every document


def chunk_header(row: dict) -> str:
    """One line above the chunk text: tokens, quality, marks (heading path and origin have their own lines)."""
    parts = [f"{row.get('n_tokens', 0)} tokens", f"quality {quality_text(row.get('quality'))}"]
    marks = marks_tooltip(row)
    if marks:
        parts.append(marks.replace("\n", " · "))
    return "  ·  ".join(parts)


class ChunkText(QWidget):
    """The heading path, the origin (source file and PDF page, with a button to open it), a line
    of scores, and the read-only full text of one chunk — so any chunk can be checked at its source."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.heading = _plain_label("Select a chunk to read it.")
        set_heading(self.heading)
        self.origin = _plain_label("")
        self.origin.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.open_source = QPushButton("Open source")
        self.open_source.setToolTip("Open the source document in its default application")
        self.open_source.clicked.connect(self._open_source)
        self.open_source.setEnabled(False)
        origin_row = QHBoxLayout()
        origin_row.addWidget(self.origin, 1)
        origin_row.addWidget(self.open_source)
        self.header = _plain_label("")
        set_tone(self.header, "muted")
        self.text = QPlainTextEdit()
        self.text.setReadOnly(True)
        self._source: str | None = None
        lay.addWidget(self.heading)
        lay.addLayout(origin_row)
        lay.addWidget(self.header)
        lay.addWidget(self.text, 1)

    def show_row(self, row: dict | None) -> None:
        if row is None:
            self.heading.setText("Select a chunk to read it.")
            self.origin.setText("")
            self.header.setText("")
            self.text.clear()
            self._source = None
            self.open_source.setEnabled(False)
            return
        self.heading.setText(heading_text(row.get("heading_path")))
        self.origin.setText(row.get("origin") or row.get("document_name", ""))
        self._source = row.get("source_path")
        self.open_source.setEnabled(bool(self._source))
        self.header.setText(chunk_header(row))
        self.header.setToolTip(row.get("document_name", ""))
        self.text.setPlainText(row.get("text", ""))

    def _open_source(self) -> None:
        if self._source:
            QDesktopServices.openUrl(QUrl.fromLocalFile(self._source))


def _plain_label(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    return label


class ChunksView(QWidget):
    """Chunks of the selected document (or all documents), filtered by a quality range."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.document_id: int | None = None
        self.document_name = ""
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.quality = QualityFilter()
        self.quality.range_changed.connect(lambda *_: self.refresh_chunks())
        top = QHBoxLayout()
        self.title = QLabel()
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        self.title.setWordWrap(True)  # long hints wrap at 1100 px instead of being cut
        self.all_docs = QCheckBox("All documents")
        self.all_docs.setToolTip("List the chunks of every document (filtered by quality) instead of the selected one")
        self.all_docs.toggled.connect(lambda _: self.refresh_chunks())
        top.addWidget(self.title, 1)
        top.addWidget(self.all_docs)
        self.model = ChunksModel(self)
        self.table = make_table(self.model)
        for col, width in enumerate((40, 130, 210, 56, 56, 80)):
            self.table.setColumnWidth(col, width)
        self.table.setColumnHidden(ChunksModel.DOCUMENT_COLUMN, True)  # shown for "All documents"
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.selectionModel().currentRowChanged.connect(lambda cur, _prev: self.preview.show_row(self.model.row_dict(cur.row())))
        self.preview = ChunkText()
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.quality)
        table_box = QWidget()
        tl = QVBoxLayout(table_box)
        tl.setContentsMargins(0, 0, 0, 0)
        tl.addLayout(top)
        tl.addWidget(self.table, 1)
        split.addWidget(table_box)
        split.addWidget(self.preview)
        split.setSizes([170, 330, 200])
        split.setChildrenCollapsible(False)
        lay.addWidget(split)

    def set_document(self, document_id: int | None, name: str = "") -> None:
        self.document_id, self.document_name = document_id, name
        if document_id is not None and self.all_docs.isChecked():
            self.all_docs.setChecked(False)  # toggles → refresh
        else:
            self.refresh_chunks()

    def refresh(self) -> None:
        """Reload the histogram and the chunk list from the workspace."""
        edges, counts = chunk_stats.quality_histogram(self.ctx.workspace)
        self.quality.set_histogram(edges, counts)
        summary = chunk_stats.chunk_quality_summary(self.ctx.workspace)
        self.quality.summary.setText(f"{summary['scored']:,}/{summary['chunks']:,} scored")
        self.quality.summary.setToolTip(f"{summary['scored']:,} of {summary['chunks']:,} chunks have a quality score")
        self.refresh_chunks()

    def refresh_chunks(self) -> None:
        ws = self.ctx.workspace
        lo, hi = (None, None) if self.quality.is_full_range() else self.quality.range()
        all_docs = self.all_docs.isChecked()
        doc_id = None if all_docs else self.document_id
        if doc_id is None and not all_docs:
            self.model.set_rows([])
            self.title.setText("Select a document to see its chunks, or tick “All documents”.")
            self.preview.show_row(None)
            return
        self.table.setColumnHidden(ChunksModel.DOCUMENT_COLUMN, doc_id is not None)
        limit = ALL_DOCS_LIMIT if doc_id is None else chunk_stats.DEFAULT_LIMIT
        rows = chunk_stats.list_chunks_filtered(ws, doc_id, lo, hi, limit=limit)
        total = chunk_stats.count_chunks_filtered(ws, doc_id, lo, hi) if len(rows) >= limit else len(rows)
        self.model.set_rows(rows)
        where = "all documents" if doc_id is None else self.document_name
        shown = f"{len(rows):,}" if len(rows) == total else f"first {len(rows):,} of {total:,}"
        qual = "" if lo is None else f" with quality {lo:.2f}–{hi:.2f}"
        hint = " (chunks not scored yet are hidden while filtering)" if lo is not None and not rows else ""
        self.title.setText(f"Chunks of {where}{qual}: {shown}{hint}")
        self.preview.show_row(None)


class FlaggedView(QWidget):
    """Chunks flagged as possible prompt injection, for review: read them, clear false alarms."""

    count_changed = Signal(int)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        intro = QLabel(
            "Chunks that look like prompt injection are left out of generated datasets. Read each one; "
            "clear the flag on false alarms (undo with Ctrl+Z). The text itself is never changed."
        )
        intro.setWordWrap(True)
        set_tone(intro, "muted")
        lay.addWidget(intro)
        self.model = FlaggedChunksModel(self)
        self.table = make_table(self.model)
        for col, width in enumerate((150, 170, 170)):
            self.table.setColumnWidth(col, width)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.selectionModel().currentRowChanged.connect(lambda cur, _p: self.preview.show_row(self.model.row_dict(cur.row())))
        self.preview = ChunkText()
        buttons = QHBoxLayout()
        self.clear_button = QPushButton("Clear flag (not an injection)")
        self.clear_button.setToolTip("Let the selected chunks into generation again; undo with Ctrl+Z")
        self.clear_button.clicked.connect(self.clear_selected)
        buttons.addWidget(self.clear_button)
        buttons.addStretch(1)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.table)
        split.addWidget(self.preview)
        split.setSizes([300, 200])
        lay.addWidget(split, 1)
        lay.addLayout(buttons)

    def selected_ids(self) -> list[int]:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        return [self.model.row_dict(r)["id"] for r in rows if self.model.row_dict(r)]

    def clear_selected(self) -> None:
        ids = self.selected_ids()
        if ids:
            self.ctx.undo_stack.push(SetFlaggedCommand(self.ctx.workspace, self.ctx.events, ids, False))

    def refresh(self) -> None:
        rows = chunk_stats.list_flagged_chunks(self.ctx.workspace)
        self.model.set_rows(rows)
        self.preview.show_row(None)
        self.clear_button.setEnabled(bool(rows))
        self.count_changed.emit(len(rows))
