"""Helpers for tests that need a small rule set written as YAML."""

from __future__ import annotations

import textwrap
from pathlib import Path

from reviewtool.core.rules.load import load_rules
from reviewtool.core.rules.model import RuleSet


def ruleset(tmp_path: Path, yaml_text: str, name: str = "set.yaml") -> RuleSet:
    path = tmp_path / name
    path.write_text(textwrap.dedent(yaml_text), encoding="utf-8")
    return load_rules([path])


# Two rules the batch tests (core and CLI) share, as the items of a ``rules:`` list:
# names withheld under Secret paragraphs, and a name after a title.
NAME_RULES = r"""  - id: secret-names
    kind: terms
    codes: [b6]
    reason: Names of foreign officials, withheld where the paragraph is Secret.
    terms: [David Bertolotti, Bertolotti]
    scope:
      min_level: S
  - id: titled-names
    kind: regex
    codes: [b6]
    reason: A person named after a title.
    pattern: '\b(?:Ambassador|Minister|Counselor)\s+(?P<name>[A-Z][a-z]+)'
    group: name
"""


def terms_file_rules(tmp_path: Path, names: str = "Bertolotti\n") -> Path:
    """A rules folder whose one terms rule reads its names from ``names.txt``."""
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "names.txt").write_text(names)
    (rules / "set.yaml").write_text("ruleset: names\nrules:\n  - id: t\n    kind: terms\n"
                                    "    codes: [b6]\n    reason: names\n"
                                    "    terms_file: names.txt\n")
    return rules
