"""The recognizer protocol: how one rule kind finds its matches.

A `Recognizer` compiles every rule of its kind at once (the ``terms`` rules share one
matcher), once per rule set; the `Compiled` result then finds hits in any cable. The
engine runs one per kind, from `reviewtool.core.suggest.recognizers.BUILTIN` or, for a
kind a third-party package adds, from its entry point (`rules.kinds.plugins`).

A plug-in is simpler (`PluginRecognizer`): beside what the rules stage asks of it
(``kind``, ``keys``, ``default_score``, ``validate``), ``compile(rules, ruleset)``
returns any object, and ``find(compiled, cable, view, places)`` yields a `PluginMatch`
per match over ``cable.text``. The engine keeps a match only inside its rule's scope,
then treats it like any rule's: allow-list, codes, context, propagation, merging.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from reviewtool.core.cable.model import Cable
from reviewtool.core.rules.model import Rule, RuleSet
from reviewtool.core.suggest.hits import Hit
from reviewtool.core.suggest.places import Places, in_scope
from reviewtool.core.suggest.textview import TextView
from reviewtool.errors import RuleError


class Compiled(Protocol):
    """A recognizer's rules, ready to run on any cable."""

    def find(self, cable: Cable, view: TextView, places: Places,
             found: Sequence[Hit]) -> list[Hit]:
        """The hits in ``cable`` (``view`` its text normalized), each inside its rule's
        scope (`places`). ``found``: what the other recognizers found, propagation and
        same text included, for a recognizer that `sees_matches` (else empty)."""
        ...


class Recognizer(Protocol):
    """One rule kind's matching. ``sees_matches``: it runs last, on what the others
    found (a ``paragraph`` rule's ``when``)."""

    @property
    def kind(self) -> str: ...

    @property
    def sees_matches(self) -> bool: ...

    def compile(self, rules: Sequence[Rule], ruleset: RuleSet) -> Compiled:
        """Every rule of this kind in ``ruleset`` (``rules``, in file order) compiled."""
        ...


# --------------------------------------------------------------------------- plug-ins


@dataclass(frozen=True, slots=True)
class PluginMatch:
    """What a plug-in's ``find`` yields: rule ``rule`` (an id among the rules it
    compiled) matched ``cable.text[start:end]``. ``score`` in [0, 1] (None: the
    rule's score); ``evidence``: what the explanation shows as matched (empty: the
    matched text)."""

    rule: str
    start: int
    end: int
    score: float | None = None
    evidence: str = ""


@runtime_checkable
class PluginRecognizer(Protocol):
    """The suggest stage's view of a third-party rule kind (the rules stage's is
    `rules.kinds.KindPlugin`; one object provides both)."""

    kind: str

    def compile(self, rules: Sequence[Rule], ruleset: RuleSet) -> object:
        """Its rules (every rule of its kind in the rule set, in file order), compiled
        into whatever ``find`` needs; called once per rule set."""
        ...

    def find(self, compiled: object, cable: Cable, view: TextView,
             places: Places) -> Iterable[PluginMatch]:
        """The matches in ``cable``; ``view`` is its text with whitespace runs as one
        space (``view.span`` maps offsets back), ``places`` says where a span lies."""
        ...


class PluginKind:
    """A `PluginRecognizer` as the engine runs a recognizer."""

    sees_matches = False

    def __init__(self, plugin: PluginRecognizer) -> None:
        self.plugin = plugin
        self.kind = plugin.kind

    def compile(self, rules: Sequence[Rule], ruleset: RuleSet) -> Compiled:
        return _PluginCompiled(self.plugin, self.plugin.compile(rules, ruleset),
                               {r.id: r for r in rules})


@dataclass(frozen=True)
class _PluginCompiled:
    plugin: PluginRecognizer
    state: object
    rules: dict[str, Rule]

    def find(self, cable: Cable, view: TextView, places: Places,
             found: Sequence[Hit]) -> list[Hit]:
        out = []
        text = cable.text
        for m in self.plugin.find(self.state, cable, view, places):
            rule = self._checked(m, len(text))
            if in_scope(rule, places.locus(m.start, m.end)):
                out.append(Hit(m.start, m.end, rule, rule.kind,
                               m.evidence or text[m.start:m.end],
                               rule.score if m.score is None else m.score))
        return out

    def _checked(self, m: PluginMatch, size: int) -> Rule:
        """The rule of ``m``; `RuleError` naming the plug-in when ``m`` is malformed."""
        rule = self.rules.get(m.rule) if isinstance(m, PluginMatch) else None
        problem = ("is not a PluginMatch" if not isinstance(m, PluginMatch)
                   else f"names no rule of its kind ({m.rule!r})" if rule is None
                   else f"has no span of the cable ({m.start}, {m.end})"
                   if not 0 <= m.start < m.end <= size
                   else f"has a score outside [0, 1] ({m.score})"
                   if m.score is not None and not 0.0 <= m.score <= 1.0 else None)
        if problem is not None or rule is None:
            raise RuleError(f"recognizer plug-in {self.plugin.kind!r}: a match {problem}: "
                            f"{m!r}")
        return rule
