"""The paragraph list: number, marking badge coloured by level, flags, review status.

A line-API widget (one cached strip per row) so that moving the highlight or updating
one row after a decision costs the same on a 500-paragraph cable as on an 8-paragraph
one. Not focusable: the review screen owns the keys and the list follows ``show``. A
click posts `ParagraphChosen`.
"""

from __future__ import annotations

from rich.segment import Segment
from rich.text import Text
from textual import events
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from reviewtool.core.cable.model import Paragraph
from reviewtool.core.review.model import ParagraphStatus
from reviewtool.tui.messages import ParagraphChosen
from reviewtool.tui.view import STATUS_ICON, badge


def row(p: Paragraph, status: ParagraphStatus, pending: int) -> Text:
    """One line: ``¶3  S//NF ↳ ● to review 2``."""
    text = Text(no_wrap=True, overflow="ellipsis")
    text.append(f"{p.label:<5}")
    label, style = badge(p.marking, p.unmarked)
    text.append(label, style)
    if p.unmarked:
        text.append(" ⚑", "bold #8a2be2")
    elif p.inherited:
        text.append(" ↳", "italic")
    else:
        text.append("  ")
    icon, icon_style = STATUS_ICON.get(status, ("?", ""))
    text.append(f" {icon} ", icon_style)
    text.append(status)
    if pending:
        text.append(f" {pending}", "bold")
    return text


class ParagraphList(ScrollView):
    """The paragraphs in walk order; ``order`` holds their indexes."""

    can_focus = False
    COMPONENT_CLASSES = {"paragraph-list--highlight"}
    DEFAULT_CSS = """
    ParagraphList {
        overflow-x: hidden;
    }
    ParagraphList > .paragraph-list--highlight {
        background: $accent 40%;
        text-style: bold;
    }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.order: list[int] = []
        self.rows: list[Text] = []
        self.position: dict[int, int] = {}  # paragraph index -> row
        self.highlighted: int | None = None  # a row
        self._strips: dict[tuple[int, int, bool], Strip] = {}

    def fill(self, paragraphs: tuple[Paragraph, ...], order: list[int],
             statuses: dict[int, tuple[ParagraphStatus, int]], current: int | None) -> None:
        """Rebuild the rows (on open, and when the order or the filter changes)."""
        self.order = list(order)
        self.position = {index: n for n, index in enumerate(order)}
        self.rows = [row(paragraphs[i], *statuses[i]) for i in order]
        self._strips.clear()
        self.virtual_size = Size(0, len(self.rows))
        self.show(current)
        self.refresh()

    def update_row(self, p: Paragraph, status: ParagraphStatus, pending: int) -> None:
        """Refresh one paragraph's row after a decision."""
        n = self.position.get(p.index)
        if n is None:
            return
        self.rows[n] = row(p, status, pending)
        self._drop(n)
        self.refresh_lines(n)

    def show(self, index: int | None) -> None:
        """Highlight paragraph ``index`` and scroll it into view."""
        old = self.highlighted
        self.highlighted = self.position.get(index) if index is not None else None
        for n in (old, self.highlighted):
            if n is not None:
                self._drop(n)
                self.refresh_lines(n)
        n = self.highlighted
        if n is None:
            return
        top = round(self.scroll_offset.y)
        height = max(self.scrollable_content_region.height, 1)
        if n < top:
            self.scroll_to(y=n, animate=False)
        elif n >= top + height:
            self.scroll_to(y=n - height + 1, animate=False)

    def _drop(self, n: int) -> None:
        for key in [k for k in self._strips if k[0] == n]:
            del self._strips[key]

    def render_line(self, y: int) -> Strip:
        n = y + round(self.scroll_offset.y)
        width = self.scrollable_content_region.width
        if not 0 <= n < len(self.rows):
            return Strip.blank(width, self.rich_style)
        lit = n == self.highlighted
        key = (n, width, lit)
        strip = self._strips.get(key)
        if strip is None:
            base = self.rich_style
            if lit:
                base += self.get_component_rich_style("paragraph-list--highlight")
            text = self.rows[n].copy()
            text.truncate(width, overflow="ellipsis", pad=True)
            segments = list(text.render(self.app.console))
            strip = Strip(Segment.apply_style(segments, base), width).crop(0, width)
            self._strips[key] = strip
        return strip

    def on_resize(self, event: events.Resize) -> None:
        self._strips.clear()
        self.virtual_size = Size(0, len(self.rows))

    def on_click(self, event: events.Click) -> None:
        at = event.get_content_offset(self)  # None on the border
        if at is None:
            return
        n = at.y + round(self.scroll_offset.y)
        if 0 <= n < len(self.order):
            event.stop()
            self.post_message(ParagraphChosen(self.order[n]))
