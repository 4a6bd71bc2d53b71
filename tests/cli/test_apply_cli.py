"""`reviewtool apply` as a user runs it: files written, leak refusal, exit codes."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

from reviewtool.cli import main
from tests.conftest import ROOT, SAMPLES
from tests.core.handmade import cable, term_suggestions

SEEDS = [SAMPLES / "05PARIS174.txt", SAMPLES / "05PARIS1196.txt"]


@pytest.fixture
def suggestions(tmp_path):
    path = tmp_path / "suggestions.jsonl"
    with path.open("w") as f:
        for name in ("05PARIS174", "05PARIS1196"):
            for s in term_suggestions(cable(name)):
                f.write(json.dumps(s.to_json()) + "\n")
    return path


def test_apply_accept_all_writes_copies_logs_and_report(tmp_path, suggestions, capsys):
    out = tmp_path / "out"
    rc = main(["apply", "--suggestions", str(suggestions), *map(str, SEEDS), "--out", str(out),
               "--accept-all", "--reviewer", "alice", "--case-no", "F-1", "--date",
               "2026-11-23"])
    captured = capsys.readouterr()
    assert rc == 0, captured.err
    for name in ("05PARIS174", "05PARIS1196"):
        text = (out / f"{name}.txt").read_text()
        assert text.startswith("RELEASE IN PART")
        assert "Bertolotti" not in text
        assert "Case No. F-1" in text and "Declassified: 2026-11-23, alice" in text
        assert (out / f"{name}.audit.jsonl").exists()
    report = (out / "report.md").read_text()
    assert report.startswith("# Review report: 2 cable(s)") and "## Vaughn index" in report
    assert "<table>" in (out / "report.html").read_text()
    assert "05PARIS174: RELEASE IN PART B1, 1.4(B), 1.4(D), B6" in captured.out
    assert main(["audit", "verify", *map(str, out.glob("*.audit.jsonl"))]) == 0


def test_apply_leak_refused_no_copy_exit_1(tmp_path, suggestions, capsys):
    c = cable("05PARIS174")
    sugs = [s for s in term_suggestions(c) if s.text == "Bertolotti"]
    decisions = {"cable": "05PARIS174", "decisions": [
        {"target": s.id, "status": "accept" if i == 0 else "reject"} for i, s in enumerate(sugs)]}
    dpath = tmp_path / "decisions.json"
    dpath.write_text(json.dumps([decisions]))
    out = tmp_path / "out"
    rc = main(["apply", "--suggestions", str(suggestions), str(SEEDS[0]), "--out", str(out),
               "--decisions", str(dpath), "--reviewer", "alice"])
    err = capsys.readouterr().err
    assert rc == 1
    assert not (out / "05PARIS174.txt").exists()
    assert "leak check refused the release copy of 05PARIS174" in err
    assert re.search(r"¶2, line \d+:\d+: 'Bertolotti' is withheld elsewhere by suggestion "
                     r"05PARIS174-s\d+, rule terms.bertolotti", err)
    assert "Traceback" not in err


def test_apply_refuses_output_over_inputs(tmp_path, suggestions, capsys):
    src = tmp_path / "cables"
    src.mkdir()
    (src / "05PARIS174.txt").write_bytes(SEEDS[0].read_bytes())
    rc = main(["apply", "--suggestions", str(suggestions), str(src), "--out", str(src),
               "--accept-all", "--reviewer", "a"])
    assert rc == 1
    assert "output folder holds input cables" in capsys.readouterr().err
    assert (src / "05PARIS174.txt").read_bytes() == SEEDS[0].read_bytes()


@pytest.mark.parametrize("args, message", [
    (["--suggestions", "missing.jsonl"], "missing.jsonl: cannot read"),
    (["--suggestions", "{s}", "--decisions", "{bad}"], "bad.json:1:2: not JSON"),
])
def test_apply_bad_inputs_one_line(tmp_path, suggestions, capsys, args, message):
    bad = tmp_path / "bad.json"
    bad.write_text("{oops")
    args = [a.format(s=suggestions, bad=bad) for a in args]
    rc = main(["apply", *args, str(SEEDS[0]), "--out", str(tmp_path / "o"), "--reviewer", "a"])
    err = capsys.readouterr().err
    assert rc == 1 and message in err and len(err.strip().splitlines()) == 1


def test_apply_with_bundled_rules_subprocess(tmp_path):
    pytest.importorskip("reviewtool.core.suggest.engine")
    out = tmp_path / "out"
    r = subprocess.run([sys.executable, "-m", "reviewtool", "apply", "--rules",
                        str(ROOT / "rules"), str(SEEDS[0]), "--out", str(out), "--accept-all",
                        "--reviewer", "alice"], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    text = (out / "05PARIS174.txt").read_text()
    assert text.startswith("RELEASE IN PART ") and "Bertolotti" not in text


def test_apply_internal_log_keeps_text(tmp_path, suggestions):
    out = tmp_path / "out"
    assert main(["apply", "--suggestions", str(suggestions), str(SEEDS[1]), "--out", str(out),
                 "--accept-all", "--reviewer", "a", "--internal-log"]) == 0
    events = [json.loads(x) for x in (out / "05PARIS1196.audit.jsonl").read_text().splitlines()]
    assert {e.get("text") for e in events if e["action"] == "accept"} >= {"Bertolotti"}
