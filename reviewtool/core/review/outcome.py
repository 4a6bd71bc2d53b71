"""What a review hands on, as plain data: the input of its release copy, and the facts
of it a report states.

The release and report stages take these, never a live `Review`: a copy or a report can
be rendered from decisions held anywhere (a batch draft, a test, another store).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from reviewtool.core.audit import Seal
from reviewtool.core.cable.model import Cable
from reviewtool.core.review.model import ParagraphStatus, Redaction
from reviewtool.core.review.review import Review


@dataclass(frozen=True, slots=True)
class ReleaseInput:
    """Everything a release copy is rendered from.

    ``on`` is the declassification date; ``settings`` the review's banner template,
    date format, case facts and authority; ``seal`` the audit seal to print in the
    release header; ``style`` and ``preserve_length`` choose the marks; ``fuzzy`` turns
    on the leak check's near spellings of names."""

    cable: Cable
    redactions: tuple[Redaction, ...]
    reviewer: str
    on: date
    settings: Mapping[str, object]
    seal: Seal | None = None
    style: str = "state"
    preserve_length: bool = False
    fuzzy: bool = True


def release_input(review: Review, *, style: str = "state", on: date | None = None,
                  preserve_length: bool = False, seal: Seal | None = None,
                  fuzzy: bool = True) -> ReleaseInput:
    """The release input of ``review`` as it stands (``on`` defaults to its clock's day)."""
    return ReleaseInput(
        cable=review.cable, redactions=tuple(review.redactions()), reviewer=review.reviewer,
        on=on or review.clock().date(), settings=dict(review.settings),
        seal=seal, style=style, preserve_length=preserve_length, fuzzy=fuzzy)


@dataclass(frozen=True, slots=True)
class PendingItem:
    """A suggestion still to decide."""

    id: str
    paragraph: int | None
    codes: tuple[str, ...]
    rules: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ParagraphFacts:
    """A paragraph's status, and the codes of its recorded disposition (if any)."""

    status: ParagraphStatus
    codes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ReviewSummary:
    """The facts of a review a report states: who, how long, how far, what is left.
    ``paragraphs`` is by paragraph index."""

    reviewers: tuple[str, ...]
    time_spent: timedelta
    decided: int
    total: int
    paragraphs: tuple[ParagraphFacts, ...]
    pending: tuple[PendingItem, ...]


def review_summary(review: Review) -> ReviewSummary:
    """The summary of ``review`` as it stands."""
    paragraphs = []
    for p in review.cable.paragraphs:
        d = review.disposition_record(p.index)
        paragraphs.append(ParagraphFacts(review.paragraph_status(p.index), d.codes if d else ()))
    decided, total = review.progress()
    return ReviewSummary(
        reviewers=tuple(review.reviewers()), time_spent=review.time_spent(), decided=decided,
        total=total, paragraphs=tuple(paragraphs),
        pending=tuple(PendingItem(s.id, s.paragraph, tuple(s.codes), tuple(s.rules))
                      for s in review.pending()))
