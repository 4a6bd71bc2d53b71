"""What a rule kind's validator is: its own keys, its defaults, and one function from a
rule's YAML (read through a `Reader` that reports) to that kind's fields of `Rule`."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, TypedDict

from reviewtool.core.rules.model import Scope
from reviewtool.core.rules.rulefiles import RuleFiles
from reviewtool.core.rules.yamlread import Reader


class KindFields(TypedDict, total=False):
    """The fields of `Rule` a kind's validator fills (each kind its own few)."""

    terms: tuple[str, ...]
    case_sensitive: bool
    fuzzy: float | None
    pattern: str | None
    regex: re.Pattern[str]
    group: int | str
    field: str | None
    when: tuple[str, ...]
    min_score: float
    options: Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class KindInput:
    """What a validator reads: the rule (``rd``, whose errors name the rule), the files
    of the rule set's folder (read only through ``files``: confined to that folder and
    hashed with the rule set) and the rule's scope, defaults applied."""

    rd: Reader
    files: RuleFiles
    scope: Scope


@dataclass(frozen=True, slots=True)
class KindSpec:
    """One rule kind as the rules stage knows it. ``propagate`` is the default of the
    rule's ``propagate:`` key."""

    keys: frozenset[str]
    default_score: float
    validate: Callable[[KindInput], KindFields]
    propagate: bool = False
