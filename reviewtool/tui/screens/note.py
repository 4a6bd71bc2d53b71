"""A one-line prompt: a note on a decision. Dismisses with the text, "" to clear, or None."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static


class NotePrompt(ModalScreen[str | None]):
    """Ask for a note (the justification a Vaughn index entry will quote)."""

    BINDINGS = [Binding("escape", "cancel", "cancel", id="note.cancel")]

    def __init__(self, title: str, initial: str = "") -> None:
        super().__init__()
        self.title_text = title
        self.initial = initial

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self.title_text, classes="dialog-title")
            yield Input(self.initial, placeholder="why: e.g. names a confidential source",
                        id="note-input")
            yield Static("enter save (empty clears) · esc cancel", classes="dialog-hint")

    def on_mount(self) -> None:
        box = self.query_one(Input)
        box.cursor_blink = getattr(self.app, "blink", True)
        box.focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(event.value.strip())

    def action_cancel(self) -> None:
        self.dismiss(None)
