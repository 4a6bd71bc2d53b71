"""`reviewtool report`: from a folder, a store or a log; md or html; errors."""

from __future__ import annotations

import pytest

from reviewtool.cli import main
from tests.core.scenarios import paris174, paris1196


@pytest.fixture
def folder(tmp_path):
    rev = tmp_path / "rev"
    paris174(rev).close()
    paris1196(rev).close()
    return rev


def test_report_folder_markdown_to_stdout(folder, capsys):
    assert main(["report", str(folder)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("# Review report: 2 cables")
    assert "05PARIS174.audit.jsonl Audit seal:" in out
    assert "Bertolotti" not in out


def test_report_from_log_html_to_file(folder, tmp_path, capsys):
    dest = tmp_path / "r.html"
    assert main(["report", str(folder / "05PARIS1196.audit.jsonl"), "--format", "html",
                 "--out", str(dest)]) == 0
    page = dest.read_text()
    assert page.startswith("<!DOCTYPE html>") and "<h1>Review report: 05PARIS1196</h1>" in page


@pytest.mark.parametrize("target, message", [
    ("empty", "no reviews in this folder"),
    ("x.review.sqlite", "no review store here"),
])
def test_report_errors(tmp_path, capsys, target, message):
    (tmp_path / "empty").mkdir()
    assert main(["report", str(tmp_path / target)]) == 1
    assert message in capsys.readouterr().err


def test_report_refuses_to_overwrite_a_store(folder, capsys):
    assert main(["report", str(folder), "--out", str(folder / "05PARIS174.review.sqlite")]) == 1
    assert "refusing" in capsys.readouterr().err
