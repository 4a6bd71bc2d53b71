"""`reviewtool suggest` as a user runs it: JSON Lines keys, text output, bad input."""

import json
import subprocess
import sys

from reviewtool.cli import main
from tests.conftest import ROOT, SAMPLES

KEYS = {"cable", "id", "start", "end", "text", "paragraph", "marking", "codes", "score",
        "rules", "explanation"}


def test_json_lines_with_the_bundled_rules(capsys):
    path = SAMPLES / "05PARIS174.txt"
    assert main(["suggest", "--json", str(path)]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert len(rows) > 10
    text = path.read_text(encoding="utf-8")
    for row in rows:
        assert KEYS <= row.keys()
        assert row["cable"] == "05PARIS174"
        assert text[row["start"]:row["end"]] == row["text"]
        assert row["rules"] and row["codes"] and 0 < row["score"] <= 1
        assert row["paragraph"] is None or isinstance(row["paragraph"], str)
    names = [r for r in rows if r["text"] == "Robert W. Dry"]
    assert names and names[0]["rules"] == ["classified-by.name"] and names[0]["codes"] == [
        "(b)(6)"]


def test_text_output_shows_context_codes_and_rules(capsys):
    assert main(["suggest", "--rules", str(ROOT / "rules" / "persons.yaml"),
                 str(SAMPLES / "05PARIS174.txt")]) == 0
    out = capsys.readouterr().out
    assert out.startswith("05PARIS174  SECRET//NOFORN")
    assert "[David Bertolotti]" in out and "persons.names" in out and "(b)(6)" in out
    assert "suggestion(s) in 1 cable(s)" in out


def test_min_score_filters(capsys):
    main(["suggest", "--json", str(SAMPLES / "05PARIS174.txt")])
    all_rows = capsys.readouterr().out.splitlines()
    main(["suggest", "--json", "--min-score", "0.9", str(SAMPLES / "05PARIS174.txt")])
    high = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert 0 < len(high) < len(all_rows) and all(r["score"] >= 0.9 for r in high)


def test_bad_cable_one_line_and_exit_1(tmp_path, capsys):
    (tmp_path / "empty.txt").write_text("")
    (tmp_path / "ok.txt").write_text((SAMPLES / "05PARIS174.txt").read_text(encoding="utf-8"))
    assert main(["suggest", "--json", str(tmp_path)]) == 1
    captured = capsys.readouterr()
    assert captured.err.strip().splitlines() == [
        f"reviewtool: {tmp_path / 'empty.txt'}: empty file"]
    assert captured.out.count('"cable": "ok"') > 5 or captured.out.count("05PARIS174") > 5


def test_bad_rules_exit_1_without_traceback():
    r = subprocess.run([sys.executable, "-m", "reviewtool", "suggest", "--rules",
                        str(ROOT / "tests/data/bad_rules/unknown_code.yaml"),
                        str(SAMPLES / "05PARIS174.txt")], capture_output=True, text=True)
    assert r.returncode == 1
    assert "unknown_code.yaml:6:17: rule 'code.bad': unknown exemption code 'B10'" in r.stderr
    assert "Traceback" not in r.stderr and r.stdout == ""
