"""Hand-made suggestions for the review, release, audit and report tests: every whole-word
occurrence of a term inside the paragraphs becomes a `Suggestion`, as the engine would."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from reviewtool.core.cable.model import Cable
from reviewtool.core.cable.read import read_cable
from reviewtool.core.suggest.model import Contribution, Suggestion

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "sample_cables"
RULES_SHA = "ab" * 32

# term -> (codes, reason)
TERMS: dict[str, tuple[tuple[str, ...], str]] = {
    "Bertolotti": (("(b)(6)",), "Name of a foreign official"),
    "David Bertolotti": (("(b)(6)",), "Name of a foreign official"),
    "In'Trad": (("(b)(1)", "1.4(b)", "1.4(d)"), "Foreign government information on a firm"),
    "New Technologies Islamabad": (("(b)(1)", "1.4(d)"), "End-user named in confidence"),
}


def cable(name: str) -> Cable:
    return read_cable(SAMPLES / f"{name}.txt")


def term_suggestions(cable: Cable, terms: Sequence[str] | None = None,
                     table: dict[str, tuple[tuple[str, ...], str]] | None = None
                     ) -> list[Suggestion]:
    table = table or TERMS
    out: list[Suggestion] = []
    for term in terms or list(table):
        codes, reason = table[term]
        pat = re.compile(r"(?<!\w)" + r"\s+".join(map(re.escape, term.split())) + r"(?!\w)")
        for m in pat.finditer(cable.text):
            p = cable.paragraph_at(m.start())
            if p is None:
                continue
            contrib = Contribution(f"terms.{term.split()[-1].lower()}", "handmade", "terms",
                                   term, reason, codes, m.start(), m.end())
            out.append(Suggestion("", cable.id or "", m.start(), m.end(), m.group(), p.index,
                                  p.number, p.marking.format() if p.marking else None, codes,
                                  0.9, (contrib,)))
    out.sort(key=lambda s: (s.start, s.end))
    return [Suggestion(f"{cable.id}-s{i + 1}", *(getattr(s, f) for f in (
        "cable", "start", "end", "text", "paragraph", "number", "marking", "codes", "score",
        "contributions"))) for i, s in enumerate(out)]


class Clock:
    """A clock that advances a fixed step at every reading."""

    def __init__(self, start: str = "2026-11-23T09:00:00+00:00", step: int = 30) -> None:
        from datetime import datetime, timedelta

        self.now = datetime.fromisoformat(start)
        self.step = timedelta(seconds=step)

    def __call__(self):  # noqa: ANN204
        t = self.now
        self.now += self.step
        return t
