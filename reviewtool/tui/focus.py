"""Which span of the paragraph the reviewer is on: the focus rules of the review screen.

Pure functions over a paragraph's `Item`s (its suggestions and manual redactions, in text
order), so the rules read in one place and are tested without a screen: entering a
paragraph focuses the first pending span; a decision moves on to the next pending one;
l/h step round the spans; undo and redo go to the paragraph of what they changed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from reviewtool.tui.view import Item, ItemState

if TYPE_CHECKING:
    from reviewtool.core.review.review import Review


def focus_on_entering(items: list[Item], *, wanted: str | None = None,
                      kept: str | None = None) -> str | None:
    """The span focused on entering a paragraph: ``wanted`` if it is there, else ``kept``
    (the focus so far, when the screen keeps it) if it is there, else the first pending
    span, else the first span; None for a paragraph without any."""
    ids = [it.id for it in items]
    if wanted in ids:
        return wanted
    if kept is not None and kept in ids:
        return kept
    first_pending = next((it.id for it in items if it.state == ItemState.PENDING), None)
    return first_pending or (ids[0] if ids else None)


def focus_after_decision(items: list[Item], before: str | None, *, wanted: str | None = None,
                         advance: bool = False) -> str | None:
    """The span focused once a decision is made in the paragraph (``items`` re-read):
    ``wanted`` if it is there; with ``advance``, the next pending span after ``before``
    (wrapping round, staying on ``before`` when none is pending); else ``before`` while
    it is still there, or the first span."""
    ids = [it.id for it in items]
    if wanted in ids:
        return wanted
    if before is None or before not in ids:
        return ids[0] if ids else None
    if not advance:
        return before
    pos = ids.index(before)
    later = [it.id for it in items[pos + 1:] if it.state == ItemState.PENDING]
    earlier = [it.id for it in items[:pos] if it.state == ItemState.PENDING]
    return (later or earlier or [before])[0]


def step_focus(items: list[Item], focused: str | None, step: int) -> str | None:
    """The span ``step`` places on from ``focused``, round the paragraph (counting from
    just before the first span when nothing is focused); ``focused`` when there is none."""
    if not items:
        return focused
    ids = [it.id for it in items]
    pos = ids.index(focused) if focused in ids else -1
    return ids[(pos + step) % len(ids)]


def paragraph_of(review: Review, target: str | None) -> int | None:
    """The paragraph index a decision's target is in: a paragraph (``p3``), a
    suggestion or a manual redaction by id; None for anything else."""
    if not target:
        return None
    if target.startswith("p") and target[1:].isdigit():
        return int(target[1:])
    s = next((s for s in review.suggestions if s.id == target), None)
    if s is not None:
        return s.paragraph
    m = next((m for m in review.manuals() if m.id == target), None)
    if m is not None:
        p = review.cable.paragraph_at(m.start)
        return p.index if p else None
    return None
