"""A normalized view of a cable's text, with offsets mapped back to the original.

`TextView` collapses every run of whitespace (line breaks, runs of spaces, the ``\\``
line ends of database-row cables) into one space and maps offsets back to the
original text, so "David\\n  Bertolotti" matches the term "David Bertolotti". Every
recognizer matches in a view; `safe_lower` and `normalize_term` give the keys they
compare.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from functools import lru_cache
from itertools import accumulate
from operator import sub

# A whitespace run that is not already one plain space. A backslash inside a run counts
# as whitespace: database-row cables end their lines with `\`.
_WS = re.compile(r"[\s\\][\s\\]+|[^\S ]")
_WS_SPLIT = re.compile(f"({_WS.pattern})")
# The fast path (text without backslashes): each whitespace character other than a space
# becomes a space one for one (offsets unchanged; `str.replace` of a character is a fast
# C scan), so only runs of two or more spaces change offsets. "  +" starts with a
# literal, which the regex engine finds by fast search instead of trying a character
# class at every position as `_WS` must.
_OTHER_WS = tuple(c for c in map(chr, range(0x3001)) if c.isspace() and c != " ")
_SPACES_SPLIT = re.compile("(  +)")
_BLOCK = 1024  # characters in a block of `TextView.blocks`
# UTF-8 bytes: every byte but ASCII letters, digits and "_" to a space, so that
# `bytes.split` yields the text's maximal runs of ASCII word characters. Each ASCII
# chunk of a maximal \w+ run of the text is one of those (what comes before and after
# the run, and any non-ASCII letter inside it, are not ASCII word characters).
NON_ASCII_WORD = bytes(b if chr(b).isalnum() and b < 128 or b == 95 else 32
                        for b in range(256))


def safe_lower(s: str) -> str:
    """Lower-case without changing the length (a few characters lower to two)."""
    low = s.lower()
    if len(low) == len(s):
        return low
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in s)


@lru_cache(maxsize=1 << 16)  # hot (per hit); the same names recur from cable to cable
def normalize_term(term: str, case_sensitive: bool = False) -> str:
    """A term's matching key: inner whitespace collapsed; lower-cased unless case matters."""
    key = " ".join(term.split())
    return key if case_sensitive else safe_lower(key)


class TextView:
    """The text with every whitespace run as one space; `span` maps back.

    ``norm`` keeps case; ``lower`` is ``norm`` lower-cased, same length."""

    __slots__ = ("text", "norm", "_lower", "_nb", "_ob", "_shift", "_last", "counts", "_blocks",
                 "_flat")

    def __init__(self, text: str) -> None:
        self.text = text
        # One regex pass splits the text into words and whitespace runs; the rest is
        # C-level joins and running sums (no Python work per run).
        if "\\" not in text:
            # The same split, less the break points at lone whitespace characters (now
            # spaces inside a piece): there nothing collapses, the offset shift is the
            # same on both sides, so `orig` and `norm_pos` give the same answers.
            flat = text
            for ch in _OTHER_WS:
                if ch in flat:
                    flat = flat.replace(ch, " ")
            parts = _SPACES_SPLIT.split(flat)
        else:  # a backslash next to whitespace is part of the run
            parts = _WS_SPLIT.split(text)
        pieces = parts[0::2]
        self.norm = " ".join(pieces)
        # Break points: after each collapsed run, norm offset nb[i] is original ob[i].
        ob = [0, *accumulate(map(len, parts))][2::2]
        ob[0:0] = [0]
        nb = [0, *accumulate(map((1).__add__, map(len, pieces[:-1])))]
        self._lower: str | None = None
        self._nb, self._ob = nb, ob
        # Per stretch between break points: original minus normalized offset, and the
        # last normalized offset that is its own (the next stretch's start - 1).
        self._shift: list[int] = list(map(sub, ob, nb))
        self._last = [*map((-1).__add__, nb[1:]), len(self.norm)]
        # Literal counts shared by the regex plans of every rule run on this view.
        self.counts: dict[tuple[bool, str, int, int], int] = {}
        self._blocks: list[tuple[int, int, list[bytes]]] | None = None
        self._flat: bytes | None = b""  # b"": not made yet (a made one has two spaces)

    @property
    def lower(self) -> str:
        if self._lower is None:
            self._lower = safe_lower(self.norm)
        return self._lower

    def blocks(self) -> list[tuple[int, int, list[bytes]]]:
        """``lower`` cut into blocks of about `_BLOCK` characters, each ending at a space
        (so a run of non-space characters lies in one block), as ``(start, end,
        tokens)``: tokens are the block's maximal runs of ASCII word characters, as
        UTF-8 bytes (one C-level translate and split; for matchers' set intersections)."""
        if self._blocks is None:
            low, out, bs = self.lower, [], 0
            size = len(low)
            flat = self.flat()
            while bs < size:
                be = low.find(" ", bs + _BLOCK)
                be = size if be == -1 else be
                if flat is not None:
                    tokens = flat[bs + 1:be + 1].split()
                else:
                    tokens = low[bs:be].encode().translate(NON_ASCII_WORD).split()
                out.append((bs, be, tokens))
                bs = be
            self._blocks = out
        return self._blocks

    def flat(self) -> bytes | None:
        """When ``lower`` is ASCII: it as bytes, each non-word character a space, with a
        space added before and after (offset i of ``lower`` is i + 1 here)."""
        if self._flat == b"":
            low = self.lower
            self._flat = (b" " + low.encode().translate(NON_ASCII_WORD) + b" "
                          if low.isascii() else None)
        return self._flat

    def orig(self, npos: int) -> int:
        return npos + self._shift[bisect_right(self._nb, npos) - 1]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Original (start, end) of normalized (start, end); ``end > start``."""
        nb, shift = self._nb, self._shift  # orig(start), orig(end - 1) + 1, inlined (hot)
        return (start + shift[bisect_right(nb, start) - 1],
                end + shift[bisect_right(nb, end - 1) - 1])

    def norm_pos(self, opos: int) -> int:
        """Normalized offset of an original offset (inside a collapsed run: the space)."""
        i = bisect_right(self._ob, opos) - 1
        n, last = opos - self._shift[i], self._last[i]
        return n if n < last else last
