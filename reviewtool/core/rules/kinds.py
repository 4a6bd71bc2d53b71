"""Rule kinds: the built-in ones, and those a third-party package adds.

A kind is what a rule's ``kind:`` names. The rules stage validates a rule of a kind; the
suggest stage finds its matches. A third-party kind is one object registered in the
entry point group ``reviewtool.recognizers`` (in its ``pyproject.toml``)::

    [project.entry-points."reviewtool.recognizers"]
    iban = "mypackage.iban:RECOGNIZER"

The object provides both halves: `KindPlugin` (this stage: its name, its own YAML keys,
a default score, and `validate` of those keys) and the suggest stage's ``Recognizer``
protocol (``compile`` and ``find``, see ``reviewtool.core.suggest.recognizers``). A
plug-in that is malformed, or that reuses a built-in kind's name, is refused with an
error naming its entry point.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from functools import lru_cache
from importlib.metadata import entry_points
from typing import Any, Protocol, runtime_checkable

from reviewtool.errors import RuleError

ENTRY_POINT_GROUP = "reviewtool.recognizers"


# The keys every rule has, whatever its kind (validated by `validate`).
COMMON_KEYS = frozenset({"id", "kind", "codes", "reason", "scope", "examples", "context",
                         "score", "propagate", "description"})


class RuleKind(StrEnum):
    """The built-in rule kinds (each validated by one module of `validators`)."""

    TERMS = "terms"
    REGEX = "regex"
    FIELD = "field"
    PARAGRAPH = "paragraph"
    NAMES = "names"


@runtime_checkable
class KindPlugin(Protocol):
    """The rules stage's view of a third-party rule kind."""

    kind: str
    keys: frozenset[str]  # the YAML keys of its own, beside the common ones
    default_score: float

    def validate(self, options: Mapping[str, Any]) -> Mapping[str, Any]:
        """The rule's own keys (those in `keys` it was given), checked and normalized;
        raises `ValueError` with a message for the reviewer when they are wrong."""
        ...


@lru_cache(maxsize=1)
def plugins() -> Mapping[str, KindPlugin]:
    """Third-party kinds by name, from the installed packages' entry points (read once;
    `plugins.cache_clear()` reads them again)."""
    found: dict[str, KindPlugin] = {}
    for ep in sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda e: e.name):
        where = f"recognizer plug-in {ep.name!r} ({ep.value})"
        try:
            obj = ep.load()
        except Exception as exc:  # a broken plug-in must not take the tool down
            raise RuleError(f"{where} cannot be loaded: {exc}") from None
        _check_plugin(obj, where, found)
        found[obj.kind] = obj
    return found


def _check_plugin(obj: object, where: str, found: Mapping[str, KindPlugin]) -> None:
    """Refuse a plug-in object that does not keep the protocol, with a `RuleError`."""
    if not isinstance(obj, KindPlugin) or not isinstance(getattr(obj, "kind", None), str):
        raise RuleError(f"{where} is not a recognizer: it needs kind, keys, "
                        "default_score and validate()")
    for method in ("compile", "find"):
        if not callable(getattr(obj, method, None)):
            raise RuleError(f"{where} has no {method}()")
    if obj.kind in {k.value for k in RuleKind} or obj.kind in found:
        raise RuleError(f"{where} reuses the rule kind {obj.kind!r}")
    keys: object = obj.keys
    if not isinstance(keys, frozenset | set) or not all(isinstance(k, str) for k in keys):
        raise RuleError(f"{where} needs keys, a set of key names")
    if keys & COMMON_KEYS:
        raise RuleError(f"{where} claims keys every rule has: "
                        f"{', '.join(sorted(keys & COMMON_KEYS))}")
    score: object = obj.default_score
    if isinstance(score, bool) or not isinstance(score, int | float) or not 0 <= score <= 1:
        raise RuleError(f"{where} needs a default_score from 0 to 1, not {score!r}")
