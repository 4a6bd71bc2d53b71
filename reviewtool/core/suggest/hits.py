"""A match as the engine passes it between its phases: a `Hit`.

Recognizers make hits, propagation and same-text derive more from them, the context
boost raises their scores, and merging turns overlapping hits into one `Suggestion`
whose contributions keep every hit's rule, score and origin.
"""

from __future__ import annotations

from dataclasses import dataclass

from reviewtool.core.rules.model import Rule
from reviewtool.core.suggest.model import Derived


@dataclass(slots=True)
class Hit:
    """``rule`` matched ``cable.text[start:end]``.

    ``kind`` is the rule's kind, or ``derived``; ``matched`` what the explanation says
    matched (the term, pattern, field, name evidence); ``score`` the score merging uses
    (after the context boost), ``base_score`` the score before it when context words
    raised it (None: not raised); ``fuzzy`` the near-miss ratio; ``derived`` where a
    derived hit came from; ``context`` the context words found nearby."""

    start: int
    end: int
    rule: Rule
    kind: str
    matched: str
    score: float
    fuzzy: float | None = None
    derived: Derived | None = None
    context: tuple[str, ...] = ()
    base_score: float | None = None
