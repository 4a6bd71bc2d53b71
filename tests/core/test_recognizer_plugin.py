"""A third-party recognizer, installed as a package's entry point, runs like a built-in
rule kind: scope, codes, explanation and the same text elsewhere."""

from __future__ import annotations

import dataclasses
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from reviewtool.core.cable.parse import parse_cable
from reviewtool.core.rules.kinds import ENTRY_POINT_GROUP, plugins
from reviewtool.core.rules.model import RuleSet
from reviewtool.core.suggest.engine import suggest
from reviewtool.core.suggest.model import Derived, Origin
from reviewtool.core.suggest.places import Places
from reviewtool.core.suggest.recognizers import recognizer_for
from reviewtool.core.suggest.recognizers.base import PluginKind, PluginMatch
from reviewtool.core.suggest.textview import TextView
from reviewtool.errors import RuleError
from tests.core.rulehelp import ruleset
from tests.plugins.suggest_recognizer import CaseNumbers

CABLE = """S E C R E T PARIS 000999

E.O. 12958: DECL: 01/10/2025
TAGS: PARM PREL FR
SUBJECT: FOLLOW-UP ON AN INVESTIGATION (S)

1. (S) The prosecutor reopened CASE-4711 last week; case-4711 stays sealed.

2. (U) CASE-4712 was discussed; CASE-12 is no case number.
"""


@pytest.fixture
def installed(tmp_path: Path) -> Iterator[None]:
    """`tests.plugins.suggest_recognizer` installed as a distribution (its metadata on
    ``sys.path``), as ``pip install`` of a package declaring the entry point would."""
    dist = tmp_path / "site" / "suggest_recognizer_fake-0.1.dist-info"
    dist.mkdir(parents=True)
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: suggest-recognizer-fake\n"
                                   "Version: 0.1\n", encoding="utf-8")
    (dist / "entry_points.txt").write_text(
        f"[{ENTRY_POINT_GROUP}]\ncase_number = tests.plugins.suggest_recognizer:RECOGNIZER\n",
        encoding="utf-8")
    sys.path.insert(0, str(dist.parent))
    plugins.cache_clear()
    try:
        yield
    finally:
        sys.path.remove(str(dist.parent))
        plugins.cache_clear()


RULES = """ruleset: cases
rules:
  - {id: cases, kind: case_number, codes: ["B7(A)"], reason: Open law enforcement cases.,
     scope: {min_level: S}}
"""


def _case_rules(tmp_path: Path) -> RuleSet:
    """A rule set whose one rule is of the plug-in's kind, built past the loader (a
    terms rule as written in YAML, given the kind): the engine side alone."""
    loaded = ruleset(tmp_path, RULES.replace("kind: case_number", "kind: terms, terms: [x]"))
    (rule,) = loaded.rules
    return dataclasses.replace(loaded, rules=(dataclasses.replace(
        rule, kind="case_number", terms=(), score=CaseNumbers.default_score),))


def _check(found: list) -> None:
    cable = parse_cable(CABLE, source="case.txt")
    # Not CASE-4712: its paragraph is unclassified, outside the rule's scope.
    assert [(s.text, s.paragraph) for s in found] == [("CASE-4711", 0), ("case-4711", 0)]
    first, again = found
    (c,) = first.contributions
    assert (c.rule, c.kind, c.matched, c.score) == ("cases", "case_number", "case CASE-4711",
                                                   pytest.approx(0.9))
    assert first.codes == c.codes == ("(b)(7)(A)",)
    assert "cases (cases, case_number) matched 'case CASE-4711'" in first.explain()
    assert cable.text[first.start:first.end] == "CASE-4711"
    # The same text elsewhere, as for any rule, derived from the plug-in's match.
    (d,) = again.contributions
    assert d.kind == "derived" and d.rule == "cases" and again.codes == first.codes
    assert d.derived == Derived(Origin.SAME_TEXT, "CASE-4711", first.start)


def test_the_engine_runs_an_installed_plugin_kind(installed, tmp_path):
    assert isinstance(recognizer_for("case_number"), PluginKind)
    _check(suggest(parse_cable(CABLE, source="case.txt"), _case_rules(tmp_path)))


def test_a_yaml_rule_set_uses_an_installed_plugin_kind(installed, tmp_path):
    rules = ruleset(tmp_path, RULES)
    _check(suggest(parse_cable(CABLE, source="case.txt"), rules))


def test_a_kind_no_package_provides_is_refused(tmp_path):
    plugins.cache_clear()
    with pytest.raises(RuleError, match="no recognizer for the rule kind 'case_number'"):
        suggest(parse_cable(CABLE, source="case.txt"), _case_rules(tmp_path))


class _Broken(CaseNumbers):
    def __init__(self, match: PluginMatch) -> None:
        self.match = match

    def find(self, compiled, cable, view, places):
        yield self.match


@pytest.mark.parametrize("match, problem", [
    (PluginMatch("other", 0, 4), "names no rule of its kind"),
    (PluginMatch("cases", 5, 5), "has no span of the cable"),
    (PluginMatch("cases", 0, 10**6), "has no span of the cable"),
    (PluginMatch("cases", 0, 4, score=1.5), "has a score outside"),
    ((0, 4), "is not a PluginMatch"),
])
def test_a_malformed_plugin_match_is_refused_naming_the_plugin(tmp_path, match, problem):
    rules = _case_rules(tmp_path)
    compiled = PluginKind(_Broken(match)).compile(rules.rules, rules)
    cable = parse_cable(CABLE, source="case.txt")
    with pytest.raises(RuleError, match=f"plug-in 'case_number': a match {problem}"):
        compiled.find(cable, TextView(cable.text), Places(cable), ())
