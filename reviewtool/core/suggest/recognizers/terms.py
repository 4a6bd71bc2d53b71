"""``terms`` rules: listed words and phrases, and near-miss spellings of them (``fuzzy``).

Every terms rule of a rule set shares one `TermMatcher` (thousands of terms cost about
what a few cost) and two `FuzzyMatcher`s: capitalized terms get one of their own, which
looks only at capitalized words (much faster). Near-miss spellings are not sought among
ordinary words, jargon and place names ("Scud" vs "Such", "Ghauri" vs "Gharui" yes,
"Paris" no).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from reviewtool.core.cable.model import Cable
from reviewtool.core.rules.kinds import RuleKind
from reviewtool.core.rules.model import Rule, RuleSet
from reviewtool.core.suggest.hits import Hit
from reviewtool.core.suggest.matchers import FuzzyMatcher, TermMatcher, is_capitalized
from reviewtool.core.suggest.names import lexicon
from reviewtool.core.suggest.places import Places, in_scope
from reviewtool.core.suggest.textview import TextView

_Payload = tuple[int, str]  # (index of the rule in `_Terms.rules`, the term)


@dataclass(frozen=True)
class _Terms:
    rules: tuple[Rule, ...]
    exact: TermMatcher[_Payload]
    fuzzy: tuple[FuzzyMatcher[_Payload], FuzzyMatcher[_Payload]]  # (others, capitalized)

    def find(self, cable: Cable, view: TextView, places: Places,
             found: Sequence[Hit]) -> list[Hit]:
        out: list[Hit] = []
        rules = self.rules
        for h in self.exact.find(view):
            s, e = view.span(h.start, h.end)
            locus = places.locus(s, e)
            for i, term in h.payloads:
                r = rules[i]
                if in_scope(r, locus):
                    out.append(Hit(s, e, r, "terms", term, r.score))
        for fh in (h for matcher in self.fuzzy for h in matcher.find(view)):
            s, e = view.span(fh.start, fh.end)
            locus = places.locus(s, e)
            for i, term in fh.payloads:
                r = rules[i]
                if in_scope(r, locus):
                    out.append(Hit(s, e, r, "terms", term, r.score * fh.score / 100,
                                   fh.score))
        return out


class TermsRecognizer:
    kind = RuleKind.TERMS.value
    sees_matches = False

    def compile(self, rules: Sequence[Rule], ruleset: RuleSet) -> _Terms:
        exact: TermMatcher[_Payload] = TermMatcher()
        never = lexicon().never
        fuzzy: tuple[FuzzyMatcher[_Payload], FuzzyMatcher[_Payload]] = (
            FuzzyMatcher(skip=never), FuzzyMatcher(skip=never))
        for i, r in enumerate(rules):
            for t in r.terms:
                exact.add(t, (i, t), r.case_sensitive)
                if r.fuzzy is not None:
                    fuzzy[is_capitalized(t)].add(t, (i, t), r.fuzzy, r.case_sensitive)
        return _Terms(tuple(rules), exact, fuzzy)
