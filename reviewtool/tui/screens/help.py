"""The help screen: every key of every screen and picker, as currently mapped."""

from __future__ import annotations

from collections.abc import Iterable

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static


def key_table(title: str, bindings: Iterable[Binding], keymap: dict[str, str]) -> Table:
    """A section of the help: keys (after the key map), description, binding id."""
    table = Table(title=title, title_justify="left", title_style="bold", box=None,
                  show_header=False, padding=(0, 2, 0, 0), expand=False)
    table.add_column("keys", style="bold", no_wrap=True)
    table.add_column("does")
    table.add_column("id", style="dim", no_wrap=True)
    for b in bindings:
        keys = keymap.get(b.id, b.key) if b.id else b.key
        shown = ", ".join(k.strip() for k in keys.split(","))
        table.add_row(shown, b.tooltip or b.description, b.id or "")
    return table


class HelpScreen(ModalScreen[None]):
    """Lists ``sections``: (title, bindings) pairs; escape, ? or q closes it."""

    BINDINGS = [Binding("escape,question_mark,q", "close", "close", id="help.close")]

    def __init__(self, sections: list[tuple[str, list[Binding]]], keymap: dict[str, str]):
        super().__init__()
        self.sections = sections
        self.keymap = keymap

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog wide", id="help-dialog"):
            yield Static("Keys", classes="dialog-title")
            for title, bindings in self.sections:
                yield Static(key_table(title, bindings, self.keymap), classes="help-section")
            yield Static(Text("Every action is also in the command palette (ctrl+p). Keys are "
                              "remapped by binding id in the key map file "
                              "(~/.config/reviewtool/keymap.yaml: `review.accept: y`)."),
                         classes="help-section")
            yield Static("esc / ? close", classes="dialog-hint")

    def action_close(self) -> None:
        self.dismiss(None)
