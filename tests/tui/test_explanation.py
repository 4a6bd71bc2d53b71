"""The explanation panel reads a derived match's origin from its fields."""

from __future__ import annotations

import json

from reviewtool.core.cable.read import read_cable
from reviewtool.core.rules.load import bundled_rules_path, load_rules
from reviewtool.core.suggest.engine import suggest
from reviewtool.core.suggest.model import Suggestion
from reviewtool.tui.view import Item
from reviewtool.tui.widgets.explanation import explain

from ..conftest import SAMPLES


def test_a_derived_match_names_the_paragraph_it_came_from():
    cable = read_cable(SAMPLES / "05PARIS174.txt")
    found = suggest(cable, load_rules([bundled_rules_path()]))
    s = next(s for s in found if s.contributions[0].derived is not None)
    d = s.contributions[0].derived
    where = cable.paragraph_at(d.start)
    assert where is not None
    # As the engine made it, and as the review store gives it back (from its JSON).
    for shown in (s, Suggestion.from_json(json.loads(json.dumps(s.to_json())))):
        item = Item(shown.id, shown.start, shown.end, shown.text, shown.codes, "pending",
                    shown, None)
        text = explain(item, (1, 1), None, cable).plain
        assert f"derived from {d.source()} in {where.label}" in text
        assert f"derived from {d.describe()}" in explain(item, (1, 1), None).plain
