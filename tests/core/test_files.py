"""The one atomic writer (whole or nothing; mode by what the file holds), the folder
walk, and the output layout."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from reviewtool.core import files
from reviewtool.core.cable.parse import parse_cable
from reviewtool.core.files import Holds, cable_paths, write_atomic
from reviewtool.core.outputs import CableFiles, cable_key, holds, key_of
from reviewtool.errors import ReviewError


def _mode(p: Path) -> int:
    return stat.S_IMODE(p.stat().st_mode)


def test_write_atomic_keeps_the_old_file_when_interrupted(tmp_path: Path, monkeypatch) -> None:
    target = tmp_path / "x.jsonl"
    write_atomic(target, b"old\n")

    def boom(src, dst):
        raise KeyboardInterrupt

    monkeypatch.setattr(files.os, "replace", boom)
    with pytest.raises(KeyboardInterrupt):
        write_atomic(target, b"new\n" * 1000)
    assert target.read_bytes() == b"old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["x.jsonl"]  # no temporary left


@pytest.mark.parametrize("holds_, expected", [
    (Holds.PRIVATE, 0o600),
    (Holds.RELEASE, 0o666 & ~files._UMASK),
])
def test_mode_follows_what_the_file_holds(tmp_path: Path, holds_: Holds, expected: int) -> None:
    target = tmp_path / "sub" / "f"
    write_atomic(target, "¶1 text\r\n", holds_)
    assert _mode(target) == expected
    assert target.read_bytes() == "¶1 text\r\n".encode()  # newlines as given


@pytest.mark.parametrize("name, kind", [
    ("05PARIS174.txt", Holds.RELEASE),
    ("cables/05PARIS174.txt", Holds.RELEASE),
    ("05PARIS174.audit.jsonl", Holds.PRIVATE),
    ("05PARIS174.report.md", Holds.PRIVATE),
    ("cables/05PARIS174.suggestions.jsonl", Holds.PRIVATE),
    ("review/05PARIS174.review.sqlite", Holds.PRIVATE),
    ("triage.csv", Holds.PRIVATE),
])
def test_only_release_copies_are_for_release(name: str, kind: Holds) -> None:
    assert holds(name) is kind


def test_cable_paths_walks_folders_and_keeps_missing_paths(tmp_path: Path) -> None:
    for rel in ["b.txt", "a/z.txt", ".hidden/x.txt", "a/.x.txt"]:
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("x")
    got = [str(p.relative_to(tmp_path)) for p in cable_paths([tmp_path])]
    assert got == ["a/z.txt", "b.txt"]
    missing = tmp_path / "nope.txt"
    assert list(cable_paths([missing])) == [missing]


@pytest.mark.parametrize("cable_id, key", [
    ("05PARIS174", "05PARIS174"),
    ("05 PARIS&174", "05_PARIS_174"),
])
def test_cable_key_is_file_name_safe(cable_id: str, key: str) -> None:
    cable = parse_cable("SUBJECT: X\n\n1. (U) Text.\n", source=f"{cable_id}.txt")
    assert cable_key(cable) == key
    files_ = CableFiles.of("out", cable)
    assert files_.store == Path("out") / f"{key}.review.sqlite"
    for p in (files_.store, files_.audit, files_.release, files_.report_md, files_.suggestions):
        assert key_of(p) == key
        assert CableFiles.beside(p) == files_


def test_a_cable_without_id_is_keyed_by_its_text() -> None:
    cable = parse_cable("SUBJECT: X\n\n1. (U) Text.\n")
    assert cable.id is None
    assert cable_key(cable) == "sha-" + cable.sha256[:16]
    assert os.sep not in cable_key(cable)


def test_make_folder_creates_parents_or_says_why(tmp_path: Path) -> None:
    assert files.make_folder(tmp_path / "a" / "b", "output folder").is_dir()
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(ReviewError, match="cannot create output folder: ") as info:
        files.make_folder(blocker / "sub", "output folder")
    assert info.value.source == str(blocker / "sub")
