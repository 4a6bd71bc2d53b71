"""A stored review begun on another cable text or other rule sets is refused with its own
error type, which the front ends turn into advice without reading the message."""

from __future__ import annotations

from pathlib import Path

import pytest

from reviewtool.core.cable.parse import parse_cable
from reviewtool.core.review.review import Review
from reviewtool.errors import ReviewError, StaleReviewError
from tests.core.handmade import RULES_SHA, Clock, cable, term_suggestions


@pytest.mark.parametrize("change, words", [
    ("rules", "rule sets changed since the review of 05PARIS174 began"),
    ("cable", "cable 05PARIS174 changed since the review began"),
])
def test_a_changed_cable_or_rule_set_is_a_stale_review(tmp_path: Path, change: str,
                                                        words: str) -> None:
    c = cable("05PARIS174")
    Review.open(tmp_path, c, term_suggestions(c), reviewer="a", rules_sha256=RULES_SHA,
                clock=Clock()).close()
    if change == "cable":
        c = parse_cable(c.text + "\nADDED LINE\n", source=c.source)
    rules = "f" * 64 if change == "rules" else RULES_SHA
    with pytest.raises(StaleReviewError, match=words) as info:
        Review.open(tmp_path, c, term_suggestions(c), reviewer="a", rules_sha256=rules,
                    clock=Clock())
    assert isinstance(info.value, ReviewError)  # callers catching ReviewError still do
