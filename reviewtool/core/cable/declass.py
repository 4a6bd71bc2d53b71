"""Declassification status of a cable on a given date.

E.O. 13526 section 3.3: records of permanent value are declassified automatically on
31 December of the year 25 years after their origin unless exempted (25X, 50X). The
cable's own E.O. line may set an earlier date, exempt it, or tie it to an event.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from datetime import date

from reviewtool.core.cable.markings import Level
from reviewtool.core.cable.model import Cable


@dataclass(frozen=True, slots=True)
class DeclassStatus:
    """``status`` is one of: ``scheduled`` (its DECL date is still ahead), ``passed`` (the
    DECL date has passed), ``exempt`` (X1-X8, 25X, 50X), ``event`` (declassify on an event),
    ``declassified`` (already declassified, e.g. by NARA), ``unclassified`` (N/A or an
    unclassified cable), ``unknown``. ``date`` is the DECL date when there is one;
    ``automatic`` the 25-year date; ``automatic_passed`` whether that date has passed."""

    status: str
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
    if cable.classification.level == Level.U and (decl is None or decl.kind in ("na", "unknown")):
        return DeclassStatus("unclassified", None, auto, auto_passed, "unclassified cable")
    if decl is None:
        return DeclassStatus("unknown", None, auto, auto_passed, "no E.O. line found")
    if decl.kind == "declassified":
        return DeclassStatus("declassified", decl.date, auto, auto_passed, decl.text)
    if decl.kind == "na":
        return DeclassStatus("unclassified", None, auto, auto_passed, decl.text)
    if decl.kind == "exempt":
        return DeclassStatus("exempt", decl.date, auto, False,
                             f"exempt ({', '.join(decl.exemptions)}); reviewer must decide")
    if decl.kind == "date" and decl.date:
        if decl.date <= today:
            return DeclassStatus("passed", decl.date, auto, auto_passed,
                                 f"DECL date {decl.date.isoformat()} has passed")
        return DeclassStatus("scheduled", decl.date, auto, auto_passed,
                             f"classified until {decl.date.isoformat()}")
    if decl.kind == "event":
        return DeclassStatus("event", None, auto, auto_passed, decl.text)
    if decl.kind == "gds":
        return DeclassStatus("passed" if auto_passed else "scheduled", auto, auto, auto_passed,
                             "General Declassification Schedule; 25-year date applies")
    return DeclassStatus("unknown", None, auto, auto_passed, decl.text)
