"""``field`` rules: a header field's whole value (the classifier's name, the signer...).

Where the field stands is its place; only the rule's markings limit it (the ``where``
of its scope does not: a field is where it is).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from reviewtool.core.cable.model import Cable
from reviewtool.core.rules.kinds import RuleKind
from reviewtool.core.rules.model import Rule, RuleSet
from reviewtool.core.suggest.hits import Hit
from reviewtool.core.suggest.places import Places, in_scope
from reviewtool.core.suggest.textview import TextView


@dataclass(frozen=True)
class _Fields:
    rules: tuple[Rule, ...]

    def find(self, cable: Cable, view: TextView, places: Places,
             found: Sequence[Hit]) -> list[Hit]:
        out = []
        for rule in self.rules:
            f = cable.fields.get(rule.field or "")
            if f is None or f.end <= f.start or not cable.text[f.start:f.end].strip():
                continue
            if in_scope(rule, places.locus(f.start, f.end), check_where=False):
                out.append(Hit(f.start, f.end, rule, "field", rule.field or "", rule.score))
        return out


class FieldRecognizer:
    kind = RuleKind.FIELD.value
    sees_matches = False

    def compile(self, rules: Sequence[Rule], ruleset: RuleSet) -> _Fields:
        return _Fields(tuple(rules))
