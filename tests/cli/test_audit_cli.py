"""`reviewtool audit verify`: OK logs, tampered logs, seals found beside the log."""

from __future__ import annotations

import json

import pytest

from reviewtool.cli import main
from reviewtool.core.finish import finish_review
from tests.core.scenarios import ON, paris174


@pytest.fixture
def finished(tmp_path):
    r = paris174(tmp_path / "rev")
    res = finish_review(r, tmp_path / "out", on=ON)
    r.close()
    return res.audit_path


def test_verify_ok(finished, capsys):
    assert main(["audit", "verify", str(finished)]) == 0
    out = capsys.readouterr().out
    assert "OK (" in out and "seal from" in out and "05PARIS174.report.md" in out


def test_verify_tampered_exit_1_names_the_line(finished, capsys):
    lines = finished.read_text().splitlines(keepends=True)
    del lines[10]
    finished.write_text("".join(lines))
    assert main(["audit", "verify", str(finished)]) == 1
    out = capsys.readouterr().out
    assert "TAMPERED" in out and "line 11: deleted: seq 11 deleted between line 10 and line 11" \
        in out


def test_verify_truncated_against_found_seal(finished, capsys):
    lines = finished.read_text().splitlines(keepends=True)
    finished.write_text("".join(lines[:-3]))
    assert main(["audit", "verify", str(finished)]) == 1
    assert "truncated" in capsys.readouterr().out


def test_verify_json_and_explicit_seal(finished, capsys):
    assert main(["audit", "verify", "--json", "--seal", "3:" + "0" * 64, str(finished)]) == 1
    obj = json.loads(capsys.readouterr().out)
    assert obj["ok"] is False and obj["seal"]["from"] == "--seal"
    assert obj["problems"][0]["kind"] == "edited"


def test_verify_missing_file(tmp_path, capsys):
    assert main(["audit", "verify", str(tmp_path / "nope.jsonl")]) == 1
    assert "nope.jsonl: no such file" in capsys.readouterr().err
