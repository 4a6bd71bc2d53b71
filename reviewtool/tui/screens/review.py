"""The review screen: walk a cable's paragraphs by marking, decide each suggestion and
each paragraph. Every decision is a `Review` method call (so it is in the store and the
audit log at once); this screen only chooses what to show next.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Static

from reviewtool.core.cable.codes import normalize_code, sort_codes
from reviewtool.core.cable.declass import declassification_status
from reviewtool.core.cable.markings import Level
from reviewtool.errors import ReviewToolError
from reviewtool.tui.messages import ParagraphChosen
from reviewtool.tui.order import FILTERS, walk
from reviewtool.tui.screens.codes import CodePicker
from reviewtool.tui.screens.mark import MarkScreen
from reviewtool.tui.screens.note import NotePrompt
from reviewtool.tui.view import Item, group_by_paragraph, paragraph_items
from reviewtool.tui.widgets.explanation import ExplanationPanel, explain
from reviewtool.tui.widgets.footer import KeyBar
from reviewtool.tui.widgets.paragraph_list import ParagraphList
from reviewtool.tui.widgets.paragraph_text import ParagraphText

FAILED = object()  # what `_do` returns when the review refused the action


class ReviewScreen(Screen):
    """One cable's review."""

    BINDINGS = [
        Binding("a", "accept", "accept", id="review.accept",
                tooltip="Accept the focused suggestion: withhold it with its codes"),
        Binding("x", "reject", "reject", id="review.reject",
                tooltip="Reject the focused suggestion (release it); removes a manual "
                "redaction"),
        Binding("j,down", "next_paragraph", "next ¶", id="review.next_paragraph",
                tooltip="Next paragraph in the walk (highest marking first)"),
        Binding("k,up", "previous_paragraph", "prev ¶", show=False,
                id="review.previous_paragraph", tooltip="Previous paragraph in the walk"),
        Binding("l,right", "next_item", "next sugg.", show=False, id="review.next_suggestion",
                tooltip="Focus the next suggestion or manual redaction in the paragraph"),
        Binding("h,left", "previous_item", "prev sugg.", show=False,
                id="review.previous_suggestion",
                tooltip="Focus the previous suggestion or manual redaction"),
        Binding("m", "mark", "mark text", id="review.mark",
                tooltip="Select text (keyboard or mouse) and withhold it with codes you pick"),
        Binding("w", "withhold", "withhold ¶", id="review.withhold",
                tooltip="Withhold the whole paragraph (pick its codes)"),
        Binding("f", "release", "release ¶", id="review.release",
                tooltip="Release the paragraph in full (refused while something in it is "
                "withheld)"),
        Binding("e", "accept_everywhere", "everywhere", id="review.accept_everywhere",
                tooltip="Accept the focused text everywhere it occurs in the cable"),
        Binding("A", "accept_paragraph", "accept all", show=False,
                id="review.accept_paragraph",
                tooltip="Accept every pending suggestion in the paragraph"),
        Binding("c", "codes", "codes", show=False, id="review.codes",
                tooltip="Change the codes of the focused span (accepts a pending one), or of "
                "a withheld paragraph"),
        Binding("n", "note", "note", show=False, id="review.note",
                tooltip="Note on the focused decision (the justification a Vaughn index "
                "quotes)"),
        Binding("N", "paragraph_note", "note on ¶", show=False, id="review.paragraph_note",
                tooltip="Note on the paragraph's disposition"),
        Binding("i", "part", "in part", show=False, id="review.part",
                tooltip="Mark the paragraph released in part"),
        Binding("z", "clear_disposition", "clear ¶", show=False,
                id="review.clear_disposition",
                tooltip="Clear the paragraph's disposition (back to its suggestions)"),
        Binding("u", "undo", "undo", id="review.undo", tooltip="Undo the last decision"),
        Binding("U,ctrl+r", "redo", "redo", show=False, id="review.redo",
                tooltip="Redo the last undone decision"),
        Binding("o", "toggle_order", "order", show=False, id="review.toggle_order",
                tooltip="Walk by marking (highest first) or in document order"),
        Binding("v", "cycle_filter", "level", show=False, id="review.filter",
                tooltip="Show one marking level only (cycles TS, S, C, U, unmarked, all)"),
        Binding("d", "header", "header", show=False, id="review.header",
                tooltip="The cable header: classification, Classified By, reasons, DECL "
                "and status"),
        Binding("r", "preview", "release copy", show=False, id="review.preview",
                tooltip="The release copy of this paragraph as it stands"),
        Binding("F", "finish", "finish", id="review.finish",
                tooltip="Summary, leak check, then write release copy, audit log, report"),
        Binding("escape", "back", "queue", show=False, id="review.back",
                tooltip="Back to the queue (when reviewing a folder)"),
    ]

    def __init__(self, workspace: Any, review: Any) -> None:
        super().__init__()
        self.workspace = workspace
        self._bind(review)

    def _bind(self, review: Any) -> None:
        """Take ``review`` as the one shown, from its start (or where it stopped)."""
        self.review = review
        self.cable = review.cable
        self.by_paragraph = group_by_paragraph(review.suggestions)
        self.order_mode = "marking"
        self.level: str | None = None
        self.walk: list[int] = walk(self.cable.paragraphs, self.order_mode, self.level)
        n = len(self.cable.paragraphs)
        # A review just begun starts at the top of the walk; a resumed one where it stopped.
        fresh = not review.events() and review.position == 0
        self.current: int | None = (min(review.position, n - 1) if n else None)
        if fresh and self.walk:
            self.current = self.walk[0]
        self.focus_id: str | None = None
        self.items: list[Item] = []
        self.statuses: dict[int, tuple[str, int]] = {}
        self.status = declassification_status(self.cable, on=self.workspace.today())

    def load(self, review: Any) -> None:
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
        self._compute_statuses()
        if self.current is not None and self.current not in self.walk and self.walk:
            self.current = self.walk[0]
        plist = self.query_one(ParagraphList)
        plist.border_title = "¶ by marking"
        plist.fill(self.cable.paragraphs, self.walk, self.statuses, self.current)
        self._enter_paragraph(self.current, keep_focus=False)

    # ------------------------------------------------------------------ state -> view

    def _compute_statuses(self) -> None:
        pending: dict[int, int] = {}
        for s in self.review.pending():
            if s.paragraph is not None:
                pending[s.paragraph] = pending.get(s.paragraph, 0) + 1
        self.statuses = {p.index: (self.review.paragraph_status(p.index),
                                   pending.get(p.index, 0))
                         for p in self.cable.paragraphs}

    def _row_status(self, index: int) -> tuple[str, int]:
        settled = self.review.disposition(index) in ("withhold", "release")
        pending = 0 if settled else sum(
            1 for s in self.by_paragraph.get(index, ()) if self.review.decision(s.id) is None)
        return self.review.paragraph_status(index), pending

    def _enter_paragraph(self, index: int | None, *, keep_focus: bool = False,
                         focus: str | None = None) -> None:
        self.current = index
        if index is not None:
            self.review.position = index  # persisted, not audited: resume lands here
        self.query_one(ParagraphList).show(index)
        self.items = (paragraph_items(self.review, self.by_paragraph, index)
                      if index is not None else [])
        ids = [it.id for it in self.items]
        if focus in ids:
            self.focus_id = focus
        elif not (keep_focus and self.focus_id in ids):
            first_pending = next((it.id for it in self.items if it.state == "pending"), None)
            self.focus_id = first_pending or (ids[0] if ids else None)
        self._show()

    def _refresh(self, *, everything: bool = False, focus: str | None = None,
                 advance: bool = False) -> None:
        """Re-read the state after a decision: the current paragraph (or every row)."""
        if everything:
            self._compute_statuses()
            plist = self.query_one(ParagraphList)
            for i in plist.order:
                plist.update_row(self.cable.paragraphs[i], *self.statuses[i])
        if self.current is None:
            self._show()
            return
        before = self.focus_id
        self.items = paragraph_items(self.review, self.by_paragraph, self.current)
        ids = [it.id for it in self.items]
        if focus in ids:
            self.focus_id = focus
        elif advance and before in ids:
            pos = ids.index(before)
            later = [it.id for it in self.items[pos + 1:] if it.state == "pending"]
            earlier = [it.id for it in self.items[:pos] if it.state == "pending"]
            self.focus_id = (later or earlier or [before])[0]
        elif before not in ids:
            self.focus_id = ids[0] if ids else None
        self.statuses[self.current] = self._row_status(self.current)
        self.query_one(ParagraphList).update_row(self.cable.paragraphs[self.current],
                                                 *self.statuses[self.current])
        self._show()

    def _focused(self) -> Item | None:
        return next((it for it in self.items if it.id == self.focus_id), None)

    def _show(self) -> None:
        self.query_one("#topbar", Static).update(self._topbar())
        text_view = self.query_one(ParagraphText)
        panel = self.query_one(ExplanationPanel)
        if self.current is None:
            text_view.query_one("#paragraph-body", Static).update(
                "No paragraphs to show" + (f" at level {self.level}" if self.level else "")
                + ". v changes the level filter; d shows the cable header.")
            panel.update("")
            return
        p = self.cable.paragraphs[self.current]
        status = self.statuses.get(self.current, ("to review", 0))[0]
        mark = p.marking.format() if p.marking else "unmarked"
        text_view.border_title = f"{p.label} ({mark}) · {status}"
        text_view.border_subtitle = ("l/h next/prev suggestion" if self.items
                                     else "m mark text to redact")
        panel.border_title = "why" if self.items else "paragraph"
        text_view.show(self.cable.text, p, self.items, self.focus_id, status,
                       banner=self._banner(p, status))
        item = self._focused()
        pos = (self.items.index(item) + 1, len(self.items)) if item else (0, 0)
        rec = self.review.disposition_record(self.current)
        panel.update(explain(item, pos, self._paragraph_line(rec, status), self.cable))

    def _banner(self, p, status: str) -> Text | None:
        bits = Text()
        if p.unmarked:
            bits.append(" ⚑ UNMARKED: no portion marking in a classified cable; decide its "
                        "level before release ", "bold white on #8a2be2")
        elif p.inherited:
            mark = p.marking.format() if p.marking else "?"
            bits.append(f" ↳ unnumbered: inherits ({mark}) from the paragraph before ",
                        "italic reverse")
        if status == "withheld":
            if bits:
                bits.append(" ")
            bits.append(" ■ WITHHELD IN FULL ", "bold white on #c03030")
        return bits or None

    def _paragraph_line(self, rec: Any, status: str) -> str | None:
        if rec is None:
            return None
        codes = f" ({' '.join(rec.codes)})" if rec.codes else ""
        return f"paragraph: {status}{codes} by {rec.reviewer}"

    def _topbar(self) -> Text:
        c = self.cable
        st = self.status
        t = Text(no_wrap=True, overflow="ellipsis")
        t.append(f" {c.id or c.source} ", "bold reverse")
        t.append(f" {c.classification.banner()} ", "bold")
        decided, total = self.review.progress()
        reviewed = sum(1 for s, _ in self.statuses.values() if s != "to review")
        t.append(f" {decided}/{total} decided ", "bold")
        t.append(f" ¶ {reviewed}/{len(self.cable.paragraphs)} ")
        decl = st.date.strftime("%m/%d/%Y") if st.date else (c.decl.text if c.decl else "-")
        t.append(f" DECL {decl} ({st.status}) ")
        if st.automatic:
            t.append(f" 25-yr {st.automatic.isoformat()} ")
        order = "by marking" if self.order_mode == "marking" else "document order"
        t.append(f" {order}", "dim")
        if self.level:
            t.append(f" · level {self.level} only", "bold")
        return t

    # ------------------------------------------------------------------ helpers

    def _do(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """Run one review method; a refused action is shown, never raised."""
        try:
            return fn(*args, **kwargs)
        except ReviewToolError as exc:
            self.notify(str(exc), title="Not done", severity="error", timeout=8)
            return FAILED

    def _need_item(self, kinds: tuple[str, ...] = ("suggestion", "manual")) -> Item | None:
        item = self._focused()
        if item is None:
            self.notify("No suggestion here: m marks text, w withholds, f releases.",
                        severity="warning")
            return None
        kind = "manual" if item.suggestion is None else "suggestion"
        if kind not in kinds:
            self.notify(f"{item.id} is a manual redaction: x removes it, c changes its codes.",
                        severity="warning")
            return None
        return item

    def _default_codes(self, index: int) -> tuple[str, ...]:
        """Codes proposed when withholding a paragraph: those of its suggestions; for a
        classified paragraph without any, (b)(1) and the Classified By reasons."""
        found: dict[str, None] = {}
        for it in paragraph_items(self.review, self.by_paragraph, index):
            if it.state != "rejected":
                found.update(dict.fromkeys(it.codes))
        p = self.cable.paragraphs[index]
        if not found and p.marking is not None and p.marking.level > Level.U:
            found["(b)(1)"] = None
            if self.cable.classified_by:
                for r in self.cable.classified_by.reasons:
                    try:
                        found[normalize_code(r)] = None
                    except ValueError:
                        pass
        return sort_codes(found)

    def _goto(self, step: int) -> None:
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

    def _rewalk(self) -> None:
        self.walk = walk(self.cable.paragraphs, self.order_mode, self.level)
        self.query_one(ParagraphList).border_title = (
            ("¶ by marking" if self.order_mode == "marking" else "¶ in order")
            + (f" · {self.level}" if self.level else ""))
        if self.current not in self.walk:
            self.current = self.walk[0] if self.walk else None
        self.query_one(ParagraphList).fill(self.cable.paragraphs, self.walk, self.statuses,
                                           self.current)
        self._enter_paragraph(self.current, keep_focus=True)

    def _paragraph_of(self, target: str | None) -> int | None:
        if not target:
            return None
        if target.startswith("p") and target[1:].isdigit():
            return int(target[1:])
        s = next((s for s in self.review.suggestions if s.id == target), None)
        if s is not None:
            return s.paragraph
        m = next((m for m in self.review.manuals() if m.id == target), None)
        if m is not None:
            p = self.cable.paragraph_at(m.start)
            return p.index if p else None
        return None

    # ------------------------------------------------------------------ navigation

    def action_next_paragraph(self) -> None:
        self._goto(1)

    def action_previous_paragraph(self) -> None:
        self._goto(-1)

    def _step_item(self, step: int) -> None:
        if not self.items:
            return
        ids = [it.id for it in self.items]
        pos = ids.index(self.focus_id) if self.focus_id in ids else -1
        self.focus_id = ids[(pos + step) % len(ids)]
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

    def on_paragraph_chosen(self, message: ParagraphChosen) -> None:
        self._enter_paragraph(message.index)

    def action_toggle_order(self) -> None:
        self.order_mode = "document" if self.order_mode == "marking" else "marking"
        self._rewalk()
        self.notify(f"Order: {'by marking' if self.order_mode == 'marking' else 'document'}",
                    timeout=2)

    def action_cycle_filter(self) -> None:
        present = {None} | {"unmarked" if (p.marking is None or p.unmarked)
                            else p.marking.level.name for p in self.cable.paragraphs}
        choices = [f for f in FILTERS if f in present]
        self.level = choices[(choices.index(self.level) + 1) % len(choices)]
        self._rewalk()
        self.notify(f"Showing {'every level' if self.level is None else self.level + ' only'}",
                    timeout=2)

    # ------------------------------------------------------------------ decisions

    def action_accept(self) -> None:
        item = self._need_item(("suggestion",))
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
        pending = [it for it in self.items if it.state == "pending"]
        if not pending:
            self.notify("Nothing pending in this paragraph.", timeout=3)
            return
        for it in pending:
            if self._do(self.review.accept, it.id) is FAILED:
                break
        self._refresh()

    def action_accept_everywhere(self) -> None:
        item = self._need_item(("suggestion",))
        if item is None:
            return
        ids = self._do(self.review.accept_everywhere, item.id)
        if ids is not FAILED:
            self.notify(f"Withheld “{' '.join(item.text.split())}” at {len(ids)} place(s).",
                        timeout=4)
            self._refresh(everything=True, advance=True)

    def action_mark(self) -> None:
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

    def _add_manual(self, span: tuple[int, int], codes: tuple[str, ...] | None) -> None:
        if not codes:
            return
        mid = self._do(self.review.add_manual, span[0], span[1], codes)
        if mid is not FAILED:
            self._refresh(focus=mid)

    def action_codes(self) -> None:
        item = self._focused()
        if item is None and self.current is not None and \
                self.review.disposition(self.current) == "withhold":
            target, initial = f"p{self.current}", self.review.disposition_record(
                self.current).codes
        elif item is not None:
            target, initial = item.id, item.codes
        else:
            self._need_item()
            return

        def chosen(codes: tuple[str, ...] | None) -> None:
            if not codes:
                return
            if item is not None and item.state == "pending":
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
        current = getattr(item.decision, "note", None) or ""

        def noted(note: str | None) -> None:
            if note is not None:
                self._do(self.review.set_note, item.id, note)
                self._refresh()

        self.app.push_screen(NotePrompt(f"Note on {item.id} “{item.text[:40]}”", current),
                             noted)

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

        def chosen(codes: tuple[str, ...] | None) -> None:
            if codes and self._do(self.review.dispose, index, "withhold", codes) is not FAILED:
                self._refresh()

        self.app.push_screen(CodePicker(f"Withhold {label} in full: codes",
                                        self._default_codes(index)), chosen)

    def _dispose(self, disposition: str | None) -> None:
        if self.current is None:
            return
        if self._do(self.review.dispose, self.current, disposition) is not FAILED:
            self._refresh()

    def action_release(self) -> None:
        self._dispose("release")

    def action_part(self) -> None:
        self._dispose("part")

    def action_clear_disposition(self) -> None:
        self._dispose(None)

    def _history(self, fn: Callable[[], bool], word: str) -> None:
        done = self._do(fn)
        if done is FAILED:
            return
        if not done:
            self.notify(f"Nothing to {word}.", timeout=3)
            return
        events = self.review.events()
        target = events[-1].target if events else None
        index = self._paragraph_of(target)
        self._compute_statuses()
        plist = self.query_one(ParagraphList)
        for i in plist.order:
            plist.update_row(self.cable.paragraphs[i], *self.statuses[i])
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
