"""What the engine hands to review, release, audit and the UI: `Suggestion`s.

A suggestion is a proposed redaction: a half-open span ``(start, end)`` of the cable's
exact text, the exemption codes that justify it, a score, and an explanation listing
every rule that contributed. Suggestions are plain frozen data so that every layer
(review store, batch workers, JSON output) can pass them around unchanged. They are
named tuples, not frozen dataclasses: the engine makes some 30 of each per cable, and a
named tuple is built several times faster (a frozen dataclass sets each field through
``object.__setattr__``).
"""

from __future__ import annotations

from typing import Any, NamedTuple


class Contribution(NamedTuple):
    """One rule's part in a suggestion.

    Attributes:
        rule: the rule's id; ruleset: the rule set's name; kind: terms, regex, field,
        paragraph, names (the person-name recognizer) or derived (name propagation).
        matched: the term, pattern or field that matched; reason: the rule's reason.
        codes: the codes this rule gives. fuzzy: the rapidfuzz score for a near-miss
        spelling, else None. context: context words found nearby. derived_from: for a
        propagated name, the text and offset of the match it came from.
    """

    rule: str
    ruleset: str
    kind: str
    matched: str
    reason: str
    codes: tuple[str, ...]
    start: int
    end: int
    fuzzy: float | None = None
    context: tuple[str, ...] = ()
    derived_from: str | None = None


class Suggestion(NamedTuple):
    """A suggested redaction over ``cable.text[start:end]``.

    ``id`` is stable: the same cable and rule sets give the same ids, in the same order.
    ``paragraph`` is the index into ``cable.paragraphs`` (None outside paragraphs),
    ``number`` the paragraph's number as written, ``marking`` its marking short form.
    ``codes`` is the union of the contributions' codes in vocabulary order.
    """

    id: str
    cable: str
    start: int
    end: int
    text: str
    paragraph: int | None
    number: str | None
    marking: str | None
    codes: tuple[str, ...]
    score: float
    contributions: tuple[Contribution, ...] = ()

    @property
    def rules(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(c.rule for c in self.contributions))

    def explain(self) -> str:
        """One line a reviewer reads: which rules, what matched, why."""
        parts = []
        for c in self.contributions:
            bit = f"{c.rule} ({c.ruleset}, {c.kind}) matched {c.matched!r}"
            if c.fuzzy is not None:
                bit += f" at fuzzy {c.fuzzy:.0f}"
            if c.context:
                bit += f"; context: {', '.join(c.context)}"
            if c.derived_from:
                bit += f"; derived from {c.derived_from}"
            parts.append(bit)
        return "; ".join(parts)

    def to_json(self) -> dict[str, Any]:
        """The documented ``suggest --json`` object."""
        return {
            "cable": self.cable,
            "id": self.id,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "paragraph": self.number,
            "paragraph_index": self.paragraph,
            "marking": self.marking,
            "codes": list(self.codes),
            "score": round(self.score, 3),
            "rules": list(self.rules),
            "explanation": self.explain(),
            # Built field by field: dataclasses.asdict deep-copies, and batch writes
            # some 140,000 of these over the corpus.
            "contributions": [{f: getattr(c, f) for f in _CONTRIBUTION_FIELDS}
                              for c in self.contributions],
        }

    @classmethod
    def from_json(cls, obj: dict[str, Any]) -> Suggestion:
        contribs = tuple(
            Contribution(**{**c, "codes": tuple(c["codes"]), "context": tuple(c["context"])})
            for c in obj.get("contributions", [])
        )
        return cls(obj["id"], obj["cable"], obj["start"], obj["end"], obj["text"],
                   obj.get("paragraph_index"), obj.get("paragraph"), obj.get("marking"),
                   tuple(obj["codes"]), float(obj["score"]), contribs)


_CONTRIBUTION_FIELDS = Contribution._fields
