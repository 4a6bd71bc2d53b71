"""What a review withholds: its decisions and rulings read as `Redaction` spans.

Derived from the state, and cached until the next event changes it (`invalidate`): the
TUI asks for them on every keystroke.
"""

from __future__ import annotations

import bisect
from collections.abc import Mapping, Sequence

from reviewtool.core.cable.model import Cable
from reviewtool.core.review.model import Redaction, RedactionKind
from reviewtool.core.review.state import ReviewState
from reviewtool.core.review.store import parse_ts
from reviewtool.core.suggest.model import Suggestion


def _reasons(s: Suggestion) -> str:
    return "; ".join(dict.fromkeys(c.reason for c in s.contributions if c.reason))


class Redactions:
    """The withheld spans of one review, kept in step with its state."""

    def __init__(self, cable: Cable, state: ReviewState) -> None:
        self.cable = cable
        self.state = state
        self.suggestions: Sequence[Suggestion] = ()
        self.by_id: Mapping[str, Suggestion] = {}
        self._spans: list[Redaction] | None = None
        self._held: tuple[list[Redaction], set[int]] | None = None
        self._by_par: dict[int | None, list[Suggestion]] | None = None

    def set_suggestions(self, suggestions: Sequence[Suggestion],
                        by_id: Mapping[str, Suggestion]) -> None:
        self.suggestions, self.by_id = suggestions, by_id
        self._by_par = None
        self.invalidate()

    def invalidate(self) -> None:
        self._spans = None

    def paragraph_suggestions(self, index: int) -> list[Suggestion]:
        if self._by_par is None:
            self._by_par = {}
            for s in self.suggestions:
                self._by_par.setdefault(s.paragraph, []).append(s)
        return list(self._by_par.get(index, ()))

    def spans(self) -> list[Redaction]:
        """Accepted suggestions, then manual redactions (cached until the state changes)."""
        if self._spans is None:
            self._spans = self._accepted() + self._manual()
        return self._spans

    def _accepted(self) -> list[Redaction]:
        out = []
        for s in self.suggestions:
            d = self.state.decision(s.id)
            if d is None or not d.accepted:
                continue
            reason = d.note or _reasons(s) or s.explain()
            out.append(Redaction(s.id, RedactionKind.SUGGESTION, s.start, s.end, d.codes,
                                 s.paragraph, reason, s.rules, d.note, d.reviewer, d.time,
                                 d.origin))
        return out

    def _manual(self) -> list[Redaction]:
        out = []
        for m in self.state.manuals():
            p = self.cable.paragraph_at(m.start)
            reason = m.note or ""
            src = self.by_id.get(m.origin) if m.origin else None
            if not reason and src is not None:
                found = _reasons(src)
                reason = f"same text as {m.origin}" + (f": {found}" if found else "")
            rules = src.rules if src is not None else ()
            out.append(Redaction(m.id, RedactionKind.MANUAL, m.start, m.end, m.codes,
                                 p.index if p else None, reason or "manual redaction", rules,
                                 m.note, m.reviewer, m.time, m.origin))
        return out

    def all(self) -> list[Redaction]:
        """The spans and the withheld paragraphs, by start."""
        out = list(self.spans())
        for i, d in self.state.withheld():
            p = self.cable.paragraphs[i]
            out.append(Redaction(f"p{i}", RedactionKind.PARAGRAPH, p.text_start, p.end,
                                 tuple(d["codes"]), i,
                                 d.get("note") or "paragraph withheld in full", (),
                                 d.get("note"), d["reviewer"], parse_ts(d["time"])))
        return sorted(out, key=lambda r: (r.start, r.end, r.id))

    def held_paragraphs(self) -> set[int]:
        """Indices of the paragraphs a withheld span touches."""
        spans = self.spans()
        if self._held is not None and self._held[0] is spans:
            return self._held[1]
        pars = self.cable.paragraphs
        starts = [p.start for p in pars]
        held: set[int] = set()
        for r in spans:
            i = max(bisect.bisect_right(starts, r.start) - 1, 0)
            while i < len(pars) and pars[i].start < r.end:
                if pars[i].end > r.start:
                    held.add(i)
                i += 1
        self._held = (spans, held)
        return held
