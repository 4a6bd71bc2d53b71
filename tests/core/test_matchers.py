"""Matchers: the normalized view, one compiled matcher for many terms, fuzzy search."""

import re
from bisect import bisect_right
from itertools import accumulate

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reviewtool.core.suggest import textview
from reviewtool.core.suggest.matchers import (
    _ANY_RUN,
    _CAP_RUN,
    _RUN_WORD,
    _TITLE_RUN,
    FuzzyMatcher,
    TermMatcher,
    find_exact,
    regex_plan,
    run_regex,
    trie_regex,
)
from reviewtool.core.suggest.textview import TextView, safe_lower
from tests.conftest import CORPUS, SAMPLES


def found(text: str, terms: list[str], case_sensitive: bool = False) -> list[str]:
    m = TermMatcher()
    for t in terms:
        m.add(t, t, case_sensitive)
    view = TextView(text)
    out = []
    for h in m.find(view):
        s, e = view.span(h.start, h.end)
        out.append(text[s:e])
    return out


TERM_CASES = [
    # text, terms, expected original texts
    ("Bertolotti said", ["Bertolotti"], ["Bertolotti"]),
    ("David\n  Bertolotti said", ["David Bertolotti"], ["David\n  Bertolotti"]),
    ("David \\\n Bertolotti", ["David Bertolotti"], ["David \\\n Bertolotti"]),  # db row
    ("Bertolotti's view", ["Bertolotti"], ["Bertolotti"]),
    ("(Bertolotti)", ["Bertolotti"], ["Bertolotti"]),
    ("POC: Bertolotti, MFA.", ["Bertolotti"], ["Bertolotti"]),
    ('"Bertolotti"', ["Bertolotti"], ["Bertolotti"]),
    ("BERTOLOTTI SAID", ["Bertolotti"], ["BERTOLOTTI"]),
    ("Bertolottis", ["Bertolotti"], []),  # whole words only
    ("Bertolotti2", ["Bertolotti"], []),
    ("xBertolotti", ["Bertolotti"], []),
    ("the U.S. said", ["U.S."], ["U.S."]),
    ("a non-paper, given", ["non-paper"], ["non-paper"]),
    ("Velasco (strictly protect).", ["(strictly protect)"], ["(strictly protect)"]),
    # overlapping terms: every term is found
    ("David Bertolotti", ["David Bertolotti", "Bertolotti", "David"],
     ["David Bertolotti", "David", "Bertolotti"]),
    ("ballistic missile program", ["ballistic missile", "missile program"],
     ["ballistic missile", "missile program"]),
]


@pytest.mark.parametrize(("text", "terms", "expected"), TERM_CASES)
def test_terms(text, terms, expected):
    assert found(text, terms) == expected


def test_case_sensitive_terms():
    assert found("Dry and dry", ["Dry"], case_sensitive=True) == ["Dry"]
    assert found("Dry and dry", ["Dry"]) == ["Dry", "dry"]


def test_payloads_of_every_rule_are_kept():
    m = TermMatcher()
    m.add("Bertolotti", "rule-a")
    m.add("bertolotti", "rule-b")
    (hit,) = list(m.find(TextView("Bertolotti")))
    assert hit.payloads == ("rule-a", "rule-b")


def test_view_maps_every_character_back():
    text = "a  b\n\n c \\\n d\te\u00a0f"
    view = TextView(text)
    assert view.norm == "a b c d e f"
    for i, ch in enumerate(view.norm):
        o = view.orig(i)
        assert text[o] == ch or (ch == " " and text[o].isspace() or text[o] == "\\")
    assert view.span(0, len(view.norm)) == (0, len(text))


words = st.sampled_from(["Bertolotti", "David", "Dry", "(protect)", "U.S.", "said", "the",
                         "Bertolotti's", "MFA", "x"])
seps = st.sampled_from([" ", "  ", "\n", " \\\n ", "\n\n", ", ", ". ", "\t"])


# Words of every kind for the matchers' fast paths: ASCII, non-ASCII letters inside,
# first or only ("Élodie", "иван"), hyphens, digits, look-alike pieces.
_ODD_WORDS = ["Élodie", "élodie", "иван", "Иван петров", "naïve", "naïve man", "x-ray",
              "x", "ray", "5th fleet", "5th", "fleet", "u.s.", "Le", "le-", "_a", "dé-jà"]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(words, seps), min_size=1, max_size=30),
       st.lists(words, min_size=1, max_size=4))
def test_terms_agree_with_a_simple_reference(pieces, terms):
    """Every hit maps back to text that normalizes to its term, and the matcher finds
    exactly what a plain regex per term finds on the normalized text."""
    check_terms(pieces, terms)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(_ODD_WORDS) | words, seps), min_size=1,
                max_size=30),
       st.lists(st.sampled_from(_ODD_WORDS) | words, min_size=1, max_size=6),
       st.sampled_from([3, 16, 1024]))
def test_terms_agree_with_a_simple_reference_odd_words(pieces, terms, block):
    saved, textview._BLOCK = textview._BLOCK, block  # blocks of the text tokenized
    try:
        check_terms(pieces, terms)
    finally:
        textview._BLOCK = saved


def check_terms(pieces, terms):
    text = "".join(w + s for w, s in pieces)
    view = TextView(text)
    m = TermMatcher()
    for t in terms:
        m.add(t, t)
    got = set()
    for h in m.find(view):
        s, e = view.span(h.start, h.end)
        assert " ".join(text[s:e].replace("\\", " ").split()).lower() == h.key
        got.add((h.start, h.end))
    expected = set()
    for t in set(terms):
        key = t.lower()
        left = r"(?<!\w)" if key[0].isalnum() else ""
        right = r"(?!\w)" if key[-1].isalnum() else ""
        for mm in re.finditer(left + re.escape(key) + right, view.lower):
            expected.add(mm.span())
        # overlapping occurrences (e.g. "x x") are found by a lookahead
        for mm in re.finditer(left + "(?=" + re.escape(key) + right + ")", view.lower):
            expected.add((mm.start(), mm.start() + len(key)))
    assert got == expected


def test_trie_regex_shape():
    assert trie_regex(["ab", "abc", "ad"]) == r"a(?:b(?:c(?!\w)|(?!\w))|d(?!\w))"


def test_many_terms_compile_to_one_pattern():
    m = TermMatcher()
    for i in range(5000):
        m.add(f"Name{i:04d}", i)
    text = "met Name0042 and Name4999 but not Name10000"
    assert [h.payloads for h in m.find(TextView(text))] == [(42,), (4999,)]


FUZZY = [
    # text, term, cutoff, expected window or None
    ("Bertoloti said", "Bertolotti", 85, "Bertoloti"),
    ("Bertolottti said", "Bertolotti", 85, "Bertolottti"),
    ("Bertolotit said", "Bertolotti", 85, "Bertolotit"),
    ("Bertolucci said", "Bertolotti", 90, None),
    ("David Bertoloti", "David Bertolotti", 85, "David Bertoloti"),
    ("Davdi Bertolotti", "David Bertolotti", 85, "Davdi Bertolotti"),
    ("Bertolotti said", "Bertolotti", 85, None),  # exact: left to the term matcher
    ("bertoloti said", "Bertolotti", 85, None),  # capitalized terms: capitalized windows
]


@pytest.mark.parametrize(("text", "term", "cutoff", "expected"), FUZZY)
def test_fuzzy(text, term, cutoff, expected):
    fm = FuzzyMatcher()
    fm.add(term, "r", cutoff)
    view = TextView(text)
    hits = list(fm.find(view))
    if expected is None:
        assert hits == []
    else:
        (h,) = hits
        assert text[slice(*view.span(h.start, h.end))] == expected
        assert cutoff <= h.score < 100 and h.payloads == ("r",)


def test_fuzzy_lowercase_terms_search_every_word():
    fm = FuzzyMatcher()
    fm.add("centrifuge", "r", 85)
    assert [h.text for h in fm.find(TextView("the centrifuje hall"))] == ["centrifuje"]


@pytest.mark.parametrize(("text", "expected"), [
    ("xBertolotti Bertolotti", ["Bertolotti"]),  # capitalized terms: left edge checked
    ("Bertolotti's (Bertolotti) BERTOLOTTI", ["Bertolotti", "Bertolotti"]),
    ("McBertolotti Bertolotti-Smith", ["Bertolotti", "Smith"]),
])
def test_capitalized_case_sensitive_terms(text, expected):
    assert found(text, ["Bertolotti", "Smith"], case_sensitive=True) == expected


# --------------------------------------------------------------------------- fast paths
# The hot helpers are checked against their plain definitions.

_WORDISH = st.text(alphabet="ab_ .-'é1\n", max_size=30)


@settings(max_examples=150, deadline=None)
@given(_WORDISH, st.text(alphabet="ab_ .-é", min_size=1, max_size=4))
def test_find_exact_is_whole_word_find(text, needle):
    def word(c):
        return c.isalnum() or c == "_"
    n = len(needle)
    expected = [i for i in range(len(text) - n + 1) if text.startswith(needle, i)
                and (i == 0 or not word(text[i - 1]) or not word(needle[0]))
                and (i + n >= len(text) or not word(text[i + n]) or not word(needle[-1]))]
    assert list(find_exact(text, needle)) == expected


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(["said", "told", "noted", "the", "Minister", "xx"]),
                max_size=12))
def test_run_regex_finds_what_the_pattern_finds(words):
    text = " ".join(words)
    pattern = re.compile(r"(?:Minister|the) \w+ (?:said|told|noted)")
    plan = regex_plan(pattern)
    assert plan is not None and len(plan.options) >= 2
    view = TextView(text)
    assert [m.span() for m in run_regex(pattern, plan, view)] == \
        [m.span() for m in pattern.finditer(view.norm)]


class _PlainView:
    """`TextView` as first written (one regex split, a break point at every whitespace
    character or run): the reference the fast paths are checked against."""

    _SPLIT = re.compile(r"([\s\\][\s\\]+|[^\S ])")

    def __init__(self, text: str) -> None:
        parts = self._SPLIT.split(text)
        pieces = parts[0::2]
        self.norm = " ".join(pieces)
        self.lower = safe_lower(self.norm)
        ob = [0, *accumulate(map(len, parts))][2::2]
        self._ob = [0, *ob]
        self._nb = [0, *accumulate(map((1).__add__, map(len, pieces[:-1])))]

    def orig(self, npos: int) -> int:
        i = bisect_right(self._nb, npos) - 1
        return self._ob[i] + (npos - self._nb[i])

    def norm_pos(self, opos: int) -> int:
        i = bisect_right(self._ob, opos) - 1
        n = self._nb[i] + (opos - self._ob[i])
        nxt = self._nb[i + 1] if i + 1 < len(self._nb) else len(self.norm) + 1
        return min(n, nxt - 1) if nxt - 1 >= self._nb[i] else n


def assert_same_view(text: str) -> None:
    view, plain = TextView(text), _PlainView(text)
    assert view.norm == plain.norm
    assert view.lower == plain.lower
    assert [view.orig(i) for i in range(len(view.norm) + 1)] == \
        [plain.orig(i) for i in range(len(plain.norm) + 1)]
    assert [view.norm_pos(i) for i in range(len(text) + 1)] == \
        [plain.norm_pos(i) for i in range(len(text) + 1)]


# Every kind of whitespace (ASCII, the separators \x1c-\x1f, non-ASCII ones), the
# backslash of database rows, characters that lower-case oddly.
_VIEW_CHARS = st.sampled_from(list(" \t\n\r\x0b\x0c\x1c\x1f\\\x85\xa0\u2028\u3000aB.éΣİ"))


@settings(max_examples=400, deadline=None)
@given(st.lists(st.one_of(_VIEW_CHARS, st.sampled_from(["  ", "   ", " \n ", "ab cd"])),
                max_size=40).map("".join))
def test_view_agrees_with_the_plain_algorithm(text):
    assert_same_view(text)


def test_view_agrees_with_the_plain_algorithm_on_cables():
    files = sorted(SAMPLES.glob("*.txt"))
    if CORPUS.is_dir():  # every 100th cable of the shared corpus, when it is here
        files += sorted(CORPUS.glob("*.txt"))[::100]
    assert files
    for f in files:
        assert_same_view(f.read_bytes().decode("utf-8", "replace"))  # \r kept


def _scanned_windows(fm: FuzzyMatcher, view: TextView) -> list[tuple[int, int]]:
    """The windows of two words or more that the run scan (the plain way: every run of
    two words or more, every window in it) would score, for `FuzzyMatcher._anchored`."""
    if not fm._capitalized:
        rx = _ANY_RUN
    else:
        rx = _CAP_RUN if fm._caps_ok else _TITLE_RUN
    low, out = view.lower, []
    for m in re.compile(rx.pattern[:-1] + "+").finditer(view.norm):
        parts = low[m.start():m.end()].split(" ")
        starts = list(accumulate([m.start()] + [len(p) + 1 for p in parts[:-1]]))
        for i, first in enumerate(parts):
            for k in fm._nwords:
                j = i + k - 1
                if j >= len(parts):
                    break
                s0, e = starts[i], starts[j] + len(parts[j])
                lo, hi = fm._len[k]
                firsts, lasts = fm._ends[k]
                if (lo - 1 <= e - s0 <= hi + 1 and first not in fm._skip
                        and parts[j] not in fm._skip
                        and (first in firsts or parts[j] in lasts)):
                    out.append((s0, e))
    return out


_NAME_WORDS = ["David", "DAVID", "david", "DaVid", "Bertolotti", "Smith", "smith", "Hans",
               "Hans-Peter", "Jean-Luc", "Élodie", "Müller", "Иван", "McDonald", "Le",
               "le", "Mary", "Ann", "Mary-Ann", "Said", "x", "the", "De"]
_NAME_SEPS = [" ", " ", " ", "  ", "\n", ", ", ". ", "-", " -", "'s ", " (", ") ", "_"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(_NAME_WORDS), st.sampled_from(_NAME_SEPS)),
                max_size=25),
       st.lists(st.lists(st.sampled_from(_NAME_WORDS), min_size=2, max_size=4)
                .map(" ".join), min_size=1, max_size=6),
       st.booleans(), st.booleans(), st.sampled_from([3, 16, 1024]))
def test_anchored_windows_are_the_scanned_ones(pieces, terms, skip_said, many, block):
    text = "".join(w + s for w, s in pieces)
    view = TextView(text)
    fm = FuzzyMatcher(skip=frozenset({"said", "the"}) if skip_said else frozenset())
    for t in terms:
        fm.add(t, t, 80)
    for i in range(10 if many else 0):  # enough anchors to tokenize the text
        fm.add(f"Zq{i} Zr{i}", i, 80)
    if len(fm) == 0:
        return
    fm._build()
    word = _RUN_WORD[_ANY_RUN if not fm._capitalized else
                     _CAP_RUN if fm._caps_ok else _TITLE_RUN]
    saved, textview._BLOCK = textview._BLOCK, block  # blocks of the text tokenized
    try:
        assert fm._anchored(view, word) == _scanned_windows(fm, view)
    finally:
        textview._BLOCK = saved


_LEAD_PATTERNS = [
    r"(?:abc|bca) \w+",  # every match starts with a lead literal
    r"\b(?:abc|cab)x?c*",  # after a zero-width \b
    r"(?<![a-z])abc(?:abc)*",  # after a look-behind; leads overlap
    r"(?:^|(?<=\. ))abc[^.]{0,5}",
    r"(?i)abc\w",  # case-insensitive: windows, not leads
]


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="abcxAB .", max_size=40), st.sampled_from(_LEAD_PATTERNS),
       st.integers(0, 5), st.integers(0, 5))
def test_run_regex_with_lead_literals(text, source, lo, cut):
    pattern = re.compile(source)
    plan = regex_plan(pattern)
    assert plan is not None
    view = TextView(text)
    hi = max(lo, len(view.norm) - cut)
    assert [m.span() for m in run_regex(pattern, plan, view, lo, hi)] == \
        [m.span() for m in pattern.finditer(view.norm, lo, hi)]


def test_fuzzy_ties_are_broken_the_same_way_whatever_the_hash_seed():
    """Same input, same output: two terms equally near a word are not picked by set order."""
    import os
    import subprocess
    import sys

    code = ("from reviewtool.core.suggest.matchers import FuzzyMatcher\n"
            "from reviewtool.core.suggest.textview import TextView\n"
            "m = FuzzyMatcher()\n"
            "for t in ['Smitz', 'Smity', 'Smitq']: m.add(t, t, 80)\n"
            "print([(h.key, h.payloads) for h in m.find(TextView('Mr. Smith said'))])\n")
    outs = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                           env={**os.environ, "PYTHONHASHSEED": str(seed)},
                           check=True).stdout for seed in range(6)}
    assert len(outs) == 1 and "smit" in outs.pop()
