"""The review screen's decisions: accept, reject, mark text, codes, notes, a paragraph's
disposition, undo and redo.

Every decision is one `Review` method call (so it is in the store and the audit log at
once), run through `DecisionActions._do`: a refused one is shown, never raised. Then the
screen redraws what the decision changed (`ReviewDisplay._refresh`).
"""

from __future__ import annotations

from collections.abc import Callable
from enum import Enum
from typing import TYPE_CHECKING, Final, Literal, ParamSpec, TypeVar

from reviewtool.core.cable.codes import normalize_code, sort_codes
from reviewtool.core.cable.markings import Level
from reviewtool.core.review.model import Ruling
from reviewtool.core.suggest.model import Suggestion
from reviewtool.errors import ReviewToolError
from reviewtool.tui.focus import paragraph_of
from reviewtool.tui.screens.codes import CodePicker
from reviewtool.tui.screens.mark import MarkScreen
from reviewtool.tui.screens.note import NotePrompt
from reviewtool.tui.screens.review_display import ReviewDisplay
from reviewtool.tui.view import Item, ItemState, paragraph_items

if TYPE_CHECKING:
    from reviewtool.core.review.review import Review

P = ParamSpec("P")
T = TypeVar("T")


class Refused(Enum):
    """What `DecisionActions._do` returns when the review refused the action."""

    FAILED = "failed"


FAILED: Final = Refused.FAILED
Failed = Literal[Refused.FAILED]

Codes = tuple[str, ...]


def default_codes(review: Review, by_paragraph: dict[int, list[Suggestion]],
                  index: int) -> Codes:
    """Codes proposed when withholding a paragraph: those of its spans not rejected; for
    a classified paragraph without any, (b)(1) and the Classified By reasons."""
    found: dict[str, None] = {}
    for it in paragraph_items(review, by_paragraph, index):
        if it.state != ItemState.REJECTED:
            found.update(dict.fromkeys(it.codes))
    cable = review.cable
    p = cable.paragraphs[index]
    if not found and p.marking is not None and p.marking.level > Level.U:
        found["(b)(1)"] = None
        if cable.classified_by:
            for r in cable.classified_by.reasons:
                try:
                    found[normalize_code(r)] = None
                except ValueError:
                    pass
    return sort_codes(found)


class DecisionActions(ReviewDisplay):
    """The keys that decide: suggestions and spans, paragraphs, history."""

    # ------------------------------------------------------------------ helpers

    def _do(self, fn: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> T | Failed:
        """Run one review method; a refused action is shown, never raised."""
        try:
            return fn(*args, **kwargs)
        except ReviewToolError as exc:
            self.notify(str(exc), title="Not done", severity="error", timeout=8)
            return FAILED

    def _need_item(self, *, manual: bool = True) -> Item | None:
        """The focused span (a suggestion, or with ``manual`` a manual redaction too);
        else a warning and None."""
        item = self._focused()
        if item is None:
            self.notify("No suggestion here: m marks text, w withholds, f releases.",
                        severity="warning")
            return None
        if item.suggestion is None and not manual:
            self.notify(f"{item.id} is a manual redaction: x removes it, c changes its codes.",
                        severity="warning")
            return None
        return item

    # ------------------------------------------------------------------ suggestions, spans

    def action_accept(self) -> None:
        item = self._need_item(manual=False)
        if item and self._do(self.review.accept, item.id) is not FAILED:
            self._refresh(advance=True)

    def action_reject(self) -> None:
        item = self._need_item()
        if item is None:
            return
        if item.suggestion is None:
            self._do(self.review.remove_manual, item.id)
            self._refresh()
        elif self._do(self.review.reject, item.id) is not FAILED:
            self._refresh(advance=True)

    def action_accept_paragraph(self) -> None:
        pending = [it for it in self.items if it.state == ItemState.PENDING]
        if not pending:
            self.notify("Nothing pending in this paragraph.", timeout=3)
            return
        for it in pending:
            if self._do(self.review.accept, it.id) is FAILED:
                break
        self._refresh()

    def action_accept_everywhere(self) -> None:
        item = self._need_item(manual=False)
        if item is None:
            return
        ids = self._do(self.review.accept_everywhere, item.id)
        if ids is not FAILED:
            self.notify(f"Withheld “{' '.join(item.text.split())}” at {len(ids)} place(s).",
                        timeout=4)
            self._refresh(everything=True, advance=True)

    def action_mark(self) -> None:
        """Select text in the paragraph (the mark screen), then its codes (the picker)."""
        if self.current is None:
            return
        p = self.cable.paragraphs[self.current]
        item = self._focused()
        cursor = item.start if item else None

        def picked_span(span: tuple[int, int] | None) -> None:
            if span is None:
                return
            words = " ".join(self.cable.text[span[0]:span[1]].split())
            self.app.push_screen(CodePicker(f"Codes for “{words[:50]}”"),
                                 lambda codes: self._add_manual(span, codes))

        self.app.push_screen(MarkScreen(self.cable.text, p, cursor), picked_span)

    def _add_manual(self, span: tuple[int, int], codes: Codes | None) -> None:
        if not codes:
            return
        mid = self._do(self.review.add_manual, span[0], span[1], codes)
        if mid is not FAILED:
            self._refresh(focus=mid)

    def action_codes(self) -> None:
        """New codes for the focused span (accepting a pending suggestion with them), or,
        with no span in focus, for the withheld paragraph."""
        item = self._focused()
        record = (self.review.disposition_record(self.current)
                  if item is None and self.current is not None else None)
        if item is not None:
            target, initial = item.id, item.codes
        elif record is not None and record.disposition == Ruling.WITHHOLD:
            target, initial = f"p{record.paragraph}", record.codes
        else:
            self._need_item()
            return

        def chosen(codes: Codes | None) -> None:
            if not codes:
                return
            if item is not None and item.state == ItemState.PENDING:
                # Choosing codes for a pending suggestion is accepting it with them.
                self._do(self.review.accept, item.id, codes=codes)
            else:
                self._do(self.review.set_codes, target, codes)
            self._refresh(everything=target.startswith("p"))

        self.app.push_screen(CodePicker(f"Codes for {target}", initial), chosen)

    def action_note(self) -> None:
        item = self._focused()
        if item is None:
            self.action_paragraph_note()
            return
        current = (item.decision.note if item.decision is not None else None) or ""

        def noted(note: str | None) -> None:
            if note is not None:
                self._do(self.review.set_note, item.id, note)
                self._refresh()

        self.app.push_screen(NotePrompt(f"Note on {item.id} “{item.text[:40]}”", current),
                             noted)

    # ------------------------------------------------------------------ paragraphs

    def action_paragraph_note(self) -> None:
        if self.current is None:
            return
        if self.review.disposition(self.current) is None:
            self.notify("Decide the paragraph first (w, f or i), then add its note.",
                        severity="warning")
            return
        target = f"p{self.current}"

        def noted(note: str | None) -> None:
            if note is not None:
                self._do(self.review.set_note, target, note)
                self._refresh()

        self.app.push_screen(NotePrompt(f"Note on {self.cable.paragraphs[self.current].label}"),
                             noted)

    def action_withhold(self) -> None:
        if self.current is None:
            return
        index = self.current
        label = self.cable.paragraphs[index].label

        def chosen(codes: Codes | None) -> None:
            if codes and self._do(self.review.dispose, index, Ruling.WITHHOLD, codes) is not FAILED:
                self._refresh()

        self.app.push_screen(CodePicker(f"Withhold {label} in full: codes",
                                        default_codes(self.review, self.by_paragraph,
                                                      index)), chosen)

    def _dispose(self, disposition: str | None) -> None:
        if self.current is None:
            return
        if self._do(self.review.dispose, self.current, disposition) is not FAILED:
            self._refresh()

    def action_release(self) -> None:
        self._dispose(Ruling.RELEASE)

    def action_part(self) -> None:
        self._dispose(Ruling.PART)

    def action_clear_disposition(self) -> None:
        self._dispose(None)

    # ------------------------------------------------------------------ history

    def _history(self, fn: Callable[[], bool], word: str) -> None:
        """Undo or redo (``fn``), then show where it happened and what it was."""
        done = self._do(fn)
        if done is FAILED:
            return
        if not done:
            self.notify(f"Nothing to {word}.", timeout=3)
            return
        events = self.review.events()
        target = events[-1].target if events else None
        index = paragraph_of(self.review, target)
        self._refresh_rows()
        if index is not None and index in self.walk and index != self.current:
            self._enter_paragraph(index, focus=target)
        else:
            self._refresh(focus=target)
        ref = events[-1].ref if events else None
        what = next((e.action for e in events if e.seq == ref), "")
        where = self.cable.paragraphs[index].label if index is not None else ""
        self.notify(f"{word.capitalize()}: {what.replace('_', ' ')} {target or ''} {where}",
                    timeout=3)

    def action_undo(self) -> None:
        self._history(self.review.undo, "undo")

    def action_redo(self) -> None:
        self._history(self.review.redo, "redo")
