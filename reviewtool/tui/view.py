"""What the review screen shows, read from the review state: view models, no decisions.

`paragraph_items` lists a paragraph's suggestions and manual redactions with their state
(pending, accepted, rejected, manual); `paragraph_statuses` gives each paragraph's row in
the list (its status and how many suggestions are pending in it); `code_style` colours a
code family the same way everywhere (text highlights, badges, the explanation panel).
Nothing here changes the review: decisions go through `Review` methods on the screens.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from rich.style import Style

from reviewtool.core.cable.markings import Level, Marking
from reviewtool.core.review.model import ParagraphStatus, Ruling
from reviewtool.core.suggest.model import Suggestion

if TYPE_CHECKING:
    from reviewtool.core.review.model import Decision
    from reviewtool.core.review.review import Review

# Code families, each with a background that reads in light and dark themes (the text
# on it is always black).
_FAMILIES: tuple[tuple[str, str, str], ...] = (
    # (prefix, family name, background)
    ("(b)(1)", "classified", "#ff9e9e"),
    ("1.4", "classified", "#ff9e9e"),
    ("(b)(6)", "privacy", "#d7b4ff"),
    ("(b)(7)(C)", "privacy", "#d7b4ff"),
    ("(b)(7)", "law enforcement", "#8fe3e3"),
    ("(b)(3)", "statute", "#ffe08a"),
    ("(b)(5)", "deliberative", "#a9c8ff"),
    ("25X", "25-year exemption", "#ffbf80"),
    ("50X", "50-year exemption", "#ffbf80"),
)
_OTHER = "#b5e8a9"
MANUAL_BG = "#e0e0e0"

LEVEL_BADGE = {
    Level.TS: "bold black on #ffaf00",
    Level.S: "bold white on #c00000",
    Level.C: "bold white on #0050c0",
    Level.U: "bold black on #60c060",
}
UNMARKED_BADGE = "bold white on #8a2be2"

STATUS_ICON = {
    ParagraphStatus.TO_REVIEW: ("●", "bold #e08000"),
    ParagraphStatus.RELEASED: ("✓", "bold #30a030"),
    ParagraphStatus.IN_PART: ("◐", "bold #3080e0"),
    ParagraphStatus.WITHHELD: ("■", "bold #c03030"),
}


def code_background(codes: tuple[str, ...] | list[str]) -> str:
    """Background colour of the most specific code's family (a 1.4 reason or a privacy
    exemption says more than a bare (b)(1))."""
    for prefix, _name, bg in _FAMILIES:
        if prefix == "(b)(1)":
            continue
        if any(c.startswith(prefix) for c in codes):
            return bg
    for prefix, _name, bg in _FAMILIES:
        if any(c.startswith(prefix) for c in codes):
            return bg
    return _OTHER


class ItemState(StrEnum):
    """What has become of a span the reviewer can focus: a suggestion pending, accepted
    or rejected, or a manual redaction (withheld by the reviewer)."""

    PENDING = "pending"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    MANUAL = "manual"


def code_style(codes: tuple[str, ...] | list[str], state: ItemState, focused: bool) -> Style:
    """Style of a span in the paragraph text.

    pending: the family colour; accepted and manual: dark box, struck through (it will
    be redacted); rejected: underlined italic text (it stays). The focused span
    is bold and underlined; the text view also brackets it (`FOCUS_MARK`).
    """
    bg = code_background(codes)
    if state == ItemState.PENDING:
        style = Style.parse(f"black on {bg}")
    elif state in (ItemState.ACCEPTED, ItemState.MANUAL):
        box = bg if state == ItemState.ACCEPTED else MANUAL_BG
        style = Style.parse(f"{box} on #303030 strike")
    else:  # rejected: the theme's own text colour, so it reads on light and dark
        style = Style(underline=True, italic=True)
    if focused:
        style += Style(bold=True, underline=True)
    return style


FOCUS_MARK = "bold #ff5f00"  # the brackets around the focused span: visible in both themes


def badge(marking: Marking | None, unmarked: bool) -> tuple[str, str]:
    """(text, style) of a paragraph's marking badge."""
    if marking is None or unmarked:
        return ("  ?  ", UNMARKED_BADGE)
    return (f"{marking.format():^5}", LEVEL_BADGE[marking.level])


@dataclass(frozen=True, slots=True)
class Item:
    """A span the reviewer can focus in a paragraph: a suggestion or a manual redaction.

    ``state``: pending, accepted, rejected (suggestions) or manual. ``suggestion`` is set
    for suggestions; ``decision`` is the review's `Decision` (None while pending).
    """

    id: str
    start: int
    end: int
    text: str
    codes: tuple[str, ...]
    state: ItemState
    suggestion: Suggestion | None
    decision: Decision | None


def paragraph_items(review: Review, by_paragraph: dict[int, list[Suggestion]],
                    index: int) -> list[Item]:
    """The paragraph's suggestions and manual redactions, in text order."""
    paragraph = review.cable.paragraphs[index]
    items: list[Item] = []
    for s in by_paragraph.get(index, ()):
        d = review.decision(s.id)
        if d is None:
            items.append(Item(s.id, s.start, s.end, s.text, s.codes, ItemState.PENDING, s,
                              None))
        else:
            state = ItemState.ACCEPTED if d.accepted else ItemState.REJECTED
            items.append(Item(s.id, s.start, s.end, s.text, d.codes or s.codes, state, s, d))
    for m in review.manuals():
        if paragraph.start <= m.start < paragraph.end:
            items.append(Item(m.id, m.start, m.end, review.cable.text[m.start:m.end],
                              m.codes, ItemState.MANUAL, None, review.decision(m.id)))
    items.sort(key=lambda it: (it.start, it.end, it.id))
    return items


def group_by_paragraph(suggestions: list[Suggestion]) -> dict[int, list[Suggestion]]:
    out: dict[int, list[Suggestion]] = {}
    for s in suggestions:
        if s.paragraph is not None:
            out.setdefault(s.paragraph, []).append(s)
    return out


# A paragraph's row in the list: (status, suggestions pending in it).
RowStatus = tuple[ParagraphStatus, int]


def paragraph_statuses(review: Review) -> dict[int, RowStatus]:
    """Every paragraph's row status (one pass over the pending suggestions)."""
    pending: dict[int, int] = {}
    for s in review.pending():
        if s.paragraph is not None:
            pending[s.paragraph] = pending.get(s.paragraph, 0) + 1
    return {p.index: (review.paragraph_status(p.index), pending.get(p.index, 0))
            for p in review.cable.paragraphs}


def row_status(review: Review, by_paragraph: dict[int, list[Suggestion]],
               index: int) -> RowStatus:
    """One paragraph's row status, after a decision in it (a paragraph withheld or
    released in full settles its suggestions, as `Review.pending` counts them)."""
    settled = review.disposition(index) in (Ruling.WITHHOLD, Ruling.RELEASE)
    pending = 0 if settled else sum(
        1 for s in by_paragraph.get(index, ()) if review.decision(s.id) is None)
    return review.paragraph_status(index), pending
