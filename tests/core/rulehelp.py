"""Helpers for tests that need a small rule set written as YAML."""

from __future__ import annotations

import textwrap
from pathlib import Path

from reviewtool.core.rules import RuleSet, load_rules


def ruleset(tmp_path: Path, yaml_text: str, name: str = "set.yaml") -> RuleSet:
    path = tmp_path / name
    path.write_text(textwrap.dedent(yaml_text), encoding="utf-8")
    return load_rules([path])
