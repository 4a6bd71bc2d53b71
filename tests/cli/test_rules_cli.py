"""`reviewtool rules check|test` as a user runs them."""

import pytest

from reviewtool.cli import main
from tests.conftest import DATA, ROOT
from tests.core.rulehelp import terms_file_rules
from tests.plugins.fake_recognizer import installed_plugin

BAD = DATA / "bad_rules"


def test_check_bundled_rules(capsys):
    assert main(["rules", "check"]) == 0
    out = capsys.readouterr().out
    assert "rule set 'persons'" in out and "5 file(s)" in out


def test_check_reports_every_problem_one_line_each(capsys):
    assert main(["rules", "check", str(BAD / "many_errors.yaml"), str(BAD / "redos.yaml")]) == 1
    captured = capsys.readouterr()
    lines = captured.err.splitlines()
    assert len(lines) == 6
    assert all(line.startswith(str(BAD)) for line in lines)
    assert f"{BAD / 'redos.yaml'}:5:14: rule 'regex.nested': regex refused" in captured.err
    assert "Traceback" not in captured.err and captured.out == ""


@pytest.mark.parametrize("name", sorted(p.name for p in BAD.glob("*.yaml")))
def test_check_fails_cleanly_on_each_bad_file(capsys, name):
    assert main(["rules", "check", str(BAD / name)]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"{BAD / name}:") and "Traceback" not in err


def test_test_runs_bundled_examples(capsys):
    assert main(["rules", "test", str(ROOT / "rules")]) == 0
    assert " 0 failed" in capsys.readouterr().out


def test_test_reports_failing_examples(tmp_path, capsys):
    path = tmp_path / "ex.yaml"
    path.write_text("""ruleset: ex
rules:
  - id: ex.names
    kind: terms
    terms: [Bertolotti]
    codes: [B6]
    reason: a name
    examples:
      match: ["Bertolotti said", "Bertoloti said"]
      no_match: ["the Bertolotti file"]
""")
    assert main(["rules", "test", str(path)]) == 1
    out = capsys.readouterr().out
    assert f"{path}:3: rule 'ex.names': example 'Bertoloti said': expected a match" in out
    assert "example 'the Bertolotti file': expected no match, got ['Bertolotti']" in out
    assert "1 passed, 2 failed" in out


def test_rules_without_subcommand_is_usage(capsys):
    assert main(["rules"]) == 2


PLUGGED = """ruleset: plugged
rules:
  - id: fake.words
    kind: fake
    words: [alpha]
    codes: [B6]
    reason: words a plug-in finds
"""


def test_check_a_rule_set_of_a_plugin_kind(tmp_path, capsys):
    path = tmp_path / "plugged.yaml"
    path.write_text(PLUGGED)
    with installed_plugin(tmp_path / "site"):
        assert main(["rules", "check", str(path)]) == 0
        assert f"ok  {path}: rule set 'plugged', 1 rule(s)" in capsys.readouterr().out
        path.write_text(PLUGGED.replace("[alpha]", "alpha"))
        assert main(["rules", "check", str(path)]) == 1
    captured = capsys.readouterr()
    assert captured.err == (f"{path}:5:12: rule 'fake.words': invalid options for kind 'fake': "
                            "'words' must be a non-empty list of strings\n")
    # Uninstalled, the kind is unknown again.
    assert main(["rules", "check", str(path)]) == 1
    assert "'kind' must be one of terms, regex, field, paragraph, names, not 'fake'" in \
        capsys.readouterr().err


def test_check_refuses_a_malformed_plugin_in_one_line(tmp_path, capsys):
    path = tmp_path / "plugged.yaml"
    path.write_text(PLUGGED)
    source = ("from tests.plugins.fake_recognizer import FakeRecognizer\n"
              "class R(FakeRecognizer):\n    kind = 'regex'\nRECOGNIZER = R()\n")
    with installed_plugin(tmp_path / "site", source=source):
        assert main(["rules", "check", str(path)]) == 1
    assert capsys.readouterr().err == ("recognizer plug-in 'fake' (fakepkg:RECOGNIZER) reuses "
                                       "the rule kind 'regex'\n")


def test_batch_rerun_after_a_terms_file_edit_reprocesses(tmp_path, capsys):
    """Batch skips cables done with the same rules hash: an edited terms file is a
    rules change, so the rerun redoes every cable, with the new term."""
    rules = terms_file_rules(tmp_path)
    cables = tmp_path / "cables"
    cables.mkdir()
    for name in ("05PARIS174.txt", "05PARIS1196.txt"):
        (cables / name).write_bytes((ROOT / "sample_cables" / name).read_bytes())
    argv = ["batch", "--rules", str(rules), str(cables), "--out", str(tmp_path / "out"),
            "--on", "2026-11-23", "--workers", "1"]
    assert main(argv) == 0
    assert "2 done (2 now, 0 already done)" in capsys.readouterr().out
    assert main(argv) == 0
    assert "2 done (0 now, 2 already done)" in capsys.readouterr().out
    (rules / "names.txt").write_text("Bertolotti\nIn'Trad\n")
    assert main(argv) == 0
    assert "2 done (2 now, 0 already done)" in capsys.readouterr().out
    got = (tmp_path / "out" / "cables" / "05PARIS174.suggestions.jsonl").read_text()
    assert "In'Trad" in got
