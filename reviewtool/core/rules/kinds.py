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


class RuleKind(StrEnum):
    """The built-in rule kinds."""

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
    builtin = {k.value for k in RuleKind}
    for ep in sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda e: e.name):
        where = f"recognizer plug-in {ep.name!r} ({ep.value})"
        try:
            obj = ep.load()
        except Exception as exc:  # a broken plug-in must not take the tool down
            raise RuleError(f"{where} cannot be loaded: {exc}") from None
        if not isinstance(obj, KindPlugin) or not isinstance(getattr(obj, "kind", None), str):
            raise RuleError(f"{where} is not a recognizer: it needs kind, keys, "
                            "default_score and validate()")
        for method in ("compile", "find"):
            if not callable(getattr(obj, method, None)):
                raise RuleError(f"{where} has no {method}()")
        if obj.kind in builtin or obj.kind in found:
            raise RuleError(f"{where} reuses the rule kind {obj.kind!r}")
        found[obj.kind] = obj
    return found
