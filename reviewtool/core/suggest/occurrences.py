"""Where a text stands whole in a view, remembered for the rest of one `suggest` call.

Propagation, same-text and near spellings seek many of the same names in the same
view: `Occurrences` finds each once, and a name of several words from where its words
already stand (`search`), without another scan.
"""

from __future__ import annotations

from reviewtool.core.suggest.matchers import find_exact
from reviewtool.core.suggest.textview import TextView


class Occurrences:
    """What the phases after matching learn about one view and ask again: where a text
    stands whole in ``view.lower``, and the normalized span of an original span that
    propagation mapped (same-text maps the same spans back)."""

    __slots__ = ("view", "found", "norm_spans")

    def __init__(self, view: TextView | None) -> None:
        self.view = view
        self.found: dict[str, list[int]] = {}
        self.norm_spans: dict[tuple[int, int], tuple[int, int]] = {}

    def where(self, key: str) -> list[int]:
        """`find_exact` of ``key`` in ``view.lower``, as a list."""
        got = self.found.get(key)
        if got is None:
            assert self.view is not None
            got = self.found[key] = search(self.view.lower, key, self.found)
        return got


def search(low: str, key: str, known: dict[str, list[int]]) -> list[int]:
    """`find_exact` of ``key`` in ``low``; for words such as "david bertolotti", from
    where its first or last words stand ("bertolotti", found already) when they are
    known and few: each of those is one whole-word occurrence of these words inside
    every occurrence of ``key``, so checking there finds them all, without a scan."""
    if " " in key:
        best = _fewest_known(key, known)
        if best is not None and len(best[1]) <= 64:
            return _at_known(low, key, *best)
    return list(find_exact(low, key))


def _fewest_known(key: str, known: dict[str, list[int]]) -> tuple[int, list[int]] | None:
    """Of ``key``'s leading and trailing words, the part whose occurrences are known
    and fewest: (its offset in ``key``, where it stands)."""
    best: tuple[int, list[int]] | None = None
    words = key.split(" ")
    for j in range(1, len(words)):
        for part, offset in ((" ".join(words[:j]), 0),
                             (" ".join(words[j:]), len(key) - len(" ".join(words[j:])))):
            occ = known.get(part) if part else None
            if occ is not None and (best is None or len(occ) < len(best[1])):
                best = (offset, occ)
    return best


def _at_known(low: str, key: str, offset: int, occ: list[int]) -> list[int]:
    """Where ``key`` stands whole in ``low``, checked only at ``occ`` (less ``offset``)."""
    n, size = len(key), len(low)
    head, tail = _word_char(key[0]), _word_char(key[-1])
    out = []
    for p in occ:
        i = p - offset
        if i < 0 or not low.startswith(key, i):
            continue
        if head and i and _word_char(low[i - 1]):
            continue
        if tail and i + n < size and _word_char(low[i + n]):
            continue
        out.append(i)
    return out


def _word_char(ch: str) -> bool:
    """As `find_exact` tells a word character."""
    return ch.isalnum() or ch == "_"
