"""The finish screen: what the review decided (dispositions, codes, what is still
pending), then, on enter, the release copy, audit log and report written by
`core.finish.finish_review`, with the leak check's result. A leak check that refuses to
write is shown with the leaks and what to do; nothing is lost, the review stays open.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static

from reviewtool.core.cable.codes import sort_codes
from reviewtool.core.review.model import ParagraphStatus
from reviewtool.errors import LeakError, ReviewToolError

if TYPE_CHECKING:  # the finishing core is imported when the reviewer writes
    from reviewtool.core.finish import FinishResult
    from reviewtool.core.review.review import Review
    from reviewtool.tui.session import Workspace


def summary_text(review: Review) -> Text:
    """Dispositions, codes used and pending items of ``review``, before writing."""
    cable = review.cable
    t = Text()
    t.append(f"{cable.id}  {cable.classification.banner()}\n", "bold")
    statuses = Counter(review.paragraph_status(p.index) for p in cable.paragraphs)
    t.append("\nParagraphs   ", "bold")
    t.append("  ".join(f"{statuses.get(s, 0)} {s}" for s in
                       (ParagraphStatus.RELEASED, ParagraphStatus.IN_PART,
                                 ParagraphStatus.WITHHELD, ParagraphStatus.TO_REVIEW)) + "\n")
    redactions = review.redactions()
    kinds = Counter(r.kind for r in redactions)
    decided, total = review.progress()
    t.append("Suggestions  ", "bold")
    t.append(f"{decided} of {total} decided; withheld spans: "
             + ", ".join(f"{n} {k}" for k, n in sorted(kinds.items())) + "\n"
             if kinds else f"{decided} of {total} decided; nothing withheld\n")
    codes = sort_codes({c for r in redactions for c in r.codes})
    t.append("Codes used   ", "bold")
    t.append((" ".join(codes) or "none (release in full)") + "\n")
    pending = review.pending()
    if pending:
        t.append(f"\n{len(pending)} suggestion(s) still pending; they will not be withheld:\n",
                 "bold #e08000")
        for s in pending[:12]:
            label = cable.paragraphs[s.paragraph].label if s.paragraph is not None else "hdr"
            t.append(f"  {label:<6}{s.id:<12} “{' '.join(s.text.split())[:50]}”  "
                     f"{' '.join(s.codes)}\n")
        if len(pending) > 12:
            t.append(f"  … and {len(pending) - 12} more\n")
    unreviewed = [p.label for p in cable.paragraphs
                  if review.paragraph_status(p.index) == ParagraphStatus.TO_REVIEW]
    if unreviewed:
        t.append(f"Paragraphs to review: {', '.join(unreviewed)}\n", "#e08000")
    return t


class FinishScreen(Screen[None]):
    """Summary, then write the release copy, the audit log and the report."""

    BINDINGS = [
        Binding("enter", "write", "write release", id="finish.write", priority=True,
                tooltip="Leak check, then write the release copy, audit log and report"),
        Binding("exclamation_mark", "write(True)", "finish anyway", id="finish.force",
                tooltip="Write even though suggestions are pending (they are released)"),
        Binding("escape", "back", "back to review", id="finish.back",
                tooltip="Back to the review; nothing is lost"),
    ]

    def __init__(self, workspace: Workspace, review: Review) -> None:
        super().__init__()
        self.workspace = workspace
        self.review = review
        self.written: FinishResult | None = None

    @property
    def out_dir(self) -> Path:
        """Where the release copy, audit log and report go: ``<review dir>/out``."""
        return Path(self.workspace.review_dir) / "out"

    def compose(self) -> ComposeResult:
        yield Static(Text(" Finish the review ", "bold reverse"), id="topbar")
        with VerticalScroll(id="finish-body"):
            yield Static(id="finish-summary")
            yield Static(id="finish-result")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#finish-summary", Static).update(summary_text(self.review))
        hint = (f"\nenter writes the release copy, the audit log and the report to "
                f"{self.out_dir}/ (after the leak check); esc goes back to the review.")
        if self.review.pending():
            hint += ("\nSuggestions are still pending: go back and decide them, or press ! "
                     "to finish anyway (pending suggestions are then released, not withheld).")
        self.query_one("#finish-result", Static).update(Text(hint, "italic"))

    def action_write(self, allow_pending: bool = False) -> None:
        from reviewtool.core.finish import finish_review

        result = self.query_one("#finish-result", Static)
        try:
            self.written = finish_review(self.review, self.out_dir, on=self.workspace.today(),
                                         allow_pending=allow_pending)
        except LeakError as exc:
            t = Text.assemble(("\nThe leak check refused to write the release copy:\n", "bold red"))
            t.append(str(exc) + "\n")
            t.append("Redacted text still shows elsewhere in the release (a header line, the "
                     "subject, a repeated block). Go back (esc), withhold it there too (m "
                     "marks text, e withholds the same text everywhere), then finish again. "
                     "No decision was lost.", "italic")
            result.update(t)
            return
        except ReviewToolError as exc:
            t = Text.assemble((f"\nNot written: {exc}\n", "bold red"))
            t.append("No decision was lost. esc goes back to the review"
                     + ("; ! finishes anyway, releasing what is pending." if
                        self.review.pending() else "."), "italic")
            result.update(t)
            return
        self.query_one("#finish-summary", Static).update(summary_text(self.review))
        result.update(result_text(self.written))

    def action_back(self) -> None:
        self.dismiss()


def result_text(res: FinishResult) -> Text:
    """Where the files went and what the leak check found."""
    t = Text.assemble(("\nWritten\n", "bold underline"))
    for label, path in (("release copy", res.release_path), ("audit log", res.audit_path),
                        ("report", res.report_path)):
        t.append(f"  {label:<13}", "bold")
        t.append(f"{path or '-'}\n")
    t.append("  leak check   ", "bold")
    t.append("passed: no withheld text appears in the release copy\n", "bold green")
    if res.summary:
        t.append(f"\n{res.summary}\n", "bold")
    t.append("\nesc back to the review · q quit", "italic")
    return t
