"""The review screen's parts that need no screen: the focus rules (tui.focus), the lines
of text (tui.review_text), the list's row statuses (view) and the codes proposed for
withholding a paragraph (review_decisions.default_codes)."""

from __future__ import annotations

from datetime import date

import pytest

from reviewtool.core.cable.declass import declassification_status
from reviewtool.core.cable.read import read_cable
from reviewtool.core.review.review import Review
from reviewtool.core.rules.load import load_rules
from reviewtool.core.suggest.engine import suggest
from reviewtool.tui import review_text
from reviewtool.tui.focus import (
    focus_after_decision,
    focus_on_entering,
    paragraph_of,
    step_focus,
)
from reviewtool.tui.order import WalkOrder
from reviewtool.tui.screens.review_decisions import default_codes
from reviewtool.tui.view import (
    Item,
    ItemState,
    group_by_paragraph,
    paragraph_items,
    paragraph_statuses,
    row_status,
)

from .conftest import PARIS174, RULES


def items(*states: str) -> list[Item]:
    """Spans i0, i1, ... in text order, in the states given."""
    return [Item(f"i{n}", n * 10, n * 10 + 5, f"text {n}", ("(b)(6)",), ItemState(state),
                 None, None) for n, state in enumerate(states)]


# ---------------------------------------------------------------------- focus rules

def test_entering_a_paragraph_focuses_the_first_pending_span():
    assert focus_on_entering(items("accepted", "pending", "pending")) == "i1"
    assert focus_on_entering(items("accepted", "rejected")) == "i0"  # none pending
    assert focus_on_entering([]) is None


def test_entering_a_paragraph_prefers_the_wanted_then_the_kept_span():
    spans = items("pending", "accepted", "pending")
    assert focus_on_entering(spans, wanted="i2", kept="i1") == "i2"
    assert focus_on_entering(spans, wanted="gone", kept="i1") == "i1"
    assert focus_on_entering(spans, kept="gone") == "i0"


def test_a_decision_advances_to_the_next_pending_span():
    spans = items("pending", "accepted", "pending", "pending")
    assert focus_after_decision(spans, "i1", advance=True) == "i2"
    # wrapping round to an earlier one; staying put when nothing is pending
    assert focus_after_decision(items("pending", "accepted", "accepted"), "i2",
                                advance=True) == "i0"
    assert focus_after_decision(items("accepted", "accepted"), "i1", advance=True) == "i1"


def test_a_decision_keeps_the_focus_or_takes_the_wanted_or_first_span():
    spans = items("pending", "accepted", "pending")
    assert focus_after_decision(spans, "i1") == "i1"
    assert focus_after_decision(spans, "i1", wanted="i2", advance=True) == "i2"
    assert focus_after_decision(spans, "removed") == "i0"  # e.g. a manual span removed
    assert focus_after_decision(spans, None, advance=True) == "i0"
    assert focus_after_decision([], "i1") is None


def test_stepping_goes_round_the_paragraph():
    spans = items("pending", "pending", "pending")
    assert step_focus(spans, "i2", 1) == "i0"
    assert step_focus(spans, "i0", -1) == "i2"
    assert step_focus(spans, None, 1) == "i0"
    assert step_focus([], "i0", 1) == "i0"


# ---------------------------------------------------------------------- with a review

@pytest.fixture
def review(tmp_path):
    cable = read_cable(PARIS174)
    rules = load_rules([RULES])
    r = Review.open(tmp_path / "reviews", cable, suggest(cable, rules), reviewer="tester",
                    rules_sha256=rules.sha256)
    yield r
    r.close()


def test_paragraph_of_a_decision_target(review):
    s = next(s for s in review.suggestions if s.paragraph == 3)
    p = review.cable.paragraphs[5]
    mid = review.add_manual(p.text_start, p.text_start + 4, ["(b)(6)"])
    assert paragraph_of(review, "p2") == 2
    assert paragraph_of(review, s.id) == 3
    assert paragraph_of(review, mid) == 5
    assert paragraph_of(review, "s-none") is None
    assert paragraph_of(review, None) is None


def test_row_status_after_a_decision_agrees_with_the_full_pass(review):
    by_paragraph = group_by_paragraph(review.suggestions)
    first = by_paragraph[0][0]
    review.accept(first.id)
    review.reject(by_paragraph[1][0].id)
    review.dispose(2, "withhold", ["(b)(1)", "1.4(b)"])
    review.dispose(3, "part")
    rows = paragraph_statuses(review)
    assert rows == {i: row_status(review, by_paragraph, i) for i in rows}
    assert rows[2] == ("withheld", 0)  # a withheld paragraph settles its suggestions
    assert rows[0] == ("to review", len(by_paragraph[0]) - 1)


def test_default_codes_are_those_of_the_spans_not_rejected(review):
    by_paragraph = group_by_paragraph(review.suggestions)
    for s in by_paragraph[2]:
        if "(b)(6)" not in s.codes:
            review.reject(s.id)
    assert default_codes(review, by_paragraph, 2) == ("(b)(6)",)
    states = [it.state for it in paragraph_items(review, by_paragraph, 2)]
    assert states.count(ItemState.REJECTED) == 2


def test_default_codes_of_a_classified_paragraph_without_spans(tmp_path):
    cable = read_cable(PARIS174)
    with Review.open(tmp_path / "bare", cable, [], reviewer="tester",
                     rules_sha256="0" * 64) as bare:
        # (b)(1) and the Classified By reasons (1.5 (b) and (d), read as 1.4).
        assert default_codes(bare, {}, 0) == ("(b)(1)", "1.4(b)", "1.4(d)")


# ---------------------------------------------------------------------- lines of text

def test_banner_flags_unmarked_inherited_and_withheld():
    cable = read_cable(PARIS174)
    plain, inherited = cable.paragraphs[0], cable.paragraphs[4]
    assert review_text.banner(plain, "to review") is None
    assert "inherits (S)" in review_text.banner(inherited, "to review").plain
    both = review_text.banner(inherited, "withheld").plain
    assert "inherits" in both and both.endswith("WITHHELD IN FULL ")


def test_paragraph_line_titles_and_empty_walk(review):
    assert review_text.paragraph_line(None, "to review") is None
    review.dispose(2, "withhold", ["(b)(1)", "1.4(b)"])
    line = review_text.paragraph_line(review.disposition_record(2), "withheld")
    assert line == "paragraph: withheld ((b)(1) 1.4(b)) by tester"
    p = review.cable.paragraphs[2]
    assert review_text.title(p, "withheld") == "¶3 (S//NF) · withheld"
    assert review_text.list_title(WalkOrder.MARKING, None) == "¶ by marking"
    assert review_text.list_title(WalkOrder.DOCUMENT, "S") == "¶ in order · S"
    assert review_text.empty_walk("C").startswith("No paragraphs to show at level C.")


def test_topbar_shows_progress_order_and_level(review):
    cable = review.cable
    status = declassification_status(cable, on=date(2026, 1, 15))
    rows = paragraph_statuses(review)
    bar = review_text.topbar(cable, status, review.progress(), rows, WalkOrder.DOCUMENT, "S").plain
    total = len(review.suggestions)
    assert bar.startswith(" 05PARIS174 ")
    assert f" 0/{total} decided " in bar
    assert f" ¶ 0/{len(cable.paragraphs)} " in bar
    assert bar.endswith(" document order · level S only")
