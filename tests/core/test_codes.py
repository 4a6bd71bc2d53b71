"""The exemption-code vocabulary: what reviewers type, what releases print."""

import pytest

from reviewtool.core.cable.codes import (
    ALL_CODES,
    code_sort_key,
    describe,
    is_code,
    normalize_code,
    short_code,
    sort_codes,
)

NORMALIZE = [
    ("b6", "(b)(6)"),
    ("B6", "(b)(6)"),
    ("(b)(6)", "(b)(6)"),
    ("(B)(6)", "(b)(6)"),
    ("b(6)", "(b)(6)"),
    (" (b) (1) ", "(b)(1)"),
    ("b7c", "(b)(7)(C)"),
    ("B7(C)", "(b)(7)(C)"),
    ("(b)(7)(f)", "(b)(7)(F)"),
    ("1.4d", "1.4(d)"),
    ("1.4(d)", "1.4(d)"),
    ("1.4 (D)", "1.4(d)"),
    ("E.O. 13526 1.4(b)", "1.4(b)"),
    ("25x1", "25X1"),
    ("25X9", "25X9"),
    ("50x1-hum", "50X1-HUM"),
    ("50X1HUM", "50X1-HUM"),
    ("50X2-WMD", "50X2-WMD"),
]


@pytest.mark.parametrize(("typed", "canonical"), NORMALIZE)
def test_normalize(typed, canonical):
    assert normalize_code(typed) == canonical
    assert canonical in ALL_CODES


@pytest.mark.parametrize("bad", ["B10", "b0", "b6g", "1.4(i)", "1.5(b)", "25X0", "50X3",
                                 "50X1-WMD", "", "   ", "secret", "b8c"])
def test_unknown_codes_raise(bad):
    with pytest.raises(ValueError):
        normalize_code(bad)
    assert not is_code(bad)


SHORT = [
    ("(b)(6)", "B6"),
    ("b1", "B1"),
    ("(b)(7)(C)", "B7(C)"),
    ("1.4(d)", "1.4(D)"),
    ("1.4(b)", "1.4(B)"),
    ("25X1", "25X1"),
    ("50X1-HUM", "50X1-HUM"),
    ("deliberative", "DELIBERATIVE"),  # a rule set's own code
]


@pytest.mark.parametrize(("code", "mark"), SHORT)
def test_short_code(code, mark):
    assert short_code(code) == mark


def test_extra_codes_are_declared_per_rule_set():
    assert normalize_code("pii-local", extra=["PII-LOCAL"]) == "PII-LOCAL"
    with pytest.raises(ValueError):
        normalize_code("pii-local")


def test_vocabulary_order_and_families():
    codes = list(ALL_CODES)
    assert codes[:6] == ["(b)(1)", "(b)(2)", "(b)(3)", "(b)(4)", "(b)(5)", "(b)(6)"]
    assert [c for c in codes if c.startswith("(b)(7)(")] == [
        f"(b)(7)({x})" for x in "ABCDEF"]
    assert [c for c in codes if c.startswith("1.4")] == [f"1.4({x})" for x in "abcdefgh"]
    assert [c for c in codes if c.startswith("25X")] == [f"25X{i}" for i in range(1, 10)]
    assert "50X1-HUM" in codes and "50X2-WMD" in codes
    assert all(describe(c) for c in codes)


def test_sort_codes_orders_and_dedupes():
    assert sort_codes(["1.4(d)", "(b)(6)", "(b)(1)", "1.4(b)", "(b)(6)", "OWN", "50X1-HUM"]) == (
        "(b)(1)", "(b)(6)", "1.4(b)", "1.4(d)", "50X1-HUM", "OWN")
    assert code_sort_key("b6") == code_sort_key("(b)(6)")
