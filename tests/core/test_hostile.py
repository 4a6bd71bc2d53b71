"""Hostile input at the core's edges (issue 16, items 15 and 17): the trie regex for
terms of any length, the folder walk over links and special files, the bounded cable
read, YAML that PyYAML itself refuses or cannot compose."""

from __future__ import annotations

import os
import random
import re
from pathlib import Path

import pytest

from reviewtool.core.cable.read import MAX_CABLE_BYTES, read_cable, read_cable_bytes
from reviewtool.core.files import walk_cables
from reviewtool.core.rules.yamlread import Ctx, compose
from reviewtool.core.suggest.matchers import trie_regex
from reviewtool.errors import CableError
from tests.conftest import SAMPLES

# --------------------------------------------------------------------------- trie regex


def _recursive_trie_regex(keys: list[str]) -> str:
    """The former, recursive builder: the reference the iterative one must equal."""
    root: dict[str, dict] = {}
    for k in keys:
        node = root
        for ch in k:
            node = node.setdefault(ch, {})
        node[""] = {}

    def word(ch: str) -> bool:
        return ch.isalnum() or ch == "_"

    def build(node: dict, last: str) -> str:
        alts = [re.escape(ch) + build(child, ch) for ch, child in sorted(node.items()) if ch]
        if "" in node:
            alts.append(r"(?!\w)" if word(last) else "")
        return alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"

    return build(root, "")


def test_trie_regex_is_unchanged_for_ordinary_terms():
    rng = random.Random(16)
    for _ in range(3000):
        keys = ["".join(rng.choice("ab .-é") for _ in range(rng.randint(1, 7)))
                for _ in range(rng.randint(1, 9))]
        assert trie_regex(keys) == _recursive_trie_regex(keys), keys


@pytest.mark.parametrize("length", [500, 5000, 100_000])
def test_trie_regex_takes_a_term_of_any_length(length):
    term = ("Mugabe " * (length // 7 + 1))[:length].strip()
    rx = re.compile(trie_regex([term, term[:10]]))
    assert [m.group() for m in rx.finditer(f"x {term} y")] == [term]


def test_trie_regex_deep_branches_match_as_the_nested_form_would():
    """600 terms each a prefix of the next: nested groups past `re`'s limit are written
    flat, with the same leftmost, longest-first matches."""
    terms = [" ".join(["ab"] * n) for n in range(1, 600)]
    rx = re.compile(trie_regex(terms))
    text = " ".join(["ab"] * 650) + ". ab ab x"
    got = [m.group().count("ab") for m in rx.finditer(text)]
    assert got == [599, 51, 2]


# --------------------------------------------------------------------------- folder walk


def test_walk_skips_link_loops_and_special_files_and_says_why(tmp_path):
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "b" / "c.txt").write_text("x")
    (tmp_path / "a" / "b" / "up").symlink_to("../..")
    (tmp_path / "a" / "here").symlink_to(".")
    (tmp_path / "loop1").symlink_to("loop2")
    (tmp_path / "loop2").symlink_to("loop1")
    (tmp_path / "broken").symlink_to("nowhere")
    (tmp_path / "twin").symlink_to("a/b")  # a link to a folder elsewhere is walked
    os.mkfifo(tmp_path / "pipe")
    skipped: list[tuple[str, str]] = []
    got = [p.relative_to(tmp_path).as_posix() for p in walk_cables(
        tmp_path, skipped=lambda p, why: skipped.append((p.relative_to(tmp_path).as_posix(),
                                                          why)))]
    assert got == ["a/b/c.txt", "twin/c.txt"]
    assert dict(skipped) == {
        "a/b/up": "link to a folder that contains it (a loop)",
        "a/here": "link to a folder that contains it (a loop)",
        "broken": "broken symbolic link",
        "loop1": "symbolic link loop", "loop2": "symbolic link loop",
        "pipe": "not a regular file (a FIFO, a device or a socket)",
        "twin/up": "link to a folder that contains it (a loop)"}


def test_walk_of_a_very_deep_folder_does_not_recurse(tmp_path):
    deep = tmp_path
    for _ in range(1200):  # deeper than Python's recursion limit (os.makedirs recurses)
        deep = deep / "d"
        deep.mkdir()
    (deep / "c.txt").write_text("x")
    try:
        assert [p.name for p in walk_cables(tmp_path)] == ["c.txt"]
    finally:  # bottom up: pytest's clean-up (shutil.rmtree) recurses and would overflow
        (deep / "c.txt").unlink()
        while deep != tmp_path:
            deep.rmdir()
            deep = deep.parent


# --------------------------------------------------------------------------- cable reads


def test_read_refuses_a_fifo_without_blocking(tmp_path):
    fifo = tmp_path / "cable.txt"
    os.mkfifo(fifo)  # no writer: an open for reading without O_NONBLOCK waits for ever
    with pytest.raises(CableError, match="a FIFO, not a regular file") as err:
        read_cable(fifo)
    assert err.value.source == str(fifo)


def test_read_refuses_a_device():
    with pytest.raises(CableError, match="a character device"):
        read_cable_bytes("/dev/zero")


def test_read_refuses_a_file_over_the_limit(tmp_path, monkeypatch):
    big = tmp_path / "big.txt"
    with big.open("wb") as f:
        f.truncate(MAX_CABLE_BYTES + 1)  # sparse
    with pytest.raises(CableError, match="larger than 20971520 bytes"):
        read_cable_bytes(big)
    cable = SAMPLES / "00HARARE5461.txt"
    size = cable.stat().st_size
    monkeypatch.setenv("REVIEWTOOL_MAX_CABLE_BYTES", str(size))
    assert read_cable_bytes(cable) == cable.read_bytes()
    monkeypatch.setenv("REVIEWTOOL_MAX_CABLE_BYTES", str(size - 1))
    with pytest.raises(CableError, match="REVIEWTOOL_MAX_CABLE_BYTES"):
        read_cable_bytes(cable)


@pytest.mark.parametrize("value", ["0", "-5", "1e6", "lots"])
def test_a_bad_size_limit_is_refused(monkeypatch, value):
    monkeypatch.setenv("REVIEWTOOL_MAX_CABLE_BYTES", value)
    with pytest.raises(CableError, match="REVIEWTOOL_MAX_CABLE_BYTES.*positive number"):
        read_cable_bytes(SAMPLES / "00HARARE5461.txt")


def test_read_errors_name_the_file(tmp_path: Path):
    with pytest.raises(CableError, match="no such file"):
        read_cable(tmp_path / "missing.txt")
    with pytest.raises(CableError, match="is a directory"):
        read_cable(tmp_path)


# --------------------------------------------------------------------------- YAML


@pytest.mark.parametrize(("text", "line", "col", "char"), [
    ("ruleset: x\nrules:\n  - id: a\x01b\n", 3, 10, "U+0001"),
    ("ruleset: x\x00\n", 1, 11, "U+0000"),
    ("ruleset: x\nrules: []\n# \x1b[31m\n", 3, 3, "U+001B"),
])
def test_yaml_control_characters_are_a_problem_at_their_place(text, line, col, char):
    ctx = Ctx("x.yaml")
    assert compose(text, ctx) is None
    [p] = ctx.problems
    assert (p.line, p.col) == (line, col)
    assert char in p.message


@pytest.mark.parametrize("text", ["[" * 20000 + "]" * 20000,
                                  "{a: " * 20000 + "1" + "}" * 20000,
                                  "- " * 5000 + "x"])
def test_yaml_nested_past_the_stack_is_a_problem(text):
    ctx = Ctx("x.yaml")
    assert compose(text, ctx) is None
    [p] = ctx.problems
    assert "nested deeper than" in p.message
