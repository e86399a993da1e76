"""Detail panel: the full message list of the selected pair, editable turn by turn.

Roles system/user/assistant are editable (tool/function/developer turns are shown read-only);
turns can be added, removed and reordered; assistant turns have the OpenAI fine-tuning
``weight`` (1 = learn from this turn, 0 = skip it). Token count and validity update live (through
``services.pairs.check_messages``, debounced). Apply (Ctrl+S) emits the new message list; the
pane turns it into one undoable ``EditPair``. Keys other than role/content/weight (tool calls,
names) are kept verbatim.
"""

from __future__ import annotations

import copy
import json

from PySide6.QtCore import QEvent, QObject, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QStyle,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from fineflow_desktop.core.pair_quality import explain
from fineflow_desktop.services import pairs as svc
from fineflow_desktop.ui.style import css, set_tone

EDITABLE_ROLES = ("system", "user", "assistant")
CHECK_DELAY_MS = 150
MIN_LINES, MAX_LINES = 2, 14
MIN_WIDTH = 300  # px: the Add turn / Revert / Apply row


class TurnEditor(QFrame):
    """One message: role, content, (assistant) weight, move/remove buttons."""

    changed = Signal()
    action = Signal(object, str)  # self, "up" | "down" | "remove"

    def __init__(self, message: dict, parent: QWidget | None = None):
        super().__init__(parent)
        self.setFrameShape(QFrame.StyledPanel)
        self.setObjectName("turnEditor")
        self.original = copy.deepcopy(message)
        role = message.get("role")
        self.read_only = role not in EDITABLE_ROLES

        top = self._build_header_row(role, message)
        self._build_text(message)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(6, 4, 6, 6)
        lay.setSpacing(3)
        lay.addLayout(top)
        lay.addWidget(self.text)
        note = self._build_extra_note(message)
        if note is not None:
            lay.addWidget(note)
        self._update_weight_visibility()
        self._fit()

    def _build_header_row(self, role: str | None, message: dict) -> QHBoxLayout:
        """The row above the text: role (combo, or read-only label), weight check box, ▲ ▼ ✕."""
        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        if self.read_only:
            self.role_box = None
            role_label = QLabel(f"<b>{role}</b> (read-only)")
            role_label.setToolTip("Tool and function turns are kept verbatim")
            top.addWidget(role_label)
        else:
            self.role_box = QComboBox()
            self.role_box.addItems(EDITABLE_ROLES)
            self.role_box.setCurrentText(role)
            self.role_box.setToolTip("Role of this turn")
            self.role_box.currentTextChanged.connect(self._role_changed)
            top.addWidget(self.role_box)
        self.weight = QCheckBox("train on this turn")
        self.weight.setToolTip("OpenAI fine-tuning weight: checked = 1 (learn from this assistant turn), unchecked = 0")
        self.weight.setChecked(message.get("weight", 1) != 0)
        policy = self.weight.sizePolicy()
        policy.setRetainSizeWhenHidden(True)  # every editable turn header is as wide: no jump on a role change
        self.weight.setSizePolicy(policy)
        self.weight.toggled.connect(self.changed)
        top.addWidget(self.weight)
        top.addStretch(1)
        self.buttons = {}
        for key, text, tip in (("up", "▲", "Move turn up"), ("down", "▼", "Move turn down"),
                               ("remove", "✕", "Remove turn")):
            btn = QToolButton(text=text, toolTip=tip, autoRaise=True)
            btn.clicked.connect(lambda _=False, k=key: self.action.emit(self, k))
            top.addWidget(btn)
            self.buttons[key] = btn
        return top

    def _build_text(self, message: dict) -> None:
        """The message content box (read-only for tool turns and structured content)."""
        self.text = QPlainTextEdit()
        self.text.setPlainText(self._content_text(message.get("content")))
        self.text.setReadOnly(self.read_only or not isinstance(message.get("content", ""), (str, type(None))))
        self.text.setTabChangesFocus(True)
        self.text.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        self.text.document().documentLayout().documentSizeChanged.connect(self._fit)
        self.text.textChanged.connect(self.changed)

    @staticmethod
    def _build_extra_note(message: dict) -> QLabel | None:
        """A muted line listing the message's other keys (kept verbatim); None when there are none."""
        extra = {k: v for k, v in message.items() if k not in ("role", "content", "weight")}
        if not extra:
            return None
        note = QLabel(", ".join(f"{k}: {json.dumps(v, ensure_ascii=False)[:80]}" for k, v in extra.items()))
        note.setWordWrap(True)
        set_tone(note, "muted")
        note.setToolTip("Kept verbatim")
        return note

    @staticmethod
    def _content_text(content) -> str:
        if content is None:
            return ""
        return content if isinstance(content, str) else json.dumps(content, ensure_ascii=False, indent=1)

    def role(self) -> str:
        return self.role_box.currentText() if self.role_box else self.original.get("role")

    def _role_changed(self, _role: str) -> None:
        self._update_weight_visibility()
        self.changed.emit()

    def _update_weight_visibility(self) -> None:
        self.weight.setVisible(self.role() == "assistant")

    def _fit(self, *_args) -> None:
        # QPlainTextDocumentLayout measures the document in visual (wrapped) lines.
        lines = int(self.text.document().documentLayout().documentSize().height())
        lines = max(MIN_LINES, min(MAX_LINES, lines))
        self.text.setFixedHeight(self.text.fontMetrics().lineSpacing() * lines + 12)

    def message(self) -> dict:
        """The edited message (unknown keys preserved)."""
        msg = copy.deepcopy(self.original)
        if self.read_only or self.text.isReadOnly():
            return msg
        msg["role"] = self.role()
        text = self.text.toPlainText()
        # A tool-call turn without text keeps content None (as OpenAI writes it), not "".
        msg["content"] = None if not text and self.original.get("content") is None and "content" in self.original else text
        if msg["role"] == "assistant":
            if self.weight.isChecked():
                if "weight" in msg:
                    msg["weight"] = 1
            else:
                msg["weight"] = 0
        else:
            msg.pop("weight", None)
        return msg


class PairDetail(QWidget):
    """Multi-turn editor of the selected pair.

    Signals: ``apply_requested(pair_id, messages)``, ``jump_requested(pair_id)`` (a duplicate
    link was clicked).
    """

    apply_requested = Signal(int, list)
    jump_requested = Signal(int)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.pair_id: int | None = None
        self.token_limit = 0
        self._original: list[dict] = []
        self.turns: list[TurnEditor] = []
        self._timer = QTimer(self, singleShot=True, interval=CHECK_DELAY_MS)
        self._timer.timeout.connect(self._check)

        self._build_summary()
        self.scroll = self._build_turn_list()
        status = self._build_status_row()
        bottom = self._build_button_row()

        lay = QVBoxLayout(self)
        lay.setContentsMargins(6, 0, 0, 0)
        lay.addWidget(self.header)
        lay.addWidget(self.quality)
        lay.addWidget(self.duplicates)
        lay.addWidget(self.scroll, 1)
        lay.addLayout(status)
        lay.addLayout(bottom)
        self.set_pair(None)

    # ---- construction --------------------------------------------------------------------------

    def _build_summary(self) -> None:
        """The lines above the turns: pair header, quality, duplicate links."""
        self.header = QLabel("No pair selected")
        self.header.setObjectName("pairHeader")
        self.header.setWordWrap(True)
        self.quality = QLabel()
        self.quality.setWordWrap(True)
        self.duplicates = QLabel()
        self.duplicates.setWordWrap(True)
        self.duplicates.setTextFormat(Qt.RichText)
        self.duplicates.linkActivated.connect(lambda link: self.jump_requested.emit(int(link)))

    def _build_turn_list(self) -> QScrollArea:
        """The scrolling list of turn editors (``turn_layout`` ends with a stretch).

        It scrolls only vertically: the panel's minimum width (``minimumSizeHint``) keeps every
        turn's header row, ▲ ▼ ✕ included, inside the visible width.
        """
        self.turn_box = QWidget()
        self.turn_layout = QVBoxLayout(self.turn_box)
        self.turn_layout.setContentsMargins(0, 0, 0, 0)
        self.turn_layout.setSpacing(6)
        self.turn_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.turn_box)
        scroll.setFrameShape(QFrame.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        self.turn_box.installEventFilter(self)  # its layout requests change our minimum width
        return scroll

    def _build_status_row(self) -> QHBoxLayout:
        """Live validity line with the token count beside it."""
        self.tokens = QLabel()
        self.tokens.setObjectName("liveTokens")
        self.validity = QLabel()
        self.validity.setObjectName("liveValidity")
        self.validity.setWordWrap(True)
        # Token count beside the validity line, not among the buttons: a narrow panel clipped it.
        status = QHBoxLayout()
        status.addWidget(self.validity, 1)
        status.addWidget(self.tokens, 0, Qt.AlignRight | Qt.AlignTop)
        return status

    def _build_button_row(self) -> QHBoxLayout:
        """The bottom row: + Add turn … Revert, Apply (Ctrl+S)."""
        self.add_btn = QPushButton("+ Add turn")
        self.add_btn.setToolTip("Append a turn (user after assistant, assistant after user)")
        self.add_btn.clicked.connect(self.add_turn)
        self.apply_btn = QPushButton("Apply")
        self.apply_btn.setToolTip("Save the message list (Ctrl+S); undo with Ctrl+Z")
        self.apply_btn.clicked.connect(self.apply)
        self.revert_btn = QPushButton("Revert")
        self.revert_btn.setToolTip("Discard changes to this pair")
        self.revert_btn.clicked.connect(self.revert)
        QShortcut(QKeySequence.Save, self, activated=self.apply, context=Qt.WidgetWithChildrenShortcut)
        bottom = QHBoxLayout()
        bottom.addWidget(self.add_btn)
        bottom.addStretch(1)
        bottom.addWidget(self.revert_btn)
        bottom.addWidget(self.apply_btn)
        return bottom

    def sizeHint(self) -> QSize:
        return QSize(420, 500)

    # ---- loading -------------------------------------------------------------------------------

    def set_pair(self, row: dict | None, duplicates: list[int] | None = None, token_limit: int = 0) -> None:
        """Show *row* (a full ``services.pairs.fetch_pairs`` row) or nothing."""
        self.token_limit = token_limit
        self.pair_id = row["id"] if row else None
        for w in (self.add_btn, self.apply_btn, self.revert_btn):
            w.setEnabled(row is not None)
        if row is None:
            self.header.setText("No pair selected")
            self.quality.clear()
            self.duplicates.clear()
            self.duplicates.hide()
            self._set_turns([])
            self.tokens.clear()
            self.validity.clear()
            return
        bits = [f"<b>Pair #{row['id']}</b>", row["source"] or ""]
        if row.get("document"):
            bits.append(row["document"])
        if row["validated"]:
            bits.append(f"<span style='color:{css('ok')}'>✓ validated</span>")
        if row["tags"]:
            bits.append("tags: " + ", ".join(row["tags"]))
        self.header.setText(" · ".join(b for b in bits if b))
        if row["quality_signals"]:
            self.quality.setText(f"Quality {row['quality']:.2f}: "
                                 + explain(row["quality_signals"], failing_first=True).replace("\n", "; "))
        else:
            self.quality.setText("Quality: not scored yet")
        dups = duplicates or []
        if dups:
            links = ", ".join(f"<a href='{d}'>#{d}</a>" for d in dups[:20])
            more = f" and {len(dups) - 20} more" if len(dups) > 20 else ""
            self.duplicates.setText(
                f"<span style='background:{css('highlight_bg')}'>&nbsp;{len(dups)} duplicate(s) (same user message): {links}{more}&nbsp;</span>")
        else:
            self.duplicates.clear()
        self.duplicates.setVisible(bool(dups))
        self._original = svc.pair_messages(row)
        self._set_turns(self._original)
        self._check()

    def _set_turns(self, messages: list[dict]) -> None:
        for t in self.turns:
            t.setParent(None)
            t.deleteLater()
        self.turns = []
        for m in messages:
            self._add_editor(m)
        self._update_buttons()

    def _add_editor(self, message: dict, at: int | None = None) -> TurnEditor:
        editor = TurnEditor(message if isinstance(message, dict) else {"role": "?", "content": str(message)})
        editor.changed.connect(self._schedule)
        editor.action.connect(self._turn_action)
        at = len(self.turns) if at is None else at
        self.turns.insert(at, editor)
        self.turn_layout.insertWidget(at, editor)
        return editor

    # ---- editing -------------------------------------------------------------------------------

    def messages(self) -> list[dict]:
        """The message list as currently edited."""
        return [t.message() for t in self.turns]

    @property
    def dirty(self) -> bool:
        """True when the edited list differs from the stored one."""
        return self.pair_id is not None and self.messages() != self._original

    def add_turn(self, role: str | None = None) -> TurnEditor:
        """Append a turn (role alternates after the last turn unless given)."""
        if role is None:
            last = self.turns[-1].role() if self.turns else "assistant"
            role = "assistant" if last == "user" else "user"
        editor = self._add_editor({"role": role, "content": ""})
        self._update_buttons()
        editor.text.setFocus()
        self._schedule()
        return editor

    def _turn_action(self, editor: TurnEditor, action: str) -> None:
        i = self.turns.index(editor)
        if action == "remove":
            self.turns.pop(i)
            editor.setParent(None)
            editor.deleteLater()
        else:
            j = i - 1 if action == "up" else i + 1
            if not 0 <= j < len(self.turns):
                return
            self.turns[i], self.turns[j] = self.turns[j], self.turns[i]
            self.turn_layout.removeWidget(editor)
            self.turn_layout.insertWidget(j, editor)
        self._update_buttons()
        self._schedule()

    def _update_buttons(self) -> None:
        for i, t in enumerate(self.turns):
            t.buttons["up"].setEnabled(i > 0)
            t.buttons["down"].setEnabled(i < len(self.turns) - 1)

    def _schedule(self) -> None:
        self._timer.start()

    def _check(self) -> None:
        self._timer.stop()
        if self.pair_id is None:
            return
        result = svc.check_messages(self.messages(), self.token_limit)
        limit = f" / {self.token_limit:,} limit" if self.token_limit else ""
        self.tokens.setText(f"{result['n_tokens']:,} tokens{limit}")
        if result["valid"]:
            self.validity.setText(f"<span style='color:{css('ok')}'>✓ valid</span>")
        else:
            self.validity.setText(f"<span style='color:{css('error')}'>✗ " + "<br>✗ ".join(m for _c, m in result["problems"]) + "</span>")
        dirty = self.dirty
        self.apply_btn.setEnabled(dirty)
        self.revert_btn.setEnabled(dirty)
        self.last_check = result

    def apply(self) -> bool:
        """Emit ``apply_requested`` when there are changes; returns True if it did."""
        self._timer.stop()
        if not self.dirty:
            return False
        self.apply_requested.emit(self.pair_id, self.messages())
        return True

    def revert(self) -> None:
        """Back to the stored message list."""
        self._set_turns(self._original)
        self._check()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.turn_box and event.type() == QEvent.Type.LayoutRequest:
            self.updateGeometry()  # turns added, removed or re-roled: the splitter re-reads our minimum
        return super().eventFilter(watched, event)

    def minimumSizeHint(self) -> QSize:
        """At least ``MIN_WIDTH``, and wide enough that the turn editors fit beside the vertical
        scroll bar (a narrower panel cut the ✕ buttons off at 1100×700)."""
        bar = self.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent, None, self.scroll)
        margins = self.layout().contentsMargins()
        turns = self.turn_box.minimumSizeHint().width() + bar + margins.left() + margins.right()
        return QSize(max(MIN_WIDTH, turns), 200)

