"""The order a reviewer walks a cable's paragraphs in, and the level filter.

Pure functions over `Paragraph`s: by marking (highest first: TS, S//NF, S, C, ..., U,
then unmarked paragraphs flagged for attention) or in document order.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum

from reviewtool.core.cable.markings import Level
from reviewtool.core.cable.model import Paragraph


class WalkOrder(StrEnum):
    """The order paragraphs are walked in."""

    MARKING = "marking"  # highest marking first
    DOCUMENT = "document"  # as they stand in the cable


# Filter values the level filter cycles through; None shows every paragraph.
FILTERS: tuple[str | None, ...] = (None, "TS", "S", "C", "U", "unmarked")


def marking_key(p: Paragraph) -> tuple[int, int, int]:
    """Sort key: higher level first, controlled (NF, ORCON, ...) before plain at the same
    level, unmarked last; document order breaks ties."""
    if p.marking is None or p.unmarked:
        return (1, 0, p.index)
    controlled = any(c not in ("SBU", "FOUO", "LOU") for c in p.marking.controls)
    return (0, -(int(p.marking.level) * 2 + int(controlled)), p.index)


def matches(p: Paragraph, level: str | None) -> bool:
    """Whether ``p`` passes the level filter ``level`` (a `FILTERS` value)."""
    if level is None:
        return True
    if level == "unmarked":
        return p.marking is None or p.unmarked
    return p.marking is not None and not p.unmarked and p.marking.level == Level[level]


def walk(paragraphs: Sequence[Paragraph], order: WalkOrder = WalkOrder.MARKING,
         level: str | None = None) -> list[int]:
    """Indexes of ``paragraphs`` to visit, in ``order``, keeping those matching ``level``."""
    chosen = [p for p in paragraphs if matches(p, level)]
    if order == WalkOrder.MARKING:
        chosen.sort(key=marking_key)
    return [p.index for p in chosen]
