"""``paragraph`` rules: whole paragraphs, by their marking or by what was found in them.

A rule with ``when`` withholds a paragraph in which one of those rules matched (so it
runs last, on every other hit: `sees_matches`); one without, every paragraph its scope
admits (an unmarked paragraph of a classified cable at a lower score).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from reviewtool.core.cable.model import Cable, Paragraph
from reviewtool.core.rules.kinds import RuleKind
from reviewtool.core.rules.model import Rule, RuleSet
from reviewtool.core.suggest.hits import Hit
from reviewtool.core.suggest.places import Places
from reviewtool.core.suggest.textview import TextView


def _hit(rule: Rule, p: Paragraph, s: int, e: int, found: Sequence[Hit]) -> Hit | None:
    """``rule``'s hit over paragraph ``p`` (its text ``[s, e)``), if any."""
    if rule.when:
        inside = [h for h in found if h.rule.id in rule.when and p.start <= h.start < p.end]
        if not inside or not rule.scope.admits(p.marking, p.unmarked):
            return None
        why = ", ".join(dict.fromkeys(h.rule.id for h in inside))
        return Hit(s, e, rule, "paragraph", f"when {why}", rule.score)
    if not rule.scope.admits(p.marking, p.unmarked):
        return None
    mk = p.marking.format() if p.marking else "unmarked"
    score = rule.score * (0.6 if p.unmarked else 1.0)
    return Hit(s, e, rule, "paragraph", f"marking {mk}", score)


@dataclass(frozen=True)
class _Paragraphs:
    rules: tuple[Rule, ...]

    def find(self, cable: Cable, view: TextView, places: Places,
             found: Sequence[Hit]) -> list[Hit]:
        out = []
        text = cable.text
        for r in self.rules:
            for p in cable.paragraphs:
                s, e = p.text_start, p.end
                while e > s and text[e - 1] in " \t\r\n\\":
                    e -= 1
                if e <= s:
                    continue
                hit = _hit(r, p, s, e, found)
                if hit is not None:
                    out.append(hit)
        return out


class ParagraphRecognizer:
    kind = RuleKind.PARAGRAPH.value
    sees_matches = True

    def compile(self, rules: Sequence[Rule], ruleset: RuleSet) -> _Paragraphs:
        return _Paragraphs(tuple(rules))
