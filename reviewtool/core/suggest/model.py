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

import ast
import re
from enum import StrEnum
from typing import Any, NamedTuple


class Origin(StrEnum):
    """How a derived match (kind ``derived``) came from another."""

    PROPAGATED = "propagated"  # a later mention of a name a propagating rule found
    SAME_TEXT = "same text"  # another occurrence of a suggested text
    NEAR_SPELLING = "near spelling"  # another spelling of a name withheld for privacy


# How `Derived.describe` words each origin (the ``derived_from`` text of the JSON).
_LEADS = {Origin.PROPAGATED: "", Origin.SAME_TEXT: "same text as ",
          Origin.NEAR_SPELLING: "near spelling of "}
_DESCRIBED = re.compile(r"(same text as |near spelling of )?('.*'|\".*\") at (\d+)", re.S)


class Derived(NamedTuple):
    """Where a derived match came from: the source match's text (whitespace collapsed)
    and its start offset in ``cable.text`` (``cable.paragraph_at(start)`` is its
    paragraph)."""

    origin: Origin
    text: str
    start: int

    def source(self) -> str:
        """What it came from, not where: ``same text as 'Rice'``."""
        return f"{_LEADS[self.origin]}{self.text!r}"

    def describe(self) -> str:
        """As the JSON's ``derived_from`` says it: ``same text as 'Rice' at 1345``."""
        return f"{self.source()} at {self.start}"

    @classmethod
    def parse(cls, described: str) -> Derived:
        """The `Derived` whose `describe` is ``described``; `ValueError` if none is."""
        m = _DESCRIBED.fullmatch(described)
        text = ast.literal_eval(m.group(2)) if m else None
        if m is None or not isinstance(text, str):
            raise ValueError(f"not a derived match's origin: {described!r}")
        origin = {lead: o for o, lead in _LEADS.items()}[m.group(1) or ""]
        return cls(origin, text, int(m.group(3)))


class Contribution(NamedTuple):
    """One rule's part in a suggestion.

    Attributes:
        rule: the rule's id; ruleset: the rule set's name; kind: terms, regex, field,
        paragraph, names (the person-name recognizer), a plug-in's kind, or derived
        (propagation and the same text elsewhere). matched: the term, pattern or field
        that matched; reason: the rule's reason. codes: the codes this rule gives.
        start, end: the span this rule matched. fuzzy: the rapidfuzz score for a
        near-miss spelling, else None. context: context words found nearby. derived:
        for a derived match, the match it came from. base_score: the match's score
        before context words raised it, score: after (both None when rebuilt from
        JSON, which does not record them).
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
    derived: Derived | None = None
    base_score: float | None = None
    score: float | None = None

    @property
    def derived_from(self) -> str | None:
        """`derived` as text (the JSON's ``derived_from``), or None."""
        d = self.derived
        return None if d is None else d.describe()

    def to_json(self) -> dict[str, Any]:
        """The documented JSON object (`JSON_FIELDS`, in that order)."""
        d = self.derived
        return {"rule": self.rule, "ruleset": self.ruleset, "kind": self.kind,
                "matched": self.matched, "reason": self.reason, "codes": self.codes,
                "start": self.start, "end": self.end, "fuzzy": self.fuzzy,
                "context": self.context,
                "derived_from": None if d is None else d.describe()}

    @classmethod
    def from_json(cls, obj: dict[str, Any]) -> Contribution:
        """The contribution `to_json` wrote (its scores are not in the JSON: None)."""
        described = obj.get("derived_from")
        return cls(obj["rule"], obj["ruleset"], obj["kind"], obj["matched"], obj["reason"],
                   tuple(obj["codes"]), obj["start"], obj["end"], obj.get("fuzzy"),
                   tuple(obj.get("context", ())),
                   Derived.parse(described) if described else None)


# The keys of a contribution's JSON object (the documented ``suggest --json`` format).
JSON_FIELDS = ("rule", "ruleset", "kind", "matched", "reason", "codes", "start", "end",
               "fuzzy", "context", "derived_from")


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
            "contributions": [c.to_json() for c in self.contributions],
        }

    @classmethod
    def from_json(cls, obj: dict[str, Any]) -> Suggestion:
        contribs = tuple(map(Contribution.from_json, obj.get("contributions", [])))
        return cls(obj["id"], obj["cable"], obj["start"], obj["end"], obj["text"],
                   obj.get("paragraph_index"), obj.get("paragraph"), obj.get("marking"),
                   tuple(obj["codes"]), float(obj["score"]), contribs)

