"""`Suggestion.to_json` is the documented `suggest --json` object, and round-trips."""

import json

import pytest

from reviewtool.core.cable.read import read_cable
from reviewtool.core.rules.load import bundled_rules_path, load_rules
from reviewtool.core.suggest.engine import suggest
from reviewtool.core.suggest.model import JSON_FIELDS, Derived, Origin, Suggestion
from tests.conftest import SAMPLES


def as_stored(s: Suggestion) -> Suggestion:
    """``s`` as the JSON records it: without its contributions' scores."""
    return s._replace(contributions=tuple(c._replace(base_score=None, score=None)
                                          for c in s.contributions))


def test_to_json_has_every_contribution_field_and_round_trips():
    rules = load_rules([bundled_rules_path()])
    seen = derived = 0
    for name in ["05PARIS174.txt", "09USNATO30.txt", "06BERN2115.txt"]:
        for s in suggest(read_cable(SAMPLES / name), rules):
            obj = s.to_json()
            assert obj["contributions"] == [{f: getattr(c, f) for f in JSON_FIELDS}
                                            for c in s.contributions]
            assert [list(c) for c in obj["contributions"]] == [list(JSON_FIELDS)] * len(
                s.contributions)
            assert {"cable", "id", "start", "end", "text", "paragraph", "marking", "codes",
                    "score", "rules", "explanation"} <= obj.keys()
            back = Suggestion.from_json(json.loads(json.dumps(obj)))
            assert back == as_stored(s)
            assert json.dumps(back.to_json()) == json.dumps(obj)
            derived += sum(c.derived is not None for c in back.contributions)
            seen += 1
    assert seen > 20 and derived > 5


@pytest.mark.parametrize("derived, text", [
    (Derived(Origin.PROPAGATED, "David Bertolotti", 1345), "'David Bertolotti' at 1345"),
    (Derived(Origin.SAME_TEXT, "Rice", 7), "same text as 'Rice' at 7"),
    (Derived(Origin.NEAR_SPELLING, "Milosevic", 0), "near spelling of 'Milosevic' at 0"),
    (Derived(Origin.SAME_TEXT, "O'Neill", 12), "same text as \"O'Neill\" at 12"),
    (Derived(Origin.SAME_TEXT, "a 'b' \"c\" at 3", 40),
     "same text as 'a \\'b\\' \"c\" at 3' at 40"),
    (Derived(Origin.PROPAGATED, "Ngô Đình", 99), "'Ngô Đình' at 99"),
])
def test_derived_from_is_described_and_parsed_back(derived, text):
    assert derived.describe() == text
    assert Derived.parse(text) == derived


@pytest.mark.parametrize("text", ["", "'Rice'", "Rice at 3", "same text as 'Rice' at x",
                                  "copied from 'Rice' at 3", "same text as 3 at 3"])
def test_a_malformed_derived_from_is_refused(text):
    with pytest.raises(ValueError):
        Derived.parse(text)
