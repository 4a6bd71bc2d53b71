"""What the rules stage hands on: a validated `RuleSet` of `Rule`s, and its `Problem`s.

Plain frozen data: the suggest stage reads a `Rule`'s typed fields (one group per
built-in kind) or, for a third-party kind, its validated ``options``.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from reviewtool.core.cable.markings import Level, Marking
from reviewtool.errors import RuleError

WHERE = ("body", "header", "subject", "all")


@dataclass(frozen=True, slots=True)
class Scope:
    """Where a rule applies. ``markings``: the paragraph's effective marking must match
    one (same level, and every listed control present); ``min_level``: its level must be
    at least this. ``where``: body (paragraphs and repeated bodies), header, subject, all.
    """

    markings: tuple[Marking, ...] = ()
    min_level: Level | None = None
    where: str = "body"

    @property
    def by_marking(self) -> bool:
        return bool(self.markings) or self.min_level is not None

    def admits(self, marking: Marking | None, unmarked: bool) -> bool:
        """Whether text under ``marking`` is in scope. ``unmarked`` text of a classified
        cable is in scope of every rule: a reviewer must look at it."""
        if not self.by_marking or unmarked:
            return True
        if marking is None:
            return False
        if self.min_level is not None and marking.level < self.min_level:
            return False
        if self.markings:
            return any(m.level == marking.level and set(m.controls) <= set(marking.controls)
                       for m in self.markings)
        return True


@dataclass(frozen=True, slots=True)
class Example:
    text: str
    expect: tuple[str, ...] = ()  # exact texts the rule must suggest (match examples)
    line: int = 0


def _no_options() -> Mapping[str, Any]:
    return MappingProxyType({})


@dataclass(frozen=True)
class Rule:
    """One validated rule. ``source``/``line`` say where it was written. ``kind`` is a
    `RuleKind` for the built-in kinds, a plug-in's own name otherwise."""

    id: str
    ruleset: str
    kind: str
    codes: tuple[str, ...]
    reason: str
    scope: Scope
    source: str
    line: int
    score: float
    description: str = ""
    terms: tuple[str, ...] = ()
    case_sensitive: bool = False
    fuzzy: float | None = None
    pattern: str | None = None
    regex: re.Pattern[str] | None = field(default=None, compare=False, repr=False)
    group: int | str | None = None
    field: str | None = None
    when: tuple[str, ...] = ()
    context: tuple[str, ...] = ()
    propagate: bool = False
    # Other occurrences of a matched text are suggested too (the engine's consistency
    # pass); off only when a rule says `propagate: false` in so many words.
    same_text: bool = True
    min_score: float = 0.0
    match_examples: tuple[Example, ...] = ()
    no_match_examples: tuple[Example, ...] = ()
    # A third-party kind's own keys as its `validate()` returned them (read-only; empty
    # for the built-in kinds). Compared, but not hashed: the values may be lists.
    options: Mapping[str, Any] = dataclasses.field(default_factory=_no_options, hash=False)


@dataclass(frozen=True, slots=True)
class Policy:
    """What batch draft mode may accept without a reviewer: suggestions scoring at least
    ``min_score`` and (when ``codes`` is not empty) carrying at least one of ``codes``.
    Several rule sets combine strictly: the highest min_score, the union of codes."""

    min_score: float = 1.0
    codes: tuple[str, ...] = ()

    def admits(self, score: float, codes: Iterable[str]) -> bool:
        if score < self.min_score:
            return False
        return not self.codes or bool(set(codes) & set(self.codes))


@dataclass(frozen=True, slots=True)
class RuleSetInfo:
    name: str
    description: str
    source: str
    sha256: str


@dataclass(frozen=True)
class RuleSet:
    """Every loaded rule, in file order. ``sha256`` hashes the files' bytes (sorted by
    path) so a review can tell when its rules changed."""

    rules: tuple[Rule, ...]
    sets: tuple[RuleSetInfo, ...]
    allow: tuple[str, ...]
    policy: Policy
    sha256: str
    extra_codes: dict[str, str] = field(default_factory=dict)
    # Compiled matchers, built once by the engine (see core/suggest/engine.py).
    cache: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    def rule(self, rule_id: str) -> Rule:
        for r in self.rules:
            if r.id == rule_id:
                return r
        raise KeyError(rule_id)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(s.name for s in self.sets)


@dataclass(frozen=True, slots=True)
class Problem:
    """One validation problem, printed ``file:line:col: rule 'id': message``."""

    source: str
    line: int
    col: int
    message: str
    rule: str | None = None

    def __str__(self) -> str:
        where = f"{self.source}:{self.line}:{self.col}"
        who = f" rule '{self.rule}':" if self.rule else ""
        return f"{where}:{who} {self.message}"


class RuleSetError(RuleError):
    """A `RuleError` that also carries its problems one by one."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = list(problems)

    def __reduce__(self) -> tuple[type[RuleSetError], tuple[list[Problem]]]:
        return (RuleSetError, (self.problems,))  # pickles (to a batch worker and back) whole


def rule_error(problems: Sequence[Problem]) -> RuleSetError:
    """A `RuleError` whose message lists every problem, one per line."""
    return RuleSetError(problems)
