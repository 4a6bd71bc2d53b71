"""The UI's pure helpers: walk order, level filter, code filter, selections, scrolling."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reviewtool.core.cable.codes import ALL_CODES
from reviewtool.core.cable.parse import parse_cable
from reviewtool.core.cable.read import read_cable
from reviewtool.errors import CableError, ReviewError, RuleError, StaleReviewError
from reviewtool.tui.app import advice_for
from reviewtool.tui.order import walk
from reviewtool.tui.screens.codes import filter_codes
from reviewtool.tui.screens.mark import _BREAKS, selection_span
from reviewtool.tui.screens.queue import marking_counts
from reviewtool.tui.view import code_background
from reviewtool.tui.widgets.paragraph_text import line_of

from ..conftest import SAMPLES

PARIS174 = read_cable(SAMPLES / "05PARIS174.txt")


@pytest.mark.parametrize(("order", "level", "labels"), [
    # S//NF first, then S, each in document order (inherited ones follow their marking).
    ("marking", None, ["¶3", "¶6", "¶6+", "¶1", "¶2", "¶4", "¶4+", "¶5"]),
    ("document", None, ["¶1", "¶2", "¶3", "¶4", "¶4+", "¶5", "¶6", "¶6+"]),
    ("marking", "S", ["¶3", "¶6", "¶6+", "¶1", "¶2", "¶4", "¶4+", "¶5"]),
    ("document", "C", []),
    ("marking", "unmarked", []),
])
def test_walk_paris174(order, level, labels):
    got = [PARIS174.paragraphs[i].label for i in walk(PARIS174.paragraphs, order, level)]
    assert got == labels


MIXED = """SECRET
SUBJECT: TEST
1. (U) Unclassified opening.
2. (C) Confidential part.
3. (S//NF) Secret noforn part.
4. (S) Secret part.
5. (TS) Top secret part.
6. No marking at all here.
"""


def test_walk_orders_every_level_and_puts_unmarked_last():
    cable = parse_cable(MIXED)
    order = [cable.paragraphs[i].number for i in walk(cable.paragraphs)]
    unmarked = [p.number for p in cable.paragraphs if p.unmarked or p.marking is None]
    assert order[:5] == ["5", "3", "4", "2", "1"]
    assert order[5:] == unmarked
    assert [cable.paragraphs[i].number for i in walk(cable.paragraphs, level="S")] == ["3", "4"]


@pytest.mark.parametrize(("query", "first"), [
    ("b6", "(b)(6)"), ("B7C", "(b)(7)(C)"), ("1.4d", "1.4(d)"), ("1.4 (b)", "1.4(b)"),
    ("25x1", "25X1"), ("50x1", "50X1-HUM"), ("privacy", "(b)(6)"),
    ("foreign government", "1.4(b)"), ("", "(b)(1)"),
])
def test_filter_codes(query, first):
    got = filter_codes(query)
    assert got[0] == first
    assert len(got) == len(set(got))
    assert set(got) <= set(ALL_CODES)


def test_filter_codes_nothing():
    assert filter_codes("zzzz") == []


@pytest.mark.parametrize(("body", "a", "b", "want"), [
    ("said Bertolotti said", 5, 15, "Bertolotti"),
    ("said Bertolotti said", 15, 4, "Bertolotti"),  # either direction, spaces trimmed
    ("a  \n  b", 1, 5, None),
    ("x", 0, 0, None),
])
def test_selection_span(body, a, b, want):
    span = selection_span(body, 100, a, b)
    got = None if span is None else ("?" * 100 + body)[span[0]:span[1]]
    assert got == want


@given(st.text(alphabet="ab \n\r\x0b\u2028", max_size=40))
@settings(max_examples=60, deadline=None)
def test_breaks_keep_offsets(text):
    shown = text.translate(_BREAKS)
    assert len(shown) == len(text)
    # The only line break left is "\n", so TextArea rows map back to offsets exactly.
    assert len(shown.splitlines()) == shown.count("\n") + (0 if shown.endswith("\n")
                                                          or not shown else 1)


@pytest.mark.parametrize(("text", "offset", "width", "line"), [
    ("abcdef", 0, 10, 0), ("a" * 25, 24, 10, 2), ("ab\ncd\nef", 7, 10, 2),
    ("a" * 15 + "\nxy", 17, 10, 2),
])
def test_line_of(text, offset, width, line):
    assert line_of(text, offset, width) == line


def test_code_colours_by_family():
    assert code_background(["(b)(1)", "1.4(d)"]) == code_background(["(b)(1)", "1.4(b)"])
    assert code_background(["(b)(6)"]) == code_background(["(b)(7)(C)"])
    assert code_background(["(b)(6)"]) != code_background(["(b)(1)"])


def test_marking_counts():
    assert marking_counts(PARIS174) == "3 S//NF · 5 S"


def test_reflow_keeps_every_offset_and_list_breaks():
    from reviewtool import read_cable
    from reviewtool.tui.widgets.paragraph_text import reflow

    from ..conftest import SAMPLES

    c = read_cable(SAMPLES / "05PARIS1196.txt")
    for p in c.paragraphs:
        shown = reflow(p.text)
        assert len(shown) == len(p.text)
        pairs = zip(shown, p.text, strict=True)
        assert all(a == b or (a == " " and b in " \n\\") for a, b in pairs)
    assert "\n" not in reflow(c.paragraphs[2].text)
    listed = "1. (C) The minister raised three points of real concern:\n-- first item\n-- second"
    assert reflow(listed).count("\n") == 2


@pytest.mark.parametrize("exc, words", [
    (StaleReviewError("rule sets changed since the review of X began"), "--rules"),
    (RuleError("rules/x.yaml:3: rule 'a': unknown key"), "rules check"),
    # A message that happens to say "changed" or "rule" is not a stale review.
    (CableError("the file changed while it was read"), "Check the file"),
    (ReviewError("not a review store: rule"), "Check the file"),
])
def test_advice_follows_the_error_type_not_its_words(exc, words) -> None:
    assert words in advice_for(exc)
