"""The engine: each rule kind, scope, overlaps, allow-list, propagation, determinism."""

import json

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from reviewtool import load_rules, parse_cable, suggest
from reviewtool.core.rules.load import bundled_rules_path
from reviewtool.core.suggest.engine import match_text, rule_examples
from reviewtool.core.suggest.model import Derived, Origin, Suggestion
from tests.conftest import sample_text
from tests.core.rulehelp import ruleset
from tests.core.test_engine_json import as_stored

HAND = """S E C R E T PARIS 000999

E.O. 12958: DECL: 01/10/2025
TAGS: PARM PREL FR
SUBJECT: DEMARCHE TO Mr. Bertolotti (S)

Classified By: EST Counselor Robert W. Dry for Reasons 1.5 (b) and (d).

1. (S) On 30 December, EST officer met Deputy Director David
Bertolotti, who handed over a non-paper.  Bertolotti's view was clear.

2. (C) Bertolotti said the shipment of centrifuges had left.

Continuation without a marking names Bertolotti again.

3. (U) Nothing secret; Bertolotti attended.

4. The fourth paragraph carries no marking and names Bertolotti.

Leach
"""
# paragraphs: 0 = ¶1 (S), 1 = ¶2 (C), 2 = continuation (C, inherited), 3 = ¶3 (U),
# 4 = ¶4 (unmarked in a SECRET cable)


@pytest.fixture(scope="module")
def hand():
    return parse_cable(HAND, source="hand.txt")


def run(tmp_path, cable, rules_yaml):
    return suggest(cable, ruleset(tmp_path, "ruleset: t\nrules:\n" + rules_yaml))


def texts(found):
    return [" ".join(s.text.split()) for s in found]


KINDS = [
    ("terms", """
  - {id: r, kind: terms, terms: [David Bertolotti], codes: [B6], reason: x}
""", ["David Bertolotti"]),
    ("terms-case", """
  - {id: r, kind: terms, terms: [non-paper, CENTRIFUGES], codes: ["1.4(h)"], reason: x}
""", ["non-paper", "centrifuges"]),
    ("terms-case-sensitive", """
  - {id: r, kind: terms, terms: [CENTRIFUGES], case_sensitive: true, codes: [B1], reason: x}
""", []),
    ("terms-fuzzy", """
  - {id: r, kind: terms, terms: [Bertolotty], fuzzy: 85, codes: [B6], reason: x}
""", ["Bertolotti", "Bertolotti", "Bertolotti", "Bertolotti", "Bertolotti", "Bertolotti"]),
    ("regex-group", """
  - id: r
    kind: regex
    pattern: 'Deputy Director (\\w+ \\w+)'
    group: 1
    codes: [B6]
    reason: x
""", ["David Bertolotti"]),
    ("field", """
  - {id: r, kind: field, field: classified_by.name, codes: [B6], reason: x, propagate: false}
""", ["Robert W. Dry"]),
    ("field-signer", """
  - {id: r, kind: field, field: signer, codes: [B6], reason: x}
""", ["Leach"]),
    ("paragraph-by-marking", """
  - {id: r, kind: paragraph, codes: [B1], reason: x, scope: {markings: [C]}}
""", ["Bertolotti said the shipment of centrifuges had left.",
      "Continuation without a marking names Bertolotti again.",
      "The fourth paragraph carries no marking and names Bertolotti."]),
    ("paragraph-when", """
  - {id: t, kind: terms, terms: [non-paper], codes: ["1.4(b)"], reason: x}
  - {id: r, kind: paragraph, when: [t], codes: [B1], reason: x}
""", ["On 30 December, EST officer met Deputy Director David Bertolotti, who handed over a "
      "non-paper. Bertolotti's view was clear."]),
    ("names", """
  - {id: r, kind: names, codes: [B6], reason: x, propagate: false}
""", ["David Bertolotti", "Bertolotti"]),
]


@pytest.mark.parametrize(("label", "rules_yaml", "expected"), KINDS, ids=[k[0] for k in KINDS])
def test_rule_kinds(tmp_path, hand, label, rules_yaml, expected):
    assert texts(run(tmp_path, hand, rules_yaml)) == expected


SCOPES = [
    # scope, paragraph indexes (None = outside paragraphs) that get a suggestion
    ("{}", [0, 0, 1, 2, 3, 4]),
    ("{markings: [S]}", [0, 0, 4]),  # ¶4 is unmarked: in scope of every rule
    ("{markings: [C]}", [1, 2, 4]),  # the continuation inherits C
    ("{min_level: C}", [0, 0, 1, 2, 4]),
    ("{min_level: S, where: all}", [None, 0, 0, 4]),
    ("{where: subject}", [None]),
    ("{where: header}", [None]),
]


@pytest.mark.parametrize(("scope", "paragraphs"), SCOPES)
def test_scope(tmp_path, hand, scope, paragraphs):
    found = run(tmp_path, hand, f"""
  - {{id: r, kind: terms, terms: [Bertolotti], codes: [B6], reason: x, scope: {scope}}}
""")
    assert [s.paragraph for s in found] == paragraphs


OVERLAPS = [
    # rules, expected (text, rules) per suggestion
    ("""
  - {id: a, kind: terms, terms: [David Bertolotti], codes: [B6], reason: x}
  - {id: b, kind: terms, terms: [Bertolotti], codes: ["1.4(d)"], reason: y, scope: {markings: [S]}}
""", [("David Bertolotti", ("a", "b"), ("(b)(6)", "1.4(d)")),
      ("Bertolotti", ("b",), ("1.4(d)",))]),
    # partial overlap merges into the union
    ("""
  - {id: a, kind: terms, terms: [met Deputy Director], codes: [B6], reason: x}
  - {id: b, kind: terms, terms: [Director David], codes: [B1], reason: y}
""", [("met Deputy Director David", ("a", "b"), ("(b)(1)", "(b)(6)"))]),
    # touching spans stay apart
    ("""
  - {id: a, kind: regex, pattern: 'David', codes: [B6], reason: x}
  - {id: b, kind: regex, pattern: '(?<=David)\\sBertolotti', codes: [B6], reason: y}
""", [("David", ("a",), ("(b)(6)",)), ("Bertolotti", ("b",), ("(b)(6)",))]),
]


@pytest.mark.parametrize(("rules_yaml", "expected"), OVERLAPS)
def test_overlaps_merge_keeping_every_contribution(tmp_path, hand, rules_yaml, expected):
    found = [s for s in run(tmp_path, hand, rules_yaml) if s.paragraph == 0]
    assert [(" ".join(s.text.split()), s.rules, s.codes) for s in found] == expected
    for s in found:
        assert all(s.start <= c.start and c.end <= s.end for c in s.contributions)


def test_regex_never_takes_a_paragraph_marking(tmp_path, hand):
    found = run(tmp_path, hand, """
  - {id: r, kind: regex, pattern: '1\\. \\(S\\) On 30 December', codes: [B1], reason: x}
""")
    assert texts(found) == ["On 30 December"]


def test_agreeing_rules_raise_the_score(tmp_path, hand):
    (one,) = [s for s in run(tmp_path, hand, """
  - {id: a, kind: terms, terms: [David Bertolotti], codes: [B6], reason: x, score: 0.6}
  - {id: b, kind: regex, pattern: 'David\\s+Bertolotti', codes: [B6], reason: y, score: 0.5}
""")]
    assert one.score == pytest.approx(0.8)
    assert len(one.contributions) == 2


def test_allow_list_is_never_suggested(tmp_path, hand):
    rules = ruleset(tmp_path, """
        ruleset: t
        allow: [David Bertolotti, Bertolotti's]
        rules:
          - {id: r, kind: terms, terms: [Bertolotti, David], codes: [B6], reason: x}
    """)
    found = suggest(hand, rules)
    assert all(s.paragraph != 0 for s in found)
    assert [s.paragraph for s in found] == [1, 2, 3, 4]


def test_context_words_raise_the_score(tmp_path, hand):
    found = run(tmp_path, hand, """
  - {id: r, kind: terms, terms: [centrifuges], codes: [B1], reason: x, score: 0.5,
     context: [shipment, uranium]}
""")
    (s,) = found
    assert s.contributions[0].context == ("shipment",)
    assert s.score == pytest.approx(0.6)
    # The contribution keeps its score before the boost and after it.
    c = s.contributions[0]
    assert (c.base_score, c.score) == (pytest.approx(0.5), pytest.approx(0.6))


def test_names_propagate_to_bare_surnames(tmp_path, hand):
    found = run(tmp_path, hand, """
  - id: r
    kind: regex
    pattern: 'Deputy Director (\\w+\\s+\\w+)'
    group: 1
    propagate: true
    codes: [B6]
    reason: x
""")
    # Every later mention, the subject line's too (the same name released in one place
    # and withheld in another undoes the redaction).
    assert texts(found) == ["Bertolotti", "David Bertolotti", "Bertolotti", "Bertolotti",
                            "Bertolotti", "Bertolotti", "Bertolotti"]
    assert found[0].paragraph is None
    derived = found[2].contributions[0]
    assert derived.kind == "derived" and derived.rule == "r"
    assert "David Bertolotti" in derived.derived_from and found[2].score < found[1].score
    # Where it came from, as data: the source match's text and offset.
    source = found[1]
    assert derived.derived == Derived(Origin.PROPAGATED, "David Bertolotti", source.start)
    assert derived.derived_from == f"'David Bertolotti' at {source.start}"
    assert derived.base_score == derived.score == pytest.approx(0.95 * source.score)


def test_classifier_name_propagates_even_when_a_common_word(tmp_path):
    cable = parse_cable(HAND.replace("Nothing secret;", "Dry noted;"), source="h.txt")
    found = run(tmp_path, cable, """
  - {id: r, kind: field, field: classified_by.name, codes: [B6], reason: x}
""")
    assert texts(found) == ["Robert W. Dry", "Dry"]


def test_deterministic_ids_and_order(tmp_path, hand):
    rules = load_rules([bundled_rules_path()])
    a = suggest(hand, rules)
    b = suggest(parse_cable(HAND, source="hand.txt"), load_rules([bundled_rules_path()]))
    assert a == b and len(a) > 3
    assert [s.start for s in a] == sorted(s.start for s in a)
    assert len({s.id for s in a}) == len(a)


@pytest.fixture(scope="module")
def bundled():
    return load_rules([bundled_rules_path()])


def test_bundled_rules_on_paris174(bundled):
    cable = parse_cable(sample_text("05PARIS174"), source="05PARIS174.txt")
    found = suggest(cable, bundled)
    got = {" ".join(s.text.split()) for s in found}
    assert {"Robert W. Dry", "David Bertolotti", "Bertolotti", "telemetry equipment",
            "ballistic missile program"} <= got
    bert = [s for s in found if s.text == "Bertolotti"]
    assert len(bert) >= 14 and all("(b)(6)" in s.codes for s in bert)
    for noise in ("Embassy", "Ambassador", "France", "Pakistan", "PARM", "MTCRE", "Leach"):
        assert noise not in got
    for s in found:
        assert cable.text[s.start:s.end] == s.text
        assert Suggestion.from_json(json.loads(json.dumps(s.to_json()))) == as_stored(s)


def test_bundled_rules_never_flag_the_placeholder_as_a_person(bundled):
    cable = parse_cable(sample_text("00HARARE5461"), source="00HARARE5461.txt")
    for s in suggest(cable, bundled):
        if "persons.names" in s.rules:
            assert "XXXX" not in s.text


def test_bundled_examples_pass(bundled):
    failures = [(r.id, text, why) for r, text, ok, why in rule_examples(bundled) if not ok]
    assert failures == []


def test_match_text_runs_one_rule(bundled):
    rule = bundled.rule("sources.protect")
    assert match_text("we spoke to Shawn McCormick (protect) today", rule, bundled) == [
        "Shawn McCormick"]


body_words = st.sampled_from(["Bertolotti", "David", "said", "Mr.", "Smith", "the", "non-paper",
                              "centrifuges", "XXXXXXXXXXXX", "(protect)", "Ambassador",
                              "Paris", "telemetry", "equipment", "Dry"])
body_seps = st.sampled_from([" ", "  ", "\n", "\n  ", ", ", ". ", " \\\n"])


@settings(max_examples=40, deadline=None)
@given(st.lists(st.lists(st.tuples(body_words, body_seps), min_size=1, max_size=25),
                min_size=1, max_size=4))
def test_every_span_text_is_its_matched_text(bundled, paras):
    body = "\n\n".join(f"{i + 1}. (S) " + "".join(w + s for w, s in p)
                      for i, p in enumerate(paras))
    text = ("E.O. 12958: DECL: 01/10/2025\nTAGS: PREL\nSUBJECT: TEST\n"
            "Classified By: Counselor Robert W. Dry for Reasons 1.4 (b).\n\n" + body + "\n")
    cable = parse_cable(text, source="gen.txt")
    found = suggest(cable, bundled)
    last = -1
    for s in found:
        assert 0 <= s.start < s.end <= len(text)
        assert text[s.start:s.end] == s.text
        assert s.start >= last  # sorted, not overlapping
        last = s.end
        for c in s.contributions:
            assert s.start <= c.start < c.end <= s.end


SAME = """S E C R E T PARIS 000998

E.O. 12958: DECL: 01/10/2025
TAGS: PREL FR
SUBJECT: VISIT OF RICE

Classified By: EST Counselor Robert W. Dry for Reasons 1.5 (b) and (d).

1. (S) Secretary Rice met Milosevic's lawyer. Milosevic said little; the
SCUD talks with Rice went on. Nobody mentioned nuclear
weapons, only rice exports and the next day.

2. (C) RICE left. Mr. Day stayed a day. Milsoevic (sic) stayed too. Scud
and US forces; the rest of us left.
"""


@pytest.fixture(scope="module")
def same():
    return parse_cable(SAME, source="same.txt")


def occurrences(found, word):
    return [s.text for s in found if " ".join(s.text.split()).lower() == word.lower()]


def test_every_occurrence_of_a_suggested_name_is_suggested(tmp_path, same):
    found = run(tmp_path, same, """
  - {id: r, kind: names, codes: [B6], reason: x}
""")
    # Every case, the subject line's too; never the ordinary word in lower case.
    assert occurrences(found, "Rice") == ["RICE", "Rice", "Rice", "RICE"]
    assert occurrences(found, "Day") == ["Day"]
    same_text = next(s for s in found if s.text == "RICE" and s.paragraph is not None)
    c = same_text.contributions[0]
    assert c.kind == "derived" and c.rule == "r" and "same text as 'Rice'" in c.derived_from
    assert c.derived is not None and c.derived.origin == Origin.SAME_TEXT
    assert same.text[c.derived.start:].startswith(c.derived.text)
    # A near spelling of a name withheld for privacy is the same name misspelt.
    near = next(s for s in found if s.text == "Milsoevic")
    assert near.contributions[0].fuzzy is not None
    assert "near spelling of 'Milosevic'" in near.contributions[0].derived_from
    assert near.contributions[0].derived == Derived(Origin.NEAR_SPELLING, "Milosevic",
                                                    same.text.index("Milosevic"))


def test_same_text_respects_case_sensitivity_and_opt_out(tmp_path, same):
    found = run(tmp_path, same, """
  - {id: cs, kind: terms, terms: [SCUD, US], case_sensitive: true, codes: ["1.4(h)"],
     reason: x}
  - {id: n, kind: names, codes: [B6], reason: x, propagate: false}
""")
    assert occurrences(found, "SCUD") == ["SCUD"]  # "Scud" is left to the rule's author
    assert occurrences(found, "US") == ["US"]  # never "us"
    assert occurrences(found, "Rice") == ["Rice"]  # propagate: false, only what it found


def test_same_text_of_a_term_across_a_line_break(tmp_path):
    text = SAME.replace("only rice exports", "only nuclear weapons")
    cable = parse_cable(text, source="same.txt")
    found = run(tmp_path, cable, """
  - {id: t, kind: terms, terms: [nuclear weapons], codes: ["1.4(h)"], reason: x}
""")
    assert [" ".join(s.text.split()) for s in found] == ["nuclear weapons"] * 2


# --------------------------------------------------------------------------- fast paths

_TEXTS = st.lists(st.sampled_from(["David", "DAVID", "david", "Bertolotti", "BERTOLOTTI",
                                   "bertolotti", "Bertolottis", "O'Bertolotti", "x", " ",
                                   "  ", ",", ".", "-", "_", "9", "\n"]),
                  max_size=40).map("".join)


@settings(max_examples=300, deadline=None)
@given(_TEXTS, st.sampled_from(["david bertolotti", "bertolotti david", "david david",
                                " bertolotti", "david, bertolotti", "o'bertolotti x"]))
@example(" Bertolotti", " bertolotti")  # an empty first word tells nothing
def test_a_text_of_several_words_is_found_from_its_words(text, key):
    from reviewtool.core.suggest.matchers import find_exact
    from reviewtool.core.suggest.occurrences import search

    low = text.lower()
    known = {w: list(find_exact(low, w)) for w in ("", "david", "bertolotti", "x", "david,")}
    assert search(low, key, known) == list(find_exact(low, key))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["A", "Ab", "aB", "É", "×", "b", "_", "9", ".", "'", "’",
                                 "-", " ", ",", "(", "Σ"]), max_size=30).map("".join))
def test_capitalized_words_come_stripped_of_trailing_punctuation(text):
    import re

    from reviewtool.core.suggest.sametext import _CAP_WORD, _CAP_WORD_ASCII, _PUNCT

    plain = re.compile(r"[A-Z\u00C0-\u00DE][\w'’.-]*")  # then rstrip: the former way
    want = [w.rstrip(_PUNCT) for w in plain.findall(text)]
    assert _CAP_WORD.findall(text) == want
    if text.isascii():
        assert _CAP_WORD_ASCII.findall(text) == want


def test_suggestion_ids_stay_the_documented_hash_of_cable_and_span():
    """Stored reviews refer to suggestions by id: the fast path in merging must give
    exactly `suggestion_id`'s ids."""
    from reviewtool.core.suggest.merge import suggestion_id

    cable = parse_cable(sample_text("05PARIS174"))
    found = suggest(cable, load_rules([bundled_rules_path()]))
    assert found and all(s.id == suggestion_id(cable.id, s.start, s.end) for s in found)


def test_suggestions_are_the_same_whatever_the_hash_seed():
    """The recognizers run from a registry and their hits merge in a fixed order: the
    JSON does not depend on set or dict order under any hash seed."""
    import os
    import subprocess
    import sys

    code = ("import json\n"
            "from reviewtool.core.cable.read import read_cable\n"
            "from reviewtool.core.rules.load import bundled_rules_path, load_rules\n"
            "from reviewtool.core.suggest.engine import suggest\n"
            "rules = load_rules([bundled_rules_path()])\n"
            "for name in ('05PARIS174', '09USNATO30'):\n"
            "    for s in suggest(read_cable(f'sample_cables/{name}.txt'), rules):\n"
            "        print(json.dumps(s.to_json(), ensure_ascii=False))\n")
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    outs = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                           cwd=root, env={**os.environ, "PYTHONHASHSEED": str(seed)},
                           check=True).stdout for seed in range(6)}
    assert len(outs) == 1 and outs.pop().count("\n") > 20
