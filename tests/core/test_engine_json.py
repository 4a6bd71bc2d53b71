"""`Suggestion.to_json` is the documented `suggest --json` object, and round-trips."""

import json

from reviewtool.core.cable.read import read_cable
from reviewtool.core.rules.load import bundled_rules_path, load_rules
from reviewtool.core.suggest.engine import suggest
from reviewtool.core.suggest.model import Suggestion
from tests.conftest import SAMPLES


def test_to_json_has_every_contribution_field_and_round_trips():
    rules = load_rules([bundled_rules_path()])
    seen = 0
    for name in ["05PARIS174.txt", "09USNATO30.txt", "06BERN2115.txt"]:
        for s in suggest(read_cable(SAMPLES / name), rules):
            obj = s.to_json()
            assert obj["contributions"] == [c._asdict() for c in s.contributions]
            assert {"cable", "id", "start", "end", "text", "paragraph", "marking", "codes",
                    "score", "rules", "explanation"} <= obj.keys()
            back = Suggestion.from_json(json.loads(json.dumps(obj)))
            assert back == s
            seen += 1
    assert seen > 20
