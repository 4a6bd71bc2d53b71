"""A tiny third-party rule kind, ``kind: fake``, and a way to install it for a test.

`installed_plugin(root)` writes a distribution into ``root`` (``fakepkg/__init__.py``
and ``fakepkg-0.1.dist-info/`` with ``METADATA`` and ``entry_points.txt`` for the group
``reviewtool.recognizers``), puts ``root`` first on ``sys.path`` and re-reads the
plug-ins; on leaving, it takes all of that back. By default ``fakepkg`` hands out
`RECOGNIZER` below; ``source`` replaces its code (a malformed plug-in, say)::

    with installed_plugin(tmp_path):
        rules = load_rules([...])        # rules may say `kind: fake`

A rule of this kind names ``words`` (a non-empty list of strings) and may give
``min_length`` (a whole number, at least 1).
"""

from __future__ import annotations

import importlib
import re
import sys
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from reviewtool.core.rules.kinds import ENTRY_POINT_GROUP, plugins

PACKAGE = "fakepkg"
DEFAULT_SOURCE = "from tests.plugins.fake_recognizer import RECOGNIZER\n"
DEFAULT_ENTRIES = (("fake", f"{PACKAGE}:RECOGNIZER"),)


class FakeRecognizer:
    """Both halves of a rule kind: the rules stage's (kind, keys, default_score,
    validate) and the suggest stage's (compile, find)."""

    kind = "fake"
    keys = frozenset({"words", "min_length"})
    default_score = 0.6

    def __init__(self) -> None:
        self.seen: list[Mapping[str, Any]] = []  # every options mapping validate was given

    def validate(self, options: Mapping[str, Any]) -> Mapping[str, Any]:
        self.seen.append(options)
        words = options.get("words")
        if (not isinstance(words, list) or not words
                or not all(isinstance(w, str) and w.strip() for w in words)):
            raise ValueError("'words' must be a non-empty list of strings")
        min_length = options.get("min_length", 1)
        if isinstance(min_length, bool) or not isinstance(min_length, int) or min_length < 1:
            raise ValueError(f"'min_length' must be a whole number from 1, not {min_length!r}")
        return {"words": tuple(w.strip() for w in words), "min_length": min_length}

    def compile(self, rules: Sequence[Any], ruleset: Any) -> tuple[tuple[str, tuple[str, ...]], ...]:  # noqa: E501
        return tuple((r.id, tuple(w for w in r.options["words"]
                                  if len(w) >= r.options["min_length"])) for r in rules)

    def find(self, compiled: Any, cable: Any, view: Any, places: Any) -> Iterator[Any]:
        """Each word of each rule, wherever it stands in the cable's text."""
        from reviewtool.core.suggest.recognizers.base import PluginMatch

        for rule_id, words in compiled:
            for word in words:
                for m in re.finditer(rf"\b{re.escape(word)}\b", cable.text):
                    yield PluginMatch(rule_id, m.start(), m.end())


RECOGNIZER = FakeRecognizer()


def write_distribution(root: Path, source: str = DEFAULT_SOURCE,
                       entries: Sequence[tuple[str, str]] = DEFAULT_ENTRIES) -> Path:
    """Write ``fakepkg`` and its ``.dist-info`` into ``root``; return ``root``."""
    pkg = root / PACKAGE
    pkg.mkdir(parents=True, exist_ok=True)
    (pkg / "__init__.py").write_text(source, encoding="utf-8")
    info = root / f"{PACKAGE}-0.1.dist-info"
    info.mkdir(exist_ok=True)
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {PACKAGE}\nVersion: 0.1\n",
                                   encoding="utf-8")
    (info / "entry_points.txt").write_text(
        f"[{ENTRY_POINT_GROUP}]\n" + "".join(f"{n} = {v}\n" for n, v in entries),
        encoding="utf-8")
    return root


@contextmanager
def installed_plugin(root: Path, source: str = DEFAULT_SOURCE,
                     entries: Sequence[tuple[str, str]] = DEFAULT_ENTRIES) -> Iterator[Path]:
    """The fake distribution installed (on ``sys.path``) for the duration."""
    write_distribution(root, source, entries)
    sys.path.insert(0, str(root))
    sys.modules.pop(PACKAGE, None)
    importlib.invalidate_caches()
    plugins.cache_clear()
    RECOGNIZER.seen.clear()
    try:
        yield root
    finally:
        sys.path.remove(str(root))
        sys.modules.pop(PACKAGE, None)
        importlib.invalidate_caches()
        plugins.cache_clear()
