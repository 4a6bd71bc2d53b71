"""The review screen: walk a cable's paragraphs by marking, decide each suggestion and
each paragraph. Every decision is a `Review` method call (so it is in the store and the
audit log at once); this screen only chooses what to show next.

The screen is its keys, in the order the key bar and the help show them. What they do is
in two parts: `DecisionActions` (review_decisions: accept, reject, mark, codes, notes,
dispositions, undo) and `NavigationActions` (review_navigation: paragraphs, spans, order,
filter, the other screens); both build on `ReviewDisplay` (review_display: the state
shown and the drawing), with the focus rules in `tui.focus` and the lines of text in
`tui.review_text`.
"""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType

from reviewtool.tui.screens.review_decisions import DecisionActions
from reviewtool.tui.screens.review_navigation import NavigationActions


class ReviewScreen(DecisionActions, NavigationActions):
    """One cable's review."""

    BINDINGS: ClassVar[list[BindingType]] = [
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
