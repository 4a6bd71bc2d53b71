"""RuleSet + Cable -> `Suggestion`s, each with an explanation of every rule that fired.

`suggest(cable, rules)` runs one recognizer per rule kind (`recognizers`: compiled
once per rule set and cached on it) over a normalized view of the cable (`TextView`),
each match kept inside its rule's scope (`places`: where, body, header, subject or all,
and the paragraph's effective marking); drops allow-listed text (`allow`); propagates
names found by name, field and pattern rules to their later bare mentions and suggests
every other occurrence of a suggested name or term, near spellings of withheld names
too (`sametext`: the release leak check refuses a copy that withholds a text in one
place and shows it in another); runs the recognizers that look at what the others
found (`paragraph` rules); raises scores for context words; and merges overlapping
matches into one suggestion that keeps every contribution (`merge`).
Same input, same output, same order (sorted by start). `match_text` runs one rule on a
plain string (used by `rules test`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from reviewtool.core.cable.model import Cable
from reviewtool.core.cable.parse import parse_cable
from reviewtool.core.rules.kinds import RuleKind
from reviewtool.core.rules.model import Rule, RuleSet
from reviewtool.core.suggest.allow import AllowList
from reviewtool.core.suggest.hits import Hit
from reviewtool.core.suggest.matchers import find_words
from reviewtool.core.suggest.merge import merge
from reviewtool.core.suggest.model import Suggestion
from reviewtool.core.suggest.places import Places
from reviewtool.core.suggest.recognizers import recognizer_for
from reviewtool.core.suggest.recognizers.base import Compiled
from reviewtool.core.suggest.sametext import propagate, same_text
from reviewtool.core.suggest.textview import TextView

CONTEXT_WINDOW = 120  # normalized characters either side searched for context words
CONTEXT_BOOST = 0.1  # score added per context word found


@dataclass(frozen=True)
class _Compiled:
    """A rule set ready to run: its recognizers compiled, in the order they run."""

    # The terms recognizer (its rules share one matcher; its hits come in the matcher's
    # order), then one per other kind, by its first rule: their hits are put in rule
    # order (`_matches`), the order merging has always broken ties by.
    early: tuple[Compiled, ...]
    late: tuple[Compiled, ...]  # recognizers that look at the others' hits
    allow: AllowList
    position: dict[str, int]  # rule id -> its place in the rule set


def _compile(rules: RuleSet) -> _Compiled:
    cached = rules.cache.get("engine")
    if isinstance(cached, _Compiled):
        return cached
    by_kind: dict[str, list[Rule]] = {RuleKind.TERMS.value: []}
    for r in rules.rules:
        by_kind.setdefault(r.kind, []).append(r)
    early: list[Compiled] = []
    late: list[Compiled] = []
    for kind, of_kind in by_kind.items():
        recognizer = recognizer_for(kind)
        (late if recognizer.sees_matches else early).append(recognizer.compile(of_kind, rules))
    compiled = _Compiled(tuple(early), tuple(late), AllowList.compile(rules.allow),
                         {r.id: i for i, r in enumerate(rules.rules)})
    rules.cache["engine"] = compiled
    return compiled


def _matches(comp: _Compiled, cable: Cable, view: TextView, places: Places) -> list[Hit]:
    """What the early recognizers find: the terms recognizer's hits, then every other
    rule's in rule order (a stable sort: each rule's hits in its recognizer's order)."""
    terms, *others = comp.early
    hits = terms.find(cable, view, places, ())
    rest = [h for c in others for h in c.find(cable, view, places, ())]
    position = comp.position
    rest.sort(key=lambda h: position[h.rule.id])
    hits.extend(rest)
    return hits


def _add_context(view: TextView, hits: list[Hit]) -> None:
    """Raise each hit's score by `CONTEXT_BOOST` per context word of its rule found
    within `CONTEXT_WINDOW` of it (the score before is kept as ``base_score``)."""
    for h in hits:
        if not h.rule.context:
            continue
        ns, ne = view.norm_pos(h.start), view.norm_pos(h.end - 1) + 1
        # Nearby means either side of the match, not inside it.
        found = find_words(view, h.rule.context, max(0, ns - CONTEXT_WINDOW), ns)
        found += find_words(view, h.rule.context, ne, min(len(view.norm), ne + CONTEXT_WINDOW))
        found = tuple(dict.fromkeys(found))
        if found:
            h.context = found
            h.base_score = h.score
            h.score = min(1.0, h.score + CONTEXT_BOOST * len(found))


def suggest(cable: Cable, rules: RuleSet) -> list[Suggestion]:
    """Suggested redactions for ``cable`` under ``rules``, sorted by start."""
    comp = _compile(rules)
    view = TextView(cable.text)
    places = Places(cable)
    allow = comp.allow
    allowed = allow.spans(view) if allow.keys else []
    hits = allow.drop(view, _matches(comp, cable, view, places), allowed)
    hits.extend(allow.drop(view, propagate(view, hits, places), allowed))
    hits.extend(allow.drop(view, same_text(view, hits, places), allowed))
    for late in comp.late:
        hits.extend(late.find(cable, view, places, hits))
    _add_context(view, hits)
    return merge(cable, hits)


# --------------------------------------------------------------------------- examples

_EXAMPLE_HEADER = "E.O. 12958: DECL: 01/01/2030\nTAGS: PREL\nSUBJECT: EXAMPLE\n\n1. (S) "


def example_cable(text: str) -> Cable:
    """A cable for a rule example: the text itself when it parses as a cable with
    paragraphs, else the text as paragraph 1 of a SECRET cable."""
    try:
        cable = parse_cable(text, source="<example>")
        if cable.paragraphs or cable.classified_by:
            return cable
    except Exception:  # noqa: BLE001 - not a cable: wrap it
        pass
    return parse_cable(_EXAMPLE_HEADER + text + "\n", source="<example>")


def match_text(text: str, rule: Rule, rules: RuleSet) -> list[str]:
    """The texts ``rule`` contributes to when the rule set runs on ``text``."""
    cable = example_cable(text)
    one = RuleSet(tuple(r for r in rules.rules if r.id == rule.id or r.id in rule.when),
                  rules.sets, rules.allow, rules.policy, rules.sha256, rules.extra_codes)
    found = []
    for s in suggest(cable, one):
        for c in s.contributions:
            if c.rule == rule.id:
                found.append(cable.text[c.start:c.end])
    return list(dict.fromkeys(found))


def rule_examples(rules: RuleSet) -> Iterable[tuple[Rule, str, bool, str | None]]:
    """Each example's outcome: (rule, example text, passed, what went wrong)."""
    for r in rules.rules:
        for ex in r.match_examples:
            got = match_text(ex.text, r, rules)
            if not got:
                yield r, ex.text, False, "expected a match, got none"
            elif ex.expect and not set(ex.expect) <= {" ".join(g.split()) for g in got}:
                yield r, ex.text, False, f"expected {list(ex.expect)}, got {got}"
            else:
                yield r, ex.text, True, None
        for ex in r.no_match_examples:
            got = match_text(ex.text, r, rules)
            if got:
                yield r, ex.text, False, f"expected no match, got {got}"
            else:
                yield r, ex.text, True, None
