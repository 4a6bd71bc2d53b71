"""A tiny third-party recognizer, as a package would ship one: case numbers
(``CASE-1234``). `tests/core/test_recognizer_plugin.py` installs it under the entry
point group ``reviewtool.recognizers`` and uses its kind in a rule set."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from reviewtool.core.cable.model import Cable
from reviewtool.core.rules.model import Rule, RuleSet
from reviewtool.core.suggest.places import Places
from reviewtool.core.suggest.recognizers.base import PluginMatch
from reviewtool.core.suggest.textview import TextView

_CASE = re.compile(r"\bCASE-\d{3,}\b")


class CaseNumbers:
    kind = "case_number"
    keys: frozenset[str] = frozenset()
    default_score = 0.9

    def validate(self, options: Mapping[str, Any]) -> Mapping[str, Any]:
        return dict(options)

    def compile(self, rules: Sequence[Rule], ruleset: RuleSet) -> tuple[str, ...]:
        return tuple(r.id for r in rules)

    def find(self, compiled: object, cable: Cable, view: TextView,
             places: Places) -> Iterator[PluginMatch]:
        assert isinstance(compiled, tuple)
        for m in _CASE.finditer(cable.text):
            for rule in compiled:
                yield PluginMatch(rule, m.start(), m.end(), evidence=f"case {m.group()}")


RECOGNIZER = CaseNumbers()
