"""What the review screen holds and shows: the review, the walk through its paragraphs,
the paragraph and the span in focus; the layout, and redrawing after every change.

`ReviewDisplay` is the base of `ReviewScreen`: the decision and navigation actions
(`review_decisions`, `review_navigation`) change the review or the position, then call
`_enter_paragraph` (another paragraph) or `_refresh` (the state after a decision) to
redraw. Focus rules are in `tui.focus`, the lines of text in `tui.review_text`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Static

from reviewtool.core.cable.declass import DeclassStatus, declassification_status
from reviewtool.core.cable.model import Cable
from reviewtool.core.review.model import ParagraphStatus
from reviewtool.core.suggest.model import Suggestion
from reviewtool.tui import review_text
from reviewtool.tui.focus import focus_after_decision, focus_on_entering
from reviewtool.tui.order import WalkOrder, walk
from reviewtool.tui.view import (
    Item,
    RowStatus,
    group_by_paragraph,
    paragraph_items,
    paragraph_statuses,
    row_status,
)
from reviewtool.tui.widgets.explanation import ExplanationPanel, explain
from reviewtool.tui.widgets.footer import KeyBar
from reviewtool.tui.widgets.paragraph_list import ParagraphList
from reviewtool.tui.widgets.paragraph_text import ParagraphText

if TYPE_CHECKING:
    from reviewtool.core.review.review import Review
    from reviewtool.tui.session import Workspace


class ReviewDisplay(Screen[None]):
    """One cable's review on screen: its state, and drawing it."""

    review: Review
    cable: Cable
    by_paragraph: dict[int, list[Suggestion]]
    order_mode: WalkOrder
    level: str | None  # the level filter (an `order.FILTERS` value)
    walk: list[int]  # the paragraphs visited, in order
    current: int | None  # the paragraph shown
    focus_id: str | None  # the span in focus
    items: list[Item]  # the current paragraph's spans
    statuses: dict[int, RowStatus]  # every paragraph's row in the list
    status: DeclassStatus  # where the cable stands for declassification

    def __init__(self, workspace: Workspace, review: Review) -> None:
        super().__init__()
        self.workspace = workspace
        self._bind(review)

    def _bind(self, review: Review) -> None:
        """Take ``review`` as the one shown, from its start (or where it stopped)."""
        self.review = review
        self.cable = review.cable
        self.by_paragraph = group_by_paragraph(review.suggestions)
        self.order_mode = WalkOrder.MARKING
        self.level = None
        self.walk = walk(self.cable.paragraphs, self.order_mode, self.level)
        n = len(self.cable.paragraphs)
        # A review just begun starts at the top of the walk; a resumed one where it stopped.
        fresh = not review.events() and review.position == 0
        self.current = min(review.position, n - 1) if n else None
        if fresh and self.walk:
            self.current = self.walk[0]
        self.focus_id = None
        self.items = []
        self.statuses = {}
        self.status = declassification_status(self.cable, on=self.workspace.today())

    def load(self, review: Review) -> None:
        """Show another review on this screen, its widgets updated in place: opening a
        cable then costs no new screen (composing and mounting one is most of the cost)."""
        self._bind(review)
        if self.is_mounted:
            self.query_one(ParagraphList).scroll_to(y=0, animate=False, immediate=True)
            self._fill()

    # ------------------------------------------------------------------ layout

    def compose(self) -> ComposeResult:
        yield Static(id="topbar")
        with Horizontal(id="review-body"):
            yield ParagraphList(id="plist")
            with Vertical(id="review-main"):
                yield ParagraphText(id="ptext")
                yield ExplanationPanel(id="explain")
        yield KeyBar(compact=True)

    def on_mount(self) -> None:
        self._fill()

    def _fill(self) -> None:
        """Draw everything afresh (a review just bound)."""
        self.statuses = paragraph_statuses(self.review)
        if self.current is not None and self.current not in self.walk and self.walk:
            self.current = self.walk[0]
        plist = self.query_one(ParagraphList)
        plist.border_title = review_text.list_title(self.order_mode, self.level)
        plist.fill(self.cable.paragraphs, self.walk, self.statuses, self.current)
        self._enter_paragraph(self.current, keep_focus=False)

    # ------------------------------------------------------------------ redrawing

    def _enter_paragraph(self, index: int | None, *, keep_focus: bool = False,
                         focus: str | None = None) -> None:
        """Show paragraph ``index``, focusing ``focus`` if given (else see
        `focus_on_entering`)."""
        self.current = index
        if index is not None:
            self.review.position = index  # persisted, not audited: resume lands here
        self.query_one(ParagraphList).show(index)
        self.items = (paragraph_items(self.review, self.by_paragraph, index)
                      if index is not None else [])
        self.focus_id = focus_on_entering(self.items, wanted=focus,
                                          kept=self.focus_id if keep_focus else None)
        self._show()

    def _refresh(self, *, everything: bool = False, focus: str | None = None,
                 advance: bool = False) -> None:
        """Re-read the state after a decision: the current paragraph (or every row)."""
        if everything:
            self._refresh_rows()
        if self.current is None:
            self._show()
            return
        self.items = paragraph_items(self.review, self.by_paragraph, self.current)
        self.focus_id = focus_after_decision(self.items, self.focus_id, wanted=focus,
                                             advance=advance)
        self.statuses[self.current] = row_status(self.review, self.by_paragraph, self.current)
        self.query_one(ParagraphList).update_row(self.cable.paragraphs[self.current],
                                                 *self.statuses[self.current])
        self._show()

    def _refresh_rows(self) -> None:
        """Re-read every paragraph's row (a decision that reaches past the paragraph)."""
        self.statuses = paragraph_statuses(self.review)
        plist = self.query_one(ParagraphList)
        for i in plist.order:
            plist.update_row(self.cable.paragraphs[i], *self.statuses[i])

    def _focused(self) -> Item | None:
        return next((it for it in self.items if it.id == self.focus_id), None)

    def _show(self) -> None:
        """Draw the top bar, the current paragraph and the explanation of the focus."""
        self.query_one("#topbar", Static).update(review_text.topbar(
            self.cable, self.status, self.review.progress(), self.statuses, self.order_mode,
            self.level))
        text_view = self.query_one(ParagraphText)
        panel = self.query_one(ExplanationPanel)
        if self.current is None:
            text_view.query_one("#paragraph-body", Static).update(
                review_text.empty_walk(self.level))
            panel.update("")
            return
        p = self.cable.paragraphs[self.current]
        status = self.statuses.get(self.current, (ParagraphStatus.TO_REVIEW, 0))[0]
        text_view.border_title = review_text.title(p, status)
        text_view.border_subtitle = ("l/h next/prev suggestion" if self.items
                                     else "m mark text to redact")
        panel.border_title = "why" if self.items else "paragraph"
        text_view.show(self.cable.text, p, self.items, self.focus_id, status,
                       banner=review_text.banner(p, status))
        item = self._focused()
        pos = (self.items.index(item) + 1, len(self.items)) if item else (0, 0)
        line = review_text.paragraph_line(self.review.disposition_record(self.current), status)
        panel.update(explain(item, pos, line, self.cable))
