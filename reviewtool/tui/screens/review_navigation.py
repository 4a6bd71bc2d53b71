"""The review screen's moves: through the walk of paragraphs, round the spans of one,
the walk's order and level filter, and the other screens one key away (the header, the
release copy of the paragraph, finishing, back to the queue). Nothing here decides.
"""

from __future__ import annotations

from reviewtool.tui import review_text
from reviewtool.tui.focus import step_focus
from reviewtool.tui.messages import ParagraphChosen
from reviewtool.tui.order import FILTERS, WalkOrder, walk
from reviewtool.tui.screens.review_display import ReviewDisplay
from reviewtool.tui.widgets.paragraph_list import ParagraphList


class NavigationActions(ReviewDisplay):
    """The keys that move: paragraphs, spans, order, filter, other screens."""

    # ------------------------------------------------------------------ paragraphs

    def _goto(self, step: int) -> None:
        """``step`` paragraphs on in the walk (a note at either end)."""
        if not self.walk:
            return
        if self.current not in self.walk:
            self._enter_paragraph(self.walk[0])
            return
        pos = self.walk.index(self.current) + step
        if not 0 <= pos < len(self.walk):
            self.notify("Last paragraph: F finishes the review." if step > 0
                        else "First paragraph.", timeout=3)
            return
        self._enter_paragraph(self.walk[pos])

    def action_next_paragraph(self) -> None:
        self._goto(1)

    def action_previous_paragraph(self) -> None:
        self._goto(-1)

    def on_paragraph_chosen(self, message: ParagraphChosen) -> None:
        self._enter_paragraph(message.index)

    # ------------------------------------------------------------------ spans

    def _step_item(self, step: int) -> None:
        if not self.items:
            return
        self.focus_id = step_focus(self.items, self.focus_id, step)
        self._show()

    def action_next_item(self) -> None:
        self._step_item(1)

    def action_previous_item(self) -> None:
        self._step_item(-1)

    def action_focus_item(self, target: str) -> None:
        """Focus a span (a click on it in the text)."""
        if any(it.id == target for it in self.items):
            self.focus_id = target
            self._show()

    # ------------------------------------------------------------------ order, filter

    def _rewalk(self) -> None:
        """Walk again after the order or the filter changed, staying where we were if
        the paragraph is still in the walk."""
        self.walk = walk(self.cable.paragraphs, self.order_mode, self.level)
        self.query_one(ParagraphList).border_title = review_text.list_title(self.order_mode,
                                                                            self.level)
        if self.current not in self.walk:
            self.current = self.walk[0] if self.walk else None
        self.query_one(ParagraphList).fill(self.cable.paragraphs, self.walk, self.statuses,
                                           self.current)
        self._enter_paragraph(self.current, keep_focus=True)

    def action_toggle_order(self) -> None:
        marking = self.order_mode == WalkOrder.MARKING
        self.order_mode = WalkOrder.DOCUMENT if marking else WalkOrder.MARKING
        self._rewalk()
        self.notify(f"Order: {'document' if marking else 'by marking'}", timeout=2)

    def action_cycle_filter(self) -> None:
        present = {None} | {"unmarked" if (p.marking is None or p.unmarked)
                            else p.marking.level.name for p in self.cable.paragraphs}
        choices = [f for f in FILTERS if f in present]
        self.level = choices[(choices.index(self.level) + 1) % len(choices)]
        self._rewalk()
        self.notify(f"Showing {'every level' if self.level is None else self.level + ' only'}",
                    timeout=2)

    # ------------------------------------------------------------------ other screens

    def action_header(self) -> None:
        from reviewtool.tui.screens.header import HeaderScreen

        self.app.push_screen(HeaderScreen(self.cable, self.status))

    def action_preview(self) -> None:
        from reviewtool.tui.screens.header import PreviewScreen

        if self.current is not None:
            self.app.push_screen(PreviewScreen(self.review, self.current, self.workspace))

    def action_finish(self) -> None:
        from reviewtool.tui.screens.finish import FinishScreen

        self.app.push_screen(FinishScreen(self.workspace, self.review))

    def action_back(self) -> None:
        if self.workspace.folder:
            self.dismiss()
