"""Where in a cable an original span lies (body, header, subject) and under which
marking: what a rule's scope is checked against.

`Places` is made once per `suggest` call; `in_scope` asks it for every match.
"""

from __future__ import annotations

from dataclasses import dataclass

from reviewtool.core.cable.markings import Level, Marking
from reviewtool.core.cable.model import Cable, SegmentKind
from reviewtool.core.rules.model import Rule
from reviewtool.core.suggest.occurrences import Occurrences


@dataclass(frozen=True, slots=True)
class Locus:
    """A span's place: the ``where`` values that include it, its marking, and whether
    its paragraph is unmarked."""

    kinds: frozenset[str]
    marking: Marking | None
    unmarked: bool


_BODY = frozenset(("body", "all"))
_HEADER = frozenset(("header", "all"))
_SUBJECT = frozenset(("subject", "all"))
_SUBJECT_HEADER = frozenset(("subject", "header", "all"))
_ALL = frozenset(("all",))


class Places:
    """Which part of the cable an original span lies in, and under which marking."""

    def __init__(self, cable: Cable) -> None:
        self.cable = cable
        self.classified = cable.classification.level > Level.U
        self.subject = cable.subject
        self.segments = sorted(cable.segments, key=lambda s: s.start)
        self.title_span: tuple[int, int] | None = None
        self._paragraph_locus: dict[int, Locus] = {}
        # What later phases learn of the view (see `occurrences`).
        self.seen: Occurrences | None = None
        meta = next((s for s in self.segments if s.kind == SegmentKind.META), None)
        if cable.title and meta is not None:
            i = cable.text.find(cable.title, meta.start, meta.end)
            if i != -1:
                self.title_span = (i, i + len(cable.title))

    def locus(self, start: int, end: int) -> Locus | None:
        c = self.cable
        p = c.paragraph_at(start)
        if p is not None:
            if end > p.end:
                return None  # runs across paragraphs: not one place
            # One locus per paragraph (asked for every match in it).
            loc = self._paragraph_locus.get(p.index)
            if loc is None:
                loc = self._paragraph_locus[p.index] = Locus(_BODY, p.marking, p.unmarked)
            return loc
        if self.subject and self.subject.start <= start and end <= self.subject.end:
            return Locus(_SUBJECT_HEADER, c.subject_marking or c.classification, False)
        if self.title_span and self.title_span[0] <= start and end <= self.title_span[1]:
            return Locus(_SUBJECT, c.subject_marking or c.classification, False)
        for s in self.segments:
            if s.start <= start < s.end:
                if end > s.end:
                    return Locus(_ALL, c.classification, False)
                kinds = {"duplicate": _BODY, "header": _HEADER}.get(s.kind, _ALL)
                return Locus(kinds, c.classification, False)
        return None

    def regions(self, where: str) -> list[tuple[int, int]]:
        """Original spans making up ``where``."""
        c = self.cable
        if where == "all":
            return [(0, len(c.text))]
        if where == "subject":
            out = [(self.subject.start, self.subject.end)] if self.subject else []
            if self.title_span:
                out.append(self.title_span)
            return sorted(out)
        if where == "header":
            return [(s.start, s.end) for s in self.segments if s.kind == SegmentKind.HEADER]
        out = [(p.text_start, p.end) for p in c.paragraphs]
        out += [(s.start, s.end) for s in self.segments if s.kind == SegmentKind.DUPLICATE]
        return sorted(out)


def in_scope(rule: Rule, locus: Locus | None, check_where: bool = True) -> bool:
    """``rule``'s scope admits a span at ``locus`` (its ``where`` too, unless not
    ``check_where``)."""
    if locus is None:
        return False
    if check_where and rule.scope.where not in locus.kinds:
        return False
    return rule.scope.admits(locus.marking, locus.unmarked)
