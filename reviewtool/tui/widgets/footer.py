"""The key bar at the foot of the review and queue screens: one widget, one line.

Textual's `Footer` is a container holding a widget per key, recomposed (every key
widget removed and mounted again) whenever the screen publishes a bindings update: on
every screen resume and after actions. On the review screen that was the largest part of
the cost of showing a cable (about 90 ms of the screen's 200). `KeyBar` draws the same
line (the screen's shown bindings in order, one per action, the command palette key on
the right) as one piece of text, redrawn only when what it shows changes; a click on a
key presses it, a disabled key is dim and rings the bell, and hovering shows the key's
tooltip, as in the footer. Keys that do not fit are cut with an ellipsis (the help
screen lists every key).
"""

from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.screen import Screen
from textual.widget import Widget

# One shown key: (binding, key as displayed, enabled, tooltip)
Key = tuple[Binding, str, bool, str]


class KeyBar(Widget, can_focus=False):
    """The screen's keys on one line (``compact``: less space between them)."""

    ALLOW_SELECT = False
    COMPONENT_CLASSES = {"key-bar--key", "key-bar--description", "key-bar--palette"}
    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: 1;
        color: $footer-foreground;
        background: $footer-background;
        &:hover { pointer: pointer; }
        & > .key-bar--key {
            color: $footer-key-foreground;
            background: $footer-key-background;
            text-style: bold;
        }
        & > .key-bar--description {
            color: $footer-description-foreground;
            background: $footer-description-background;
        }
        & > .key-bar--palette {
            color: $foreground 20%;
        }
    }
    """

    def __init__(self, *, compact: bool = False, show_command_palette: bool = True,
                 id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.compact = compact
        self.show_command_palette = show_command_palette
        self._keys: list[Key] = []
        self._palette: Key | None = None
        self._spans: list[tuple[int, int, Key]] = []  # cells of each key, as last drawn

    # ------------------------------------------------------------------ bindings

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)
        self._read(self.screen)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen[object]) -> None:
        if self.is_attached and screen is self.screen and self._read(screen):
            self.refresh()

    def _read(self, screen: Screen[object]) -> bool:
        """Take the screen's shown keys (as `Footer` chooses them); true if changed."""
        app = self.app
        active = screen.active_bindings
        keys: list[Key] = []
        seen: set[str] = set()
        for _node, binding, enabled, tooltip in active.values():
            if not binding.show or binding.action in seen:
                continue  # one key per action, the first bound, as the footer shows
            seen.add(binding.action)
            keys.append((binding, app.get_key_display(binding), enabled, tooltip))
        palette = None
        if self.show_command_palette and app.ENABLE_COMMAND_PALETTE:
            found = active.get(app.COMMAND_PALETTE_BINDING)
            if found is not None:
                _node, binding, enabled, tooltip = found
                palette = (binding, app.get_key_display(binding), enabled,
                           binding.tooltip or binding.description)
        if keys == self._keys and palette == self._palette:
            return False
        self._keys, self._palette = keys, palette
        return True

    # ------------------------------------------------------------------ drawing

    def _piece(self, key: Key) -> Text:
        binding, display, enabled, _tooltip = key
        key_style = self.get_component_rich_style("key-bar--key")
        desc_style = self.get_component_rich_style("key-bar--description")
        # The footer's spacing: compact "k desc", else " k desc " (key padded both sides).
        text = Text.assemble((display if self.compact else f" {display} ", key_style))
        if binding.description:
            text.append(f" {binding.description}" if self.compact else f"{binding.description} ",
                        desc_style)
        if not enabled:
            text.stylize(Style(dim=True))
        return text

    def render(self) -> Text:
        width = self.size.width
        gap = " " if self.compact else ""
        line = Text(no_wrap=True, overflow="ellipsis", end="")
        spans: list[tuple[int, int, Key]] = []
        right = Text(end="")
        if self._palette is not None:
            right.append("▏", self.get_component_rich_style("key-bar--palette"))
            right.append_text(self._piece(self._palette))
        room = max(width - right.cell_len, 0)
        for key in self._keys:
            piece = self._piece(key)
            start = line.cell_len + (len(gap) if line else 0)
            if line:
                line.append(gap)
            line.append_text(piece)
            spans.append((start, start + piece.cell_len, key))
        line.truncate(room, overflow="ellipsis", pad=True)
        spans = [(a, min(b, room), k) for a, b, k in spans if a < room]
        if self._palette is not None:
            spans.append((room + 1, room + right.cell_len, self._palette))
            line.append_text(right)
        self._spans = spans
        return line

    # ------------------------------------------------------------------ mouse

    def _key_at(self, x: int) -> Key | None:
        return next((k for a, b, k in self._spans if a <= x < b), None)

    def on_click(self, event: events.Click) -> None:
        key = self._key_at(event.x)
        if key is None:
            return
        event.stop()
        binding, _display, enabled, _tooltip = key
        if enabled:
            self.app.simulate_key(binding.key.split(",")[0])
        else:
            self.app.bell()

    def on_mouse_move(self, event: events.MouseMove) -> None:
        key = self._key_at(event.x)
        tip: str | None = None if key is None else (key[3] or key[0].tooltip or None)
        if tip != self.tooltip:
            self.tooltip = tip

