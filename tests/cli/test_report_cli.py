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


def _snapshot(folder):
    """Every file in the folder, its bytes, mode and mtime (a reading command changes
    none). SQLite's read-only connection may leave its ``-wal``/``-shm`` companions: an
    empty ``-wal`` with the store's mode, no change to the store."""
    files = {}
    for p in sorted(folder.iterdir()):
        if p.name.endswith(("-wal", "-shm")):
            store = p.with_name(p.name[:-4])
            assert p.stat().st_mode == store.stat().st_mode
            assert not p.name.endswith("-wal") or p.stat().st_size == 0
            continue
        files[p.name] = (p.read_bytes(), p.stat().st_mode, p.stat().st_mtime_ns)
    return files


@pytest.mark.parametrize("cut", [1, 3])
def test_report_on_a_truncated_log_writes_nothing_and_says_so(folder, capsys, cut):
    log = folder / "05PARIS174.audit.jsonl"
    log.write_text("".join(log.read_text().splitlines(keepends=True)[:-cut]))
    before = _snapshot(folder)
    assert main(["report", str(folder)]) == 1
    captured = capsys.readouterr()
    assert _snapshot(folder) == before
    assert "05PARIS174.audit.jsonl" in captured.err and "truncated" in captured.err
    row = next(line for line in captured.out.splitlines() if "05PARIS174.audit.jsonl" in line)
    assert "does not verify" in row and "missing" in row
    assert "05PARIS1196.audit.jsonl" not in captured.err


def test_report_and_verify_leave_an_intact_folder_untouched(folder, capsys):
    before = _snapshot(folder)
    assert main(["report", str(folder)]) == 0
    assert main(["audit", "verify", *map(str, sorted(folder.glob("*.audit.jsonl")))]) == 0
    assert _snapshot(folder) == before

