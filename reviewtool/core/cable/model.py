"""The parsed cable: header fields, paragraphs and segments, every one a span of the text.

Offsets are half-open ``(start, end)`` into ``Cable.text``, which is never altered; the
``segments`` of a cable partition the whole text, so nothing is lost.
"""

from __future__ import annotations

import bisect
import hashlib
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from functools import cached_property

from reviewtool.core.cable.markings import Level, Marking


@dataclass(frozen=True, slots=True)
class Field:
    """A header field: its value (normalized: unwrapped, trimmed) and the span of the
    value as written in the text."""

    name: str
    value: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class ClassifiedBy:
    """The ``Classified By`` line. ``reasons`` are normalized (``1.4(b)``);
    ``reasons_text`` keeps what was written (``1.5 (b) and (d)``)."""

    text: str
    name: str | None
    title: str | None
    reasons: tuple[str, ...]
    reasons_text: str
    start: int
    end: int
    name_start: int | None = None
    name_end: int | None = None


class DeclKind(StrEnum):
    """What a DECL instruction means."""

    DATE = "date"
    EXEMPT = "exempt"  # X1-X8, 25X, 50X
    NA = "na"
    GDS = "gds"
    DECLASSIFIED = "declassified"  # by NARA and the like
    EVENT = "event"
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class Decl:
    """The E.O. line: which order, the instruction as written, and what it means.

    ``kind`` is one of ``date``, ``exempt`` (X1-X8, 25X, 50X), ``na``, ``gds``,
    ``declassified`` (by NARA and the like), ``event`` or ``unknown``."""

    order: str | None
    text: str
    kind: DeclKind
    date: date | None
    exemptions: tuple[str, ...]
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Paragraph:
    """A paragraph of the body.

    Attributes:
        index: position in ``Cable.paragraphs``.
        number: the number as written without its dot (``"1"``), or ``None``.
        start, end: span of the whole paragraph (number and marking included).
        text_start: where the text proper begins, after number and marking.
        marking: the effective marking (its own, or inherited), or ``None``.
        written: the marking exactly as written in this paragraph, or ``None``.
        marking_start, marking_end: span of the written marking with parentheses.
        inherited: an unnumbered continuation that takes the previous marking (or the
            cable's ``ENTIRE TEXT`` marking).
        unmarked: no marking at all in a classified cable: needs a reviewer's eye.
    """

    index: int
    number: str | None
    start: int
    end: int
    text_start: int
    marking: Marking | None
    written: str | None
    marking_start: int | None
    marking_end: int | None
    inherited: bool
    unmarked: bool
    text: str
    follows: str | None = None  # for an unnumbered paragraph, the number it comes after

    @property
    def level(self) -> Level | None:
        return self.marking.level if self.marking else None

    @property
    def label(self) -> str:
        """``¶3``; ``¶4+`` for an unnumbered paragraph after 4; ``¶[1]`` before any."""
        if self.number:
            return f"¶{self.number}"
        return f"¶{self.follows}+" if self.follows else f"¶[{self.index + 1}]"


class SegmentKind(StrEnum):
    """What a piece of the text is. A member equals its string (``"paragraph"``)."""

    META = "meta"            # the site or export header (title, ID, dates)
    HEADER = "header"        # the routing and cable header, up to the first paragraph
    PARAGRAPH = "paragraph"
    DUPLICATE = "duplicate"  # a repeated header block or a repeated body
    SIGNER = "signer"
    TRAILER = "trailer"      # closing banner lines after the body ("NNNN")
    OTHER = "other"          # non-paragraph lines between pieces
    GAP = "gap"              # blank


@dataclass(frozen=True, slots=True)
class Segment:
    """A piece of the text, of one `SegmentKind`; a cable's segments partition it."""

    kind: SegmentKind
    start: int
    end: int


@dataclass(frozen=True)
class Cable:
    """A parsed cable. Every span is into ``text``, which is never altered."""

    text: str
    source: str | None
    id: str | None
    title: str | None
    created: datetime | None
    released: datetime | None
    origin: str | None
    classification: Marking
    entire_text: Marking | None
    decl: Decl | None
    tags: tuple[str, ...]
    subject: Field | None
    subject_marking: Marking | None
    refs: tuple[str, ...]
    classified_by: ClassifiedBy | None
    signer: Field | None
    paragraphs: tuple[Paragraph, ...]
    segments: tuple[Segment, ...]
    fields: dict[str, Field] = field(default_factory=dict)

    @cached_property
    def sha256(self) -> str:
        """SHA-256 of the text (UTF-8), computed once: every audit line carries it."""
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()

    @property
    def duplicates(self) -> tuple[Segment, ...]:
        return tuple(s for s in self.segments if s.kind == SegmentKind.DUPLICATE)

    @property
    def header_end(self) -> int:
        """Where the first paragraph begins (or the body, if there is none)."""
        if self.paragraphs:
            return self.paragraphs[0].start
        return len(self.text)

    @cached_property
    def _paragraph_starts(self) -> list[int]:
        return [p.start for p in self.paragraphs]

    def paragraph_at(self, offset: int) -> Paragraph | None:
        """The paragraph whose span holds ``offset``, or ``None``."""
        i = bisect.bisect_right(self._paragraph_starts, offset) - 1
        if i >= 0 and offset < self.paragraphs[i].end:
            return self.paragraphs[i]
        return None

    def line_of(self, offset: int) -> int:
        """1-based line number of an offset."""
        return self.text.count("\n", 0, offset) + 1
