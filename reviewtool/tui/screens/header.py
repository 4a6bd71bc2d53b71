"""The cable header one key away (classification, Classified By, reasons, DECL line and
status, TAGS, SUBJECT, REF, the header as written) and the live release copy of the
current paragraph."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from reviewtool.core.cable.declass import DeclassState, DeclassStatus
from reviewtool.core.cable.model import Cable, SegmentKind
from reviewtool.errors import ReviewToolError

if TYPE_CHECKING:
    from reviewtool.core.review.review import Review
    from reviewtool.tui.session import Workspace


def header_text(cable: Cable, status: DeclassStatus) -> Text:
    """The header fields a reviewer checks before deciding, then the header as written."""
    t = Text()

    def row(name: str, value: str | None, style: str = "") -> None:
        t.append(f"{name:<15}", "bold")
        t.append((value or "-") + "\n", style)

    row("Cable", cable.id or cable.source)
    row("Classification", cable.classification.banner(), "bold")
    row("Origin", cable.origin)
    row("Created", cable.created.isoformat(sep=" ") if cable.created else None)
    row("Subject", cable.subject.value if cable.subject else None)
    row("Tags", " ".join(cable.tags) or None)
    row("Ref", "; ".join(cable.refs) or None)
    cb = cable.classified_by
    row("Classified By", cb.text if cb else None)
    if cb:
        row("  name, title", f"{cb.name or '?'}, {cb.title or '?'}")
        row("  reasons", ", ".join(cb.reasons) + (f"  (as written: {cb.reasons_text})"
                                                   if cb.reasons_text else ""))
    row("E.O. line", f"{cable.decl.order}: {cable.decl.text}" if cable.decl else None)
    row("Status", f"{status.status}: {status.detail}",
        "bold red" if status.status in (DeclassState.SCHEDULED, DeclassState.EXEMPT) else "bold")
    row("25-year date", (status.automatic.isoformat() + (" (passed)" if status.automatic_passed
                                                         else "")) if status.automatic else None)
    if cable.entire_text:
        row("Entire text", cable.entire_text.format())
    t.append("\nAs written\n", "bold underline")
    start = next((s.start for s in cable.segments if s.kind == SegmentKind.HEADER), 0)
    t.append(cable.text[start:cable.header_end].rstrip() + "\n", "dim")
    return t


class HeaderScreen(ModalScreen[None]):
    """The cable header; any of escape, d or q closes it."""

    BINDINGS = [Binding("escape,d,q", "close", "close", id="header.close")]

    def __init__(self, cable: Cable, status: DeclassStatus) -> None:
        super().__init__()
        self.cable = cable
        self.status = status

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog wide"):
            yield Static("Cable header", classes="dialog-title")
            yield Static(header_text(self.cable, self.status))
            yield Static("esc / d close", classes="dialog-hint")

    def action_close(self) -> None:
        self.dismiss(None)


def paragraph_release(review: Review, index: int, on: date | None = None) -> tuple[Text, str]:
    """The release copy of paragraph ``index`` exactly as the release writer renders it
    (its span mapped through the marks), and the stamp."""
    from reviewtool.core.release.render import render_release
    from reviewtool.core.review.outcome import release_input

    release = render_release(release_input(review, on=on))
    p = review.cable.paragraphs[index]

    def where(offset: int) -> int:  # original offset -> offset in the release copy
        shift = 0
        for m in release.marks:
            if m.end <= offset:
                shift += len(m.mark) - (m.end - m.start)
            elif m.start < offset:  # inside a mark: its start
                return release.body_offset + m.start + shift
        return release.body_offset + offset + shift

    return Text(release.text[where(p.start):where(p.end)].rstrip()), release.stamp


class PreviewScreen(ModalScreen[None]):
    """The live release copy of the current paragraph."""

    BINDINGS = [Binding("escape,r,q", "close", "close", id="preview.close")]

    def __init__(self, review: Review, index: int, workspace: Workspace) -> None:
        super().__init__()
        self.review = review
        self.index = index
        self.workspace = workspace

    def compose(self) -> ComposeResult:
        label = self.review.cable.paragraphs[self.index].label
        with VerticalScroll(classes="dialog wide"):
            yield Static(f"Release copy of {label}, as it stands", classes="dialog-title")
            yield Static(id="preview-body")
            yield Static("esc / r close", classes="dialog-hint")

    def on_mount(self) -> None:
        body = self.query_one("#preview-body", Static)
        try:
            text, stamp = paragraph_release(self.review, self.index, self.workspace.today())
        except ReviewToolError as exc:
            body.update(Text(f"The release copy cannot be rendered: {exc}", "bold red"))
            return
        out = Text(stamp + "\n\n", "bold")
        out.append_text(text)
        body.update(out)

    def action_close(self) -> None:
        self.dismiss(None)
