"""``regex`` rules: a pattern over the normalized text (one space per whitespace run).

Each pattern gets a `RegexPlan` once per rule set (the literals every match needs), so
it runs only where they occur. A rule scoped to the header or subject looks nowhere
else; a match never takes a paragraph's number or portion marking with it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from reviewtool.core.cable.model import Cable
from reviewtool.core.rules.kinds import RuleKind
from reviewtool.core.rules.model import Rule, RuleSet
from reviewtool.core.suggest.hits import Hit
from reviewtool.core.suggest.matchers import RegexPlan, regex_plan, run_regex
from reviewtool.core.suggest.places import Places, in_scope
from reviewtool.core.suggest.textview import TextView


def _hits(view: TextView, rule: Rule, regex: re.Pattern[str], plan: RegexPlan | None,
          places: Places) -> list[Hit]:
    out = []
    group = rule.group if rule.group is not None else 0
    if rule.scope.where in ("body", "all"):
        bounds = [(0, len(view.norm))]
    else:  # only the header or subject: look nowhere else
        bounds = [(view.norm_pos(a), view.norm_pos(b - 1) + 1)
                  for a, b in places.regions(rule.scope.where) if b > a]
    for lo, hi in bounds:
        for m in run_regex(regex, plan, view, lo, hi):
            a, b = m.span(group)
            if a < 0 or b <= a:
                continue
            s, e = view.span(a, b)
            p = places.cable.paragraph_at(s)
            if p is not None and s < p.text_start:
                # Never take a paragraph's number or portion marking with it.
                s = p.text_start
                if e <= s:
                    continue
            if in_scope(rule, places.locus(s, e)):
                out.append(Hit(s, e, rule, "regex", rule.pattern or "", rule.score))
    return out


@dataclass(frozen=True)
class _Regexes:
    rules: tuple[tuple[Rule, re.Pattern[str], RegexPlan | None], ...]

    def find(self, cable: Cable, view: TextView, places: Places,
             found: Sequence[Hit]) -> list[Hit]:
        out: list[Hit] = []
        for rule, regex, plan in self.rules:
            out.extend(_hits(view, rule, regex, plan, places))
        return out


class RegexRecognizer:
    kind = RuleKind.REGEX.value
    sees_matches = False

    def compile(self, rules: Sequence[Rule], ruleset: RuleSet) -> _Regexes:
        return _Regexes(tuple((r, r.regex, regex_plan(r.regex))
                              for r in rules if r.regex is not None))
