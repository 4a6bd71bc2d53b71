"""Hostile input through the real command line (issue 16, items 15 and 17): each case
exits with a failure status and one ``reviewtool: ...`` line naming the file, never a
traceback; nothing blocks on a FIFO or reads a device or a huge file."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from reviewtool.cli import main
from reviewtool.core.cable.read import read_cable
from reviewtool.core.rules.load import load_rules
from tests.conftest import ROOT, SAMPLES

CABLE = SAMPLES / "00HARARE5461.txt"
RULES = ROOT / "rules"


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    """Exit status and stderr of one command; never a traceback anywhere."""
    rc = main(args)
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return rc, err


def one_error(err: str, name: str | Path) -> str:
    """The one ``reviewtool:`` line of ``err``, which names ``name``."""
    lines = [ln for ln in err.splitlines() if ln.startswith("reviewtool:")]
    assert len(lines) == 1, err
    assert str(name) in lines[0], lines[0]
    return lines[0]


# --------------------------------------------------------------------------- rule sets

_RULE = "ruleset: hostile\nrules:\n  - id: h.term\n    kind: terms\n    codes: [B6]\n" \
        "    reason: r\n    terms: [{term}]\n"

RULE_FILES = {
    "control character": _RULE.format(term='"Mugabe\x01"'),
    "NUL byte": _RULE.format(term="Mug\x00abe"),
    "nested 20,000 deep": "ruleset: hostile\nrules: " + "[" * 20000 + "]" * 20000 + "\n",
    "nested mappings 20,000 deep": "ruleset: hostile\nrules:\n" + "{a: " * 20000
                                   + "1" + "}" * 20000 + "\n",
}


@pytest.mark.parametrize("case", sorted(RULE_FILES))
@pytest.mark.parametrize("command", ["rules check", "suggest"])
def test_a_hostile_rules_file_is_one_clear_line(tmp_path, capsys, case, command):
    rules = tmp_path / "hostile.yaml"
    rules.write_bytes(RULE_FILES[case].encode("utf-8"))
    args = ["rules", "check", str(rules)] if command == "rules check" else \
        ["suggest", "--rules", str(rules), str(CABLE)]
    rc, err = run(args, capsys)
    assert rc != 0
    assert str(rules) in err
    if command == "suggest":
        one_error(err, rules)


@pytest.mark.parametrize("length", [500, 2000, 20000])
def test_a_term_of_any_length_is_suggested(tmp_path, capsys, length):
    """A 500+ character term overflowed the trie regex builder (RecursionError)."""
    words = ("Alpha", "Bravo", "Charlie", "Delta")
    term = " ".join(words[i % 4] for i in range(length // 6 + 1))[:length].rstrip()
    rules = tmp_path / "long.yaml"
    rules.write_text(_RULE.format(term=json.dumps(term)))
    cable = tmp_path / "c.txt"
    cable.write_text(CABLE.read_text().replace("\n\n1. ", f"\n\n1. (C) {term}. ", 1))
    rc, err = run(["suggest", "--rules", str(rules), "--json", str(cable)], capsys)
    assert rc == 0, err


def test_nested_prefix_terms_compile(tmp_path, capsys):
    """Hundreds of terms each a prefix of the next nest the trie's groups beyond what
    `re` compiles; they are still found, longest first."""
    terms = [" ".join(["Alpha"] * n) for n in range(1, 600)]
    rules = tmp_path / "chain.yaml"
    rules.write_text(_RULE.format(term=", ".join(json.dumps(t) for t in terms)))
    cable = tmp_path / "c.txt"
    cable.write_text(CABLE.read_text().replace("\n\n1. ", f"\n\n1. (C) {terms[-1]}. ", 1))
    rc = main(["suggest", "--rules", str(rules), "--json", str(cable)])
    out, err = capsys.readouterr()
    assert rc == 0 and "Traceback" not in err
    texts = [json.loads(line)["text"] for line in out.splitlines()]
    assert terms[-1] in texts


# --------------------------------------------------------------------------- batch folders


def test_batch_skips_link_loops_and_reports_them(tmp_path, capsys):
    src = tmp_path / "cables"
    (src / "sub").mkdir(parents=True)
    (src / "sub" / CABLE.name).write_bytes(CABLE.read_bytes())
    (src / "sub" / "up").symlink_to("..")
    (src / "self").symlink_to(".")
    (src / "loop-a").symlink_to("loop-b")
    (src / "loop-b").symlink_to("loop-a")
    out = tmp_path / "out"
    rc, err = run(["batch", "--rules", str(RULES), str(src), "--out", str(out),
                   "--workers", "1", "--quiet"], capsys)
    assert rc == 1  # some inputs failed; the rest was processed
    errors = {e["file"]: e["reason"] for e in map(json.loads,
                                                   (out / "errors.jsonl").open())}
    assert set(errors) == {"loop-a", "loop-b", "self", "sub/up"}
    assert all(r.startswith("skipped: ") for r in errors.values())
    records = [json.loads(line) for line in (out / "manifest.jsonl").open()]
    assert [r["file"] for r in records if r["status"] == "ok"] == [f"sub/{CABLE.name}"]


def test_batch_skips_fifos_devices_and_huge_files(tmp_path, capsys, monkeypatch):
    src = tmp_path / "cables"
    src.mkdir()
    (src / CABLE.name).write_bytes(CABLE.read_bytes())
    os.mkfifo(src / "pipe")
    (src / "zero").symlink_to("/dev/zero")
    with (src / "huge.txt").open("wb") as f:
        f.truncate(30 * 1024**3)  # sparse: 30 GB long, nothing on disk
    out = tmp_path / "out"
    rc, err = run(["batch", "--rules", str(RULES), str(src), "--out", str(out),
                   "--workers", "1", "--quiet"], capsys)
    assert rc == 1
    errors = {e["file"]: e["reason"] for e in map(json.loads,
                                                   (out / "errors.jsonl").open())}
    assert set(errors) == {"pipe", "zero", "huge.txt"}
    assert "larger than" in errors["huge.txt"]


# --------------------------------------------------------------------------- unbounded reads

COMMANDS = {
    "inspect": ["inspect"],
    "suggest": ["suggest", "--rules", str(RULES)],
    "apply": ["apply", "--rules", str(RULES), "--accept-all", "--out", "{out}"],
}


@pytest.mark.parametrize("command", sorted(COMMANDS))
@pytest.mark.parametrize("kind", ["fifo", "device", "sparse 30 GB", "over the env limit"])
def test_a_cable_that_is_no_regular_file_or_too_big_is_refused(tmp_path, command, kind):
    """In a subprocess with a timeout: before the fix a FIFO blocked for ever."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    if kind == "fifo":
        path = tmp_path / "cable.txt"
        os.mkfifo(path)
    elif kind == "device":
        path = Path("/dev/zero")
    elif kind == "sparse 30 GB":
        path = tmp_path / "cable.txt"
        with path.open("wb") as f:
            f.truncate(30 * 1024**3)
    else:
        path = tmp_path / "cable.txt"
        path.write_bytes(CABLE.read_bytes())
        env["REVIEWTOOL_MAX_CABLE_BYTES"] = "1000"
    args = [a.format(out=tmp_path / "out") for a in COMMANDS[command]]
    proc = subprocess.run([sys.executable, "-m", "reviewtool", *args, str(path)],
                          capture_output=True, text=True, timeout=60, env=env,
                          cwd=tmp_path)
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    line = one_error(proc.stderr, path)
    assert ("not a regular file" in line) == (kind in ("fifo", "device"))
    assert ("larger than" in line) == (kind in ("sparse 30 GB", "over the env limit"))


def test_a_bad_size_limit_is_one_line(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("REVIEWTOOL_MAX_CABLE_BYTES", "lots")
    rc, err = run(["inspect", str(CABLE)], capsys)
    assert rc == 1
    one_error(err, "REVIEWTOOL_MAX_CABLE_BYTES")


# --------------------------------------------------------------------------- --decisions


@pytest.fixture(scope="module")
def suggestion_id() -> str:
    from reviewtool.core.suggest.engine import suggest

    return suggest(read_cable(CABLE), load_rules([RULES]))[0].id


def _review(**fields: object) -> dict[str, object]:
    return {"cable": "00HARARE5461", **fields}


DECISIONS: dict[str, object] = {
    "not JSON": "{not json",
    "not UTF-8": b"\xff\xfe\x00{",
    "a number": 42,
    "a list of numbers": [1, 2],
    "reviews not a list": {"reviews": 5},
    "decisions not a list": _review(decisions=5),
    "a decision not an object": _review(decisions=[5]),
    "an unknown id": _review(decisions=[{"target": "s000000000"}]),
    "an id not a string": _review(decisions=[{"target": ["x"]}]),
    "an unknown status": _review(decisions=[{"target": "{sid}", "status": "maybe"}]),
    "code B99 on a decision": _review(decisions=[{"target": "{sid}", "codes": ["B99"]}]),
    "codes a string": _review(decisions=[{"target": "{sid}", "codes": "B6"}]),
    "a note not a string": _review(decisions=[{"target": "{sid}", "note": 5}]),
    "manual not a list": _review(manual=3),
    "manual start not a number": _review(manual=[{"start": "x", "end": 5, "codes": ["B6"]}]),
    "manual code B99": _review(manual=[{"start": 0, "end": 5, "codes": ["B99"]}]),
    "a paragraph out of range": _review(dispositions=[{"paragraph": 999,
                                                       "disposition": "withhold"}]),
    "disposition code B99": _review(dispositions=[{"paragraph": 0, "disposition": "withhold",
                                                   "codes": ["B99"]}]),
    "settings a list": _review(settings=[1]),
    "cable_sha256 a number": _review(cable_sha256=5),
    "rules_sha256 a number": _review(rules_sha256=5),
}


@pytest.mark.parametrize("case", sorted(DECISIONS))
def test_a_malformed_decisions_file_is_one_line_and_writes_no_copy(
        tmp_path, capsys, suggestion_id, case):
    raw = DECISIONS[case]
    path = tmp_path / "decisions.json"
    if isinstance(raw, bytes):
        path.write_bytes(raw)
    elif isinstance(raw, str):
        path.write_text(raw)
    else:
        path.write_text(json.dumps(raw).replace("{sid}", suggestion_id))
    out = tmp_path / "out"
    rc, err = run(["apply", "--rules", str(RULES), str(CABLE), "--decisions", str(path),
                   "--out", str(out)], capsys)
    assert rc == 1
    one_error(err, path)
    assert not (out / "00HARARE5461.txt").exists()
    for f in out.glob("*") if out.exists() else ():
        assert b"B99" not in f.read_bytes(), f


# --------------------------------------------------------------------------- review stores


def _corrupt(store: Path, how: str) -> None:
    data = store.read_bytes()
    if how == "truncated":
        store.write_bytes(data[:3000])
    elif how == "garbage":
        store.write_bytes(bytes((i * 7919) % 251 for i in range(len(data))))
    elif how == "garbage after the header":
        store.write_bytes(data[:100] + b"\xde\xad" * ((len(data) - 100) // 2))
    elif how == "wrong schema":
        store.unlink()
        db = sqlite3.connect(store)
        db.execute("CREATE TABLE meta (x)")
        db.commit()
        db.close()
    elif how == "another SQLite file":
        store.unlink()
        db = sqlite3.connect(store)
        db.execute("CREATE TABLE notes (body TEXT)")
        db.commit()
        db.close()


@pytest.fixture(scope="module")
def reviewed(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("reviewed")
    assert main(["apply", "--rules", str(RULES), str(CABLE), "--accept-all",
                 "--out", str(out)]) == 0
    return out


STORE_CASES = [(command, how) for command in ("report", "apply")
               for how in ("truncated", "garbage", "garbage after the header", "wrong schema",
                           "another SQLite file")
               # apply makes a store of an SQLite file without its tables: a run killed
               # before its first write leaves one, and a rerun must start afresh
               if (command, how) != ("apply", "another SQLite file")]


@pytest.mark.parametrize(("command", "how"), STORE_CASES)
def test_a_corrupted_store_is_one_line(tmp_path, capsys, reviewed, command, how):
    out = tmp_path / "out"
    out.mkdir()
    for f in reviewed.glob("00HARARE5461.*"):
        (out / f.name).write_bytes(f.read_bytes())
    store = out / "00HARARE5461.review.sqlite"
    _corrupt(store, how)
    capsys.readouterr()
    args = ["report", str(store)] if command == "report" else \
        ["apply", "--rules", str(RULES), str(CABLE), "--out", str(out)]
    rc, err = run(args, capsys)
    assert rc == 1, err
    one_error(err, store)


# --------------------------------------------------------------------------- last defence


def test_an_unexpected_exception_is_one_line_unless_debugging(capsys, monkeypatch):
    def broken(paths):
        raise RuntimeError("something no check foresaw\nsecond line")

    monkeypatch.setattr("reviewtool.cli.inspect.read_cables", broken)
    monkeypatch.delenv("REVIEWTOOL_DEBUG", raising=False)
    rc, err = run(["inspect", str(CABLE)], capsys)
    assert rc == 1
    assert err.splitlines() == ["reviewtool: internal error: RuntimeError: something no "
                                "check foresaw second line (set REVIEWTOOL_DEBUG=1 for the "
                                "traceback)"]
    monkeypatch.setenv("REVIEWTOOL_DEBUG", "1")
    with pytest.raises(RuntimeError):
        main(["inspect", str(CABLE)])
