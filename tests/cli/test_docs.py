"""Every command has help and is documented in the README (as sqlite-utils does)."""

from reviewtool.cli import build_parser
from tests.conftest import ROOT


def test_every_command_is_documented_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    sub = next(a for a in build_parser()._actions if a.dest == "command")
    assert set(sub.choices) >= {"inspect", "rules", "suggest", "apply", "review", "batch",
                                "report", "audit"}
    for name, parser in sub.choices.items():
        assert f"`reviewtool {name}" in readme, name
        assert parser.format_help().strip()


def test_readme_set_up_has_the_two_commands_and_ci_runs_the_test_command():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "reviewtool review sample_cables/" in readme
    assert "python3 -m pytest" in readme
    assert "python -m pytest" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
