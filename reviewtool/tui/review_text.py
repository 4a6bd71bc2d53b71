"""The review screen's lines of text, as Rich `Text`: the top bar, the banner over a
paragraph, the line about a paragraph's disposition, and what an empty walk says.

Pure functions of what they are given (no widget, no review method that changes
anything), so the screen only puts them where they go.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from rich.text import Text

from reviewtool.core.cable.declass import DeclassStatus
from reviewtool.core.cable.model import Cable, Paragraph
from reviewtool.core.review.model import ParagraphStatus
from reviewtool.tui.order import WalkOrder

if TYPE_CHECKING:
    from reviewtool.core.review.model import Disposition
    from reviewtool.tui.view import RowStatus


def topbar(cable: Cable, status: DeclassStatus, progress: tuple[int, int],
           rows: Mapping[int, RowStatus], order_mode: WalkOrder, level: str | None) -> Text:
    """Cable, classification, suggestions decided, paragraphs reviewed, DECL and its
    status, the 25-year date, the walk order and the level filter."""
    t = Text(no_wrap=True, overflow="ellipsis")
    t.append(f" {cable.id or cable.source} ", "bold reverse")
    t.append(f" {cable.classification.banner()} ", "bold")
    decided, total = progress
    reviewed = sum(1 for s, _ in rows.values() if s != ParagraphStatus.TO_REVIEW)
    t.append(f" {decided}/{total} decided ", "bold")
    t.append(f" ¶ {reviewed}/{len(cable.paragraphs)} ")
    decl = (status.date.strftime("%m/%d/%Y") if status.date
            else (cable.decl.text if cable.decl else "-"))
    t.append(f" DECL {decl} ({status.status}) ")
    if status.automatic:
        t.append(f" 25-yr {status.automatic.isoformat()} ")
    order = "by marking" if order_mode == WalkOrder.MARKING else "document order"
    t.append(f" {order}", "dim")
    if level:
        t.append(f" · level {level} only", "bold")
    return t


def banner(p: Paragraph, status: ParagraphStatus) -> Text | None:
    """What to heed before reading the paragraph: no marking, an inherited marking, or
    withheld in full; None when there is nothing."""
    bits = Text()
    if p.unmarked:
        bits.append(" ⚑ UNMARKED: no portion marking in a classified cable; decide its "
                    "level before release ", "bold white on #8a2be2")
    elif p.inherited:
        mark = p.marking.format() if p.marking else "?"
        bits.append(f" ↳ unnumbered: inherits ({mark}) from the paragraph before ",
                    "italic reverse")
    if status == ParagraphStatus.WITHHELD:
        if bits:
            bits.append(" ")
        bits.append(" ■ WITHHELD IN FULL ", "bold white on #c03030")
    return bits or None


def paragraph_line(record: Disposition | None, status: ParagraphStatus) -> str | None:
    """``paragraph: withheld ((b)(1) 1.4(d)) by NAME`` once the paragraph is decided."""
    if record is None:
        return None
    codes = f" ({' '.join(record.codes)})" if record.codes else ""
    return f"paragraph: {status}{codes} by {record.reviewer}"


def empty_walk(level: str | None) -> str:
    """What the paragraph view says when the walk (at this level filter) is empty."""
    return ("No paragraphs to show" + (f" at level {level}" if level else "")
            + ". v changes the level filter; d shows the cable header.")


def title(p: Paragraph, status: ParagraphStatus) -> str:
    """The paragraph view's title: label, marking, status."""
    mark = p.marking.format() if p.marking else "unmarked"
    return f"{p.label} ({mark}) · {status}"


def list_title(order_mode: WalkOrder, level: str | None) -> str:
    """The paragraph list's title: the walk order, and the level filter if any."""
    return (("¶ by marking" if order_mode == WalkOrder.MARKING else "¶ in order")
            + (f" · {level}" if level else ""))
