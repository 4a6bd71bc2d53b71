"""The rule sets' allow-list: texts never suggested, nor anything inside them.

Compiled once per rule set; `AllowList.drop` removes the hits whose text is allowed or
that lie inside an allowed text's occurrence (`AllowList.spans`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from reviewtool.core.rules.kinds import RuleKind
from reviewtool.core.suggest.hits import Hit
from reviewtool.core.suggest.matchers import TermMatcher, find_exact
from reviewtool.core.suggest.textview import TextView, normalize_term, safe_lower


@dataclass(frozen=True)
class AllowList:
    matcher: TermMatcher[str]
    keys: frozenset[str]
    # Characters a hit's text may start with to be an allowed key (`drop`): the keys'
    # first characters, and the capitals that lower-case to them.
    firsts: frozenset[str]

    @classmethod
    def compile(cls, allowed: Iterable[str]) -> AllowList:
        matcher: TermMatcher[str] = TermMatcher()
        for a in allowed:
            matcher.add(a, a)
        keys = frozenset(matcher.keys())
        firsts = {k[0] for k in keys}
        firsts |= {c.upper() for c in firsts if safe_lower(c.upper()) == c}
        return cls(matcher, keys, frozenset(firsts))

    def spans(self, view: TextView) -> list[tuple[int, int]]:
        """Original spans of the allow-listed terms in the cable."""
        keys = self.keys
        if len(keys) <= 50:  # a few terms: plain searches beat a regex scan
            found = [(i, i + len(k)) for k in keys for i in find_exact(view.lower, k)]
        else:
            found = [(h.start, h.end) for h in self.matcher.find(view)]
        return [view.span(a, b) for a, b in found]

    def drop(self, view: TextView, hits: list[Hit], spans: list[tuple[int, int]]) -> list[Hit]:
        """``hits`` without those whose text is allow-listed or inside an allowed term's
        ``spans`` (`spans`)."""
        keys = self.keys
        if not keys:
            return hits
        # A hit's text is an allowed key only if its first character (lower-cased as
        # `normalize_term` does) starts one: most hits are ruled out without normalizing.
        firsts = self.firsts
        text = view.text
        out = []
        for h in hits:
            if h.kind == RuleKind.PARAGRAPH:
                out.append(h)
                continue
            c = text[h.start]
            if (c in firsts or c.isspace() or (not c.isascii() and safe_lower(c) in firsts)) \
                    and normalize_term(text[h.start:h.end]) in keys:
                continue
            if spans and any(a <= h.start and h.end <= b for a, b in spans):
                continue
            out.append(h)
        return out
