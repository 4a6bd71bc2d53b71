"""Audit log: the chain, the seal, and a tamper test for each kind of edit."""

from __future__ import annotations

import json

import pytest

from reviewtool.core.audit import (
    GENESIS,
    AuditLog,
    Seal,
    chain_line,
    line_hash,
    verify,
)
from reviewtool.core.review.seals import find_seal
from reviewtool.errors import AuditError


@pytest.fixture
def log(tmp_path):
    a = AuditLog(tmp_path / "x.audit.jsonl")
    for i in range(8):
        a.append({"action": "accept", "target": f"s{i}", "reviewer": "alice",
                  "time": f"2026-11-23T09:00:0{i}Z", "text": f"secret {i}"})
    return a


def lines(a: AuditLog) -> list[str]:
    return a.path.read_text().splitlines(keepends=True)


def write(a: AuditLog, ls: list[str]) -> None:
    a.path.write_text("".join(ls))


def rehash(line: str, prev: str | None = None) -> str:
    obj = json.loads(line)
    if prev is not None:
        obj["prev"] = prev
    return chain_line(obj, obj["seq"], obj["prev"])[0] + "\n"


def test_chain_links_and_hides_text(log):
    objs = [json.loads(x) for x in lines(log)]
    assert [o["seq"] for o in objs] == list(range(1, 9))
    assert objs[0]["prev"] == GENESIS
    assert all(b["prev"] == a["hash"] for a, b in zip(objs, objs[1:], strict=False))
    assert all(line_hash(o) == o["hash"] for o in objs)
    assert "secret" not in log.path.read_text() and len(objs[0]["text_sha256"]) == 64
    res = verify(log.path, log.seal)
    assert res.ok and res.count == 8 and log.seal == Seal(8, objs[-1]["hash"])


def test_reopened_log_continues_the_chain(log):
    again = AuditLog(log.path)
    again.append({"action": "undo"})
    assert verify(log.path).ok and again.seal.count == 9


def _edit(ls):
    ls[3] = ls[3].replace('"s3"', '"s9"')
    return ls


def _edit_rehashed(ls):
    ls[3] = rehash(ls[3].replace('"alice"', '"mallory"'))
    return ls


def _delete(ls):
    del ls[4]
    return ls


def _delete_first(ls):
    del ls[0]
    return ls


def _insert_copy(ls):
    return ls[:5] + [ls[2]] + ls[5:]


def _insert_forged(ls):
    prev = json.loads(ls[4])["hash"]
    forged = chain_line({"action": "reject", "target": "s4"}, 6, prev)[0] + "\n"
    return ls[:5] + [forged] + ls[5:]


def _swap(ls):
    ls[2], ls[5] = ls[5], ls[2]
    return ls


def _cut_midline(ls):
    ls[-1] = ls[-1][:40]
    return ls


def _garbage(ls):
    ls[6] = "this is not json\n"
    return ls


@pytest.mark.parametrize("tamper, kind, line", [
    (_edit, "edited", 4),
    (_edit_rehashed, "edited", 4),
    (_delete, "deleted", 5),
    (_delete_first, "deleted", 1),
    (_insert_copy, "inserted", 6),
    (_insert_forged, "inserted", 6),
    (_swap, "reordered", 3),
    (_cut_midline, "truncated", 8),
    (_garbage, "edited", 7),
])
def test_each_kind_of_tampering_is_named(log, tamper, kind, line):
    seal = log.seal
    write(log, tamper(lines(log)))
    res = verify(log.path, seal)
    assert not res.ok
    assert (line, kind) in [(p.line, p.kind) for p in res.problems], res.problems
    assert "TAMPERED" in res.summary()


def test_truncation_needs_the_seal(log):
    seal = log.seal
    write(log, lines(log)[:-2])
    assert verify(log.path).ok  # a chain alone cannot see its end cut off
    res = verify(log.path, seal)
    [p] = res.problems
    assert (p.kind, p.line) == ("truncated", 6) and "seq 7-8 missing" in p.message


def test_seal_mismatch_and_later_events(log):
    seal = log.seal
    log.append({"action": "output"})
    res = verify(log.path, seal)
    assert res.ok and res.notes == ("1 event(s) after the seal",)
    forged = Seal(seal.count, "f" * 64)
    assert [p.kind for p in verify(log.path, forged).problems] == ["edited"]


@pytest.mark.parametrize("text, seal", [
    ("Audit seal: 12 events, last " + "a" * 64, Seal(12, "a" * 64)),
    ("12:" + "B" * 64, Seal(12, "b" * 64)),
])
def test_seal_parse(text, seal):
    assert Seal.parse(text) == seal
    assert Seal.parse(seal.format()) == seal


def test_seal_parse_rejects_junk():
    with pytest.raises(AuditError, match="not an audit seal"):
        Seal.parse("twelve")


def test_find_seal_beside_the_log(log, tmp_path):
    assert find_seal(log.path) is None
    (tmp_path / "x.txt").write_text("RELEASE IN FULL\n" + Seal(5, "c" * 64).format() + "\n")
    (tmp_path / "report.md").write_text(f"| x.audit.jsonl {log.seal.format()} |\n")
    seal, where = find_seal(log.path)
    assert seal == log.seal and where.endswith("report.md")


def test_missing_or_binary_log(tmp_path):
    with pytest.raises(AuditError, match="no such file"):
        verify(tmp_path / "none.jsonl")
    bad = tmp_path / "bad.jsonl"
    bad.write_bytes(b"\xff\xfe\x00")
    assert [p.kind for p in verify(bad).problems] == ["malformed"]
