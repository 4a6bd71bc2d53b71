"""``reviewtool batch`` as a user runs it: exit status, one line per failed cable, quiet
mode, usage errors, draft mode opening in a review, and a run killed with SIGKILL that a
rerun completes to exactly the output of a clean run."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest

from reviewtool.cli import main
from reviewtool.core.audit import verify
from reviewtool.core.batch.run import run_batch
from reviewtool.core.batch.types import BatchRequest
from reviewtool.core.cable.read import read_cable
from reviewtool.core.review.review import Review
from tests.core.rulehelp import NAME_RULES

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "sample_cables"
CORPUS = Path("/work/shared/corpus/cables")
if not CORPUS.is_dir():
    CORPUS = ROOT.parent / "shared" / "corpus" / "cables"
ON = "2026-11-23"

RULES = r"""
ruleset: cli-test
description: Names for the batch CLI tests.
policy:
  min_score: 0.5
  codes: [b6]
rules:
""" + NAME_RULES


@pytest.fixture
def rules(tmp_path: Path) -> Path:
    p = tmp_path / "test-rules.yaml"
    p.write_text(RULES, encoding="utf-8")
    return p


def cables(tmp_path: Path, names: list[str], src: Path = SAMPLES) -> Path:
    d = tmp_path / "cables"
    d.mkdir(exist_ok=True)
    for n in names:
        shutil.copy(src / n, d / n)
    return d


def outputs(out: Path) -> dict[str, bytes]:
    """Every output but the report (whose last section holds timings), byte for byte."""
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*"))
            if p.is_file() and p.name not in ("report.md", "report.html")}


def test_help_lists_every_option(capsys) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["batch", "--help"])
    assert exc.value.code == 0
    text = capsys.readouterr().out
    for opt in ["--rules", "--out", "--workers", "--mode", "--executor", "--scheduler",
                "--quiet", "--on", "--timeout", "--reviewer"]:
        assert opt in text


def test_a_failed_cable_is_one_line_and_exit_status_1(tmp_path: Path, rules: Path,
                                                      capsys) -> None:
    d = cables(tmp_path, ["05PARIS174.txt", "05PARIS1196.txt"])
    (d / "scan.tif").write_bytes(b"II*\x00" + bytes(range(256)) * 4)
    rc = main(["batch", "--rules", str(rules), str(d), "--out", str(tmp_path / "out"),
               "--on", ON, "--workers", "1"])
    cap = capsys.readouterr()
    assert rc == 1
    assert cap.err.splitlines() == [
        f"reviewtool: {d / 'scan.tif'}: binary file (NUL bytes), not a cable"]
    assert "3 cables: 2 done (2 now, 0 already done), 1 failed" in cap.out
    assert "Traceback" not in cap.err
    # The rerun does only what failed, and says so.
    rc = main(["batch", "--rules", str(rules), str(d), "--out", str(tmp_path / "out"),
               "--on", ON, "--workers", "1"])
    assert rc == 1
    assert "3 cables: 2 done (0 now, 2 already done), 1 failed" in capsys.readouterr().out


def test_quiet_prints_nothing_and_exit_0(tmp_path: Path, rules: Path, capsys) -> None:
    d = cables(tmp_path, ["05PARIS174.txt"])
    rc = main(["batch", "--rules", str(rules), str(d), "--out", str(tmp_path / "out"),
               "--quiet", "--on", ON])
    assert rc == 0
    assert capsys.readouterr() == ("", "")
    assert (tmp_path / "out" / "cables" / "05PARIS174.suggestions.jsonl").stat().st_size > 0


@pytest.mark.parametrize("args, code, message", [
    (["--workers", "0"], 2, "must be a whole number of at least 1"),
    (["--on", "23/11/2026"], 2, "not a date (YYYY-MM-DD)"),
    (["--executor", "dask"], 2, "--executor dask needs --scheduler ADDR"),
    (["--scheduler", "tcp://x:1"], 2, "--scheduler is only used with --executor dask"),
    (["--mode", "publish"], 2, "invalid choice: 'publish'"),
    # The choices are the enums' values: the message lists plain strings.
    (["--mode", "publish"], 2, "(choose from 'suggest', 'draft')"),
    (["--executor", "ray"], 2, "invalid choice: 'ray' (choose from 'local', 'dask')"),
])
def test_usage_errors(tmp_path: Path, rules: Path, capsys, args, code, message) -> None:
    d = cables(tmp_path, ["05PARIS174.txt"])
    argv = ["batch", "--rules", str(rules), str(d), "--out", str(tmp_path / "out"), *args]
    try:
        rc = main(argv)
    except SystemExit as exc:
        rc = exc.code
    assert rc == code
    assert message in capsys.readouterr().err


def test_missing_folder_and_bad_rules_are_one_line(tmp_path: Path, rules: Path,
                                                   capsys) -> None:
    rc = main(["batch", "--rules", str(rules), str(tmp_path / "nope"), "--out",
               str(tmp_path / "out")])
    assert rc == 1
    assert capsys.readouterr().err == f"reviewtool: {tmp_path / 'nope'}: no such folder\n"
    bad = tmp_path / "bad.yaml"
    bad.write_text("ruleset: bad\nrules:\n  - id: x\n    kind: terms\n    codes: [b99]\n"
                   "    reason: r\n    terms: [a]\n")
    d = cables(tmp_path, ["05PARIS174.txt"])
    rc = main(["batch", "--rules", str(bad), str(d), "--out", str(tmp_path / "out")])
    err = capsys.readouterr().err
    assert rc == 1 and f"{bad}:5:" in err and "Traceback" not in err


def test_draft_mode_opens_as_a_review(tmp_path: Path, rules: Path, capsys) -> None:
    from reviewtool.core.rules.load import load_rules
    from reviewtool.core.suggest.engine import suggest

    d = cables(tmp_path, ["05PARIS174.txt", "05PARIS1196.txt"])
    out = tmp_path / "out"
    rc = main(["batch", "--rules", str(rules), str(d), "--out", str(out), "--mode", "draft",
               "--on", ON, "--reviewer", "batch-tester"])
    assert rc == 0, capsys.readouterr().err
    copy = (out / "cables" / "05PARIS174.txt").read_text()
    assert copy.startswith("DRAFT - AWAITING REVIEW")
    assert "RELEASE IN PART B6" in copy and "Bertolotti" not in copy
    for log in ["cables/05PARIS174.audit.jsonl", "review/05PARIS174.audit.jsonl"]:
        assert verify(out / log).ok
    events = [json.loads(x) for x in (out / "cables" / "05PARIS174.audit.jsonl")
              .read_text().splitlines()]
    assert {e["reviewer"] for e in events} == {"batch-tester"}
    assert events[-1]["action"] == "output" and events[-1]["file"] == "05PARIS174.txt"
    # The reviewer opens the same review and finds the draft decisions, pending confirmation.
    ruleset = load_rules([rules])
    cable = read_cable(d / "05PARIS174.txt")
    sugg = suggest(cable, ruleset)
    with Review.open(out / "review", cable, sugg, reviewer="alice",
                     rules_sha256=ruleset.sha256) as review:
        assert sugg and all(review.decision(s.id).accepted for s in sugg
                            if ruleset.policy.admits(s.score, s.codes))
    triage = (out / "triage.csv").read_text().splitlines()
    assert triage[0].split(",")[12:14] == ["withheld", "draft"]
    assert ",written," in triage[2]  # 05PARIS174
    # 05PARIS1196 withholds Bertolotti in its Secret paragraph 3 only: the leak check
    # refuses that draft (he is named in its Confidential paragraphs), and says where.
    assert "refused by the leak check: 7 place(s)" in triage[1]
    assert not (out / "cables" / "05PARIS1196.txt").exists()
    assert (out / "review" / "05PARIS1196.review.sqlite").exists()
    events = (out / "review" / "05PARIS1196.audit.jsonl").read_text().splitlines()
    assert json.loads(events[-1])["action"] == "release_refused"
    assert "Drafts refused by the leak check | 1 |" in (out / "report.md").read_text()


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGINT], ids=["kill", "ctrl-c"])
def test_a_killed_run_resumes_to_the_clean_result(tmp_path: Path, rules: Path, sig) -> None:
    if not CORPUS.is_dir():
        pytest.skip("the shared corpus is not here")
    names = sorted(os.listdir(CORPUS))[:300]
    d = cables(tmp_path, names, CORPUS)
    clean = tmp_path / "clean"
    run_batch(BatchRequest(d, [rules], clean, workers=2, on=date(2026, 11, 23)))

    out = tmp_path / "killed"
    cmd = [sys.executable, "-m", "reviewtool", "batch", "--rules", str(rules), str(d),
           "--out", str(out), "--workers", "2", "--quiet", "--on", ON]
    proc = subprocess.Popen(cmd, start_new_session=True, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    manifest = out / "manifest.jsonl"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if manifest.exists() and manifest.read_bytes().count(b"\n") >= 20:
            break
        assert proc.poll() is None, proc.stderr.read().decode()
        time.sleep(0.005)
    os.killpg(proc.pid, sig)  # the driver and its workers, mid-run, as a terminal would
    proc.wait(timeout=60)
    if sig == signal.SIGKILL:
        assert proc.returncode == -signal.SIGKILL
    else:  # Ctrl-C: the pool stopped, one line, no traceback from the driver or a worker
        assert proc.returncode == 130
        assert proc.stderr.read().decode() == "reviewtool: interrupted\n"
    done = manifest.read_bytes().count(b"\n")
    assert 20 <= done < len(names)
    assert not (out / "report.md").exists()
    # Nothing half-written under a real name: every visible file is the clean run's.
    want = outputs(clean)
    for p in (out / "cables").iterdir():
        if not p.name.startswith("."):
            assert p.read_bytes() == want[f"cables/{p.name}"]

    s = run_batch(BatchRequest(d, [rules], out, workers=2, on=date(2026, 11, 23)))
    assert s.skipped >= done - 1  # every finished cable is kept (a torn last line at most)
    assert s.ok == len(names) and s.processed + s.skipped == len(names)
    assert outputs(out) == want
    assert not [p for p in out.rglob(".*") if p.name != ".consistency-cache.jsonl"]
