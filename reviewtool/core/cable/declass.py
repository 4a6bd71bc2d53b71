"""Declassification status of a cable on a given date.

E.O. 13526 section 3.3: records of permanent value are declassified automatically on
31 December of the year 25 years after their origin unless exempted (25X, 50X). The
cable's own E.O. line may set an earlier date, exempt it, or tie it to an event.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from reviewtool.core.cable.markings import Level
from reviewtool.core.cable.model import Cable, DeclKind


class DeclassState(StrEnum):
    """Where a cable stands (see `DeclassStatus`)."""

    SCHEDULED = "scheduled"
    PASSED = "passed"
    EXEMPT = "exempt"
    EVENT = "event"
    DECLASSIFIED = "declassified"
    UNCLASSIFIED = "unclassified"
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class DeclassStatus:
    """``status`` is one of: ``scheduled`` (its DECL date is still ahead), ``passed`` (the
    DECL date has passed), ``exempt`` (X1-X8, 25X, 50X), ``event`` (declassify on an event),
    ``declassified`` (already declassified, e.g. by NARA), ``unclassified`` (N/A or an
    unclassified cable), ``unknown``. ``date`` is the DECL date when there is one;
    ``automatic`` the 25-year date; ``automatic_passed`` whether that date has passed."""

    status: DeclassState
    # dt.date: in the class body, ``date`` is the field below, not the type.
    date: dt.date | None
    automatic: dt.date | None
    automatic_passed: bool
    detail: str

    def to_json(self) -> dict[str, object]:
        return {
            "status": self.status,
            "date": self.date.isoformat() if self.date else None,
            "automatic": self.automatic.isoformat() if self.automatic else None,
            "automatic_passed": self.automatic_passed,
            "detail": self.detail,
        }


def automatic_date(created: date | None) -> date | None:
    """31 December of the year 25 years after origin."""
    return date(created.year + 25, 12, 31) if created else None


def declassification_status(cable: Cable, on: date | None = None) -> DeclassStatus:
    """Status of ``cable`` on ``on`` (default: today)."""
    today = on or date.today()
    auto = automatic_date(cable.created.date() if cable.created else None)
    auto_passed = bool(auto and auto < today)
    decl = cable.decl
    if cable.classification.level == Level.U and (
            decl is None or decl.kind in (DeclKind.NA, DeclKind.UNKNOWN)):
        return DeclassStatus(DeclassState.UNCLASSIFIED, None, auto, auto_passed,
                             "unclassified cable")
    if decl is None:
        return DeclassStatus(DeclassState.UNKNOWN, None, auto, auto_passed, "no E.O. line found")
    if decl.kind == DeclKind.DECLASSIFIED:
        return DeclassStatus(DeclassState.DECLASSIFIED, decl.date, auto, auto_passed, decl.text)
    if decl.kind == DeclKind.NA:
        return DeclassStatus(DeclassState.UNCLASSIFIED, None, auto, auto_passed, decl.text)
    if decl.kind == DeclKind.EXEMPT:
        return DeclassStatus(DeclassState.EXEMPT, decl.date, auto, False,
                             f"exempt ({', '.join(decl.exemptions)}); reviewer must decide")
    if decl.kind == DeclKind.DATE and decl.date:
        if decl.date <= today:
            return DeclassStatus(DeclassState.PASSED, decl.date, auto, auto_passed,
                                 f"DECL date {decl.date.isoformat()} has passed")
        return DeclassStatus(DeclassState.SCHEDULED, decl.date, auto, auto_passed,
                             f"classified until {decl.date.isoformat()}")
    if decl.kind == DeclKind.EVENT:
        return DeclassStatus(DeclassState.EVENT, None, auto, auto_passed, decl.text)
    if decl.kind == DeclKind.GDS:
        state = DeclassState.PASSED if auto_passed else DeclassState.SCHEDULED
        return DeclassStatus(state, auto, auto, auto_passed,
                             "General Declassification Schedule; 25-year date applies")
    return DeclassStatus(DeclassState.UNKNOWN, None, auto, auto_passed, decl.text)
