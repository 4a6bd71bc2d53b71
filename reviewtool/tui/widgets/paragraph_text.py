"""The current paragraph's text, every suggestion highlighted by code, the focused one
reversed and underlined; a withheld paragraph is shown struck through under a banner.

Display only: the text shown is the exact span of the cable; clicking a highlighted span
runs the screen's ``focus_item``. Text is selected for a manual redaction in the mark screen.
"""

from __future__ import annotations

import re

from rich.style import Style
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from reviewtool.core.cable.model import Paragraph
from reviewtool.core.review.model import ParagraphStatus
from reviewtool.tui.view import FOCUS_MARK, Item, code_style


def render_paragraph(text: str, p: Paragraph, items: list[Item], focused: str | None,
                     status: ParagraphStatus) -> Text:
    """Rich text of ``text[p.start:p.end]`` with the items styled; offsets stay exact."""
    body = reflow(text[p.start:p.end])
    out = Text(body)
    if p.marking_start is not None and p.marking_end is not None:
        out.stylize("bold", p.marking_start - p.start, p.marking_end - p.start)
    if status == ParagraphStatus.WITHHELD:
        out.stylize("dim strike", p.text_start - p.start, len(body))
    for it in items:  # focused last so it wins where spans overlap
        if it.id == focused:
            continue
        out.stylize(_with_click(code_style(it.codes, it.state, False), it.id),
                    it.start - p.start, it.end - p.start)
    target = next((it for it in items if it.id == focused), None)
    if target is None:
        return out
    a, b = target.start - p.start, target.end - p.start
    out.stylize(_with_click(code_style(target.codes, target.state, True), target.id), a, b)
    # Outline the focused span with brackets (display only: offsets above are exact).
    return Text.assemble(out[:a], ("⟦", FOCUS_MARK), out[a:b], ("⟧", FOCUS_MARK), out[b:])


# A hard line break inside running prose (cables wrap at 60-70 columns, database rows
# end lines in "\\"): shown as spaces so the terminal wraps the paragraph to its width.
# Lists, sub-paragraphs and short lines keep their breaks.
_SOFT_BREAK = re.compile(
    r"(?<=[^\n]{40})[ \t]*\\?[ \t]*\n"
    r"(?![ \t]*(?:[A-Za-z]\.|\(?[a-z0-9]{1,3}\)|-|\*|•|\d{1,3}\.)\s)"
    r"(?=[ \t]*[A-Za-z0-9\"'(“])")


def reflow(body: str) -> str:
    """``body`` with soft line breaks replaced by spaces of the same length: display
    only, and every offset into it is still the offset into the cable."""
    return _SOFT_BREAK.sub(lambda m: " " * len(m.group()), body)


def _with_click(style: Style, target: str) -> Style:
    return style + Style(meta={"@click": f"screen.focus_item({target!r})"})


def line_of(text: str, offset: int, width: int) -> int:
    """The wrapped line (0-based) holding ``offset`` of ``text`` at ``width`` columns:
    close enough to scroll the focused span into view without laying the text out."""
    width = max(width, 10)
    line = 0
    pos = 0
    for hard in text.split("\n"):
        end = pos + len(hard)
        if offset <= end:
            return line + (offset - pos) // width
        line += max(1, -(-len(hard) // width))
        pos = end + 1
    return line


class ParagraphText(VerticalScroll):
    """Scrollable view of one paragraph."""

    can_focus = False

    def compose(self) -> ComposeResult:
        yield Static(id="paragraph-body")

    def show(self, text: str, p: Paragraph, items: list[Item], focused: str | None,
             status: ParagraphStatus, banner: Text | None = None) -> None:
        rendered = render_paragraph(text, p, items, focused, status)
        if banner is not None:
            rendered = Text.assemble(banner, "\n", rendered)
        self.query_one("#paragraph-body", Static).update(rendered)
        target = next((it for it in items if it.id == focused), None)
        offset = None if target is None else target.start - p.start
        lead = 1 if banner is not None else 0
        # After the refresh, when the width is known (it is not on the first show).
        self.call_after_refresh(self._reveal, reflow(text[p.start:p.end]), offset, lead)

    def _reveal(self, body: str, offset: int | None, lead: int) -> None:
        if offset is None:
            self.scroll_home(animate=False)
            return
        width = max(self.scrollable_content_region.width, 10)
        line = line_of(body, offset, width) + lead
        height = max(self.scrollable_content_region.height, 1)
        if not (self.scroll_y <= line < self.scroll_y + height):
            self.scroll_to(y=max(0, line - height // 3), animate=False)
