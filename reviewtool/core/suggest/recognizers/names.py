"""``names`` rules: person names found without a list (`suggest.names.find_names`).

A name is kept when the name finder's own score reaches the rule's ``min_score``; its
evidence (a title before it, a given name, a cue such as "said") is what matched.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from reviewtool.core.cable.model import Cable
from reviewtool.core.rules.kinds import RuleKind
from reviewtool.core.rules.model import Rule, RuleSet
from reviewtool.core.suggest.hits import Hit
from reviewtool.core.suggest.names import find_names
from reviewtool.core.suggest.places import Places, in_scope
from reviewtool.core.suggest.textview import TextView


def _hits(view: TextView, rule: Rule, places: Places) -> list[Hit]:
    regions = [(view.norm_pos(a), view.norm_pos(b - 1) + 1)
               for a, b in places.regions(rule.scope.where) if b > a]
    out = []
    for h in find_names(view, regions):
        if h.score < rule.min_score:
            continue
        s, e = view.span(h.start, h.end)
        if in_scope(rule, places.locus(s, e)):
            out.append(Hit(s, e, rule, "names", h.evidence, h.score))
    return out


@dataclass(frozen=True)
class _Names:
    rules: tuple[Rule, ...]

    def find(self, cable: Cable, view: TextView, places: Places,
             found: Sequence[Hit]) -> list[Hit]:
        out: list[Hit] = []
        for rule in self.rules:
            out.extend(_hits(view, rule, places))
        return out


class NamesRecognizer:
    kind = RuleKind.NAMES.value
    sees_matches = False

    def compile(self, rules: Sequence[Rule], ruleset: RuleSet) -> _Names:
        return _Names(tuple(rules))
