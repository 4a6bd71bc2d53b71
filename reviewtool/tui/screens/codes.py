"""The code picker: type to filter the FOIA / E.O. 13526 1.4 / 25X / 50X codes, pick one
or several; dismisses with the chosen codes (vocabulary order) or None if cancelled.

Keys: typing filters; up/down move; enter picks the highlighted code (and clears the
filter) or, with an empty filter and codes chosen, confirms; tab picks or unpicks the
highlighted code; ctrl+s confirms; escape cancels.
"""

from __future__ import annotations

from collections.abc import Iterable

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from reviewtool.core.cable.codes import ALL_CODES, normalize_code, short_code, sort_codes


def filter_codes(query: str, vocabulary: dict[str, str] = ALL_CODES) -> list[str]:
    """Codes matching ``query``: an exact code first (``b6`` -> ``(b)(6)``), then codes
    whose canonical or short form starts with it, then those whose description holds
    every word of it."""
    q = query.strip().lower()
    if not q:
        return list(vocabulary)
    out: list[str] = []
    try:
        exact = normalize_code(q)
        if exact in vocabulary:
            out.append(exact)
    except ValueError:
        pass
    compact = q.replace(" ", "").replace("(", "").replace(")", "")
    for code in vocabulary:
        forms = (code.lower(), short_code(code).lower(),
                 code.lower().replace("(", "").replace(")", ""))
        if code not in out and any(f.startswith(compact) or f.startswith(q) for f in forms):
            out.append(code)
    words = q.split()
    for code, desc in vocabulary.items():
        if code not in out and all(w in desc.lower() for w in words):
            out.append(code)
    return out


class CodePicker(ModalScreen[tuple[str, ...] | None]):
    """Choose exemption codes for a redaction."""

    BINDINGS = [
        Binding("escape", "cancel", "cancel", id="codes.cancel"),
        Binding("down", "move(1)", "down", show=False, id="codes.down"),
        Binding("up", "move(-1)", "up", show=False, id="codes.up"),
        Binding("tab", "pick", "pick", id="codes.toggle", priority=True),
        Binding("ctrl+s", "done", "done", id="codes.done"),
    ]

    def __init__(self, title: str, initial: Iterable[str] = (),
                 vocabulary: dict[str, str] = ALL_CODES) -> None:
        super().__init__()
        self.title_text = title
        self.vocabulary = vocabulary
        self.chosen: list[str] = list(sort_codes(initial))
        self.shown: list[str] = []

    def compose(self) -> ComposeResult:
        with Vertical(id="codes-dialog", classes="dialog"):
            yield Static(self.title_text, classes="dialog-title")
            yield Input(placeholder="type to filter: b6, 1.4d, 25x1, privacy ...",
                        id="codes-filter")
            yield OptionList(id="codes-list")
            yield Static(id="codes-chosen")
            yield Static("type to filter · enter pick (on an empty filter: done) · "
                         "tab pick/unpick · ↑↓ move · ctrl+s done · esc cancel",
                         classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one("#codes-list", OptionList).can_focus = False
        self._refill("")
        box = self.query_one(Input)
        box.cursor_blink = getattr(self.app, "blink", True)
        box.focus()

    def _refill(self, query: str) -> None:
        self.shown = filter_codes(query, self.vocabulary)
        ol = self.query_one("#codes-list", OptionList)
        ol.clear_options()
        ol.add_options([Option(self._row(c), id=c) for c in self.shown])
        ol.highlighted = 0 if self.shown else None
        chosen = Text.assemble(("chosen: ", "bold"))
        chosen.append(" ".join(self.chosen) if self.chosen else "none yet")
        self.query_one("#codes-chosen", Static).update(chosen)

    def _row(self, code: str) -> Text:
        mark = "[x]" if code in self.chosen else "[ ]"
        t = Text(no_wrap=True, overflow="ellipsis")
        t.append(f"{mark} ", "bold" if code in self.chosen else "")
        t.append(f"{code:<10}", "bold")
        t.append(f"{short_code(code):<9}")
        t.append(self.vocabulary.get(code, ""), "dim")
        return t

    def on_input_changed(self, event: Input.Changed) -> None:
        self._refill(event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if not event.value.strip() and self.chosen:
            self.action_done()
            return
        ol = self.query_one("#codes-list", OptionList)
        if ol.highlighted is not None and self.shown:
            code = self.shown[ol.highlighted]
            if event.value.strip() and code in self.chosen:
                self.notify(f"{code} is already chosen (tab unpicks it).", timeout=3)
            else:
                self._toggle(code)
        self.query_one(Input).value = ""

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()  # a mouse click on a code
        self._toggle(event.option_id)

    def action_move(self, step: int) -> None:
        ol = self.query_one("#codes-list", OptionList)
        if self.shown:
            ol.highlighted = ((ol.highlighted or 0) + step) % len(self.shown)

    def action_pick(self) -> None:
        """Pick or unpick the highlighted code (not ``toggle``: every node has an
        ``action_toggle`` of its own, for boolean attributes)."""
        ol = self.query_one("#codes-list", OptionList)
        if ol.highlighted is not None and self.shown:
            self._toggle(self.shown[ol.highlighted])

    def _toggle(self, code: str | None) -> None:
        if code is None:
            return
        if code in self.chosen:
            self.chosen.remove(code)
        else:
            self.chosen = list(sort_codes([*self.chosen, code]))
        ol = self.query_one("#codes-list", OptionList)
        keep = ol.highlighted
        self._refill(self.query_one(Input).value)
        ol.highlighted = keep

    def action_done(self) -> None:
        if self.chosen:
            self.dismiss(tuple(self.chosen))
        else:
            self.notify("Pick at least one code (enter), or esc to cancel.", severity="warning")

    def action_cancel(self) -> None:
        self.dismiss(None)
