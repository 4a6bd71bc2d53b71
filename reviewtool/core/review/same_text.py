"""The same text everywhere: where a withheld string recurs in the paragraphs, and which
suggestion, if any, already stands at each place ("accept everywhere")."""

from __future__ import annotations

from collections.abc import Sequence

from reviewtool.core.cable.model import Cable
from reviewtool.core.review.model import normalize_text, occurrence_pattern
from reviewtool.core.suggest.model import Suggestion


def occurrences(cable: Cable, text: str) -> list[tuple[int, int]]:
    """Every occurrence of ``text`` (case- and whitespace-insensitive, whole words)
    in the cable's paragraphs."""
    pat = occurrence_pattern(text)
    if pat is None:
        return []
    out = []
    for p in cable.paragraphs:
        out += [(m.start(), m.end()) for m in pat.finditer(cable.text, p.start, p.end)]
    return out


def not_withheld(found: Sequence[tuple[int, int]],
                 withheld: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """The places in ``found`` not inside a span withheld already (or inside one found
    before them)."""
    taken = list(withheld)
    out = []
    for start, end in found:
        if any(a <= start and end <= b for a, b in taken):
            continue
        out.append((start, end))
        taken.append((start, end))
    return out


def suggestion_at(suggestions: Sequence[Suggestion], s: Suggestion, start: int,
                  end: int) -> Suggestion | None:
    """A suggestion other than ``s`` on exactly this span, else one around it of the
    same text."""
    same = [o for o in suggestions if o.id != s.id and o.start == start and o.end == end]
    if not same:
        target = normalize_text(s.text)
        same = [o for o in suggestions if o.id != s.id and o.start <= start
                and end <= o.end and normalize_text(o.text) == target]
    return same[0] if same else None
