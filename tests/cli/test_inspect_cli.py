"""`reviewtool inspect` as a user runs it: exit codes, stdout, stderr."""

import json
import subprocess
import sys

import pytest

from tests.conftest import SAMPLES

KEYS = {"id", "source", "classification", "level", "controls", "created", "origin", "tags",
        "subject", "refs", "classified_by", "decl", "declassification", "paragraphs", "signer"}


def run(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "reviewtool", *map(str, args)],
                          capture_output=True, text=True, cwd=cwd)


def test_inspect_json_lines_over_the_samples():
    r = run("inspect", "--json", SAMPLES)
    assert r.returncode == 0, r.stderr
    rows = [json.loads(line) for line in r.stdout.splitlines()]
    assert len(rows) == len(list(SAMPLES.glob("*.txt")))
    for row in rows:
        assert KEYS <= row.keys()
        assert set(row["classified_by"] or {"name": 0, "title": 0, "reasons": 0, "text": 0}) >= {
            "name", "title", "reasons", "text"}
        assert {"order", "text", "date"} <= set(row["decl"] or {"order", "text", "date"})
        assert {"status", "date"} <= set(row["declassification"])
        for p in row["paragraphs"]:
            assert {"number", "marking", "level", "controls", "inherited", "unmarked",
                    "start", "end"} <= p.keys()
    seed = next(r for r in rows if r["id"] == "05PARIS174")
    assert seed["classification"] == "SECRET//NOFORN"
    assert seed["classified_by"]["reasons"] == ["1.4(b)", "1.4(d)"]
    assert seed["decl"]["date"] == "2025-01-10"
    assert [(p["marking"], p["inherited"]) for p in seed["paragraphs"] if not p["number"]] == [
        ("S", True), ("S/NF", True)]
    assert [p["marking"] for p in seed["paragraphs"] if p["number"]] == [
        "S", "S", "S/NF", "S", "S", "S/NF"]


def test_inspect_readable_summary():
    r = run("inspect", SAMPLES / "05PARIS174.txt")
    assert r.returncode == 0
    assert "05PARIS174  SECRET//NOFORN" in r.stdout
    assert "reasons 1.4(b), 1.4(d)" in r.stdout
    assert "¶4+" in r.stdout and "inherited" in r.stdout
    assert r.stderr == ""


@pytest.fixture
def bad_inputs(tmp_path):
    (tmp_path / "empty.txt").write_text("")
    (tmp_path / "binary.bin").write_bytes(b"\x00\x01\x02PNG\x00" * 50)
    (tmp_path / "notes.txt").write_text("Shopping list\n- milk\n- eggs\n")
    good = (SAMPLES / "05PARIS1196.txt").read_text(encoding="utf-8")
    (tmp_path / "latin.txt").write_bytes(good.replace("Bertolotti", "Bértolotti").encode("cp1252"))
    return tmp_path


def test_bad_files_are_reported_and_the_rest_processed(bad_inputs):
    r = run("inspect", "--json", bad_inputs, bad_inputs / "missing.txt")
    assert r.returncode == 1
    errs = r.stderr.strip().splitlines()
    assert len(errs) == 4, r.stderr
    assert any("empty.txt: empty file" in e for e in errs)
    assert any("binary.bin: binary file" in e for e in errs)
    assert any("notes.txt: not a cable" in e for e in errs)
    assert any("missing.txt: no such file" in e for e in errs)
    assert "Traceback" not in r.stderr
    rows = [json.loads(x) for x in r.stdout.splitlines()]
    assert [row["id"] for row in rows] == ["05PARIS1196"]  # cp1252 text decoded


def test_usage_errors_exit_2():
    assert run("inspect").returncode == 2
    assert run("no-such-command").returncode == 2
    r = run()
    assert r.returncode == 2 and "usage" in r.stderr.lower()


def test_every_command_has_help():
    from reviewtool.cli import build_parser

    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    for name, p in sub.choices.items():
        assert p.format_help().strip(), name
        assert p.description or p.format_usage(), name
