"""Select text of the paragraph for a manual redaction, by keyboard or mouse.

A read-only `TextArea` holds the paragraph's exact text (line separators other than
``\\n`` shown as spaces, one character for one, so offsets stay exact). Dismisses with
the half-open ``(start, end)`` into the cable text, trimmed of surrounding whitespace,
or None if cancelled.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static, TextArea
from textual.widgets.text_area import Document

from reviewtool.core.cable.model import Paragraph

# Characters str.splitlines() breaks on besides "\n": shown as spaces, same length.
_BREAKS = str.maketrans({c: " " for c in "\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"})


def selection_span(text: str, base: int, a: int, b: int) -> tuple[int, int] | None:
    """The selection ``a..b`` (offsets into ``text``, either order) as a span of the
    cable (``base`` + offset), trimmed of whitespace; None if nothing is left."""
    start, end = sorted((a, b))
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (base + start, base + end) if start < end else None


class MarkScreen(ModalScreen[tuple[int, int] | None]):
    """Pick the span to redact in one paragraph."""

    BINDINGS = [
        Binding("enter", "confirm", "redact selection", id="mark.confirm", priority=True),
        Binding("escape", "cancel", "cancel", id="mark.cancel"),
        Binding("w", "extend('word_right')", "select word →", id="mark.word_right"),
        Binding("b", "extend('word_left')", "select word ←", id="mark.word_left"),
        Binding("l", "extend('right')", "select char →", show=False, id="mark.char_right"),
        Binding("h", "extend('left')", "select char ←", show=False, id="mark.char_left"),
        Binding("space", "anchor", "start here", id="mark.anchor"),
    ]

    def __init__(self, text: str, paragraph: Paragraph, cursor: int | None = None,
                 selection: tuple[int, int] | None = None) -> None:
        super().__init__()
        self.cable_text = text
        self.paragraph = paragraph
        self.body = text[paragraph.start:paragraph.end]
        self.cursor = cursor if cursor is not None else paragraph.text_start
        self.initial = selection

    def compose(self) -> ComposeResult:
        with Vertical(id="mark-dialog", classes="dialog"):
            yield Static(f"Mark text to redact in {self.paragraph.label}",
                         classes="dialog-title")
            yield TextArea(self.body.translate(_BREAKS), read_only=True, soft_wrap=True,
                           show_line_numbers=False, id="mark-text")
            yield Static(id="mark-selected")
            yield Static("arrows/ctrl+arrows move · space start here · w/b select by word · "
                         "shift+arrows or mouse drag select · enter redact · esc cancel",
                         classes="dialog-hint")

    def _document(self) -> tuple[TextArea, Document]:
        """The text area and its document (a plain `Document`: no syntax language)."""
        ta = self.query_one(TextArea)
        doc = ta.document
        if not isinstance(doc, Document):
            raise TypeError(f"the mark screen's text area holds a {type(doc).__name__}")
        return ta, doc

    def on_mount(self) -> None:
        ta, doc = self._document()
        ta.cursor_blink = getattr(self.app, "blink", True)
        base = self.paragraph.start
        if self.initial:
            a, b = (max(0, min(x - base, len(self.body))) for x in self.initial)
            ta.selection = ta.selection.__class__(doc.get_location_from_index(a),
                                                  doc.get_location_from_index(b))
        else:
            at = max(0, min(self.cursor - base, len(self.body)))
            ta.move_cursor(doc.get_location_from_index(at))
        ta.focus()

    def on_text_area_selection_changed(self, event: TextArea.SelectionChanged) -> None:
        span = selection_span(self.body, self.paragraph.start, *self._offsets())
        out = Text.assemble(("selected: ", "bold"))
        if span is None:
            out.append("nothing yet", "italic")
        else:
            words = " ".join(self.cable_text[span[0]:span[1]].split())
            out.append(f"“{words if len(words) <= 70 else words[:69] + '…'}”")
            out.append(f"  ({span[1] - span[0]} characters)", "dim")
        self.query_one("#mark-selected", Static).update(out)

    def _offsets(self) -> tuple[int, int]:
        ta, doc = self._document()
        sel = ta.selection
        return doc.get_index_from_location(sel.start), doc.get_index_from_location(sel.end)

    def action_extend(self, how: str) -> None:
        ta = self.query_one(TextArea)
        if how == "word_right":
            ta.action_cursor_word_right(select=True)
        elif how == "word_left":
            ta.action_cursor_word_left(select=True)
        elif how == "right":
            ta.action_cursor_right(select=True)
        else:
            ta.action_cursor_left(select=True)

    def action_anchor(self) -> None:
        ta = self.query_one(TextArea)
        ta.move_cursor(ta.selection.end)

    def action_confirm(self) -> None:
        span = selection_span(self.body, self.paragraph.start, *self._offsets())
        if span is None:
            self.notify("Select some text first (w selects a word, shift+arrows or the mouse).",
                        severity="warning")
            return
        self.dismiss(span)

    def action_cancel(self) -> None:
        self.dismiss(None)
