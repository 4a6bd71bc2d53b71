"""The audit line of a reviewer's action: who, what, where in the cable, under which codes.

An event names its target (a suggestion, ``m3``, ``p2``) and, where it has one, its span
and paragraph; what a suggestion's target leaves unsaid (span, codes, paragraph, rules)
is filled in from the suggestion. The withheld text goes in as ``text``: the `AuditLog`
keeps only its hash unless it is an internal log.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from reviewtool.core.cable.model import Cable
from reviewtool.core.review.store import ts
from reviewtool.core.suggest.model import Suggestion


@dataclass(frozen=True, slots=True)
class Where:
    """Where an action applies: span, paragraph index, codes and rule, any unknown."""

    start: int | None = None
    end: int | None = None
    codes: Sequence[str] | None = None
    paragraph: int | None = None
    rule: str | None = None

    def filled_from(self, s: Suggestion | None) -> Where:
        """What the suggestion targeted says where this leaves it unsaid."""
        if s is None:
            return self
        return Where(s.start if self.start is None else self.start,
                     s.end if self.end is None else self.end,
                     s.codes if self.codes is None else self.codes,
                     s.paragraph if self.paragraph is None else self.paragraph,
                     self.rule or ",".join(s.rules) or None)


class AuditEvents:
    """Builds the audit events of one review (its reviewer, cable and rule sets)."""

    def __init__(self, cable: Cable, cable_sha256: str, rules_sha256: str,
                 reviewer: str) -> None:
        self.cable = cable
        self.cable_sha256 = cable_sha256
        self.rules_sha256 = rules_sha256
        self.reviewer = reviewer
        self.by_id: Mapping[str, Suggestion] = {}

    def event(self, now: datetime | None, action: str, target: str | None, *,
              start: int | None = None, end: int | None = None,
              codes: Sequence[str] | None = None, note: str | None = None,
              paragraph: int | None = None, rule: str | None = None,
              **extra: Any) -> dict[str, Any]:
        """The event (keys with no value left out); ``now`` is set later if ``None``."""
        w = Where(start, end, codes, paragraph, rule).filled_from(self.by_id.get(target or ""))
        has_span = w.start is not None and w.end is not None
        ev: dict[str, Any] = {
            "reviewer": self.reviewer, "action": action, "target": target,
            "cable": self.cable.id, "cable_sha256": self.cable_sha256,
            "rules_sha256": self.rules_sha256, "rule": w.rule,
            "paragraph": self._label(w),
            "span": [w.start, w.end] if has_span else None,
            "codes": list(w.codes) if w.codes is not None else None, "note": note,
        }
        if now is not None:
            ev["time"] = ts(now)
        if has_span:
            ev["text"] = self.cable.text[w.start:w.end]
        ev.update(extra)
        return {k: v for k, v in ev.items() if v is not None}

    def _label(self, w: Where) -> str | None:
        """The paragraph's label: the one given, else the one the span starts in."""
        index = w.paragraph
        if index is None and w.start is not None:
            p = self.cable.paragraph_at(w.start)
            index = p.index if p else None
        return self.cable.paragraphs[index].label if index is not None else None
