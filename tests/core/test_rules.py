"""Rule-set loading and validation: every problem reported with file:line:col."""

import hashlib
import pickle
import time
from pathlib import Path

import pytest

from reviewtool.core.cable.markings import Level, parse_marking
from reviewtool.core.rules.kinds import RuleKind, plugins
from reviewtool.core.rules.load import bundled_rules_path, load_rules
from reviewtool.core.rules.model import Policy, Scope
from reviewtool.core.rules.regexcheck import redos_risk
from reviewtool.core.rules.validators import BUILTIN
from reviewtool.errors import RuleError
from tests.conftest import DATA
from tests.core.rulehelp import ruleset
from tests.plugins.fake_recognizer import RECOGNIZER, installed_plugin

BAD = DATA / "bad_rules"

# file, line of the (first) problem, rule id named (None: not inside a rule), words
BAD_CASES = [
    ("syntax.yaml", 5, None, "YAML syntax error"),
    ("unknown_key.yaml", 5, "typo.term", "unknown key 'term'"),
    ("wrong_type.yaml", 6, "wrong.type", "'case_sensitive' must be true or false"),
    ("duplicate_id.yaml", 8, "dup.rule", "duplicate rule id"),
    ("unknown_code.yaml", 6, "code.bad", "unknown exemption code 'B10'"),
    ("bad_regex.yaml", 5, "regex.unclosed", "regex does not compile"),
    ("missing_terms_file.yaml", 5, "terms.nofile", "terms_file not found"),
    ("redos.yaml", 5, "regex.nested", "nested quantifier"),
    ("redos_alternation.yaml", 5, "regex.alternation", "backtracks catastrophically"),
    ("alias_bomb.yaml", 2, None, "alias bomb"),
    ("bad_scope.yaml", 9, "scope.where", "'where' must be one of"),
    ("paragraph_without_when.yaml", 3, "para.everything", "needs 'when'"),
    ("when_unknown.yaml", 3, "para.when", "unknown rule 'no.such.rule'"),
    ("duplicate_key.yaml", 7, "key.twice", "duplicate key 'codes'"),
    ("bad_group.yaml", 6, "regex.group", "no group 2"),
]


def _problems(path: Path) -> list[str]:
    with pytest.raises(RuleError) as info:
        load_rules([path])
    lines = str(info.value).splitlines()
    assert lines == [str(p) for p in info.value.problems]
    return lines


@pytest.mark.parametrize(("name", "line", "rule", "words"), BAD_CASES)
def test_each_validation_error_names_file_line_and_rule(name, line, rule, words):
    t0 = time.perf_counter()
    first = _problems(BAD / name)[0]
    assert time.perf_counter() - t0 < 5  # an alias bomb or a ReDoS is refused, not run
    assert first.startswith(f"{BAD / name}:{line}:")
    if rule is None:
        assert " rule '" not in first
    else:
        assert f": rule '{rule}': " in first
    assert words in first


def test_every_bad_rules_file_has_a_case():
    assert {p.name for p in BAD.glob("*.yaml")} == {c[0] for c in BAD_CASES} | {"many_errors.yaml"}


def test_every_error_in_a_file_is_reported():
    lines = _problems(BAD / "many_errors.yaml")
    assert len(lines) == 5
    assert "unknown key 'colour'" in lines[0] and ":2:" in lines[0]
    assert "rule 'many.one'" in lines[1] and "'B99'" in lines[1]
    assert "rule 'many.two'" in lines[2] and "does not compile" in lines[2]
    assert "rule 'many.three'" in lines[3] and "wizardry" in lines[3]
    assert "needs an 'id'" in lines[4] and ":18:" in lines[4]


def test_problems_across_files_are_all_reported(tmp_path):
    with pytest.raises(RuleError) as info:
        load_rules([BAD / "unknown_code.yaml", BAD / "bad_regex.yaml"])
    assert len(info.value.problems) == 2


def test_missing_path_and_empty_folder(tmp_path):
    with pytest.raises(RuleError, match="cannot read rule set"):
        load_rules([tmp_path / "nope.yaml"])
    with pytest.raises(RuleError, match="no rule set files"):
        load_rules([tmp_path])


def test_bundled_rules_load_with_policy():
    rules = load_rules([bundled_rules_path()])
    assert len(rules.sets) == 5
    assert {s.name for s in rules.sets} == {"persons", "sources", "foreign-government", "wmd",
                                           "classified-by"}
    assert all(r.match_examples for r in rules.rules)
    assert rules.rule("classified-by.name").field == "classified_by.name"
    with pytest.raises(KeyError):
        rules.rule("no.such.rule")
    assert rules.policy.min_score >= 0.9 and "(b)(6)" in rules.policy.codes
    assert len(rules.sha256) == 64


def test_sha256_is_stable_and_tracks_content(tmp_path):
    text = """
        ruleset: one
        rules:
          - {id: a, kind: terms, terms: [Bertolotti], codes: [B6], reason: r}
    """
    a = ruleset(tmp_path, text).sha256
    assert ruleset(tmp_path, text).sha256 == a
    assert ruleset(tmp_path, text.replace("Bertolotti", "Dry")).sha256 != a


def test_defaults_terms_file_and_extra_codes(tmp_path):
    (tmp_path / "names.txt").write_text("# comment\nBertolotti\n\nDavid  Bertolotti\n")
    rules = ruleset(tmp_path, """
        ruleset: defaults
        extra_codes: {LOCAL-PII: "local privacy rule"}
        defaults:
          codes: [b6, local-pii]
          scope: {min_level: C}
        rules:
          - id: t
            kind: terms
            terms_file: names.txt
            reason: names
          - id: u
            kind: regex
            pattern: 'Mr\\. (\\w+)'
            group: 1
            flags: [ignorecase]
            codes: [1.4d]
            reason: mr
            scope: {where: all}
    """)
    t, u = rules.rules
    assert t.terms == ("Bertolotti", "David  Bertolotti")
    assert t.codes == ("(b)(6)", "LOCAL-PII")
    assert t.scope.min_level == Level.C and t.scope.where == "body"
    assert u.codes == ("1.4(d)",) and u.scope.where == "all" and u.scope.min_level == Level.C
    assert rules.extra_codes == {"LOCAL-PII": "local privacy rule"}


def test_policies_combine_strictly(tmp_path):
    (tmp_path / "a.yaml").write_text(
        "ruleset: a\npolicy: {min_score: 0.8, codes: [B6]}\nrules: []\n")
    (tmp_path / "b.yaml").write_text(
        "ruleset: b\npolicy: {min_score: 0.9, codes: ['1.4(d)']}\nrules: []\n")
    rules = load_rules([tmp_path])
    assert rules.policy == Policy(0.9, ("(b)(6)", "1.4(d)"))
    assert rules.policy.admits(0.95, ["(b)(6)"])
    assert not rules.policy.admits(0.85, ["(b)(6)"])
    assert not rules.policy.admits(0.95, ["1.4(h)"])
    assert Policy().admits(1.0, []) and not Policy().admits(0.99, [])


S, SNF, C, U = (parse_marking(x) for x in ("S", "S//NF", "C", "U"))
SCOPES = [
    # scope, marking, unmarked, admitted
    (Scope(), None, False, True),
    (Scope(markings=(S,)), S, False, True),
    (Scope(markings=(S,)), SNF, False, True),  # listed controls must be present
    (Scope(markings=(SNF,)), S, False, False),
    (Scope(markings=(SNF,)), SNF, False, True),
    (Scope(markings=(S,)), C, False, False),
    (Scope(min_level=Level.C), U, False, False),
    (Scope(min_level=Level.C), C, False, True),
    (Scope(min_level=Level.C), None, False, False),
    (Scope(min_level=Level.S), None, True, True),  # unmarked text of a classified cable
]


@pytest.mark.parametrize(("scope", "marking", "unmarked", "admitted"), SCOPES)
def test_scope_admits(scope, marking, unmarked, admitted):
    assert scope.admits(marking, unmarked) is admitted


@pytest.mark.parametrize("pattern", [r"(a+)+b", r"(\w+\s?)*$", r"(?:x*)*", r"(a|a)*b"])
def test_redos_refused(pattern):
    assert redos_risk(pattern)


@pytest.mark.parametrize("pattern", [r"Mr\. ([A-Z]\w+)", r"(?:[A-Z]\w+ ){1,3}said",
                                     r"X{6,}, (?:a|the) [^,.]{3,90}", r"\bnon-paper\b"])
def test_ordinary_patterns_pass(pattern):
    assert redos_risk(pattern) is None


# --------------------------------------------------------------------------- rule kinds


def test_every_builtin_kind_has_one_validator():
    assert set(BUILTIN) == set(RuleKind)
    rules = load_rules([bundled_rules_path()])
    assert all(type(r.kind) is RuleKind and not r.options for r in rules.rules)
    assert {r.kind for r in rules.rules} == set(RuleKind) - {RuleKind.PARAGRAPH}


def test_rule_error_pickles_with_its_problems():
    with pytest.raises(RuleError) as info:
        load_rules([BAD / "many_errors.yaml"])
    back = pickle.loads(pickle.dumps(info.value))
    assert str(back) == str(info.value) and back.problems == info.value.problems


FAKE_RULES = """
    ruleset: plugged
    rules:
      - id: fake.words
        kind: fake
        words: [' alpha ', beta]
        min_length: 2
        codes: [B6]
        reason: words a plug-in finds
      - id: fake.paragraph
        kind: paragraph
        when: [fake.words]
        codes: [B6]
        reason: paragraphs where the plug-in matched
"""


@pytest.fixture
def fake_plugin(tmp_path):
    with installed_plugin(tmp_path / "site") as root:
        yield root


def test_a_plugin_kind_loads_with_its_validated_options(tmp_path, fake_plugin):
    assert set(plugins()) == {"fake"}
    rules = ruleset(tmp_path, FAKE_RULES)
    rule = rules.rule("fake.words")
    assert rule.kind == "fake" and type(rule.kind) is str
    assert dict(rule.options) == {"words": ("alpha", "beta"), "min_length": 2}
    with pytest.raises(TypeError):
        rule.options["words"] = ()  # read-only
    assert rule.score == 0.6 and not rule.propagate and rule.same_text
    assert rule.codes == ("(b)(6)",) and rule.line == 4
    # The plug-in is given plain YAML values, only its own keys.
    assert RECOGNIZER.seen == [{"words": [" alpha ", "beta"], "min_length": 2}]
    assert type(RECOGNIZER.seen[0]["words"]) is list
    # Rules and rule sets compare and hash as the built-in ones do.
    again = ruleset(tmp_path, FAKE_RULES)
    assert again == rules and hash(again.rule("fake.words")) == hash(rule)
    data = (tmp_path / "set.yaml").read_bytes()
    # The set's hash: of its one file's hash, of the file's name and bytes.
    def h(b: bytes) -> bytes:
        return hashlib.sha256(b).digest()

    file_sha = hashlib.sha256(h(b"set.yaml") + h(data)).hexdigest()
    assert rules.sets[0].sha256 == file_sha
    assert rules.sha256 == hashlib.sha256(h(b"") + h(file_sha.encode())).hexdigest()


def test_a_plugin_kind_suggests_what_it_finds(tmp_path, fake_plugin):
    """End to end through the engine: the plug-in's matches become suggestions with the
    rule's codes, and a paragraph rule sees them like any rule's."""
    from reviewtool.core.cable.parse import parse_cable
    from reviewtool.core.suggest.engine import suggest

    rules = ruleset(tmp_path, FAKE_RULES)
    text = ("SUBJECT: TEST\n\n1. (C) The alpha channel met beta testers.\n\n"
            "2. (C) Nothing here.\n")
    (para,) = suggest(parse_cable(text, source="t.txt"), rules)  # ¶2 has no match
    assert para.paragraph == 0 and para.text == "The alpha channel met beta testers."
    assert para.rules == ("fake.paragraph", "fake.words") and para.codes == ("(b)(6)",)
    found = [(c.matched, text[c.start:c.end]) for c in para.contributions
             if c.rule == "fake.words"]
    assert found == [("alpha", "alpha"), ("beta", "beta")]


@pytest.mark.parametrize(("options", "words"), [
    ("words: 3", "'words' must be a non-empty list of strings"),
    ("words: [a]\n    min_length: 0", "'min_length' must be a whole number from 1, not 0"),
])
def test_bad_plugin_options_are_a_problem_with_file_line_and_rule(tmp_path, fake_plugin,
                                                                  options, words):
    path = tmp_path / "set.yaml"
    path.write_text("ruleset: plugged\nrules:\n  - id: fake.bad\n    kind: fake\n"
                    f"    {options}\n    codes: [B6]\n    reason: r\n")
    with pytest.raises(RuleError) as info:
        load_rules([path])
    [problem] = info.value.problems
    # At the plug-in's first key, naming the rule.
    assert str(problem) == (f"{path}:5:12: rule 'fake.bad': invalid options for kind "
                            f"'fake': {words}")


def test_plugin_rules_reject_unknown_keys_and_kinds_name_plugins(tmp_path, fake_plugin):
    with pytest.raises(RuleError) as info:
        ruleset(tmp_path, """
            ruleset: plugged
            rules:
              - {id: a, kind: fake, words: [x], terms: [y], codes: [B6], reason: r}
              - {id: b, kind: wizardry, words: [x], codes: [B6], reason: r}
        """)
    first, second = (p.message for p in info.value.problems)
    assert first.startswith("unknown key 'terms' in a 'fake' rule (allowed: ")
    assert "min_length" in first and "words" in first
    assert second == ("'kind' must be one of terms, regex, field, paragraph, names, fake, "
                      "not 'wizardry'")


MALFORMED = [
    # plug-in source, the error's words
    ("from tests.plugins.fake_recognizer import FakeRecognizer\n"
     "class R(FakeRecognizer):\n    kind = 'terms'\nRECOGNIZER = R()\n",
     "reuses the rule kind 'terms'"),
    ("from tests.plugins.fake_recognizer import FakeRecognizer\n"
     "class R(FakeRecognizer):\n    find = None\nRECOGNIZER = R()\n", "has no find()"),
    ("class R:\n    kind = 'fake'\n    keys = frozenset()\n    default_score = 0.5\n"
     "RECOGNIZER = R()\n",
     "is not a recognizer: it needs kind, keys, default_score and validate()"),
    ("from tests.plugins.fake_recognizer import FakeRecognizer\n"
     "class R(FakeRecognizer):\n    keys = frozenset({'words', 'score'})\nRECOGNIZER = R()\n",
     "claims keys every rule has: score"),
    ("from tests.plugins.fake_recognizer import FakeRecognizer\n"
     "class R(FakeRecognizer):\n    default_score = 2\nRECOGNIZER = R()\n",
     "needs a default_score from 0 to 1, not 2"),
    ("raise ImportError('broken')\n", "cannot be loaded: broken"),
]


@pytest.mark.parametrize(("source", "words"), MALFORMED)
def test_a_malformed_plugin_is_refused_with_a_clear_error(tmp_path, source, words):
    with installed_plugin(tmp_path / "site", source=source):
        with pytest.raises(RuleError) as info:
            ruleset(tmp_path, FAKE_RULES)
    assert str(info.value).startswith("recognizer plug-in 'fake' (fakepkg:RECOGNIZER) ")
    assert words in str(info.value)
    assert plugins() == {}  # uninstalled again


def test_two_plugins_may_not_share_a_kind(tmp_path):
    entries = (("fake", "fakepkg:RECOGNIZER"), ("fake2", "fakepkg:RECOGNIZER"))
    with installed_plugin(tmp_path / "site", entries=entries), pytest.raises(RuleError) as info:
        plugins()
    assert "'fake2'" in str(info.value) and "reuses the rule kind 'fake'" in str(info.value)


def test_a_plugin_failing_on_its_options_is_a_problem_not_a_traceback(tmp_path):
    source = ("from tests.plugins.fake_recognizer import FakeRecognizer\n"
              "class R(FakeRecognizer):\n"
              "    def validate(self, options):\n        return options['nope']\n"
              "RECOGNIZER = R()\n")
    with installed_plugin(tmp_path / "site", source=source), pytest.raises(RuleError) as info:
        ruleset(tmp_path, FAKE_RULES)
    problem = info.value.problems[0]  # then fake.paragraph's 'when' names a rule left out
    assert problem.rule == "fake.words" and problem.line == 6
    assert problem.message == "recognizer plug-in 'fake' failed on its options: KeyError: 'nope'"


# --------------------------------------------------------------------------- terms files

_TERMS_RULE = """\
ruleset: confined
rules:
  - id: t
    kind: terms
    codes: [b6]
    reason: names
    terms_file: {where}
"""


@pytest.fixture
def confined(tmp_path):
    """A rule-set folder ``rules/`` with terms in a nested subfolder, and a secret file
    beside it that no terms_file may reach (directly, by ``..`` or through a symlink)."""
    rules = tmp_path / "rules"
    (rules / "sub" / "deep").mkdir(parents=True)
    (rules / "sub" / "deep" / "names.txt").write_text("Bertolotti\n")
    (tmp_path / "outside.txt").write_text("root:x:0:0\nshadow-entry\n")
    (rules / "out_link.txt").symlink_to(tmp_path / "outside.txt")
    (rules / "linkdir").symlink_to(tmp_path)
    (rules / "in_link.txt").symlink_to(Path("sub") / "deep" / "names.txt")
    (rules / "loop.txt").symlink_to("loop.txt")
    return rules


# terms_file as written, and the words of the problem (None: loads, with its one term)
TERMS_FILE_CASES = [
    ("sub/deep/names.txt", None),
    ("in_link.txt", None),  # a symlink that stays inside the folder
    ("sub/../sub/deep/names.txt", None),
    ("{outside}", "must be a path relative to the rule set's folder"),
    ("/etc/passwd", "must be a path relative to the rule set's folder"),
    ("../outside.txt", "outside the rule set's folder"),
    ("sub/../../outside.txt", "outside the rule set's folder"),
    ("../../../../../../../../etc/passwd", "outside the rule set's folder"),
    ("out_link.txt", "outside the rule set's folder"),
    ("linkdir/outside.txt", "outside the rule set's folder"),
    ("sub", "not a regular file"),
    ("loop.txt", "cannot resolve"),
    ("sub/none.txt", "terms_file not found"),
]


@pytest.mark.parametrize(("where", "words"), TERMS_FILE_CASES)
def test_terms_file_only_under_the_rule_sets_folder(confined, where, words):
    where = where.format(outside=confined.parent / "outside.txt")
    path = confined / "set.yaml"
    path.write_text(_TERMS_RULE.format(where=where))
    if words is None:
        assert load_rules([path]).rules[0].terms == ("Bertolotti",)
        return
    with pytest.raises(RuleError) as info:
        load_rules([path])
    (problem,) = info.value.problems
    assert (problem.source, problem.line, problem.rule) == (str(path), 7, "t")
    assert words in problem.message and where in problem.message
    assert "shadow" not in str(info.value)


def _copy_rules(dest: Path) -> Path:
    import shutil

    shutil.copytree(bundled_rules_path(), dest)
    return dest


def test_sha256_covers_terms_files_and_not_the_checkout_path(tmp_path):
    a = _copy_rules(tmp_path / "a" / "rules")
    b = _copy_rules(tmp_path / "elsewhere" / "deeper" / "rules")
    first = load_rules([a])
    assert load_rules([b]).sha256 == first.sha256  # where the checkout is does not count
    # The same files named one by one hash the same as their folder.
    assert load_rules(sorted(a.glob("*.yaml"))).sha256 == first.sha256
    nuclear = b / "wmd_nuclear.txt"
    nuclear.write_text(nuclear.read_text() + "Natanz-2\n")
    edited = load_rules([b])
    assert edited.sha256 != first.sha256
    # The rule set that reads the file changes its own hash; the others keep theirs.
    changed = {i.name for i, j in zip(first.sets, edited.sets, strict=True)
               if i.sha256 != j.sha256}
    assert changed == {"wmd"}
    # A renamed terms file (same bytes) is another rule set too.
    (b / "wmd_nuclear.txt").rename(b / "nuclear.txt")
    wmd = b / "wmd.yaml"
    wmd.write_text(wmd.read_text().replace("wmd_nuclear.txt", "nuclear.txt"))
    assert load_rules([b]).sha256 not in (first.sha256, edited.sha256)
